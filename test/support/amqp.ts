import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { serviceEnv } from './services-env';

const run = promisify(execFile);

export interface TestVhost {
  /** AMQP URL of the new vhost (guest user, full permissions). */
  readonly url: string;
  readonly vhost: string;
  /** Deletes the vhost with everything in it; open connections to it are closed by the broker. */
  drop(): Promise<void>;
}

export interface QueueInfo {
  readonly name: string;
  readonly messages: number;
  readonly consumers: number;
}

/** Names carry their creation time so the global setup can sweep vhosts left by crashed runs. */
const VHOST_PREFIX = 'offndat-test-';
const STALE_AFTER_SECONDS = 6 * 3600;

/** Calls the management HTTP API of the test broker. */
export async function managementApi(path: string, method = 'GET', body?: unknown): Promise<Response> {
  const base = new URL(serviceEnv('TEST_AMQP_MANAGEMENT_URL'));
  const auth = Buffer.from(`${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`).toString(
    'base64',
  );
  return fetch(new URL(path, base.origin), {
    method,
    headers: { authorization: `Basic ${auth}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function expectOk(response: Response, what: string): Promise<void> {
  if (!response.ok) throw new Error(`${what}: HTTP ${response.status} ${await response.text()}`);
}

/** A vhost of its own on the shared test broker: queues, exchanges and connections stay invisible to other tests. */
export async function createTestVhost(): Promise<TestVhost> {
  const amqpUrl = new URL(serviceEnv('TEST_AMQP_URL'));
  const vhost = `${VHOST_PREFIX}${Math.floor(Date.now() / 1000).toString(36)}-${randomBytes(6).toString('hex')}`;
  const path = `/api/vhosts/${encodeURIComponent(vhost)}`;
  await expectOk(await managementApi(path, 'PUT'), `create vhost ${vhost}`);
  const user = encodeURIComponent(decodeURIComponent(amqpUrl.username));
  await expectOk(
    await managementApi(`/api/permissions/${encodeURIComponent(vhost)}/${user}`, 'PUT', {
      configure: '.*',
      write: '.*',
      read: '.*',
    }),
    `grant ${vhost}`,
  );
  amqpUrl.pathname = `/${encodeURIComponent(vhost)}`;
  let dropped = false;
  return {
    url: amqpUrl.href,
    vhost,
    async drop() {
      if (dropped) return;
      dropped = true;
      const response = await managementApi(path, 'DELETE');
      if (!response.ok && response.status !== 404) await expectOk(response, `delete vhost ${vhost}`);
    },
  };
}

/**
 * Queues of a vhost as the management API reports them. Counts lag the broker by up to the statistics
 * interval (1 s on the test broker), so poll rather than assert once.
 */
export async function listQueues(vhost: string): Promise<QueueInfo[]> {
  const response = await managementApi(`/api/queues/${encodeURIComponent(vhost)}?columns=name,messages,consumers`);
  await expectOk(response, `list queues of ${vhost}`);
  const queues = (await response.json()) as Array<Partial<QueueInfo> & { name: string }>;
  return queues.map((q) => ({ name: q.name, messages: q.messages ?? 0, consumers: q.consumers ?? 0 }));
}

/** Runs rabbitmqctl (or `rabbitmq-diagnostics ...` etc.) against the test broker. */
export async function rabbitmqctl(...args: string[]): Promise<string> {
  const { stdout } = await run(serviceEnv('RABBITMQ_CTL'), args, { timeout: 60_000 });
  return stdout;
}

/**
 * The server side of an outage for one vhost only (connection.close 320 CONNECTION_FORCED), leaving other
 * test files' connections alone. Prefer this to `restartBroker()` in tests that run beside others.
 */
export async function closeVhostConnections(vhost: string): Promise<void> {
  await rabbitmqctl('close_all_connections', '--vhost', vhost, 'offndat test: forced close');
}

/**
 * Stops and starts the whole test broker (`scripts/services.sh restart-rabbitmq`, 10-30 s). Every test file
 * using RabbitMQ at that moment loses its connections, so keep such tests few and tolerant of it.
 */
export async function restartBroker(): Promise<void> {
  await run('bash', [serviceEnv('TEST_SERVICES_SCRIPT'), 'restart-rabbitmq'], { timeout: 180_000 });
}

/** Deletes test vhosts older than a few hours (left behind by runs that were killed); returns their names. */
export async function dropStaleTestVhosts(nowMs = Date.now()): Promise<string[]> {
  const response = await managementApi('/api/vhosts?columns=name');
  await expectOk(response, 'list vhosts');
  const stale = ((await response.json()) as Array<{ name: string }>)
    .map((entry) => entry.name)
    .filter((name) => {
      if (!name.startsWith(VHOST_PREFIX)) return false;
      const created = parseInt(name.slice(VHOST_PREFIX.length).split('-')[0] ?? '', 36);
      return Number.isFinite(created) && nowMs / 1000 - created > STALE_AFTER_SECONDS;
    });
  for (const name of stale) await managementApi(`/api/vhosts/${encodeURIComponent(name)}`, 'DELETE');
  return stale;
}
