import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createMetrics } from '../../core/metrics/metrics';
import { createPoolGaugeCollector } from '../../core/metrics/pool-gauge';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { createMetricsHandler } from '../metrics/metrics-handler';

const servers: Server[] = [];
let database: TestDatabase | undefined;

async function serve(listener: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(listener);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  await database?.drop();
});

describe('GET /metrics', () => {
  it('serves the registry in the exposition format with connections checked out at scrape time', async () => {
    database = await createTestDatabase({ migrate: false });
    const metrics = createMetrics({ service: 'api' });
    const app = express();
    app.get('/metrics', createMetricsHandler(metrics.registry, [createPoolGaugeCollector(metrics, database.pools)]));
    const base = await serve(app);
    metrics.rateLimitRejections.inc({ limiter: 'redirect' });

    const held = await database.pools.primary.connect();
    const busy = await fetch(`${base}/metrics`);
    const busyBody = await busy.text();
    held.release();
    const idleBody = await (await fetch(`${base}/metrics`)).text();

    expect(busy.status).toBe(200);
    expect(busy.headers.get('content-type')).toBe(metrics.registry.contentType);
    expect(busyBody).toContain('offndat_rate_limit_rejections_total{limiter="redirect",service="api"} 1');
    expect(busyBody).toContain('active_connections{pool="primary",service="api"} 1');
    expect(busyBody).toContain('process_cpu_user_seconds_total');
    expect(idleBody).toContain('active_connections{pool="primary",service="api"} 0');
  });

  it('answers a problem when a collector fails', async () => {
    const metrics = createMetrics({ service: 'api', defaultMetrics: false });
    const failing = () => {
      throw new Error('pool gone');
    };
    const base = await serve(createMetricsHandler(metrics.registry, [failing]));

    const response = await fetch(`${base}/metrics`);

    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});
