import { sleep, startFaultStack, type FaultStack } from '../support/fault-stack';
import { startPrivateRedis, type PrivateRedis } from '../support/private-services';
import { createTestDatabase, type TestDatabase } from '../support/database';

// Redis of this file's own (L2 cache, invalidation, rate-limit state), stopped under redirect load.
let redis: PrivateRedis;
let db: TestDatabase;
let stack: FaultStack;

beforeAll(async () => {
  [redis, db] = await Promise.all([startPrivateRedis(), createTestDatabase({ migrate: false })]);
  stack = await startFaultStack({ databaseUrl: db.url, redisUrl: redis.url });
}, 120_000);

afterAll(async () => {
  await stack?.close();
  await redis?.destroy();
  await db?.drop();
});

describe('Redis stopped under redirect load', () => {
  it('keeps redirecting from L1 and the database, stays Ready, and stores every redirect once', async () => {
    const phrases = [await stack.createLink(), await stack.createLink()];
    const load = stack.startLoad(phrases);
    await sleep(1_500);

    await redis.stop();
    await sleep(4_000);
    const readyDuringOutage = (await fetch(`${stack.api.baseUrl}/ready`)).status;
    const created = await stack.createLink().then(
      () => 'created',
      (error: unknown) => String(error),
    );
    await redis.start();
    await sleep(1_500);
    const { redirects, statuses } = await load.stop();

    expect(readyDuringOutage).toBe(200);
    expect(created).toBe('created');
    expect(Object.keys(statuses)).toEqual(['301']);
    expect(await stack.storedEventually(redirects)).toBe(redirects);
    expect((await stack.stored()).countersAgree).toBe(true);
    expect(await stack.deadLettered()).toBe(0);
    expect(stack.api.process.child.exitCode).toBeNull();
  }, 120_000);
});
