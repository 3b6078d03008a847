import { z } from 'zod';
import { integer, list, requiredText, text } from '../config/env';
import { loggingConfigSchema } from '../logging/logging-config';

/**
 * Every key `ensure-secret-cli` (the chart's secrets Job) reads. The Kubernetes API is found the way every
 * in-cluster client finds it: the kubelet sets KUBERNETES_SERVICE_HOST/PORT, the service account's token and
 * CA certificate are mounted in SERVICE_ACCOUNT_DIR.
 */
export const ensureSecretConfigSchema = z.object({
  ...loggingConfigSchema.shape,
  SECRET_NAME: requiredText('Secret to create when it does not exist yet.'),
  SECRET_KEY: text('Key of the generated value inside that Secret.', 'auth'),
  SECRET_LABELS: list(
    'Labels of a new Secret, comma-separated name=value pairs.',
    z.string().regex(/^[^=,]+=[^=,]*$/, 'not a name=value pair'),
  ),
  POD_NAMESPACE: requiredText('Namespace of the Secret: the Job pod’s own, from the downward API.'),
  KUBERNETES_SERVICE_HOST: requiredText('Address of the Kubernetes API, set by the kubelet.'),
  KUBERNETES_SERVICE_PORT: integer('Port of the Kubernetes API, set by the kubelet.', {
    default: 443,
    min: 1,
    max: 65_535,
  }),
  SERVICE_ACCOUNT_DIR: text(
    'Where the service account token and ca.crt are mounted.',
    '/var/run/secrets/kubernetes.io/serviceaccount',
  ),
});

export type EnsureSecretConfig = z.output<typeof ensureSecretConfigSchema>;
