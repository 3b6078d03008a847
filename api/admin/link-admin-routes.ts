import { Router, type Request } from 'express';
import { CodedError } from '../../core/errors/coded-error';
import { canonicalHost } from '../../core/blocklist/blocklist-rule';
import { findLinkForAdmin, searchLinks } from '../../core/links/admin/pg-link-admin-repository';
import type { LinkAdminView } from '../../core/links/admin/link-admin-view';
import { LinkErrors } from '../../core/links/link';
import { requestContext } from '../http/request-context';
import { actorOf, requireScope } from './admin-auth';
import type { AdminDeps } from './admin-deps';
import { parse } from './admin-request';
import { disableBody, expiryBody, linkSearchQuery, phraseParam } from './admin-schemas';
import { decodeLinkCursor, encodeLinkCursor, linkBody } from './admin-views';

/** `/admin/v1/links`: search, read, take down, restore, delete, expire. */
export function linkAdminRoutes(deps: AdminDeps): Router {
  const router = Router();
  const read = requireScope('links:read');
  const write = requireScope('links:write');
  const show = (link: LinkAdminView) =>
    linkBody(link, deps.baseUrl, link.state === 'active' ? deps.blocklistStore.check(link.targetUrl) : undefined);
  const actor = (req: Request) => actorOf(req, requestContext(req).requestId);
  const phraseOf = (req: Request) => parse(phraseParam, req.params).phrase;

  router.get('/links', read, async (req, res) => {
    const query = parse(linkSearchQuery, req.query);
    const page = await searchLinks(deps.pool, {
      phrasePrefix: query.phrase,
      host: query.host === undefined ? undefined : (canonicalHost(query.host) ?? query.host.toLowerCase()),
      createdFrom: query.createdFrom === undefined ? undefined : new Date(query.createdFrom),
      createdTo: query.createdTo === undefined ? undefined : new Date(query.createdTo),
      owner: query.owner,
      after: decodeLinkCursor(query.cursor),
      limit: query.limit,
    });
    res.json({ links: page.links.map(show), nextCursor: encodeLinkCursor(page.next) });
  });

  router.get('/links/:phrase', read, async (req, res) => {
    const link = await findLinkForAdmin(deps.pool, phraseOf(req));
    if (!link) throw new CodedError(LinkErrors.notFound);
    res.json(show(link));
  });

  router.post('/links/:phrase/disable', write, async (req, res) => {
    const body = parse(disableBody, req.body);
    res.json(show(await deps.links.disable(phraseOf(req), body.reason, actor(req))));
  });

  router.post('/links/:phrase/enable', write, async (req, res) => {
    res.json(show(await deps.links.enable(phraseOf(req), actor(req))));
  });

  router.delete('/links/:phrase', write, async (req, res) => {
    res.json(show(await deps.links.delete(phraseOf(req), actor(req))));
  });

  router.put('/links/:phrase/expiry', write, async (req, res) => {
    const body = parse(expiryBody, req.body);
    const expiresAt =
      body.expiresAt === undefined || body.expiresAt === null ? body.expiresAt : new Date(body.expiresAt);
    res.json(show(await deps.links.setExpiry(phraseOf(req), { expiresAt, maxVisits: body.maxVisits }, actor(req))));
  });

  router.delete('/links/:phrase/expiry', write, async (req, res) => {
    res.json(show(await deps.links.setExpiry(phraseOf(req), { expiresAt: null, maxVisits: null }, actor(req))));
  });

  return router;
}
