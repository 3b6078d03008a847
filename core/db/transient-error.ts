/**
 * SQLSTATEs that say the server or the connection failed, not the statement or its data: retrying the same
 * work later succeeds. Class 08 (connection exception) is matched by prefix.
 */
const TRANSIENT_SQLSTATES = new Set([
  '57P01', // admin_shutdown: a fast or smart stop, pg_terminate_backend
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up, shutting down, in recovery
  '57014', // query_canceled: statement_timeout on a slow server
  '53000', // insufficient_resources
  '53100', // disk_full
  '53200', // out_of_memory
  '53300', // too_many_connections
  '58000', // system_error
  '58030', // io_error
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '25006', // read_only_sql_transaction: writes reached a former primary during a failover
  'XX000', // internal_error, as PgBouncer reports a server it cannot reach
]);

/** Socket-level failures: the server is down, restarting, unreachable or being failed over. */
const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** node-postgres reports lost and timed-out connections as plain errors, only by message. */
const TRANSIENT_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  /is not queryable$/,
  /^Query read timeout/,
];

/**
 * True when the database could not do the work for reasons of its own (unreachable, restarting, failing over,
 * overloaded): the work should wait and be retried, never be treated as bad data. Looks through `cause` and
 * the members of an AggregateError (a dual-stack connect that failed on every address).
 */
export function isTransientDatabaseError(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 4) return false;
  const { code, message, cause, errors } = error as {
    code?: unknown;
    message?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (
    typeof code === 'string' &&
    (TRANSIENT_SQLSTATES.has(code) || code.startsWith('08') || TRANSIENT_NETWORK_CODES.has(code))
  )
    return true;
  if (typeof message === 'string' && TRANSIENT_MESSAGES.some((pattern) => pattern.test(message))) return true;
  if (Array.isArray(errors) && errors.some((member) => isTransientDatabaseError(member, depth + 1))) return true;
  return isTransientDatabaseError(cause, depth + 1);
}
