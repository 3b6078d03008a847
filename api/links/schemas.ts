import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { ID_RANGES, describeIds, formats, languages, themes, type IdRange } from '../../core/catalogue/catalogue';
import { TARGET_URL_MAX_LENGTH } from '../../core/links/link';
import { MAX_PHRASE_LENGTH } from '../../core/phrases/phrase';

extendZodWithOpenApi(z);

const idField = (range: IdRange, items: Parameters<typeof describeIds>[0]) =>
  z
    .number()
    .int()
    .min(range.min)
    .max(range.max)
    .nullish()
    .openapi({ example: range.min, description: `${describeIds(items)}.` });

/**
 * The request and response shapes of the links routes, as the OpenAPI document describes them. Requests are
 * validated by `validate-create-link.ts`, by hand, because the original's rule order and codes are part of the
 * contract; both take their bounds from the same constants and the catalogue, so the two cannot drift. Fields
 * are nullable like the original's contract: a missing or null field is reported by the rule it breaks, not as
 * a type error.
 */
export const createLinkBody = z
  .object({
    targetUrl: z
      .string()
      .max(TARGET_URL_MAX_LENGTH)
      .nullish()
      .openapi({
        example: 'https://example.com/a/long/path',
        description: `Absolute http(s) URL, at most ${TARGET_URL_MAX_LENGTH} characters.`,
      }),
    languageId: idField(ID_RANGES.language, languages),
    themeId: idField(ID_RANGES.theme, themes),
    formatId: idField(ID_RANGES.format, formats),
  })
  .openapi('CreateLinkRequest');

export const createLinkResponse = z
  .object({
    url: z.string().openapi({ example: 'http://localhost:8080/very-smelly-penguin' }),
    statsUrl: z.string().openapi({ example: 'http://localhost:8080/s/very-smelly-penguin' }),
  })
  .openapi('CreateLinkResponse');

export const phraseParam = z.object({
  phrase: z
    .string()
    .min(1)
    .max(MAX_PHRASE_LENGTH)
    .openapi({ param: { name: 'phrase', in: 'path' }, example: 'very-smelly-penguin' }),
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
    botVisits: z
      .number()
      .int()
      .openapi({ description: 'Redirects served to crawlers and link previews (not in `visits`).' }),
    recentVisits: z.array(recentVisit).openapi({ description: 'At most 10, newest first.' }),
    createdAt: z.string(),
  })
  .openapi('LinkStats');
