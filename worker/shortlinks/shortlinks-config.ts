import { z } from 'zod';
import { flag, integer, optionalText, text } from '../../core/config/env';

/** The ShortLink reconciler's keys, composed into the worker's schema. Off unless the chart switches it on. */
export const shortLinksConfigSchema = z.object({
  SHORTLINKS_ENABLED: flag('Reconcile ShortLink resources into links (needs a Kubernetes API and RBAC).', false),
  SHORTLINKS_NAMESPACE: optionalText(
    'Namespace whose ShortLinks and Lease the worker uses; defaults to the pod namespace (POD_NAMESPACE).',
  ),
  POD_NAMESPACE: optionalText('The pod namespace (downward API).'),
  POD_NAME: optionalText('This replica identity in the Lease (downward API); defaults to the host name.'),
  SHORTLINKS_LEASE_NAME: text('The Lease whose holder alone reconciles ShortLinks.', 'offndat-shortlinks'),
  SHORTLINKS_LEASE_DURATION_SEC: integer('How long a Lease holder that stops renewing keeps it.', {
    default: 15,
    min: 2,
    max: 300,
  }),
  SHORTLINKS_RESYNC_SEC: integer('How often every ShortLink is reconciled again, events or not.', {
    default: 300,
    min: 5,
    max: 86_400,
  }),
  BASE_URL: z
    .preprocess((v) => (v === '' ? undefined : v), z.url({ protocol: /^https?$/ }).default('http://localhost:8080'))
    .describe('Public origin of short links, written to ShortLink status.url.'),
});
export type ShortLinksConfig = z.output<typeof shortLinksConfigSchema>;
