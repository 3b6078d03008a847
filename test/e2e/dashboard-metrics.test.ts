import path from 'node:path';
import { REPO_ROOT } from '../chart/support/tools';
import { createTestVhost, type TestVhost } from '../support/amqp';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { THIRD_PARTY_SERIES } from '../support/exported-metrics';
import { parseExposition, type ScrapedFamily } from '../support/exposition';
import { dashboardQueries, listDashboards, loadDashboard } from '../support/grafana';
import { selectors, substituteGrafanaVariables } from '../support/promql';
import { freePort } from '../support/ports';
import { startService, type ServiceProcess } from '../support/processes';

/**
 * Boots the real api and worker processes (their composition roots, against the test PostgreSQL and a RabbitMQ
 * vhost of their own), drives one link through create → redirect → visit persisted, then scrapes both /metrics:
 * every series and label the dashboards read must be there.
 */

const API_KEY = 'dashboards-live-key';
/** Labels Prometheus attaches from the scrape target (and the chart's PodMonitor relabelling), never exported by the process. */
const TARGET_LABELS = new Set([
  'namespace',
  'pod',
  'container',
  'instance',
  'job',
  'endpoint',
  'app_kubernetes_io_instance',
]);

const queries = listDashboards(path.join(REPO_ROOT, 'dashboards')).flatMap((f) =>
  dashboardQueries(f, loadDashboard(f)),
);
const thirdParty = new Set(Object.values(THIRD_PARTY_SERIES).flat());
let db: TestDatabase | undefined;
let vhost: TestVhost | undefined;
const processes: ServiceProcess[] = [];
const scraped = new Map<string, Map<string, ScrapedFamily>>();

beforeAll(async () => {
  db = await createTestDatabase();
  vhost = await createTestVhost();
  const [apiPort, apiMetricsPort, workerPort] = [await freePort(), await freePort(), await freePort()];
  const common = { DATABASE_URL: db.url, AMQP_URL: vhost.url, LOG_LEVEL: 'warn' };
  const api = startService('api/main.ts', {
    ...common,
    PORT: String(apiPort),
    METRICS_PORT: String(apiMetricsPort),
    API_KEYS: API_KEY,
    BASE_URL: `http://127.0.0.1:${apiPort}`,
    MIGRATE_ON_START: 'false',
  });
  const worker = startService('worker/main.ts', {
    ...common,
    METRICS_PORT: String(workerPort),
    QUEUE_DEPTH_INTERVAL_MS: '200',
  });
  processes.push(api, worker);
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const workerUrl = `http://127.0.0.1:${workerPort}`;
  await Promise.all([api.waitForReady(apiUrl), worker.waitForReady(workerUrl)]);

  const phrase = await createLink(apiUrl);
  for (let i = 0; i < 3; i++) await fetch(`${apiUrl}/${phrase}`, { redirect: 'manual' });
  await fetch(`${apiUrl}/no-such-phrase-here`, { redirect: 'manual' });
  // The visits travel api → RabbitMQ → worker → PostgreSQL; wait for the worker to have handled them.
  await waitFor(
    async () => /offndat_messages_processed_total\{[^}]*\} [1-9]/.test(await scrape(workerUrl)),
    'the worker to process the visits',
  );

  scraped.set('api', parseExposition(await scrape(`http://127.0.0.1:${apiMetricsPort}`)));
  scraped.set('worker', parseExposition(await scrape(workerUrl)));
}, 120_000);

afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop()));
  await db?.drop();
  await vhost?.drop();
});

test('every series a dashboard reads is served by the process its service label names', () => {
  const missing: string[] = [];
  for (const q of queries) {
    for (const s of selectors(substituteGrafanaVariables(q.expr))) {
      if (thirdParty.has(s.name)) continue;
      const services = servicesSelected(s.matchers);
      if (!services.some((svc) => scraped.get(svc)?.has(s.name) === true))
        missing.push(`${q.where}: ${s.name} (${services.join('|')})`);
    }
  }

  expect(missing).toEqual([]);
});

test('every label a dashboard filters on exists on the series it reads', () => {
  const unknown: string[] = [];
  for (const q of queries) {
    for (const s of selectors(substituteGrafanaVariables(q.expr))) {
      if (thirdParty.has(s.name)) continue;
      const families = servicesSelected(s.matchers)
        .map((svc) => scraped.get(svc)?.get(s.name))
        .filter((f) => f !== undefined && f.labels.size > 0);
      // A family nothing observed in this short run has no samples, hence no label names to compare with.
      if (families.length === 0) continue;
      for (const m of s.matchers) {
        if (TARGET_LABELS.has(m.label)) continue;
        if (!families.some((f) => f?.labels.has(m.label))) unknown.push(`${q.where}: ${s.name}{${m.label}}`);
      }
    }
  }

  expect(unknown).toEqual([]);
});

test('the short run observed the series the autoscalers and the main panels depend on', () => {
  const api = scraped.get('api');
  const worker = scraped.get('worker');

  expect([...(api?.get('request_duration_seconds_bucket')?.labels ?? [])]).toEqual(
    expect.arrayContaining(['le', 'route', 'service']),
  );
  expect([...(api?.get('requests_total')?.labels ?? [])]).toEqual(expect.arrayContaining(['route', 'status_code']));
  expect([...(worker?.get('offndat_rabbitmq_queue_depth')?.labels ?? [])]).toContain('queue');
});

/** `service="api"` → api only; an equality on another value, or a regex, or no matcher → wherever it may be. */
function servicesSelected(matchers: readonly { label: string; op: string; value: string }[]): string[] {
  const service = matchers.find((m) => m.label === 'service' && m.op === '=');
  return service !== undefined && scraped.has(service.value) ? [service.value] : ['api', 'worker'];
}

async function scrape(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/metrics`);
  if (!response.ok) throw new Error(`GET /metrics: ${response.status}`);
  return response.text();
}

async function createLink(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/v1/links`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-offnd-api-key': API_KEY },
    body: JSON.stringify({ targetUrl: 'http://127.0.0.1/target', languageId: 0, themeId: 0, formatId: 0 }),
  });
  if (response.status !== 201) throw new Error(`create link: ${response.status} ${await response.text()}`);
  const { url } = (await response.json()) as { url: string };
  return new URL(url).pathname.slice(1);
}

async function waitFor(probe: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}:\n${processes.map((p) => p.output()).join('\n')}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
