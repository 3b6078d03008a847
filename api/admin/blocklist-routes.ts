import { Router, type Request } from 'express';
import { listBlocklistRules } from '../../core/blocklist/pg-blocklist-repository';
import { requestContext } from '../http/request-context';
import { actorOf, requireScope } from './admin-auth';
import type { AdminDeps } from './admin-deps';
import { parse } from './admin-request';
import { ruleBody as ruleInput, ruleIdParam } from './admin-schemas';
import { ruleBody } from './admin-views';

/** `/admin/v1/blocklist`: the rules in force (database and file), adding and removing rules, the bulk re-check. */
export function blocklistRoutes(deps: AdminDeps): Router {
  const router = Router();
  const actor = (req: Request) => actorOf(req, requestContext(req).requestId);

  router.get('/blocklist', requireScope('blocklist:read'), async (_req, res) => {
    // The database's rules as stored now, and the file's as this process loaded them.
    const stored = await listBlocklistRules(deps.pool);
    const fromFile = deps.blocklistStore.current().rules.filter((rule) => rule.source === 'file');
    res.json({ rules: [...fromFile, ...stored].map(ruleBody) });
  });

  router.post('/blocklist', requireScope('blocklist:write'), async (req, res) => {
    const input = parse(ruleInput, req.body);
    res.status(201).json(ruleBody(await deps.blocklist.add(input, actor(req))));
  });

  router.delete('/blocklist/:id', requireScope('blocklist:write'), async (req, res) => {
    res.json(ruleBody(await deps.blocklist.remove(parse(ruleIdParam, req.params).id, actor(req))));
  });

  // Disables links, so it needs both scopes.
  router.post('/blocklist/recheck', requireScope('blocklist:write'), requireScope('links:write'), async (req, res) => {
    res.json(await deps.blocklist.recheck(actor(req)));
  });

  return router;
}
