import { z } from 'zod';
import { emptyAsUndefined, integer } from '../../core/config/env';

export const ADMIN_SCOPES = ['links:read', 'links:write', 'blocklist:read', 'blocklist:write', 'audit:read'] as const;
export type AdminScope = (typeof ADMIN_SCOPES)[number];

/** Short keys can be guessed; the admin API can take any link down. */
export const ADMIN_KEY_MIN_LENGTH = 24;

const adminKeySchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, ".", "_" or "-", at most 64'),
    key: z.string().min(ADMIN_KEY_MIN_LENGTH, `at least ${ADMIN_KEY_MIN_LENGTH} characters`).max(512),
    scopes: z.array(z.enum(ADMIN_SCOPES)).min(1),
  })
  .strict();
export type AdminKeyConfig = z.output<typeof adminKeySchema>;

const parseJson = (value: unknown): unknown => {
  const text = emptyAsUndefined(value);
  if (typeof text !== 'string') return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/** The admin API's keys, separate from the public API's; the api's config schema composes these. */
export const adminConfigSchema = z.object({
  ADMIN_KEYS: z
    .preprocess(
      parseJson,
      z
        .array(adminKeySchema)
        .default([])
        .refine((keys) => new Set(keys.map((k) => k.id)).size === keys.length, { error: 'key ids must be unique' })
        .refine((keys) => new Set(keys.map((k) => k.key)).size === keys.length, { error: 'keys must be unique' }),
    )
    .describe(
      'Admin API keys as JSON, e.g. [{"id":"ops","key":"<secret>","scopes":["links:read","links:write"]}]; empty turns the admin API off.',
    ),
  ADMIN_PORT: z
    .preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(65_535).optional())
    .describe('Port serving /admin/v1 alone (0: any free port); unset serves it on PORT beside the public API.'),
  RATE_LIMIT_ADMIN_PER_MIN: integer('Admin API requests per minute, per key and per client IP.', {
    default: 300,
    min: 1,
    max: 1_000_000,
  }),
});
export type AdminConfig = z.output<typeof adminConfigSchema>;
