import { stringify } from 'yaml';
import { startHttpServer, type TestHttpServer } from './http';
import { podMonitorScrapeConfigs, serviceMonitorScrapeConfigs, type LocalPod } from './monitor-scrape-config';
import { startConfiguredPrometheus, type TestPrometheus } from './prometheus';

/** The emulation of prometheus-operator's scrape configs, checked by a real Prometheus scraping a real exporter. */

let exporter: TestHttpServer;
let prometheus: TestPrometheus;
const paths: string[] = [];

beforeAll(async () => {
  exporter = await startHttpServer((req, res) => {
    paths.push(req.url ?? '');
    res.setHeader('content-type', 'text/plain; version=0.0.4');
    res.end('selftest_value 1\n');
  });
  const address = `127.0.0.1:${exporter.port}`;
  const pod = (name: string, component: string): LocalPod => ({
    name,
    namespace: 'ns',
    labels: { 'app.kubernetes.io/instance': 'rel', 'app.kubernetes.io/component': component },
    container: component,
    ports: { http: address },
  });
  const podJobs = podMonitorScrapeConfigs(
    'ns',
    {
      metadata: { name: 'rel-api' },
      spec: {
        selector: { matchLabels: { 'app.kubernetes.io/component': 'api' } },
        podTargetLabels: ['app.kubernetes.io/instance'],
        podMetricsEndpoints: [{ port: 'http' }],
      },
    },
    [pod('rel-api-0', 'api'), pod('rel-worker-0', 'worker')],
  );
  const serviceJobs = serviceMonitorScrapeConfigs(
    'ns',
    {
      metadata: { name: 'rel-mq' },
      spec: {
        selector: { matchLabels: { 'app.kubernetes.io/name': 'rel-mq' } },
        endpoints: [
          { port: 'http', relabelings: [{ sourceLabels: ['__metrics_path__'], targetLabel: 'metrics_path' }] },
          {
            port: 'http',
            path: '/metrics/detailed',
            params: { family: ['queue_coarse_metrics'] },
            relabelings: [
              { sourceLabels: ['__metrics_path__'], targetLabel: 'metrics_path' },
              { targetLabel: 'app_kubernetes_io_instance', replacement: 'rel', action: 'replace' },
            ],
          },
        ],
      },
    },
    [
      {
        name: 'rel-mq',
        namespace: 'ns',
        labels: { 'app.kubernetes.io/name': 'rel-mq' },
        pods: [pod('rel-mq-server-0', 'mq')],
      },
    ],
  );
  prometheus = await startConfiguredPrometheus({
    config: stringify({ global: { scrape_interval: '1s' }, scrape_configs: [...podJobs, ...serviceJobs] }),
    expectedTargets: 3,
  });
  await prometheus.waitForTargets();
});

afterAll(async () => {
  await prometheus?.close();
  await exporter?.close();
});

it('labels PodMonitor targets as prometheus-operator does, selected pods only', async () => {
  const up = await prometheus.query('up{job="ns/rel-api"}');

  expect(up.map((s) => s.metric)).toEqual([
    {
      __name__: 'up',
      job: 'ns/rel-api',
      namespace: 'ns',
      pod: 'rel-api-0',
      container: 'api',
      endpoint: 'http',
      app_kubernetes_io_instance: 'rel',
      instance: `127.0.0.1:${exporter.port}`,
    },
  ]);
});

it('labels ServiceMonitor targets with the service, applies relabelings, path and params', async () => {
  const up = await prometheus.query('up{job="rel-mq"}');

  expect(
    up.map((s) => s.metric).sort((a, b) => (a['metrics_path'] ?? '').localeCompare(b['metrics_path'] ?? '')),
  ).toEqual([
    expect.objectContaining({ service: 'rel-mq', pod: 'rel-mq-server-0', endpoint: 'http', metrics_path: '/metrics' }),
    expect.objectContaining({ metrics_path: '/metrics/detailed', app_kubernetes_io_instance: 'rel' }),
  ]);
  expect(paths).toContain('/metrics/detailed?family=queue_coarse_metrics');
});
