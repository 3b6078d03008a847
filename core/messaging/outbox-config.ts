import { z } from 'zod';
import { FLAG_SPELLINGS, emptyAsUndefined, integer } from '../config/env';

const RELAY_SPELLINGS = ['auto', ...FLAG_SPELLINGS.truthy, ...FLAG_SPELLINGS.falsy] as const;

/** Keys of the outbox relay, read alike by the api and the worker. */
export const outboxConfigSchema = z.object({
  OUTBOX_RELAY_ENABLED: z
    .preprocess(emptyAsUndefined, z.enum(RELAY_SPELLINGS).default('auto'))
    .transform((value): boolean | 'auto' =>
      value === 'auto' ? 'auto' : (FLAG_SPELLINGS.truthy as readonly string[]).includes(value),
    )
    .describe(
      'Relay the outbox from this process: true, false, or auto (the worker relays; the api only when it has no broker).',
    ),
  OUTBOX_RELAY_INTERVAL_MS: integer('Pause between outbox polls that found less than a full batch.', {
    default: 500,
    min: 10,
    max: 1_000,
  }),
});

/**
 * `auto` puts the relay where it costs least: in the worker, which exists exactly when there is a broker; without
 * a broker (and so without a worker) in the api, which then delivers the events in process.
 */
export function relaysOutbox(
  setting: boolean | 'auto',
  process: { readonly isWorker: boolean; readonly hasBroker: boolean },
): boolean {
  if (setting !== 'auto') return setting;
  return process.isWorker || !process.hasBroker;
}
