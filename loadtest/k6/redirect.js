// Redirects at VUS (default 1000) concurrent virtual users for DURATION, closed loop: each VU asks for a random
// phrase of LINKS_FILE and does not follow the 301. Run unchanged against the product and the baselines.
import { DURATION, TREND_STATS, redirectOnce, writeSummary } from './common.js';

export const options = {
  scenarios: {
    redirect: { executor: 'constant-vus', vus: Number(__ENV.VUS || 1000), duration: DURATION, gracefulStop: '10s' },
  },
  summaryTrendStats: TREND_STATS,
  discardResponseBodies: true,
};

export default redirectOnce;
export const handleSummary = writeSummary;
