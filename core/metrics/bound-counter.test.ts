import { Counter, Registry } from 'prom-client';
import { bindCounter, flushBoundCounters } from './bound-counter';
import { createMetrics } from './metrics';

describe('bound counters', () => {
  it('show every increment whenever the registry is read', async () => {
    const metrics = createMetrics({ service: 'api', defaultMetrics: false });
    const hit = bindCounter(metrics.cacheRequests, { level: 'l1', result: 'hit' });

    for (let i = 0; i < 5; i += 1) hit.inc();
    const first = await metrics.registry.metrics();
    hit.inc(2);
    metrics.cacheRequests.inc({ level: 'l1', result: 'hit' });
    const second = await metrics.registry.metrics();

    expect(first).toContain('offndat_cache_requests_total{level="l1",result="hit",service="api"} 5');
    expect(second).toContain('offndat_cache_requests_total{level="l1",result="hit",service="api"} 8');
  });

  it('add up across several bindings of the same series', async () => {
    const metrics = createMetrics({ service: 'api', defaultMetrics: false });
    const a = bindCounter(metrics.requestsTotal, { method: 'GET', route: '/:phrase', status_code: '301' });
    const b = bindCounter(metrics.requestsTotal, { method: 'GET', route: '/:phrase', status_code: '301' });

    a.inc();
    b.inc();
    b.inc();

    const values = (await metrics.requestsTotal.get()).values;
    expect(values).toEqual([{ labels: { method: 'GET', route: '/:phrase', status_code: '301' }, value: 3 }]);
  });

  it('create no series until something is counted', async () => {
    const registry = new Registry();
    const counter = new Counter({
      name: 'things_total',
      help: 'things',
      labelNames: ['kind'],
      registers: [registry],
      collect() {
        flushBoundCounters(this);
      },
    });
    bindCounter(counter, { kind: 'never' });

    expect((await counter.get()).values).toEqual([]);
  });
});
