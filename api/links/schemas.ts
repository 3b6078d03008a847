import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { PHRASE_MAX_LENGTH, TARGET_URL_MAX_LENGTH } from '../../core/links/link';

extendZodWithOpenApi(z);

/**
 * The request and response shapes of the links routes. The same schemas drive the OpenAPI document and
 * the validation, so the two cannot drift. Fields are nullable like the original's contract: a missing
 * or null field is reported by the rule it breaks, not as a type error.
 */
export const createLinkBody = z
  .object({
    targetUrl: z.string().max(TARGET_URL_MAX_LENGTH).nullish().openapi({ example: 'https://example.com/a/long/path', description: 'Absolute http(s) URL, at most 4096 characters.' }),
    languageId: z.number().int().min(0).max(1).nullish().openapi({ example: 0, description: '0 English, 1 Polish.' }),
    themeId: z.number().int().min(0).max(2).nullish().openapi({ example: 0, description: '0 none, 1 proper-names, 2 politicians.' }),
    formatId: z.number().int().min(0).max(1).nullish().openapi({ example: 0, description: '0 kebab-case, 1 pascal-case.' }),
  })
  .openapi('CreateLinkRequest');

export const createLinkResponse = z
  .object({
    url: z.string().openapi({ example: 'http://localhost:8080/very-smelly-penguin' }),
    statsUrl: z.string().openapi({ example: 'http://localhost:8080/s/very-smelly-penguin' }),
  })
  .openapi('CreateLinkResponse');

export const phraseParam = z.object({
  phrase: z.string().min(1).max(PHRASE_MAX_LENGTH).openapi({ param: { name: 'phrase', in: 'path' }, example: 'very-smelly-penguin' }),
});

export const recentVisit = z
  .object({
    visitedAt: z.string().openapi({ example: '2026-01-16T10:00:00.000+00:00' }),
    ipAddress: z.string().nullable(),
    userAgent: z.string().nullable(),
    referrer: z.string().nullable(),
  })
  .openapi('RecentVisit');

export const linkStatsResponse = z
  .object({
    id: z.uuid(),
    phrase: z.string(),
    targetUrl: z.string(),
    languageId: z.number().int(),
    themeId: z.number().int(),
    visits: z.number().int().openapi({ description: 'Counted human visits.' }),
    botVisits: z.number().int().openapi({ description: 'Redirects served to crawlers and link previews (not in `visits`).' }),
    recentVisits: z.array(recentVisit).openapi({ description: 'At most 10, newest first.' }),
    createdAt: z.string(),
  })
  .openapi('LinkStats');

export type CreateLinkBody = z.infer<typeof createLinkBody>;
