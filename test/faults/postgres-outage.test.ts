import { sleep, startFaultStack, type FaultStack } from '../support/fault-stack';
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-services';
import { serviceEnv } from '../support/services-env';

// PostgreSQL of this file's own, stopped and started under the api and the worker while redirects keep coming.
let pg: PrivatePostgres;
let stack: FaultStack;
let phrases: string[];

beforeAll(async () => {
  pg = await startPrivatePostgres();
  stack = await startFaultStack({ databaseUrl: pg.url, redisUrl: serviceEnv('TEST_REDIS_URL') });
  phrases = [await stack.createLink(), await stack.createLink(), await stack.createLink()];
}, 120_000);

afterAll(async () => {
  await stack?.close();
  await pg?.destroy();
});

/** Visits of earlier tests in this file are stored already; each test checks its own on top. */
async function storedBefore(): Promise<number> {
  return (await stack.stored()).rows;
}

describe('PostgreSQL stopped under redirect load', () => {
  it('rides out a fast stop and restart: the worker carries on by itself and stores every redirect once', async () => {
    const before = await storedBefore();
    const load = stack.startLoad(phrases);
    await sleep(2_000);

    await pg.stop('fast');
    await pg.start();
    await sleep(2_000);
    const { redirects } = await load.stop();

    expect(redirects).toBeGreaterThan(0);
    expect(await stack.storedEventually(before + redirects)).toBe(before + redirects);
    expect((await stack.stored()).countersAgree).toBe(true);
    expect(await stack.deadLettered()).toBe(0);
    expect(stack.worker.process.child.exitCode).toBeNull();
    expect(stack.worker.process.output()).not.toContain("Unhandled 'error' event");
  }, 120_000);

  it('holds visits through an outage longer than the retry schedule: redirects go on from the caches, nothing is dead-lettered', async () => {
    const before = await storedBefore();
    const load = stack.startLoad(phrases);
    await sleep(1_000);

    await pg.stop('fast');
    // Longer than the retry queues' whole schedule (1 s + 3 s + 5 s), which used to end in the DLQ.
    const outageEnds = Date.now() + 15_000;
    let paused = 0;
    let readyDuringOutage = 0;
    while (Date.now() < outageEnds) {
      paused = Math.max(paused, await stack.metric(stack.worker.metricsUrl, 'offndat_consumers_paused'));
      readyDuringOutage = (await fetch(`${stack.api.baseUrl}/ready`)).status;
      await sleep(1_000);
    }
    const deadLetteredDuringOutage = await stack.deadLettered();
    await pg.start();
    await sleep(1_000);
    const { redirects, statuses } = await load.stop();

    expect(paused).toBeGreaterThan(0);
    expect(readyDuringOutage).toBe(200);
    expect(deadLetteredDuringOutage).toBe(0);
    // Every phrase was cached before the outage: no redirect needed the database.
    expect(Object.keys(statuses)).toEqual(['301']);
    expect(await stack.storedEventually(before + redirects)).toBe(before + redirects);
    expect((await stack.stored()).countersAgree).toBe(true);
    expect(await stack.deadLettered()).toBe(0);
    expect(stack.worker.process.child.exitCode).toBeNull();
    expect(await stack.metric(stack.worker.metricsUrl, 'offndat_consumers_paused')).toBe(0);
  }, 120_000);
});
