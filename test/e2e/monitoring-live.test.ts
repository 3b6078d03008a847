import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../chart/support/tools';
import { dashboardQueries, listDashboards } from '../support/grafana';
import { readPngText } from '../support/png';
import { grafanaVariables, missingData, panelQueries } from './monitoring-live/panels';
import { dashboardDigest, drawDashboard } from './monitoring-live/pictures';
import { FULLNAME, NAMESPACE, RELEASE } from './monitoring-live/release';
import { NEVER, PROVOKED, runScenario, type ScenarioRun } from './monitoring-live/scenario';

/**
 * The monitoring bundle against the real thing: the chart's rules, monitors and dashboards (rendered for the
 * release "live"), a Debian Prometheus scraping the real api, worker and RabbitMQ with the labels the chart's
 * monitors give them, and a scripted scenario: traffic, a 5xx, a dead letter, a broker stop. Every rule must
 * evaluate, each alert the scenario provokes must fire, and every dashboard panel must return data. The
 * dashboards' pictures are drawn from this run (into a temporary directory, or dashboards/ with
 * OFFNDAT_DASHBOARD_PICTURES set: `make dashboard-pictures`). The broker "stops" behind a proxy, for this
 * release's connections and scrapes only, so the check runs beside the other suites.
 */

const pictures = process.env['OFFNDAT_DASHBOARD_PICTURES'];
const picturesDir = pictures
  ? path.resolve(REPO_ROOT, pictures)
  : mkdtempSync(path.join(os.tmpdir(), 'offndat-pictures-'));
mkdirSync(picturesDir, { recursive: true });

let run: ScenarioRun;

beforeAll(async () => {
  run = await runScenario();
}, 300_000);

afterAll(async () => {
  await run?.stop();
  if (!pictures) rmSync(picturesDir, { recursive: true, force: true });
});

test('the scenario did what it says: traffic, 5xx answers, and redirects served while the broker was away', () => {
  expect(run.statuses['traffic']?.filter((s) => s === 301)).toHaveLength(200);
  expect(run.statuses['traffic']?.filter((s) => s === 404)).toHaveLength(20);
  expect(run.statuses['fiveHundreds']?.every((s) => s >= 500)).toBe(true);
  expect(run.statuses['brokerStop']?.filter((s) => s === 301)).toHaveLength(600);
});

test("every target carries the release's labels, and RabbitMQ's two endpoints are told apart", async () => {
  const up = await run.prometheus.query('up');
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
  const { groups } = await run.prometheus.api<{
    groups: { name: string; rules: { name: string; health: string; lastError?: string }[] }[];
  }>('/api/v1/rules');
  const rules = groups.flatMap((g) => g.rules);

  expect(groups.map((g) => g.name).sort()).toEqual(run.release.groups.map((g) => g.name).sort());
  expect(rules).toHaveLength(run.release.groups.flatMap((g) => g.rules).length);
  expect(rules.filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.health} ${r.lastError ?? ''}`)).toEqual([]);
});

test('each alert the scenario provokes fires, in the step that provokes it', () => {
  const expected = Object.entries(PROVOKED).flatMap(([step, names]) => names.map((name) => `${name} (${step})`));
  const fired = Object.values(PROVOKED)
    .flat()
    .map((name) => `${name} (${run.seen.get(name) ?? 'never'})`);

  expect(fired.sort()).toEqual(expected.sort());
});

test('alerts the scenario gives no reason for stay quiet', () => {
  expect(NEVER.filter((name) => run.seen.has(name))).toEqual([]);
});

test('every recording rule has a value for the release', async () => {
  const recorded = [
    ...new Set(run.release.groups.flatMap((g) => g.rules.map((r) => r.record)).filter((r) => r !== undefined)),
  ];
  const missing: string[] = [];
  for (const name of recorded) {
    if (
      (await run.prometheus.query(`${name}{namespace="${NAMESPACE}",app_kubernetes_io_instance="${RELEASE}"}`))
        .length === 0
    )
      missing.push(name);
  }

  expect(recorded.length).toBeGreaterThan(0);
  expect(missing).toEqual([]);
});

test("both autoscaling modes' queries return the release's signals", async () => {
  const empty: string[] = [];
  for (const query of run.release.scalingQueries) {
    const samples = await run.prometheus.query(query.expr);
    if (samples.length !== 1 || !Number.isFinite(samples[0]?.value))
      empty.push(`${query.where}: ${JSON.stringify(samples)}`);
  }

  expect(run.release.scalingQueries.map((q) => q.where)).toEqual(
    expect.arrayContaining([expect.stringMatching(/^ScaledObject\//), expect.stringMatching(/^prometheus-adapter /)]),
  );
  expect(empty).toEqual([]);
});

test('every dashboard panel and variable returns data after the scenario: 0 where nothing happened, never "No data"', async () => {
  const problems: string[] = [];
  let checked = 0;
  for (const [file, dashboard] of run.release.dashboards) {
    const variables = grafanaVariables(dashboard, Math.floor(Date.now() / 1000) - run.started);
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
      const problem = await missingData(run.prometheus, query);
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
    const dashboard = run.release.dashboards.get(name);
    if (dashboard === undefined) throw new Error(`the chart does not ship ${name}`);
    const out = path.join(picturesDir, name.replace(/\.json$/, '.png'));

    await drawDashboard(dashboard, file, out, {
      prometheus: run.prometheus,
      start: run.started - 30,
      end,
      variables: grafanaVariables(dashboard, end - run.started),
      caption:
        'Drawn by make dashboard-pictures from the live check (test/e2e/monitoring-live.test.ts): api, worker and RabbitMQ ' +
        "scraped with the chart's monitors; traffic, a 5xx burst, a dead letter, then a broker stop and recovery.",
    });

    expect(existsSync(out)).toBe(true);
    expect(readPngText(readFileSync(out))['Source-SHA256']).toBe(dashboardDigest(file));
  }
}, 180_000);
