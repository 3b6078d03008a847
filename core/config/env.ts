import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * The one dialect every process schema and feature schema uses to read environment variables. Each helper takes
 * the key's one-line description (kept on the schema, so a test can insist every key has one) and treats an
 * empty string as unset, because Helm renders absent values as "".
 */

/**
 * Resolves `<NAME>_FILE` into `<NAME>` for the given keys, so secrets mounted as files (Kubernetes, Docker
 * secrets) work for any key a process reads. Only known keys are resolved: other software's `*_FILE`
 * variables (TF_CLI_CONFIG_FILE, SSL_CERT_FILE...) are none of our business. An explicit `<NAME>` wins over
 * its `_FILE` twin; a trailing newline is dropped because editors and `kubectl create secret --from-file` add it.
 */
export function resolveFileVariables(
  env: NodeJS.ProcessEnv,
  keys: Iterable<string>,
): Record<string, string | undefined> {
  const resolved: Record<string, string | undefined> = { ...env };
  for (const name of keys) {
    const path = env[`${name}_FILE`];
    if (path === undefined || path === '') continue;
    if (resolved[name] !== undefined && resolved[name] !== '') continue;
    resolved[name] = readFileSync(path, 'utf8').replace(/\r?\n$/, '');
  }
  return resolved;
}

/** Empty strings mean "unset". */
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

const unset = <T extends z.ZodType>(schema: T) => z.preprocess(emptyAsUndefined, schema);

/** An integer within bounds, with a default when one is safe. */
export function integer(description: string, options: { default: number; min: number; max?: number }) {
  const bounded = z.coerce.number().int().min(options.min);
  return unset((options.max === undefined ? bounded : bounded.max(options.max)).default(options.default)).describe(
    description,
  );
}

/** `true`/`false` and their usual spellings (`1`/`0`, `yes`/`no`, `on`/`off`). */
export function flag(description: string, fallback: boolean) {
  return unset(z.stringbool(FLAG_SPELLINGS).default(fallback)).describe(description);
}

export const FLAG_SPELLINGS = { truthy: ['true', '1', 'yes', 'on'], falsy: ['false', '0', 'no', 'off'] } satisfies {
  truthy: string[];
  falsy: string[];
};

/** Free text with a default. */
export function text(description: string, fallback: string) {
  return unset(z.string().default(fallback)).describe(description);
}

const BYTE_UNITS: Readonly<Record<string, number>> = { '': 1, b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** A size as body parsers write it (`16kb`, `1mb`, `512` bytes; units of 1024), read into bytes. */
export function byteSize(description: string, fallback: string) {
  return unset(
    z
      .string()
      .default(fallback)
      .transform((value, ctx) => {
        const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(value);
        if (match) return Math.floor(Number(match[1]) * BYTE_UNITS[(match[2] ?? '').toLowerCase()]!);
        ctx.addIssue({ code: 'custom', message: 'is not a size such as 16kb, 1mb or 512' });
        return z.NEVER;
      }),
  ).describe(description);
}

/** Free text that may stay unset (no safe default exists, or unset switches a feature off). */
export function optionalText(description: string) {
  return unset(z.string().optional()).describe(description);
}

/** Text the process cannot run without. */
export function requiredText(description: string) {
  return unset(z.string({ error: 'is required' }).min(1)).describe(description);
}

/** One of a fixed set of words. */
export function choice<const T extends readonly [string, ...string[]]>(
  description: string,
  values: T,
  fallback: T[number],
) {
  return unset(z.enum(values).default(fallback as never)).describe(description);
}

/** A comma-separated list, each entry checked by `item` (any string by default); unset is the empty list. */
export function list<T extends z.ZodType<string, string>>(description: string, item?: T) {
  return z.preprocess(parseList, z.array(item ?? z.string())).describe(description);
}

/** pino's levels; shared so every process accepts the same values. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
