import { z } from 'zod';
import { choice, integer, text } from '../config/env';
import { VISIT_IP_MODES } from './anonymise-ip';

/** What a visit keeps of the client, and how many visits may wait for delivery. */
export const visitConfigSchema = z.object({
  VISIT_IP_MODE: choice(
    'How client IPs are stored with visits and shown in stats: truncate (/24 and /48), hash (HMAC), or full (opt-in).',
    VISIT_IP_MODES,
    'truncate',
  ),
  VISIT_IP_SALT: text('Secret HMAC key for VISIT_IP_MODE=hash (required then).', ''),
  VISIT_FLUSH_INTERVAL_MS: integer(
    'Longest a visit waits in memory before its batch is published; with the broker up, a crash loses at most this window (plus one confirm).',
    { default: 25, min: 1, max: 10_000 },
  ),
  VISIT_BUFFER_MAX: integer(
    'Visits held while the broker (or database, without one) is unreachable; about 1 KB each.',
    {
      default: 100_000,
      min: 1_000,
      max: 10_000_000,
    },
  ),
});
