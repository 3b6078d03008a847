import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Pool } from 'pg';
import { createMetrics } from '../../core/metrics/metrics';
import { createPoolGaugeCollector } from '../../core/metrics/pool-gauge';
import { createMetricsHandler } from '../metrics/metrics-handler';

const servers: Server[] = [];

async function serve(listener: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(listener);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

describe('GET /metrics', () => {
  it('serves the registry in the exposition format with fresh pool gauges', async () => {
    const metrics = createMetrics({ service: 'api' });
    // Never connected: pg's counters are what the gauge reads, so no database is needed here.
    const primary = new Pool({ max: 1 });
    const read = new Pool({ max: 1 });
    const app = express();
    app.get('/metrics', createMetricsHandler(metrics.registry, [createPoolGaugeCollector(metrics, { primary, read })]));
    const base = await serve(app);
    metrics.rateLimitRejections.inc({ limiter: 'redirect' });

    const response = await fetch(`${base}/metrics`);
    const body = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(metrics.registry.contentType);
    expect(body).toContain('offndat_rate_limit_rejections_total{limiter="redirect",service="api"} 1');
    expect(body).toContain('active_connections{pool="primary",service="api"} 0');
    expect(body).toContain('active_connections{pool="read",service="api"} 0');
    expect(body).toContain('process_cpu_user_seconds_total');
    await Promise.all([primary.end(), read.end()]);
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
