import { createMetrics } from './metrics';
import { createPoolGaugeCollector } from './pool-gauge';

describe('createPoolGaugeCollector', () => {
  it('sets checked-out connections per pool when collected', async () => {
    const metrics = createMetrics({ service: 'api', defaultMetrics: false });
    const primary = { totalCount: 5, idleCount: 2 };
    const read = { totalCount: 4, idleCount: 4 };
    const collect = createPoolGaugeCollector(metrics, { primary, read });

    collect();
    primary.idleCount = 5;
    const afterFirst = (await metrics.activeConnections.get()).values;
    collect();
    const afterSecond = (await metrics.activeConnections.get()).values;

    expect(afterFirst).toEqual([
      { value: 3, labels: { pool: 'primary' } },
      { value: 0, labels: { pool: 'read' } },
    ]);
    expect(afterSecond).toEqual([
      { value: 0, labels: { pool: 'primary' } },
      { value: 0, labels: { pool: 'read' } },
    ]);
  });

  it('reports only the primary when reads share its pool', async () => {
    const metrics = createMetrics({ service: 'api', defaultMetrics: false });
    const pool = { totalCount: 3, idleCount: 1 };

    createPoolGaugeCollector(metrics, { primary: pool, read: pool })();

    expect((await metrics.activeConnections.get()).values).toEqual([{ value: 2, labels: { pool: 'primary' } }]);
  });
});
