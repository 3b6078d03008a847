// 70 % redirects, 30 % link creations from VUS (default 200) virtual users for DURATION. Latency is kept apart
// per kind (http_req_duration{kind:redirect} / {kind:create}).
import { DURATION, TREND_STATS, createOnce, keepTrends, redirectOnce, writeSummary } from './common.js';

export const options = {
  scenarios: {
    mixed: { executor: 'constant-vus', vus: Number(__ENV.VUS || 200), duration: DURATION, gracefulStop: '10s' },
  },
  thresholds: keepTrends(['http_req_duration{kind:redirect}', 'http_req_duration{kind:create}']),
  summaryTrendStats: TREND_STATS,
  discardResponseBodies: true,
};

export default function mixed() {
  if (Math.random() < 0.7) redirectOnce();
  else createOnce();
}
export const handleSummary = writeSummary;
