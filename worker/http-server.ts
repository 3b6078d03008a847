import { createServer, type Server } from 'node:http';
import type { Pool } from 'pg';
import type { Registry } from 'prom-client';
import type { Logger } from '../core/logging/logger';

export interface WorkerHttpOptions {
  readonly registry: Registry;
  /** `/ready`: whether this replica should count as available (consuming, database reachable, not stopping). */
  readonly isReady: () => Promise<boolean>;
  readonly logger: Logger;
  /** Refreshes gauges read at scrape time (database pool usage) right before `/metrics` is serialised. */
  readonly beforeScrape?: () => void;
}

/**
 * `/metrics` for Prometheus, `/health` for liveness (the process answers: reconnecting to the broker is not a
 * reason to restart it) and `/ready` for readiness. Plain node:http: three routes do not need a framework.
 */
export function createWorkerHttpServer(options: WorkerHttpOptions): Server {
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, body: string, type = 'text/plain; charset=utf-8') => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed\n');
    if (path === '/health') return send(200, 'ok\n');
    if (path === '/ready') {
      options.isReady().then(
        (ready) => send(ready ? 200 : 503, ready ? 'ready\n' : 'not ready\n'),
        () => send(503, 'not ready\n'),
      );
      return;
    }
    if (path === '/metrics') {
      options.beforeScrape?.();
      options.registry.metrics().then(
        (text) => send(200, text, options.registry.contentType),
        (error: unknown) => {
          options.logger.error({ err: error }, 'metrics collection failed');
          send(500, 'metrics unavailable\n');
        },
      );
      return;
    }
    send(404, 'not found\n');
  });
}

/** True when the pool can run a trivial query within `timeoutMs`. */
export async function databaseReachable(pool: Pool, timeoutMs = 2_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([pool.query('SELECT 1').then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
