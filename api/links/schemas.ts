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
    .openapi({ example: range.min, description: `${describeIds(items)}.` });

/**
 * A URL every server accepts: http(s), a host name whose labels start with a letter and never end in a number or look
 * like punycode (such hosts are parsed as IPv4 or IDNA and may be refused), a port below 10000, ASCII path, query and fragment. Other URLs the
 * WHATWG parser takes are accepted too (IDN hosts, IP literals); JSON Schema cannot say exactly which.
 */
const TARGET_URL_PATTERN =
  "^https?://[A-Za-z][A-Za-z0-9]*(-[A-Za-z0-9]+)*(\\.[A-Za-z][A-Za-z0-9]*(-[A-Za-z0-9]+)*)*(:[0-9]{1,4})?(/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*)?(\\?[A-Za-z0-9._~!$&'()*+,;=:@%/?-]*)?(#[A-Za-z0-9._~!$&'()*+,;=:@%/?-]*)?$";

/**
 * The request and response shapes of the links routes, as the OpenAPI document describes them. Requests are
 * validated by `validate-create-link.ts`, by hand, because the original's rule order and codes are part of the
 * contract; both take their bounds from the same constants and the catalogue, so the two cannot drift. Every
 * field is required and non-null, as the validation enforces: a missing, null or wrongly typed field is
 * reported by the rule it breaks (400), not as a type error.
 */
export const createLinkBody = z
  .object({
    targetUrl: z
      .string()
      .min(1)
      .max(TARGET_URL_MAX_LENGTH)
      .regex(new RegExp(TARGET_URL_PATTERN))
      .openapi({
        example: 'https://example.com/a/long/path',
        description: `Absolute http(s) URL with a host, at most ${TARGET_URL_MAX_LENGTH} characters, no control characters.`,
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

/** At least one character that is not white space, and no control characters (both are refused with 400). */
const PHRASE_PATTERN =
  '^[^\\u0000-\\u001f\\u007f-\\u009f]*[^\\s\\u0000-\\u001f\\u007f-\\u009f\\ufeff][^\\u0000-\\u001f\\u007f-\\u009f]*$';

const phrase = z
  .string()
  .min(1)
  .max(MAX_PHRASE_LENGTH)
  .regex(new RegExp(PHRASE_PATTERN))
  .openapi({
    param: { name: 'phrase', in: 'path' },
    example: 'very-smelly-penguin',
    description: `Up to ${MAX_PHRASE_LENGTH} characters, no control characters.`,
  });

export const phraseParam = z.object({ phrase });

/**
 * `/{phrase}` shares the root with the API's own paths, which are never phrases. Said in words: as a `not`
 * in the schema, fuzzers take `/docs` for a request to this operation.
 */
export const shortPhraseParam = (reserved: readonly string[]) =>
  z.object({
    phrase: phrase.openapi({
      description: `Up to ${MAX_PHRASE_LENGTH} characters, no control characters; never one of the API's own first segments (${reserved
        .filter(Boolean)
        .map((name) => `\`${name}\``)
        .join(', ')}).`,
    }),
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
