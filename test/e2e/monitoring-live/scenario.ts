import { connect } from 'amqplib';
import { stringify } from 'yaml';
import { createTestVhost } from '../../support/amqp';
import { createTestDatabase } from '../../support/database';
import { startConfiguredPrometheus, type TestPrometheus } from '../../support/prometheus';
import { serviceEnv } from '../../support/services-env';
import { startService, type ServiceProcess } from '../../support/processes';
import { startTcpProxy, type TcpProxy } from '../../support/tcp-proxy';
import { FULLNAME, NAMESPACE, renderLiveRelease, type LiveRelease } from './release';
import { brokerPod, localProcess, prometheusConfig } from './targets';
import { createLink, getAll, redirectPaths, unknownPaths, type Api } from './traffic';

/** Alerts each step of the scenario must make fire (pending counts: `for` is the unit tests' business). */
export const PROVOKED = {
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
export const NEVER = ['OffndatApiDown', 'OffndatQueueBacklog', 'OffndatRabbitmqResourceAlarm', 'OffndatPostgresDown'];

const API_KEY = 'monitoring-live-key';

/** What the scenario leaves for the checks: the running Prometheus and what happened. */
export interface ScenarioRun {
  readonly release: LiveRelease;
  readonly prometheus: TestPrometheus;
  /** When the release had settled and the steps began (unix seconds). */
  readonly started: number;
  /** Every alert seen pending or firing, with the step it was first seen in. */
  readonly seen: ReadonlyMap<string, string>;
  /** The HTTP statuses each step's requests got. */
  readonly statuses: Readonly<Record<string, readonly number[]>>;
  /** Stops the processes and Prometheus and drops the database and vhost. */
  stop(): Promise<void>;
}

/**
 * Runs the release's api and worker with the chart's configuration, a Prometheus configured from its monitors and
 * rules, and the steps: traffic, a burst of 5xx (the api loses PostgreSQL), a dead letter, a broker outage, and
 * the recovery. The database and the broker go away behind proxies, for this release only.
 */
export async function runScenario(): Promise<ScenarioRun> {
  const cleanups: Array<() => Promise<unknown>> = [];
  const processes: ServiceProcess[] = [];
  const seen = new Map<string, string>();
  const statuses: Record<string, number[]> = {};
  let prometheus: TestPrometheus | undefined;
  const stop = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  };

  const value = async (promql: string): Promise<number> => (await prometheus!.query(promql))[0]?.value ?? Number.NaN;
  const until = async (what: string, probe: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!(await probe())) {
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what}:\n${processes.map((p) => p.output()).join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  };
  /** Waits until each of `names` is pending or firing for the release, recording what is seen meanwhile. */
  const alertsFire = async (step: string, names: readonly string[], timeoutMs = 30_000): Promise<void> => {
    await until(
      `${names.join(', ')} to fire (${step})`,
      async () => {
        for (const alert of await prometheus!.query(`ALERTS{namespace="${NAMESPACE}"}`)) {
          const name = alert.metric['alertname'] ?? '';
          if (!seen.has(name)) seen.set(name, step);
        }
        return names.every((name) => seen.has(name));
      },
      timeoutMs,
    );
  };

  try {
    const db = await createTestDatabase();
    cleanups.push(() => db.drop());
    const vhost = await createTestVhost();
    cleanups.push(() => vhost.drop());
    const release = await renderLiveRelease(vhost.vhost);
    const amqpUrl = new URL(vhost.url);
    const dbUrl = new URL(db.url);
    const brokerMetrics = new URL(serviceEnv('TEST_AMQP_PROMETHEUS_URL'));
    const [dbProxy, amqpProxy, metricsProxy] = await Promise.all([
      startTcpProxy(dbUrl.hostname, Number(dbUrl.port)),
      startTcpProxy(amqpUrl.hostname, Number(amqpUrl.port)),
      startTcpProxy(brokerMetrics.hostname, Number(brokerMetrics.port)),
    ]);
    for (const proxy of [dbProxy, amqpProxy, metricsProxy]) cleanups.push(() => proxy.close());
    const via = (url: URL, proxy: TcpProxy): string => Object.assign(new URL(url), { port: String(proxy.port) }).href;

    const apiProcess = await localProcess('api', release.api);
    const workerProcess = await localProcess('worker', release.worker);
    const api: Api = { url: `http://${apiProcess.ports['http'] ?? ''}`, key: API_KEY };
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
    for (const child of processes) cleanups.push(() => child.stop());
    const broker = brokerPod(`${FULLNAME}-mq`, `127.0.0.1:${metricsProxy.port}`);
    prometheus = await startConfiguredPrometheus({
      config: prometheusConfig(release, [apiProcess.pod, workerProcess.pod], broker),
      files: { 'rules.yaml': stringify({ groups: release.groups }) },
      expectedTargets: 4,
    });
    cleanups.push(() => prometheus!.close());
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
    const started = Math.floor(Date.now() / 1000);
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
    await until(
      'the buffered visits to be stored',
      async () => (await value('sum(offndat_visits_stored_total)')) >= 800,
    );
    await until('the broker to be scraped again', async () => (await value('count(up == 1)')) === 4);
    await until(
      'the recorded queue depth to be back',
      async () => (await value('count(offndat:queue_messages_ready)')) > 0,
    );

    return { release, prometheus, started, seen, statuses, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
