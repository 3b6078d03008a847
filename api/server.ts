import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { CodedError, GeneralErrors } from '../core/errors/coded-error';
import { unparsedRequestResponse } from './http/problem';

const headersTooLarge = new CodedError(GeneralErrors.headersTooLarge);
const badRequest = new CodedError(GeneralErrors.badRequest);
const REQUEST_TIMEOUT = 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n';

/**
 * node:http's own answer to a request it cannot parse is a bare status line (431 for oversize headers, 400
 * otherwise); clients get the same problem+json as for any other error. A socket already gone gets nothing.
 */
function answerUnparsedRequest(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
  // A client too slow to send its headers gets node's own 408, as before.
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return void socket.end(REQUEST_TIMEOUT);
  const coded = error.code === 'HPE_HEADER_OVERFLOW' ? headersTooLarge : badRequest;
  socket.end(unparsedRequestResponse(coded));
}

export interface RunningServer {
  readonly server: Server;
  readonly port: number;
  /** Stops accepting, lets in-flight requests finish (closing idle keep-alive sockets), then force-closes after `timeoutMs`. */
  drain(timeoutMs: number): Promise<void>;
}

/** `listen()` kept apart from `buildApp()` so tests can boot the same listener on port 0. */
export async function listen(listener: RequestListener, port: number, host?: string): Promise<RunningServer> {
  const server = createServer({ keepAliveTimeout: 65_000 }, listener);
  server.on('clientError', answerUnparsedRequest);
  // Behind a load balancer the idle timeout must exceed the balancer's, or it races our close.
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // Node's default backlog (511) overflows when a thousand clients connect at once; the kernel caps it anyway.
    server.listen({ port, host, backlog: 4096 }, () => resolve());
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    drain: (timeoutMs) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          server.closeAllConnections();
          resolve();
        }, timeoutMs);
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
