// A sudden spike of the 70/30 mix: BASE_VUS (50) for 4 s, up to PEAK_VUS (1000) within 2 s, held 6 s, back down
// within 2 s, then 4 s at BASE_VUS to see the service recover.
import { TREND_STATS, createOnce, keepTrends, redirectOnce, writeSummary } from './common.js';

const base = Number(__ENV.BASE_VUS || 50);
const peak = Number(__ENV.PEAK_VUS || 1000);

export const options = {
  scenarios: {
    spike: {
      executor: 'ramping-vus',
      startVUs: base,
      stages: [
        { duration: '4s', target: base },
        { duration: '2s', target: peak },
        { duration: '6s', target: peak },
        { duration: '2s', target: base },
        { duration: '4s', target: base },
      ],
      gracefulRampDown: '5s',
      gracefulStop: '10s',
    },
  },
  thresholds: keepTrends(['http_req_duration{kind:redirect}', 'http_req_duration{kind:create}']),
  summaryTrendStats: TREND_STATS,
  discardResponseBodies: true,
};

export default function spike() {
  if (Math.random() < 0.7) redirectOnce();
  else createOnce();
}
export const handleSummary = writeSummary;
