import type { Pool } from 'pg';
import { createMetrics } from '../metrics/metrics';
import { handleVisitBatch, isVisitDataError } from './handle-visit-batch';
import type { LinkVisited } from './visit';

function fakePool(inserted: number) {
  const calls: unknown[][] = [];
  const client = {
    query: (sql: string, params?: unknown[]) => {
      if (params) calls.push(params);
      return Promise.resolve({ rows: sql.includes('INSERT') ? [{ inserted: String(inserted) }] : [] });
    },
    release: () => undefined,
  };
  return { pool: { connect: () => Promise.resolve(client) } as unknown as Pool, calls };
}

const visit = (visitId: string, visitedAt: string): LinkVisited => ({
  visitId,
  linkId: '00000000-0000-4000-8000-000000000001',
  languageId: 0,
  themeId: 0,
  visitedAt,
  ipAddress: null,
  userAgent: null,
  referrer: null,
  isBot: false,
});

describe('handleVisitBatch', () => {
  it('writes each visit id once and records how late the visits became durable', async () => {
    const { pool, calls } = fakePool(2);
    const metrics = createMetrics({ service: 'worker', defaultMetrics: false });
    const a = visit('00000000-0000-4000-8000-00000000000a', '2026-01-01T00:00:00.000Z');
    const b = visit('00000000-0000-4000-8000-00000000000b', '2026-01-01T00:00:01.000Z');
    const now = () => Date.parse('2026-01-01T00:00:02.000Z');

    expect(await handleVisitBatch({ pool, metrics, now }, [a, b, a])).toBe(2);

    expect(calls[0]?.[0]).toEqual([a.visitId, b.visitId]);
    const lag = await metrics.visitPersistLag.get();
    expect(lag.values.find((v) => v.metricName?.endsWith('_sum'))?.value).toBe(3);
    expect(lag.values.find((v) => v.metricName?.endsWith('_count'))?.value).toBe(2);
  });

  it('counts the rows the database newly stored, not the visits it was handed', async () => {
    const { pool } = fakePool(1);
    const metrics = createMetrics({ service: 'worker', defaultMetrics: false });
    const a = visit('00000000-0000-4000-8000-00000000000a', '2026-01-01T00:00:00.000Z');
    const b = visit('00000000-0000-4000-8000-00000000000b', '2026-01-01T00:00:01.000Z');

    await handleVisitBatch({ pool, metrics }, [a, b]);

    expect((await metrics.visitsStored.get()).values[0]?.value).toBe(1);
  });

  it('writes nothing for an empty batch', async () => {
    const { pool, calls } = fakePool(0);
    expect(await handleVisitBatch({ pool }, [])).toBe(0);
    expect(calls).toEqual([]);
  });

  it('blames data exceptions and constraint violations on the data, not outages', () => {
    expect(isVisitDataError({ code: '22007' })).toBe(true);
    expect(isVisitDataError({ code: '23503' })).toBe(true);
    expect(isVisitDataError({ code: '57P01' })).toBe(false);
    expect(isVisitDataError(new Error('connect ECONNREFUSED'))).toBe(false);
    expect(isVisitDataError(undefined)).toBe(false);
  });
});
