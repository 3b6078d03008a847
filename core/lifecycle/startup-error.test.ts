import { ConfigError } from '../config/load';
import { describeStartupError } from './startup-error';

const systemError = (code: string, address: string, port: number) =>
  Object.assign(new Error(`${code} ${address}:${port}`), { code, address, port });

describe('describeStartupError', () => {
  it('lists the invalid keys of a configuration error', () => {
    expect(describeStartupError(new ConfigError(['PORT: expected a number', 'LOG_LEVEL: invalid option']))).toContain(
      'PORT: expected a number',
    );
  });

  it('names the port that is already taken', () => {
    expect(describeStartupError(systemError('EADDRINUSE', '::', 8080))).toMatch(
      /^Cannot listen on \[::\]:8080: the port is already in use/,
    );
  });

  it('names the server that refused the connection, also when Node reports every address it tried', () => {
    const refused = new AggregateError([
      systemError('ECONNREFUSED', '::1', 5432),
      systemError('ECONNREFUSED', '127.0.0.1', 5432),
    ]);

    expect(describeStartupError(refused)).toMatch(/^Cannot connect to \[::1\]:5432 \(ECONNREFUSED\)/);
  });

  it('keeps the stack of anything unexpected', () => {
    const error = new Error('boom');

    expect(describeStartupError(error)).toBe(error.stack);
  });
});
