import { ConfigError } from '../config/load';

interface SystemError extends Error {
  readonly code?: string;
  readonly syscall?: string;
  readonly address?: string;
  readonly port?: number;
}

function endpoint(error: SystemError): string {
  const host = error.address?.includes(':') ? `[${error.address}]` : (error.address ?? '');
  return error.port === undefined ? host : `${host}:${error.port}`;
}

/**
 * One readable paragraph for why a process could not start: the list of invalid keys, the port that is taken, the
 * server that does not answer. Anything unexpected keeps its stack, which is what whoever debugs it needs.
 */
export function describeStartupError(error: unknown): string {
  if (error instanceof ConfigError) return error.message;
  // Node reports a refused connection to a name with several addresses (localhost: ::1 and 127.0.0.1) as an AggregateError.
  const system = (error instanceof AggregateError ? (error.errors[0] as unknown) : error) as SystemError | undefined;
  if (system instanceof Error && system.code === 'EADDRINUSE') {
    return `Cannot listen on ${endpoint(system)}: the port is already in use. Stop whatever holds it, or choose another port.`;
  }
  if (
    system instanceof Error &&
    (system.code === 'ECONNREFUSED' || system.code === 'ENOTFOUND' || system.code === 'EHOSTUNREACH')
  ) {
    return `Cannot connect to ${endpoint(system) || system.message} (${system.code}): is the server running, and is its URL right?`;
  }
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/** Prints `describeStartupError(error)` and exits non-zero. */
export function exitOnStartupError(name: string, error: unknown): never {
  process.stderr.write(`${name} could not start: ${describeStartupError(error)}\n`);
  process.exit(1);
}
