import { randomUUID } from 'node:crypto';

/** A throwaway vhost on the shared test broker, so parallel test files never see each other's queues. */
export async function createTestVhost(): Promise<{ url: string; vhost: string; drop(): Promise<void> }> {
  const amqpUrl = process.env.TEST_AMQP_URL;
  const managementUrl = process.env.TEST_AMQP_MANAGEMENT_URL;
  if (!amqpUrl || !managementUrl) throw new Error('TEST_AMQP_URL / TEST_AMQP_MANAGEMENT_URL not set');
  const vhost = `offndat-test-${randomUUID()}`;
  const base = new URL(managementUrl);
  const auth = `Basic ${Buffer.from(`${base.username}:${base.password}`).toString('base64')}`;
  const api = (path: string, method: string, body?: unknown) =>
    fetch(new URL(path, base.origin), {
      method,
      headers: { authorization: auth, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const user = decodeURIComponent(new URL(amqpUrl).username);
  const name = encodeURIComponent(vhost);
  if (!(await api(`/api/vhosts/${name}`, 'PUT')).ok) throw new Error('could not create vhost');
  await api(`/api/permissions/${name}/${encodeURIComponent(user)}`, 'PUT', { configure: '.*', write: '.*', read: '.*' });
  const url = new URL(amqpUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    vhost,
    drop: async () => void (await api(`/api/vhosts/${name}`, 'DELETE')),
  };
}
