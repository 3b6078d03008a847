import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RunningServer {
  readonly server: Server;
  readonly port: number;
  /** Stops accepting, lets in-flight requests finish (closing idle keep-alive sockets), then force-closes after `timeoutMs`. */
  drain(timeoutMs: number): Promise<void>;
}

/** `listen()` kept apart from `buildApp()` so tests can boot the same listener on port 0. */
export async function listen(listener: RequestListener, port: number, host?: string): Promise<RunningServer> {
  const server = createServer({ keepAliveTimeout: 65_000 }, listener);
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
