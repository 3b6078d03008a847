import { readFileSync } from 'node:fs';

/**
 * Resolves every `<NAME>_FILE` variable into `<NAME>` so secrets mounted as files (Kubernetes, Docker secrets)
 * work for any key. An explicit `<NAME>` wins over its `_FILE` twin; trailing newlines in files are dropped
 * because editors and `kubectl create secret --from-file` add them.
 */
export function resolveFileVariables(env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  const resolved: Record<string, string | undefined> = { ...env };
  for (const [key, path] of Object.entries(env)) {
    if (!key.endsWith('_FILE') || path === undefined || path === '') continue;
    const name = key.slice(0, -'_FILE'.length);
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
