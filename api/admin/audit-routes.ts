import { Router } from 'express';
import { readAudit } from '../../core/audit/audit-log';
import { requireScope } from './admin-auth';
import type { AdminDeps } from './admin-deps';
import { parse } from './admin-request';
import { auditQuery } from './admin-schemas';
import { auditBody } from './admin-views';

/** `/admin/v1/audit`: who changed what and when, newest first. */
export function auditRoutes(deps: AdminDeps): Router {
  const router = Router();
  router.get('/audit', requireScope('audit:read'), async (req, res) => {
    const query = parse(auditQuery, req.query);
    const records = await readAudit(deps.pool, {
      targetType: query.targetType,
      target: query.target,
      actor: query.actor,
      beforeId: query.cursor,
      limit: query.limit + 1,
    });
    const page = records.slice(0, query.limit);
    const last = page[page.length - 1];
    res.json({ records: page.map(auditBody), nextCursor: records.length > query.limit && last ? last.id : null });
  });
  return router;
}
