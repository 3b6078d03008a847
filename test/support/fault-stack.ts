import { Pool } from 'pg';
import { handleConnectionErrors } from '../../core/db/pools';
import { createTestVhost, listQueues, type TestVhost } from './amqp';
import { startService, type ServiceProcess } from './processes';
import { freePort } from './ports';

/**
 * The api and the worker as their own processes (their real entry points, from the sources), against a
 * database and Redis the caller chooses (private instances it may stop), RabbitMQ in a vhost of their own,
 * and a redirect load that counts every 301 it receives. What a fault test checks at the end: every redirect
 * answered 301 was stored exactly once (visits stored == redirects counted), nothing sits in a DLQ.
 */

export const API_KEY = 'fault-key';
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface FaultStackOptions {
  readonly databaseUrl: string;
  readonly redisUrl?: string;
  /** Extra settings of the api process. */
  readonly apiEnv?: Record<string, string>;
}

export interface RunningApi {
  readonly process: ServiceProcess;
  readonly baseUrl: string;
  readonly metricsUrl: string;
}

export interface RunningWorker {
  readonly process: ServiceProcess;
  readonly metricsUrl: string;
}

export interface Load {
  /** Ends the loops and resolves with the 301s received (each one an accepted, counted visit) and every status. */
  stop(): Promise<{ redirects: number; statuses: Record<string, number> }>;
}

export interface FaultStack {
  readonly vhost: TestVhost;
  readonly db: Pool;
  api: RunningApi;
  worker: RunningWorker;
  startApi(): Promise<RunningApi>;
  startWorker(): Promise<RunningWorker>;
  /** Creates a link and follows it once with HEAD (not counted), so L1 and Redis hold it. */
  createLink(): Promise<string>;
  /** `concurrency` loops GET the phrases in turn, with a browser User-Agent, until stopped. */
  startLoad(phrases: readonly string[], concurrency?: number): Load;
  /** Visit rows, and whether the per-link counters agree with them (a mismatch is a double or a missed count). */
  stored(): Promise<{ rows: number; countersAgree: boolean }>;
  /** Polls until `expected` visits are stored (or the deadline); returns what is stored then. */
  storedEventually(expected: number, timeoutMs?: number): Promise<number>;
  /** Messages in the visits queue's DLQ. */
  deadLettered(): Promise<number>;
  /** One gauge or counter of a process's /metrics (0 when absent). */
  metric(url: string, name: string, labels?: Record<string, string>): Promise<number>;
  close(): Promise<void>;
}

export async function startFaultStack(options: FaultStackOptions): Promise<FaultStack> {
  const vhost = await createTestVhost();
  const db = new Pool({ connectionString: options.databaseUrl, max: 2 });
  handleConnectionErrors(db);
  const processes: ServiceProcess[] = [];
  const common = {
    DATABASE_URL: options.databaseUrl,
    AMQP_URL: vhost.url,
    LOG_LEVEL: 'warn',
    ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
  };

  async function startApi(): Promise<RunningApi> {
    const [port, metricsPort] = [await freePort(), await freePort()];
    const process = startService('api/main.ts', {
      ...common,
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      BASE_URL: `http://127.0.0.1:${port}`,
      API_KEYS: API_KEY,
      RATE_LIMIT_ALLOW_LIST: '127.0.0.0/8',
      ...options.apiEnv,
    });
    processes.push(process);
    const baseUrl = `http://127.0.0.1:${port}`;
    await process.waitForReady(baseUrl);
    return { process, baseUrl, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics` };
  }

  async function startWorker(): Promise<RunningWorker> {
    const port = await freePort();
    const process = startService('worker/main.ts', {
      ...common,
      METRICS_PORT: String(port),
      WORKER_TRANSIENT_RETRY_MAX_DELAY_MS: '1000',
    });
    processes.push(process);
    await process.waitForReady(`http://127.0.0.1:${port}`);
    return { process, metricsUrl: `http://127.0.0.1:${port}/metrics` };
  }

  // The first api applies the migrations (MIGRATE_ON_START), so the worker starts after it.
  const api = await startApi();
  const worker = await startWorker();

  const stack: FaultStack = {
    vhost,
    db,
    api,
    worker,
    startApi,
    startWorker,
    async createLink() {
      const response = await fetch(`${stack.api.baseUrl}/v1/links`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-offnd-api-key': API_KEY },
        body: JSON.stringify({ targetUrl: 'https://example.com/fault', languageId: 0, themeId: 0, formatId: 0 }),
      });
      if (response.status !== 201) throw new Error(`create: ${response.status} ${await response.text()}`);
      const phrase = new URL(((await response.json()) as { url: string }).url).pathname.slice(1);
      await fetch(`${stack.api.baseUrl}/${phrase}`, { method: 'HEAD', redirect: 'manual' });
      return phrase;
    },
    startLoad(phrases, concurrency = 4) {
      let running = true;
      let redirects = 0;
      const statuses: Record<string, number> = {};
      const loop = async (offset: number) => {
        for (let i = offset; running; i += 1) {
          const status = await fetch(`${stack.api.baseUrl}/${phrases[i % phrases.length]}`, {
            redirect: 'manual',
            headers: { 'user-agent': BROWSER },
          }).then(
            async (response) => {
              await response.arrayBuffer();
              return String(response.status);
            },
            () => 'network-error',
          );
          statuses[status] = (statuses[status] ?? 0) + 1;
          if (status === '301') redirects += 1;
          // Bounded pace: the machine has two cores to share with both processes and the servers.
          await sleep(status === 'network-error' ? 50 : 5);
        }
      };
      const loops = Array.from({ length: concurrency }, (_, i) => loop(i));
      return {
        async stop() {
          running = false;
          await Promise.all(loops);
          return { redirects, statuses };
        },
      };
    },
    async stored() {
      const { rows } = await db.query<{ rows: string; counted: string }>(
        `SELECT (SELECT count(*) FROM visits) AS rows,
                (SELECT COALESCE(sum(total_visits + bot_visits), 0) FROM link_visit_counters) AS counted`,
      );
      return { rows: Number(rows[0]!.rows), countersAgree: rows[0]!.rows === rows[0]!.counted };
    },
    async storedEventually(expected, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      let current = (await stack.stored()).rows;
      while (current < expected && Date.now() < deadline) {
        await sleep(250);
        current = (await stack.stored()).rows;
      }
      return current;
    },
    async deadLettered() {
      const queues = await listQueues(vhost.vhost);
      return queues.find((q) => q.name === 'offndat.visits.dlq')?.messages ?? 0;
    },
    async metric(url, name, labels = {}) {
      const text = await (await fetch(url)).text();
      const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
      const line = text.split('\n').find((l) => l.startsWith(name) && wanted.every((w) => l.includes(w)));
      return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
    },
    async close() {
      await Promise.all(processes.map((p) => p.stop()));
      await db.end();
      await vhost.drop();
    },
  };
  return stack;
}

export { sleep, freePort };
