import { Counter, Registry } from 'prom-client';
import { startHttpServer, type TestHttpServer } from './http';
import { startPrometheus, type TestPrometheus } from './prometheus';

describe('startPrometheus', () => {
  let exporter: TestHttpServer;
  let prometheus: TestPrometheus;

  beforeAll(async () => {
    const registry = new Registry();
    const counter = new Counter({
      name: 'offndat_selftest_total',
      help: 'self-test',
      labelNames: ['kind'],
      registers: [registry],
    });
    counter.inc({ kind: 'probe' }, 3);
    exporter = await startHttpServer((_req, res) => {
      void registry.metrics().then((text) => {
        res.setHeader('content-type', registry.contentType);
        res.end(text);
      });
    });
    prometheus = await startPrometheus([{ job: 'selftest', url: exporter.baseUrl }]);
  });

  afterAll(async () => {
    await prometheus?.close();
    await exporter?.close();
  });

  it('scrapes the given targets and answers PromQL queries', async () => {
    await prometheus.waitForTargets();

    const samples = await prometheus.query('sum by (kind, job) (offndat_selftest_total)');

    expect(samples).toEqual([{ metric: { job: 'selftest', kind: 'probe' }, value: 3 }]);
  });
});

describe('startPrometheus with a broken binary', () => {
  const saved = process.env.PROMETHEUS_BIN;

  afterEach(() => {
    if (saved === undefined) delete process.env.PROMETHEUS_BIN;
    else process.env.PROMETHEUS_BIN = saved;
  });

  it('rejects with the reason instead of hanging', async () => {
    process.env.PROMETHEUS_BIN = '/nonexistent/prometheus';

    await expect(startPrometheus([])).rejects.toThrow(/did not start/);
  });
});
