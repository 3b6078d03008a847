import { OpenAPIRegistry, OpenApiGeneratorV31, extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { MAX_PHRASE_LENGTH } from '../../core/phrases/phrase';
import { DIFFERENCES_MARKDOWN } from './differences';
import { problem } from './problem-schema';
import { createLinkBody, createLinkResponse, linkStatsResponse, phraseParam, shortPhraseParam } from '../links/schemas';
import { RESERVED_PATHS } from '../../core/phrases/reserved-paths';

extendZodWithOpenApi(z);

const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: problem } },
});
const catalogueItem = z.object({ value: z.number().int(), name: z.string() });

/** Built from the route schemas in `links/schemas.ts` and the catalogue; validation itself is hand-written. */
export function buildOpenApiDocument(serverUrl: string): object {
  const registry = new OpenAPIRegistry();
  const apiKey = registry.registerComponent('securitySchemes', 'ApiKey', {
    type: 'apiKey',
    in: 'header',
    name: 'X-Offnd-Api-Key',
  });
  const secured = [{ [apiKey.name]: [] }];
  const common = {
    401: problemResponse('Missing or invalid API key.'),
    429: problemResponse('Rate limited; see Retry-After.'),
  };
  const unavailable = {
    503: problemResponse('The database is unavailable (`General.Unavailable`); see Retry-After.'),
  };

  const catalogue = [
    ['languages', z.object({ languages: z.array(catalogueItem.extend({ code: z.string() })) })],
    ['themes', z.object({ themes: z.array(catalogueItem) })],
    ['formats', z.object({ formats: z.array(catalogueItem) })],
  ] as const;
  for (const [name, schema] of catalogue) {
    registry.registerPath({
      method: 'get',
      path: `/v1/${name}`,
      tags: ['Catalogue'],
      summary: `List ${name}`,
      security: secured,
      responses: { 200: { description: `The ${name}.`, content: { 'application/json': { schema } } }, ...common },
    });
  }
  registry.registerPath({
    method: 'post',
    path: '/v1/links',
    tags: ['Links'],
    summary: 'Create a phrase link',
    security: secured,
    request: { body: { required: true, content: { 'application/json': { schema: createLinkBody } } } },
    responses: {
      201: {
        description: 'Created; Location is the short URL.',
        content: { 'application/json': { schema: createLinkResponse } },
      },
      400: problemResponse('Validation failed (every failure listed).'),
      413: problemResponse('Body too large.'),
      415: problemResponse('Body is not JSON, or its Content-Encoding is not supported.'),
      ...common,
      ...unavailable,
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/links/{phrase}',
    tags: ['Links'],
    summary: 'Link statistics',
    security: secured,
    request: { params: phraseParam },
    responses: {
      200: {
        description: 'The link, its visit counts and the 10 most recent visits.',
        content: { 'application/json': { schema: linkStatsResponse } },
      },
      400: problemResponse('Phrase blank or holding control characters.'),
      404: problemResponse('No such link.'),
      ...common,
      ...unavailable,
    },
  });
  const redirects = [
    ['/v1/redirects/{phrase}', phraseParam],
    ['/{phrase}', shortPhraseParam([...RESERVED_PATHS])],
  ] as const;
  for (const [path, params] of redirects) {
    registry.registerPath({
      method: 'get',
      path,
      tags: ['Redirects'],
      summary: 'Follow a short link',
      description: 'HEAD is answered alike, without counting a visit.',
      request: { params },
      responses: {
        301: {
          description: 'Redirect to the target (status and Cache-Control are configurable).',
          headers: { Location: { description: 'The target URL.', schema: { type: 'string' } } },
        },
        400: problemResponse(
          `Phrase blank, longer than ${MAX_PHRASE_LENGTH} characters, not correctly percent-encoded or holding control characters.`,
        ),
        404: problemResponse('No such link.'),
        410: problemResponse(
          'The link was disabled, deleted, expired or blocked (`Link.Disabled`, `Link.Deleted`, `Link.Expired`, `Link.Blocked`); `/{phrase}` answers a short HTML page instead.',
        ),
        429: problemResponse('Rate limited; see Retry-After.'),
        503: problemResponse('The link is in no cache and the database is unavailable; see Retry-After.'),
      },
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'offndat API | v1',
      version: '1',
      description: `Memorable phrase short links, compatible with the offnd.at v1 API.\n\n${DIFFERENCES_MARKDOWN}`,
    },
    servers: [{ url: serverUrl }],
  });
}
