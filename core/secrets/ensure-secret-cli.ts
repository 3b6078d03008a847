import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseConfig } from '../config/load';
import { exitOnStartupError } from '../lifecycle/startup-error';
import { createLogger } from '../logging/logger';
import { ensureSecret } from './kube-secrets';
import { ensureSecretConfigSchema } from './secrets-config';

/**
 * The chart's secrets Job: makes sure a generated Secret (the internal Redis password) exists, creating it once
 * and never touching it again. This keeps the value stable where a template cannot: under Argo CD, which renders
 * the chart without access to the cluster, a password drawn at render time would change on every sync.
 * Exits 0 when the Secret exists afterwards, 1 otherwise.
 */
async function main(): Promise<number> {
  const config = parseConfig(ensureSecretConfigSchema);
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'ensure-secret' });
  const host = config.KUBERNETES_SERVICE_HOST.includes(':')
    ? `[${config.KUBERNETES_SERVICE_HOST}]`
    : config.KUBERNETES_SERVICE_HOST;
  try {
    const outcome = await ensureSecret(
      {
        baseUrl: `https://${host}:${config.KUBERNETES_SERVICE_PORT}`,
        token: readFileSync(path.join(config.SERVICE_ACCOUNT_DIR, 'token'), 'utf8').trim(),
        ca: readFileSync(path.join(config.SERVICE_ACCOUNT_DIR, 'ca.crt')),
      },
      {
        namespace: config.POD_NAMESPACE,
        name: config.SECRET_NAME,
        key: config.SECRET_KEY,
        labels: Object.fromEntries(config.SECRET_LABELS.map((pair) => pair.split('=') as [string, string])),
      },
      // 256 random bits, URL-safe, so the value can sit in a redis:// URL as it is.
      () => randomBytes(32).toString('base64url'),
    );
    logger.info({ secret: config.SECRET_NAME, outcome }, outcome === 'created' ? 'secret created' : 'secret kept');
    return 0;
  } catch (error) {
    logger.error({ err: error, secret: config.SECRET_NAME }, 'could not ensure the secret');
    return 1;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => exitOnStartupError('offndat ensure-secret', error),
);
