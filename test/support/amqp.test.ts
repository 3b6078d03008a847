import { connect } from 'amqplib';
import {
  closeVhostConnections,
  createTestVhost,
  dropStaleTestVhosts,
  listQueues,
  managementApi,
  type TestVhost,
} from './amqp';

async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('createTestVhost', () => {
  let vhost: TestVhost;

  beforeAll(async () => {
    vhost = await createTestVhost();
  });

  afterAll(async () => {
    await vhost?.drop();
  });

  it('returns a URL that accepts AMQP connections, with queues visible through the management API', async () => {
    const connection = await connect(vhost.url);
    const channel = await connection.createChannel();
    await channel.assertQueue('probe', { durable: false });
    channel.sendToQueue('probe', Buffer.from('hello'));
    await channel.close();
    await connection.close();

    const queues = await eventually(
      () => listQueues(vhost.vhost),
      (list) => list.some((q) => q.name === 'probe' && q.messages === 1),
    );

    expect(queues).toEqual([{ name: 'probe', messages: 1, consumers: 0 }]);
  });

  it('closes the connections of its own vhost on demand', async () => {
    const connection = await connect(vhost.url);
    const closed = new Promise<unknown>((resolve) => connection.on('close', resolve));
    connection.on('error', () => undefined);

    await closeVhostConnections(vhost.vhost);

    await expect(closed).resolves.toBeDefined();
  });

  it('deletes the vhost on drop', async () => {
    const temporary = await createTestVhost();

    await temporary.drop();

    const response = await managementApi(`/api/vhosts/${encodeURIComponent(temporary.vhost)}`);
    expect(response.status).toBe(404);
  });
});

describe('dropStaleTestVhosts', () => {
  it('removes test vhosts created hours ago and keeps fresh ones', async () => {
    const sevenHoursAgo = Math.floor(Date.now() / 1000 - 7 * 3600).toString(36);
    const old = `offndat-test-${sevenHoursAgo}-leftover${process.pid}`;
    await managementApi(`/api/vhosts/${encodeURIComponent(old)}`, 'PUT');
    const fresh = await createTestVhost();

    const dropped = await dropStaleTestVhosts();

    expect(dropped).toContain(old);
    expect(dropped).not.toContain(fresh.vhost);
    await fresh.drop();
  });
});
