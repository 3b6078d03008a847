import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect } from 'amqplib';
import { stringify } from 'yaml';
import { REPO_ROOT } from './../chart/support/tools';
import { createTestVhost, type TestVhost } from '../support/amqp';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { dashboardQueries, listDashboards } from '../support/grafana';
import { readPngText } from '../support/png';
import { startConfiguredPrometheus, type TestPrometheus } from '../support/prometheus';
import { serviceEnv } from '../support/services-env';
import { startService, type ServiceProcess } from '../support/processes';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { grafanaVariables, missingData, panelQueries } from './monitoring-live/panels';
import { dashboardDigest, drawDashboard } from './monitoring-live/pictures';
import { FULLNAME, NAMESPACE, RELEASE, renderLiveRelease, type LiveRelease } from './monitoring-live/release';
import { brokerPod, localProcess, prometheusConfig } from './monitoring-live/targets';
import { createLink, getAll, redirectPaths, unknownPaths, type Api } from './monitoring-live/traffic';

/**
 * The monitoring bundle against the real thing: the chart's rules, monitors and dashboards (rendered for the
 * release "live"), a Debian Prometheus scraping the real api, worker and RabbitMQ with the labels the chart's
 * monitors give them, and a scripted scenario: traffic, a 5xx, a dead letter, a broker stop. Every rule must
 * evaluate, each alert the scenario provokes must fire, and every dashboard panel must return data. The
 * dashboards' pictures are drawn from this run (into a temporary directory, or dashboards/ with
 * OFFNDAT_DASHBOARD_PICTURES set: `make dashboard-pictures`). The broker "stops" behind a proxy, for this
 * release's connections and scrapes only, so the check runs beside the other suites.
 */

/** Alerts each step of the scenario must make fire (pending counts: `for` is the unit tests' business). */
const PROVOKED = {
  /** No CloudNativePG exporter runs here, so the release's PostgreSQL metrics are absent from the start. */
  start: ['OffndatPostgresMetricsAbsent'],
  fiveHundreds: ['OffndatRedirectErrorBudgetBurn', 'OffndatApiHighErrorRate'],
  deadLetter: ['OffndatMessagesDeadLettered'],
  brokerStop: [
    'OffndatVisitPublishFailing',
    'OffndatVisitBufferFilling',
    'OffndatVisitsNotStored',
    'OffndatScrapeTargetDown',
    'OffndatRabbitmqMetricsAbsent',
    'OffndatAutoscalingSignalAbsent',
  ],
};
/** Alerts nothing in the scenario gives a reason to fire. */
const NEVER = ['OffndatApiDown', 'OffndatQueueBacklog', 'OffndatRabbitmqResourceAlarm', 'OffndatPostgresDown'];

const API_KEY = 'monitoring-live-key';
const pictures = process.env['OFFNDAT_DASHBOARD_PICTURES'];
const picturesDir = pictures
  ? path.resolve(REPO_ROOT, pictures)
  : mkdtempSync(path.join(os.tmpdir(), 'offndat-pictures-'));
mkdirSync(picturesDir, { recursive: true });

let db: TestDatabase | undefined;
let vhost: TestVhost | undefined;
const proxies: TcpProxy[] = [];
const processes: ServiceProcess[] = [];
let prometheus: TestPrometheus | undefined;
let release: LiveRelease;
let api: Api;
let started = 0;
/** Every alert seen pending or firing during the scenario, with the step it was seen in. */
const seen = new Map<string, string>();
const statuses: Record<string, number[]> = {};

beforeAll(async () => {
  db = await createTestDatabase();
  vhost = await createTestVhost();
  release = await renderLiveRelease(vhost.vhost);
  const amqpUrl = new URL(vhost.url);
  const dbUrl = new URL(db.url);
  const brokerMetrics = new URL(serviceEnv('TEST_AMQP_PROMETHEUS_URL'));
  const [dbProxy, amqpProxy, metricsProxy] = await Promise.all([
    startTcpProxy(dbUrl.hostname, Number(dbUrl.port)),
    startTcpProxy(amqpUrl.hostname, Number(amqpUrl.port)),
    startTcpProxy(brokerMetrics.hostname, Number(brokerMetrics.port)),
  ]);
  proxies.push(dbProxy, amqpProxy, metricsProxy);
  const via = (url: URL, proxy: TcpProxy): string => Object.assign(new URL(url), { port: String(proxy.port) }).href;

  const apiProcess = await localProcess('api', release.api);
  const workerProcess = await localProcess('worker', release.worker);
  api = { url: `http://${apiProcess.ports['http'] ?? ''}`, key: API_KEY };
  processes.push(
    startService('api/main.ts', {
      ...apiProcess.env,
      DATABASE_URL: via(dbUrl, dbProxy),
      AMQP_URL: via(amqpUrl, amqpProxy),
      API_KEYS: API_KEY,
      BASE_URL: api.url,
      LOG_LEVEL: 'warn',
      VISIT_BUFFER_MAX: '1000',
      RATE_LIMIT_ALLOW_LIST: '127.0.0.1',
    }),
    startService('worker/main.ts', {
      ...workerProcess.env,
      DATABASE_URL: db.url,
      AMQP_URL: via(amqpUrl, amqpProxy),
      LOG_LEVEL: 'warn',
      QUEUE_DEPTH_INTERVAL_MS: '1000',
      OUTBOX_RELAY_INTERVAL_MS: '200',
    }),
  );
  const broker = brokerPod(`${FULLNAME}-mq`, `127.0.0.1:${metricsProxy.port}`);
  prometheus = await startConfiguredPrometheus({
    config: prometheusConfig(release, [apiProcess.pod, workerProcess.pod], broker),
    files: { 'rules.yaml': stringify({ groups: release.groups }) },
    expectedTargets: 4,
  });
  await Promise.all([
    processes[0]?.waitForReady(api.url),
    processes[1]?.waitForReady(`http://${workerProcess.ports['metrics'] ?? ''}`),
  ]);
  await prometheus.waitForTargets(60_000);
  // Before the first scrapes and evaluations, absent() alerts are briefly pending; the scenario starts once the
  // release has settled to what a healthy one has here.
  await until('the release to settle', async () => {
    const active = new Set(
      (await prometheus!.query(`ALERTS{namespace="${NAMESPACE}"}`)).map((a) => a.metric['alertname']),
    );
    return active.size === PROVOKED.start.length && PROVOKED.start.every((name) => active.has(name));
  });
  started = Math.floor(Date.now() / 1000);
  await alertsFire('start', PROVOKED.start);

  // Traffic: links created, followed, looked up; unknown phrases answered 404 (not errors).
  const created = await Promise.all(Array.from({ length: 10 }, () => createLink(api)));
  const phrases = created.map((c) => c.phrase).filter((p) => p !== undefined);
  statuses['traffic'] = [
    ...created.map((c) => c.status),
    ...(await getAll(api, redirectPaths(phrases, 200))),
    ...(await getAll(api, [...unknownPaths(20), ...phrases.map((p) => `/v1/links/${p}`)])),
  ];
  await until('the visits to be stored', async () => (await value('sum(offndat_visits_stored_total)')) >= 200);

  // A 5xx: the api loses its database; redirects of phrases no cache holds, and creations, fail.
  dbProxy.cut();
  statuses['fiveHundreds'] = [
    ...(await getAll(api, unknownPaths(20))),
    ...(await Promise.all(Array.from({ length: 5 }, () => createLink(api)))).map((c) => c.status),
  ];
  dbProxy.restore();
  await alertsFire('fiveHundreds', PROVOKED.fiveHundreds);

  // A dead letter: a message the worker cannot read.
  const model = await connect(vhost.url);
  const channel = await model.createConfirmChannel();
  channel.sendToQueue('offndat.visits', Buffer.from('not a visit'), { persistent: true });
  await channel.waitForConfirms();
  await model.close();
  await alertsFire('deadLetter', PROVOKED.deadLetter);

  // A broker stop, for this release: its connections and its scrapes; visits keep coming and wait in the buffer.
  amqpProxy.cut();
  metricsProxy.cut();
  statuses['brokerStop'] = await getAll(api, redirectPaths(phrases, 600));
  // Visits get a minute's grace before the loss detector counts them, so the broker stays away a little longer.
  await alertsFire('brokerStop', PROVOKED.brokerStop, 120_000);
  amqpProxy.restore();
  metricsProxy.restore();
  await until('the buffered visits to be stored', async () => (await value('sum(offndat_visits_stored_total)')) >= 800);
  await until('the broker to be scraped again', async () => (await value('count(up == 1)')) === 4);
  await until(
    'the recorded queue depth to be back',
    async () => (await value('count(offndat:queue_messages_ready)')) > 0,
  );
}, 300_000);

afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop()));
  await prometheus?.close();
  await Promise.all(proxies.map((p) => p.close()));
  await db?.drop();
  await vhost?.drop();
  if (!pictures) rmSync(picturesDir, { recursive: true, force: true });
});

test('the scenario did what it says: traffic, 5xx answers, and redirects served while the broker was away', () => {
  expect(statuses['traffic']?.filter((s) => s === 301)).toHaveLength(200);
  expect(statuses['traffic']?.filter((s) => s === 404)).toHaveLength(20);
  expect(statuses['fiveHundreds']?.every((s) => s >= 500)).toBe(true);
  expect(statuses['brokerStop']?.filter((s) => s === 301)).toHaveLength(600);
});

test("every target carries the release's labels, and RabbitMQ's two endpoints are told apart", async () => {
  const up = await prometheus!.query('up');
  const broker = up.filter((s) => s.metric['service'] === `${FULLNAME}-mq`);

  expect(up).toHaveLength(4);
  for (const sample of up) {
    expect(sample.metric).toMatchObject({ namespace: NAMESPACE, app_kubernetes_io_instance: RELEASE });
  }
  expect(broker.map((s) => s.metric['metrics_path']).sort()).toEqual(['/metrics', '/metrics/detailed']);
  expect(
    up
      .filter((s) => s.metric['service'] === undefined)
      .map((s) => s.metric['app_kubernetes_io_component'])
      .sort(),
  ).toEqual(['api', 'worker']);
});

test('Prometheus evaluates every rule of the release without an error', async () => {
  const { groups } = await prometheus!.api<{
    groups: { name: string; rules: { name: string; health: string; lastError?: string }[] }[];
  }>('/api/v1/rules');
  const rules = groups.flatMap((g) => g.rules);

  expect(groups.map((g) => g.name).sort()).toEqual(release.groups.map((g) => g.name).sort());
  expect(rules).toHaveLength(release.groups.flatMap((g) => g.rules).length);
  expect(rules.filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.health} ${r.lastError ?? ''}`)).toEqual([]);
});

test('each alert the scenario provokes fires, in the step that provokes it', () => {
  const expected = Object.entries(PROVOKED).flatMap(([step, names]) => names.map((name) => `${name} (${step})`));
  const fired = Object.values(PROVOKED)
    .flat()
    .map((name) => `${name} (${seen.get(name) ?? 'never'})`);

  expect(fired.sort()).toEqual(expected.sort());
});

test('alerts the scenario gives no reason for stay quiet', () => {
  expect(NEVER.filter((name) => seen.has(name))).toEqual([]);
});

test('every recording rule has a value for the release', async () => {
  const recorded = [
    ...new Set(release.groups.flatMap((g) => g.rules.map((r) => r.record)).filter((r) => r !== undefined)),
  ];
  const missing: string[] = [];
  for (const name of recorded) {
    if (
      (await prometheus!.query(`${name}{namespace="${NAMESPACE}",app_kubernetes_io_instance="${RELEASE}"}`)).length ===
      0
    )
      missing.push(name);
  }

  expect(recorded.length).toBeGreaterThan(0);
  expect(missing).toEqual([]);
});

test("both autoscaling modes' queries return the release's signals", async () => {
  const empty: string[] = [];
  for (const query of release.scalingQueries) {
    const samples = await prometheus!.query(query.expr);
    if (samples.length !== 1 || !Number.isFinite(samples[0]?.value))
      empty.push(`${query.where}: ${JSON.stringify(samples)}`);
  }

  expect(release.scalingQueries.map((q) => q.where)).toEqual(
    expect.arrayContaining([expect.stringMatching(/^ScaledObject\//), expect.stringMatching(/^prometheus-adapter /)]),
  );
  expect(empty).toEqual([]);
});

test('every dashboard panel and variable returns data after the scenario: 0 where nothing happened, never "No data"', async () => {
  const problems: string[] = [];
  let checked = 0;
  for (const [file, dashboard] of release.dashboards) {
    const variables = grafanaVariables(dashboard, Math.floor(Date.now() / 1000) - started);
    const queries = [
      ...panelQueries(dashboard, variables),
      ...dashboardQueries(file, dashboard)
        .filter((q) => q.where.includes('variable'))
        .map((q) => ({
          panel: q.where,
          refId: 'query',
          expr: q.expr.replaceAll('$namespace', NAMESPACE),
          legendFormat: '',
        })),
    ];
    for (const query of queries) {
      checked += 1;
      const problem = await missingData(prometheus!, query);
      if (problem !== '') problems.push(`${file} › ${query.panel} › ${query.refId}: ${problem}\n    ${query.expr}`);
    }
  }

  expect(checked).toBeGreaterThan(40);
  expect(problems).toEqual([]);
});

test('each dashboard is drawn from this run, as the picture committed beside it is', async () => {
  const end = Math.floor(Date.now() / 1000);
  for (const file of listDashboards(path.join(REPO_ROOT, 'dashboards'))) {
    const name = path.basename(file);
    const dashboard = release.dashboards.get(name);
    if (dashboard === undefined) throw new Error(`the chart does not ship ${name}`);
    const out = path.join(picturesDir, name.replace(/\.json$/, '.png'));

    await drawDashboard(dashboard, file, out, {
      prometheus: prometheus!,
      start: started - 30,
      end,
      variables: grafanaVariables(dashboard, end - started),
      caption:
        'Drawn by make dashboard-pictures from the live check (test/e2e/monitoring-live.test.ts): api, worker and RabbitMQ ' +
        "scraped with the chart's monitors; traffic, a 5xx burst, a dead letter, then a broker stop and recovery.",
    });

    expect(existsSync(out)).toBe(true);
    expect(readPngText(readFileSync(out))['Source-SHA256']).toBe(dashboardDigest(file));
  }
}, 180_000);

async function value(promql: string): Promise<number> {
  const samples = await prometheus!.query(promql);
  return samples[0]?.value ?? Number.NaN;
}

async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}:\n${processes.map((p) => p.output()).join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Waits until each of `names` is pending or firing for the release, and records what was seen meanwhile. */
async function alertsFire(step: string, names: readonly string[], timeoutMs = 30_000): Promise<void> {
  const record = async (): Promise<boolean> => {
    for (const alert of await prometheus!.query(`ALERTS{namespace="${NAMESPACE}"}`)) {
      const name = alert.metric['alertname'] ?? '';
      if (!seen.has(name)) seen.set(name, step);
    }
    return names.every((name) => seen.has(name));
  };
  const deadline = Date.now() + timeoutMs;
  while (!(await record())) {
    if (Date.now() > deadline) {
      const missing = names.filter((name) => !seen.has(name));
      throw new Error(
        `${step}: ${missing.join(', ')} did not fire within ${timeoutMs} ms; seen: ${[...seen.keys()].join(', ')}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
