import { createMetrics } from '../core/metrics/metrics';
import { zeroWorkerSeries } from './zero-series';

describe('zeroWorkerSeries', () => {
  it('exports every outcome of every consumed queue at 0, so the first dead letter is visible', async () => {
    const metrics = createMetrics({ service: 'worker', defaultMetrics: false });

    zeroWorkerSeries(metrics);
    const text = await metrics.registry.metrics();

    for (const queue of ['offndat.visits', 'offndat.link-created']) {
      for (const outcome of ['success', 'retry', 'dead_letter']) {
        expect(text).toContain(
          `offndat_messages_processed_total{queue="${queue}",outcome="${outcome}",service="worker"} 0`,
        );
      }
      expect(text).toContain(`offndat_message_processing_duration_seconds_count{service="worker",queue="${queue}"} 0`);
    }
  });
});
