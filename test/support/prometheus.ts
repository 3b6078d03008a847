import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from './ports';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serviceEnv } from './services-env';

export interface ScrapeTarget {
  readonly job: string;
  /** Base URL such as `http://127.0.0.1:8080`; scraped at `metricsPath` (default `/metrics`). */
  readonly url: string;
  readonly metricsPath?: string;
}

export interface PromSample {
  readonly metric: Record<string, string>;
  readonly value: number;
}

export interface PromRange {
  readonly metric: Record<string, string>;
  /** [unix seconds, value] pairs. */
  readonly values: readonly (readonly [number, number])[];
}

export interface TestPrometheus {
  /** `http://127.0.0.1:<port>` of this Prometheus. */
  readonly url: string;
  /** Instant query; one sample per series. */
  query(promql: string): Promise<PromSample[]>;
  /** Range query from `start` to `end` (unix seconds) every `step` seconds. */
  queryRange(promql: string, start: number, end: number, step: number): Promise<PromRange[]>;
  /** GET of any other API path (`/api/v1/rules`, `/api/v1/targets`), parsed. */
  api<T>(path: string): Promise<T>;
  /** Resolves once every target has been scraped successfully at least once (`up == 1`). */
  waitForTargets(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

function configYaml(targets: readonly ScrapeTarget[], intervalSeconds: number): string {
  const jobs = targets.map((target) => {
    const url = new URL(target.url);
    return [
      `  - job_name: ${JSON.stringify(target.job)}`,
      `    metrics_path: ${JSON.stringify(target.metricsPath ?? '/metrics')}`,
      `    scheme: ${url.protocol.replace(':', '')}`,
      `    static_configs: [{ targets: [${JSON.stringify(url.host)}] }]`,
    ].join('\n');
  });
  return [
    `global:`,
    `  scrape_interval: ${intervalSeconds}s`,
    `  evaluation_interval: ${intervalSeconds}s`,
    `scrape_configs:`,
    ...jobs,
    '',
  ].join('\n');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A real Prometheus (the Debian build from `make services-up`) in a temporary directory, scraping the given
 * targets every `intervalSeconds` (default 1). Each call is a separate server, so tests stay independent.
 */
export async function startPrometheus(targets: readonly ScrapeTarget[], intervalSeconds = 1): Promise<TestPrometheus> {
  return startConfiguredPrometheus({ config: configYaml(targets, intervalSeconds), expectedTargets: targets.length });
}

export interface PrometheusSetup {
  /** prometheus.yml; relative file names in it (rule_files) resolve in the same directory as `files`. */
  readonly config: string;
  /** More files written beside prometheus.yml, by name (rule files). */
  readonly files?: Readonly<Record<string, string>>;
  /** How many scrape targets waitForTargets waits for. */
  readonly expectedTargets: number;
}

/** Like startPrometheus, with a configuration of the caller's (relabelling, rule files). */
export async function startConfiguredPrometheus(setup: PrometheusSetup): Promise<TestPrometheus> {
  const dir = await mkdtemp(join(tmpdir(), 'offndat-prometheus-'));
  const configFile = join(dir, 'prometheus.yml');
  await writeFile(configFile, setup.config);
  for (const [name, text] of Object.entries(setup.files ?? {})) await writeFile(join(dir, name), text);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child: ChildProcess = spawn(
    serviceEnv('PROMETHEUS_BIN'),
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  child.stderr?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  });
  let spawnError: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    // A missing binary emits 'error' and never 'exit'.
    child.once('error', (error) => {
      spawnError = error;
      resolve();
    });
  });

  const close = async (): Promise<void> => {
    if (spawnError === undefined && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(force);
    }
    await rm(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (spawnError !== undefined || child.exitCode !== null) {
      await close();
      throw new Error(`prometheus did not start (${spawnError?.message ?? `exit ${child.exitCode}`}): ${output}`);
    }
    const ready = await fetch(`${url}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      await close();
      throw new Error(`prometheus not ready after 30s: ${output}`);
    }
    await sleep(100);
  }

  const api = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${url}${path}`);
    const body = (await response.json()) as { status: string; error?: string; data?: T };
    if (body.status !== 'success' || body.data === undefined)
      throw new Error(`${path} failed: ${body.error ?? response.status}`);
    return body.data;
  };

  const queryRange = async (promql: string, start: number, end: number, step: number): Promise<PromRange[]> => {
    const params = new URLSearchParams({ query: promql, start: String(start), end: String(end), step: String(step) });
    const data = await api<{
      resultType: string;
      result: { metric: Record<string, string>; values: [number, string][] }[];
    }>(`/api/v1/query_range?${params.toString()}`);
    return data.result.map((series) => ({
      metric: series.metric,
      values: series.values.map(([t, v]) => [t, Number(v)] as const),
    }));
  };

  const query = async (promql: string): Promise<PromSample[]> => {
    const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await response.json()) as {
      status: string;
      error?: string;
      data?: { resultType: string; result: Array<{ metric: Record<string, string>; value: [number, string] }> };
    };
    if (body.status !== 'success' || !body.data)
      throw new Error(`query ${promql} failed: ${body.error ?? response.status}`);
    if (body.data.resultType !== 'vector')
      throw new Error(`query ${promql} returned a ${body.data.resultType}, not a vector`);
    return body.data.result.map((series) => ({ metric: series.metric, value: Number(series.value[1]) }));
  };

  return {
    url,
    query,
    queryRange,
    api,
    async waitForTargets(timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const up = await query('up');
        if (up.length === setup.expectedTargets && up.every((sample) => sample.value === 1)) return;
        if (Date.now() > until) throw new Error(`targets not all up after ${timeoutMs}ms: ${JSON.stringify(up)}`);
        await sleep(250);
      }
    },
    close,
  };
}
