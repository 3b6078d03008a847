import { createRateLimitedWarn } from './rate-limited-warn';

describe('createRateLimitedWarn', () => {
  it('logs a message once per interval with the number swallowed in between', () => {
    let time = 0;
    const logger = { warn: jest.fn() };
    const warn = createRateLimitedWarn(logger, 10_000, () => time);

    warn(new Error('down'), 'redis failed');
    warn(new Error('down'), 'redis failed');
    warn(new Error('down'), 'redis failed');
    time = 10_000;
    warn(new Error('down'), 'redis failed');

    expect(logger.warn).toHaveBeenCalledTimes(2);
    expect(logger.warn).toHaveBeenLastCalledWith(expect.objectContaining({ suppressed: 2 }), 'redis failed');
  });

  it('limits each message on its own', () => {
    const logger = { warn: jest.fn() };
    const warn = createRateLimitedWarn(logger, 10_000, () => 0);

    warn(undefined, 'first');
    warn(undefined, 'second');

    expect(logger.warn).toHaveBeenCalledTimes(2);
  });
});
