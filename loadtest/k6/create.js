// Link creation. MODE=vus (default): VUS (100) virtual users creating as fast as answered, closed loop, for the
// throughput. MODE=rate: an open model at RATE (500) creations per second, so latency is measured without
// coordinated omission.
import { DURATION, TREND_STATS, createOnce, writeSummary } from './common.js';

const rate = Number(__ENV.RATE || 500);
const scenario =
  __ENV.MODE === 'rate'
    ? {
        executor: 'constant-arrival-rate',
        rate,
        timeUnit: '1s',
        duration: DURATION,
        preAllocatedVUs: Math.ceil(rate / 5),
        maxVUs: rate * 2,
        gracefulStop: '10s',
      }
    : { executor: 'constant-vus', vus: Number(__ENV.VUS || 100), duration: DURATION, gracefulStop: '10s' };

export const options = {
  scenarios: { create: scenario },
  summaryTrendStats: TREND_STATS,
  discardResponseBodies: true,
};

export default createOnce;
export const handleSummary = writeSummary;
