import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { problem } from '../docs/problem-schema';
import { ADMIN_SCOPES } from './admin-config';
import {
  auditPage,
  auditQuery,
  disableBody,
  expiryBody,
  linkPage,
  linkSearchQuery,
  linkView,
  phraseParam,
  recheckResult,
  ruleBody,
  ruleIdParam,
  ruleView,
} from './admin-schemas';

const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: problem } },
});
const json = (description: string, schema: z.ZodType) => ({ description, content: { 'application/json': { schema } } });

const DESCRIPTION = `Administration of a running offndat: search and inspect links, take them down (disable, delete,
expire by time or by visit budget), manage the target blocklist, read the audit log.

Authenticate with \`Authorization: Bearer <admin key>\`. Admin keys are configured apart from the public API keys
(\`ADMIN_KEYS\`), each with an id (recorded in the audit log as \`key:<id>\`) and scopes: ${ADMIN_SCOPES.map((s) => `\`${s}\``).join(', ')}.
A missing or unknown key answers 401 \`General.Unauthorized\`; a key without the route's scope 403 \`Admin.Forbidden\`.
Requests are limited per client IP and per key (429 \`General.TooManyRequests\`, \`Retry-After\`).

A change takes effect on every api instance at once: the caches of every instance drop the link (through Redis
pub/sub), and the link then answers **410** (\`Link.Disabled\`, \`Link.Deleted\`, \`Link.Expired\`, \`Link.Blocked\`) as
problem+json on \`/v1/redirects/{phrase}\` and as a short HTML page on \`/{phrase}\`.`;

/** The admin API's own OpenAPI document, served at `/admin/v1/openapi.json`. */
export function buildAdminOpenApiDocument(serverUrl: string): object {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'AdminKey', { type: 'http', scheme: 'bearer' });
  const path = (
    method: 'get' | 'post' | 'put' | 'delete',
    route: string,
    summary: string,
    scopes: string[],
    extra: { request?: object; responses: Record<number, object> },
  ) =>
    registry.registerPath({
      method,
      path: `/admin/v1${route}`,
      tags: [route.startsWith('/links') ? 'Links' : route.startsWith('/blocklist') ? 'Blocklist' : 'Audit'],
      summary: `${summary} (scope: ${scopes.join(' + ')})`,
      security: [{ [bearer.name]: scopes }],
      ...(extra.request ? { request: extra.request } : {}),
      responses: {
        ...extra.responses,
        401: problemResponse('Missing or unknown admin key.'),
        403: problemResponse('The key lacks the scope.'),
        429: problemResponse('Rate limited; see Retry-After.'),
      },
    });
  const invalid = problemResponse('Invalid request (`Admin.InvalidRequest`, `Admin.InvalidCursor`).');
  const notFound = problemResponse('No such link (`Link.NotFound`).');
  const deleted = problemResponse('The link is deleted (`Link.Deleted`); deleted links cannot change.');
  const changed = { 200: json('The link after the change.', linkView), 400: invalid, 404: notFound, 410: deleted };

  path('get', '/links', 'Search links, newest first', ['links:read'], {
    request: { query: linkSearchQuery },
    responses: { 200: json('A page of links.', linkPage), 400: invalid },
  });
  path('get', '/links/{phrase}', 'Read one link with its counters', ['links:read'], {
    request: { params: phraseParam },
    responses: { 200: json('The link.', linkView), 404: notFound },
  });
  path('post', '/links/{phrase}/disable', 'Take a link down', ['links:write'], {
    request: { params: phraseParam, body: { content: { 'application/json': { schema: disableBody } } } },
    responses: changed,
  });
  path('post', '/links/{phrase}/enable', 'Restore a disabled link', ['links:write'], {
    request: { params: phraseParam },
    responses: changed,
  });
  path('delete', '/links/{phrase}', 'Delete a link (final; its stats stay readable here)', ['links:write'], {
    request: { params: phraseParam },
    responses: changed,
  });
  path('put', '/links/{phrase}/expiry', 'Set an expiry time, a visit budget, or both', ['links:write'], {
    request: { params: phraseParam, body: { content: { 'application/json': { schema: expiryBody } } } },
    responses: changed,
  });
  path('delete', '/links/{phrase}/expiry', 'Clear the expiry and the visit budget', ['links:write'], {
    request: { params: phraseParam },
    responses: changed,
  });
  path('get', '/blocklist', 'The rules in force (database and file)', ['blocklist:read'], {
    responses: { 200: json('The rules.', z.object({ rules: z.array(ruleView) })) },
  });
  path('post', '/blocklist', 'Add a rule', ['blocklist:write'], {
    request: { body: { content: { 'application/json': { schema: ruleBody } } } },
    responses: {
      201: json('The rule.', ruleView),
      400: problemResponse('Invalid rule (`Blocklist.InvalidRule`, `Admin.InvalidRequest`).'),
      409: problemResponse('The same rule exists (`Blocklist.RuleExists`).'),
    },
  });
  path('delete', '/blocklist/{id}', 'Remove a rule', ['blocklist:write'], {
    request: { params: ruleIdParam },
    responses: { 200: json('The removed rule.', ruleView), 404: problemResponse('`Blocklist.RuleNotFound`.') },
  });
  path(
    'post',
    '/blocklist/recheck',
    'Disable every live link the rules now refuse',
    ['blocklist:write', 'links:write'],
    {
      responses: { 200: json('What was checked and disabled.', recheckResult) },
    },
  );
  path('get', '/audit', 'The audit log, newest first', ['audit:read'], {
    request: { query: auditQuery },
    responses: { 200: json('A page of records.', auditPage), 400: invalid },
  });
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'offndat admin API | v1', version: '1', description: DESCRIPTION },
    servers: [{ url: serverUrl }],
  });
}
