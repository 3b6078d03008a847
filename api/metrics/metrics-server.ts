import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { MetricsCollector } from '../../core/metrics/pool-gauge';
import { createMetricsHandler } from './metrics-handler';

export interface MetricsServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * `GET /metrics` on a port of its own (METRICS_PORT), never on the public one: the series name routes, cache
 * hit rates and pool sizes, which are nobody's business outside the cluster, and a scrape must not count
 * against a client's rate limit. A NetworkPolicy can open this port to Prometheus alone.
 */
export async function listenMetrics(
  registry: Registry,
  collectors: readonly MetricsCollector[],
  port: number,
  host?: string,
): Promise<MetricsServer> {
  const handler = createMetricsHandler(registry, collectors);
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/metrics' && (req.method === 'GET' || req.method === 'HEAD')) return handler(req, res);
    res.writeHead(path === '/metrics' ? 405 : 404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(path === '/metrics' ? 'method not allowed\n' : 'not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host }, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
