import { createTestDatabase, type TestDatabase } from '../support/database';
import { createTestVhost, type TestVhost } from '../support/amqp';
import { serviceEnv } from '../support/services-env';
import { buildOnce, eventually, startService, type ServiceProcess } from '../support/processes';

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
const API_KEY = 'e2e-key';

let db: TestDatabase;
let vhost: TestVhost;
let api: ServiceProcess | undefined;
let worker: ServiceProcess | undefined;

function serviceEnvironment(): Record<string, string> {
  return { DATABASE_URL: db.url, AMQP_URL: vhost.url, REDIS_URL: serviceEnv('TEST_REDIS_URL') };
}

async function startApi(): Promise<string> {
  api = startService('dist/api/main.js', {
    ...serviceEnvironment(),
    PORT: '0',
    METRICS_PORT: '0',
    API_KEYS: API_KEY,
    RATE_LIMIT_ALLOW_LIST: '127.0.0.1/8,::1/128',
    OUTBOX_RELAY_ENABLED: 'false',
  });
  const listening = await api.waitForLog('offndat api listening');
  return `http://127.0.0.1:${String(listening.port)}`;
}

async function startWorker(): Promise<void> {
  worker = startService('dist/worker/main.js', { ...serviceEnvironment(), METRICS_PORT: '0' });
  await worker.waitForLog('worker metrics and probes listening');
}

async function counted(linkId: string): Promise<number> {
  const { rows } = await db.pools.primary.query<{ n: string }>('SELECT count(*) AS n FROM visits WHERE link_id = $1', [
    linkId,
  ]);
  const counter = await db.pools.primary.query<{ total: string }>(
    'SELECT total_visits AS total FROM link_visit_counters WHERE link_id = $1',
    [linkId],
  );
  // Rows and counter must agree: a mismatch means a visit was counted twice or not at all.
  return Number(rows[0]?.n ?? 0) === Number(counter.rows[0]?.total ?? 0) ? Number(rows[0]?.n ?? 0) : -1;
}

beforeAll(async () => {
  buildOnce();
  db = await createTestDatabase();
  vhost = await createTestVhost();
}, 180_000);

afterAll(async () => {
  await api?.stop();
  await worker?.stop();
  await vhost?.drop();
  await db?.drop();
});

describe('api + worker over RabbitMQ', () => {
  it('counts every redirect exactly once across a graceful restart of both processes', async () => {
    const baseUrl = await startApi();
    await startWorker();
    const created = await fetch(`${baseUrl}/v1/links`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-offnd-api-key': API_KEY },
      body: JSON.stringify({ targetUrl: 'https://example.com/e2e', languageId: 0, themeId: 0, formatId: 0 }),
    });
    expect(created.status).toBe(201);
    const { url } = (await created.json()) as { url: string };
    const path = new URL(url).pathname;
    const { rows } = await db.pools.primary.query<{ id: string }>('SELECT id FROM links WHERE phrase = $1', [
      decodeURIComponent(path.slice(1)),
    ]);
    const linkId = rows[0]!.id;

    const redirects = Array.from({ length: 400 }, () =>
      fetch(`${baseUrl}${path}`, { redirect: 'manual', headers: { 'user-agent': BROWSER } }),
    );
    const statuses = (await Promise.all(redirects)).map((response) => response.status);
    // Stop both while visits may still sit in the API's buffer and in the worker's batches.
    const [apiExit, workerExit] = await Promise.all([api!.stop(), worker!.stop()]);
    await startWorker();

    expect(statuses.every((status) => status === 301)).toBe(true);
    expect([apiExit, workerExit]).toEqual([0, 0]);
    expect(await eventually(() => counted(linkId), 400)).toBe(400);
  });

  it('relays LinkCreated through the outbox from the worker', async () => {
    const pending = async () => {
      const result = await db.pools.primary.query<{ pending: string }>(
        'SELECT count(*) AS pending FROM outbox WHERE published_at IS NULL',
      );
      return Number(result.rows[0]!.pending);
    };

    const { rows } = await db.pools.primary.query<{ total: string }>('SELECT count(*) AS total FROM outbox');

    // The link created above wrote its row; the api does not relay here (OUTBOX_RELAY_ENABLED=false), the worker does.
    expect(Number(rows[0]!.total)).toBeGreaterThan(0);
    expect(await eventually(pending, 0)).toBe(0);
  });
});
