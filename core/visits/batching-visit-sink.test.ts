import pino from 'pino';
import { createMetrics } from '../metrics/metrics';
import type { LinkVisited } from './visit';
import { createBatchingVisitSink, type VisitBatch } from './batching-visit-sink';

const logger = pino({ level: 'silent' });

function visit(n: number): LinkVisited {
  return {
    visitId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    linkId: '00000000-0000-4000-8000-000000000000',
    languageId: 0,
    themeId: 0,
    visitedAt: new Date(0).toISOString(),
    ipAddress: null,
    userAgent: null,
    referrer: null,
    isBot: false,
  };
}

async function published(metrics: ReturnType<typeof createMetrics>, outcome: string): Promise<number> {
  const { values } = await metrics.visitsPublished.get();
  return values.find((v) => v.labels.outcome === outcome)?.value ?? 0;
}

function recorder() {
  const batches: VisitBatch[] = [];
  return { batches, deliver: (batch: VisitBatch) => Promise.resolve(void batches.push(batch)) };
}

describe('createBatchingVisitSink', () => {
  it('cuts batches at batchSize and sends the remainder after the flush interval', async () => {
    const { batches, deliver } = recorder();
    const sink = createBatchingVisitSink(deliver, { logger, maxBuffer: 10_000, batchSize: 3, flushIntervalMs: 5 });

    for (let i = 0; i < 7; i += 1) sink.emit(visit(i));
    await sink.flush();

    expect(batches.map((b) => b.visits.length)).toEqual([3, 3, 1]);
    expect(new Set(batches.map((b) => b.id)).size).toBe(3);
    expect(sink.size()).toBe(0);
    await sink.close();
  });

  it('keeps a failed batch and retries it with the same id until it is delivered', async () => {
    const metrics = createMetrics({ service: 'test', defaultMetrics: false });
    const attempts: VisitBatch[] = [];
    const deliver = (batch: VisitBatch) => {
      attempts.push(batch);
      return attempts.length < 3 ? Promise.reject(new Error('broker down')) : Promise.resolve();
    };
    const sink = createBatchingVisitSink(deliver, {
      logger,
      maxBuffer: 10_000,
      metrics,
      batchSize: 2,
      retry: { initialDelayMs: 2, maxDelayMs: 5 },
    });

    sink.emit(visit(1));
    sink.emit(visit(2));
    await sink.flush();

    expect(attempts).toHaveLength(3);
    expect(new Set(attempts.map((b) => b.id)).size).toBe(1);
    expect(await published(metrics, 'failed')).toBe(4);
    expect(await published(metrics, 'confirmed')).toBe(2);
    await sink.close();
  });

  it('refuses and counts new visits while the buffer is full, keeping the ones it holds', async () => {
    const metrics = createMetrics({ service: 'test', defaultMetrics: false });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const delivered: VisitBatch[] = [];
    const sink = createBatchingVisitSink(
      async (batch) => {
        await gate;
        delivered.push(batch);
      },
      { logger, metrics, batchSize: 2, maxBuffer: 4 },
    );

    for (let i = 0; i < 6; i += 1) sink.emit(visit(i));
    const bufferedWhileBlocked = sink.size();
    release();
    await sink.flush();

    expect(bufferedWhileBlocked).toBe(4);
    expect(await published(metrics, 'dropped')).toBe(2);
    expect(delivered.flatMap((b) => b.visits.map((v) => v.visitId))).toEqual([0, 1, 2, 3].map((n) => visit(n).visitId));
    await sink.close();
  });

  it('has at most maxInFlight batches awaiting delivery at once', async () => {
    let active = 0;
    let peak = 0;
    const sink = createBatchingVisitSink(
      async () => {
        active += 1;
        peak = Math.max(peak, active);
        await new Promise((resolve) => setTimeout(resolve, 2));
        active -= 1;
      },
      { logger, maxBuffer: 10_000, batchSize: 1, maxInFlight: 2 },
    );

    for (let i = 0; i < 6; i += 1) sink.emit(visit(i));
    await sink.flush();

    expect(peak).toBe(2);
    await sink.close();
  });

  it('delivers everything on close, including visits emitted while closing, and drops what comes after', async () => {
    const metrics = createMetrics({ service: 'test', defaultMetrics: false });
    const { batches, deliver } = recorder();
    const sink = createBatchingVisitSink(deliver, {
      logger,
      maxBuffer: 10_000,
      metrics,
      batchSize: 100,
      flushIntervalMs: 60_000,
    });

    sink.emit(visit(1));
    const closed = sink.close();
    sink.emit(visit(2));
    await closed;
    sink.emit(visit(3));

    expect(batches.flatMap((b) => b.visits.map((v) => v.visitId)).sort()).toEqual([visit(1).visitId, visit(2).visitId]);
    expect(await published(metrics, 'dropped')).toBe(1);
  });

  it('gives up at the close deadline and counts what it could not deliver as dropped', async () => {
    const metrics = createMetrics({ service: 'test', defaultMetrics: false });
    const sink = createBatchingVisitSink(() => new Promise<void>(() => undefined), {
      logger,
      maxBuffer: 10_000,
      metrics,
      batchSize: 1,
    });

    sink.emit(visit(1));
    sink.emit(visit(2));
    await sink.close({ timeoutMs: 10 });

    expect(await published(metrics, 'dropped')).toBe(2);
    expect(sink.size()).toBe(0);
  });
});
