import { isTransientDatabaseError } from './transient-error';

const withCode = (code: string) => Object.assign(new Error('x'), { code });

describe('isTransientDatabaseError', () => {
  it.each(['57P01', '57P03', '08006', '08001', '53300', '40P01', '25006'])(
    'counts SQLSTATE %s as transient',
    (code) => {
      expect(isTransientDatabaseError(withCode(code))).toBe(true);
    },
  );

  it.each(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND'])(
    'counts a socket failure %s as transient',
    (code) => {
      expect(isTransientDatabaseError(withCode(code))).toBe(true);
    },
  );

  it.each([
    'Connection terminated unexpectedly',
    'Connection terminated due to connection timeout',
    'timeout exceeded when trying to connect',
    'Client has encountered a connection error and is not queryable',
  ])('counts node-postgres "%s" as transient', (message) => {
    expect(isTransientDatabaseError(new Error(message))).toBe(true);
  });

  it('looks into an AggregateError and a cause', () => {
    expect(isTransientDatabaseError(new AggregateError([withCode('ECONNREFUSED')], 'connect failed'))).toBe(true);
    expect(isTransientDatabaseError(new Error('wrapped', { cause: withCode('57P01') }))).toBe(true);
  });

  it.each(['22021', '23503', '42P01', '42703', 'P0001'])('blames SQLSTATE %s on the statement or its data', (code) => {
    expect(isTransientDatabaseError(withCode(code))).toBe(false);
  });

  it('says false for anything that is not an error object', () => {
    expect(isTransientDatabaseError(undefined)).toBe(false);
    expect(isTransientDatabaseError('ECONNREFUSED')).toBe(false);
    expect(isTransientDatabaseError(new TypeError('cannot read properties of undefined'))).toBe(false);
  });
});
