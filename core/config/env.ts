import { readFileSync } from 'node:fs';

/**
 * Resolves `<NAME>_FILE` into `<NAME>` for the given keys, so secrets mounted as files (Kubernetes, Docker
 * secrets) work for any key a process reads. Only known keys are resolved: other software's `*_FILE`
 * variables (TF_CLI_CONFIG_FILE, SSL_CERT_FILE...) are none of our business. An explicit `<NAME>` wins over
 * its `_FILE` twin; a trailing newline is dropped because editors and `kubectl create secret --from-file` add it.
 */
export function resolveFileVariables(env: NodeJS.ProcessEnv, keys: Iterable<string>): Record<string, string | undefined> {
  const resolved: Record<string, string | undefined> = { ...env };
  for (const name of keys) {
    const path = env[`${name}_FILE`];
    if (path === undefined || path === '') continue;
    if (resolved[name] !== undefined && resolved[name] !== '') continue;
    resolved[name] = readFileSync(path, 'utf8').replace(/\r?\n$/, '');
  }
  return resolved;
}

/** Empty strings mean "unset" for optional keys, as Helm renders absent values as "". */
export function emptyAsUndefined(value: unknown): unknown {
  return value === '' ? undefined : value;
}

/** Comma-separated list; blanks dropped. */
export function parseList(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}
