import { Histogram, Registry } from 'prom-client';
import { LeanHistogram } from './lean-histogram';

const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const OBSERVATIONS: ReadonlyArray<[string, string, number]> = [
  ['GET', '/:phrase', 0.0003],
  ['GET', '/:phrase', 0.0005],
  ['GET', '/:phrase', 0.004],
  ['HEAD', '/:phrase', 0.02],
  ['POST', '/v1/links', 0.07],
  ['POST', '/v1/links', 3],
  ['POST', '/v1/links', 12],
  ['GET', '/v1/redirects/:phrase', 0],
];

function both(): { lean: LeanHistogram<'method' | 'route'>; stock: Registry; leanRegistry: Registry } {
  const stock = new Registry();
  const leanRegistry = new Registry();
  for (const registry of [stock, leanRegistry]) registry.setDefaultLabels({ service: 'api' });
  const histogram = new Histogram({
    name: 'request_duration_seconds',
    help: 'HTTP request duration',
    labelNames: ['method', 'route'],
    buckets: BUCKETS,
    registers: [stock],
  });
  const lean = new LeanHistogram({
    name: 'request_duration_seconds',
    help: 'HTTP request duration',
    labelNames: ['method', 'route'],
    buckets: BUCKETS,
    registers: [leanRegistry],
  });
  for (const [method, route, value] of OBSERVATIONS) histogram.labels(method, route).observe(value);
  return { lean, stock, leanRegistry };
}

describe('LeanHistogram', () => {
  it('exports exactly the text prom-client exports for the same observations', async () => {
    const { lean, stock, leanRegistry } = both();
    const series = new Map<string, ReturnType<typeof lean.labels>>();

    for (const [method, route, value] of OBSERVATIONS) {
      const key = `${method} ${route}`;
      if (!series.has(key)) series.set(key, lean.labels(method, route));
      series.get(key)!.observe(value);
    }

    expect(await leanRegistry.metrics()).toBe(await stock.metrics());
  });

  it('gives the values prom-client gives through get()', async () => {
    const { lean, stock } = both();

    for (const [method, route, value] of OBSERVATIONS) lean.observe({ method, route }, value);

    const stockValues = (await stock.getSingleMetric('request_duration_seconds')!.get()).values as ReadonlyArray<{
      labels: object;
      value: number;
      metricName?: string;
    }>;
    expect((await lean.get()).values).toEqual(
      stockValues.map(({ labels, value, metricName }) => ({ labels, value, metricName })),
    );
  });

  it('keeps counting into a series bound before a reset', async () => {
    const { lean } = both();
    const bound = lean.labels('GET', '/:phrase');
    bound.observe(0.1);

    lean.reset();
    bound.observe(0.2);

    const count = (await lean.get()).values.find((v) => v.metricName === 'request_duration_seconds_count');
    expect(count?.value).toBe(1);
  });
});
