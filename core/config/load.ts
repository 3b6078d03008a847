import type { z } from 'zod';
import { resolveFileVariables } from './env';

/** Thrown when the environment does not satisfy a process's schema; lists every invalid key at once. */
export class ConfigError extends Error {
  constructor(readonly issues: readonly string[]) {
    super(`Invalid configuration:\n  ${issues.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/** The top-level keys of an object schema with their schemas, looking through `.transform()`/`.pipe()` wrappers. */
export function schemaShape(schema: z.ZodType): Record<string, z.ZodType> {
  const candidate = schema as unknown as { shape?: Record<string, z.ZodType>; def?: { in?: z.ZodType } };
  if (candidate.shape) return candidate.shape;
  return candidate.def?.in ? schemaShape(candidate.def.in) : {};
}

/** The environment variables a process schema reads. */
export function schemaKeys(schema: z.ZodType): string[] {
  return Object.keys(schemaShape(schema));
}

/** Parses the environment once against a zod schema, after resolving `<KEY>_FILE` for the schema's keys. */
export function parseConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.output<S> {
  let resolved: Record<string, string | undefined>;
  try {
    resolved = resolveFileVariables(env, schemaKeys(schema));
  } catch (error) {
    throw new ConfigError([(error as Error).message]);
  }
  const result = schema.safeParse(resolved);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`));
  }
  return result.data;
}
