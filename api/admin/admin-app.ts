import express, { Router } from 'express';
import { authenticateAdmin } from './admin-auth';
import type { AdminDeps } from './admin-deps';
import { buildAdminOpenApiDocument } from './admin-openapi';
import { auditRoutes } from './audit-routes';
import { blocklistRoutes } from './blocklist-routes';
import { linkAdminRoutes } from './link-admin-routes';

export const ADMIN_PREFIX = '/admin/v1';

/**
 * `/admin/v1` as a router: its OpenAPI document is public (it holds no secret), everything else is behind the
 * admin keys, the admin rate limits and each route's scope. Mounted by `buildApp()` or served on its own port.
 */
export function adminRouter(deps: AdminDeps, serverUrl: string): Router {
  const document = JSON.stringify(buildAdminOpenApiDocument(serverUrl));
  const router = Router();
  router.get('/openapi.json', (_req, res) => void res.type('application/json; charset=utf-8').send(document));
  router.use(authenticateAdmin(deps));
  router.use(express.json({ limit: '16kb', strict: true }));
  router.use(linkAdminRoutes(deps), blocklistRoutes(deps), auditRoutes(deps));
  return router;
}
