import type { Channel } from 'amqplib';
import pino from 'pino';
import { createMetrics } from '../core/metrics/metrics';
import { startQueueDepthGauge } from './queue-depth';

const logger = pino({ level: 'silent' });

/** A channel whose checkQueue answers from `depths`, or fails while `broken` is set. */
function fakeChannel(depths: Record<string, number>): { channel: Channel; state: { broken: boolean } } {
  const state = { broken: false };
  const channel = {
    checkQueue: (queue: string) =>
      state.broken
        ? Promise.reject(new Error('channel closed'))
        : Promise.resolve({ queue, messageCount: depths[queue] ?? 0, consumerCount: 0 }),
  } as unknown as Channel;
  return { channel, state };
}

async function depths(metrics: ReturnType<typeof createMetrics>): Promise<Record<string, number>> {
  const { values } = await metrics.queueDepth.get();
  return Object.fromEntries(values.map((v) => [String(v.labels.queue), v.value]));
}

async function until(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('queue depth gauge', () => {
  it('reports each queue, then drops every series once a check fails instead of freezing the last value', async () => {
    const metrics = createMetrics({ service: 'worker', defaultMetrics: false });
    const { channel, state } = fakeChannel({ a: 3, b: 7 });
    const stop = startQueueDepthGauge({
      channel,
      gauge: metrics.queueDepth,
      intervalMs: 10,
      logger,
      queues: ['a', 'b'],
    });

    await until(async () => Object.keys(await depths(metrics)).length === 2);
    const before = await depths(metrics);
    state.broken = true;
    await until(async () => Object.keys(await depths(metrics)).length === 0);
    stop();

    expect(before).toEqual({ a: 3, b: 7 });
  });

  it('drops its series when stopped', async () => {
    const metrics = createMetrics({ service: 'worker', defaultMetrics: false });
    const { channel } = fakeChannel({ a: 1 });
    const stop = startQueueDepthGauge({ channel, gauge: metrics.queueDepth, intervalMs: 10, logger, queues: ['a'] });
    await until(async () => (await depths(metrics))['a'] === 1);

    stop();

    expect(await depths(metrics)).toEqual({});
  });
});
