import type { IncomingMessage, RequestListener } from 'node:http';
import compression from 'compression';
import cors from 'cors';
import express, { Router, type RequestHandler } from 'express';
import { CodedError, GeneralErrors } from '../core/errors/coded-error';
import { ADMIN_PREFIX, adminRouter } from './admin/admin-app';
import type { AdminDeps } from './admin/admin-deps';
import { catalogueRoutes } from './catalogue/catalogue-routes';
import type { ApiDeps } from './deps';
import { docsRoutes } from './docs/docs-routes';
import { healthRoutes } from './health/health-routes';
import { requireApiKey } from './http/api-key';
import { clientIp, compileTrust } from './http/client-ip';
import { methodNotAllowed } from './http/method-not-allowed';
import { createProblemResponder, problemHandler } from './http/problem-handler';
import { rateLimitApi } from './http/rate-limit';
import { requestMetrics } from './http/request-metrics';
import { CREATE_PATH, createLeanCreateHandler } from './links/lean-create';
import { createLinkCreation, createLinkHandler, linkStatsHandler } from './links/link-routes';
import { statsPageRoutes } from './links/stats-page';
import { createRedirectHandler } from './redirects/redirect-handler';

function requireJson(): RequestHandler {
  return (req, _res, next) => {
    next(
      req.is('application/json') || req.is('application/*+json')
        ? undefined
        : new CodedError(GeneralErrors.unsupportedMediaType),
    );
  };
}

/**
 * Builds the API as a node request listener without listening. Redirects, and link creation by API clients, are
 * served by lean handlers in front of Express; everything else goes through the middleware stack below, in this order: metrics,
 * version header, CORS (before rate limiting, so browsers can read a 429), rate limits, API key, routes,
 * problem+json errors.
 */
export function buildApp(deps: ApiDeps): RequestListener {
  const { config } = deps;
  const trust = compileTrust(config.TRUST_PROXY);
  const app = express();
  app.disable('x-powered-by');
  useClientIp(app, trust);
  app.set('etag', false);

  app.use(requestMetrics(deps.metrics));
  app.use((_req, res, next) => {
    res.setHeader('api-supported-versions', '1');
    next();
  });
  app.use(corsForBrowsers(config.CORS_ORIGINS));
  // The API first: every layer a request walks past costs it. Creation, the busiest route here, sits on the
  // app itself so it walks through no router; the rest of /v1 shares one router behind the same guards.
  const apiLimiter = deps.apiLimiter ? rateLimitApi(deps.apiLimiter) : undefined;
  const v1Guards = [...(apiLimiter ? [apiLimiter] : []), requireApiKey(config.API_KEYS)];
  const create = createLinkCreation(deps);
  app.post(
    CREATE_PATH,
    ...v1Guards,
    requireJson(),
    express.json({ limit: config.BODY_LIMIT, strict: false }),
    createLinkHandler(create),
  );
  app.use('/v1', ...v1Guards, v1Routes(deps));
  app.use(healthRoutes(deps));
  // Without a port of its own the admin API shares this one (a single-process install); its keys still guard it.
  if (deps.admin && config.ADMIN_PORT === undefined) app.use(ADMIN_PREFIX, adminRouter(deps.admin, config.BASE_URL));
  // Only large bodies are worth compressing: the docs assets and pages. API JSON stays under the threshold.
  app.use(['/docs', '/openapi', '/s'], compression());
  app.use(docsRoutes(config.BASE_URL));
  // The stats page reads the database like the API does, so it shares the API's limits.
  if (apiLimiter) app.use('/s', apiLimiter);
  app.use(statsPageRoutes(deps));
  app.use(methodNotAllowed());
  app.use((_req, _res, next) => next(new CodedError(GeneralErrors.notFound)));
  const respond = createProblemResponder(deps);
  app.use(problemHandler(respond));

  const redirect = createRedirectHandler(deps, trust.trust);
  const createLean = createLeanCreateHandler(deps, trust.trust, create, respond);
  return (req, res) => {
    if (!redirect(req, res) && !createLean(req, res)) app(req, res);
  };
}

/**
 * CORS headers mean something only to a browser, which always sends `Origin` on a cross-origin request; API
 * clients and servers do not, and get just `Vary: Origin` so no shared cache hands their answer to a browser.
 * `*` grants every origin the literal `*` and never credentials: reflecting the caller's origin (or `null`)
 * with credentials would let any page act with a visitor's cookies.
 */
function corsForBrowsers(origins: readonly string[]): RequestHandler {
  const anyOrigin = origins.includes('*');
  const handler = cors({
    origin: anyOrigin ? '*' : [...origins],
    credentials: !anyOrigin,
    exposedHeaders: [
      'Location',
      'api-supported-versions',
      'Retry-After',
      'RateLimit-Limit',
      'RateLimit-Remaining',
      'RateLimit-Reset',
    ],
    maxAge: 600,
  });
  return (req, res, next) => {
    if (req.headers.origin !== undefined) return handler(req, res, next);
    res.setHeader('Vary', 'Origin');
    next();
  };
}

/** The rest of `/v1` (behind the limits and the API key); what matches nothing falls through to the 404. */
function v1Routes(deps: ApiDeps): Router {
  const router = Router();
  router.get('/links/:phrase', linkStatsHandler(deps));
  router.use(catalogueRoutes());
  return router;
}

/** The admin API alone, for its own port (`ADMIN_PORT`), so a NetworkPolicy can admit only who may administer. */
export function buildAdminApp(deps: ApiDeps & { readonly admin: AdminDeps }, serverUrl: string): RequestListener {
  const app = express();
  app.disable('x-powered-by');
  useClientIp(app, compileTrust(deps.config.TRUST_PROXY));
  app.set('etag', false);
  app.use(requestMetrics(deps.metrics));
  app.use(ADMIN_PREFIX, adminRouter(deps.admin, serverUrl));
  app.use((_req, _res, next) => next(new CodedError(GeneralErrors.notFound)));
  app.use(problemHandler(createProblemResponder(deps)));
  return app;
}

/** req.ip as the limiters must see it: Express's own would return a forwarded entry that is not an address. */
function useClientIp(app: express.Express, trust: ReturnType<typeof compileTrust>): void {
  app.set('trust proxy', trust.expressSetting);
  Object.defineProperty(app.request, 'ip', {
    configurable: true,
    get(this: IncomingMessage) {
      return clientIp(this, trust.trust);
    },
  });
}
