import type { RequestListener } from 'node:http';
import compression from 'compression';
import cors from 'cors';
import express, { Router, type ErrorRequestHandler, type RequestHandler } from 'express';
import { CodedError, GeneralErrors } from '../core/errors/coded-error';
import { createPoolGaugeCollector } from '../core/metrics/pool-gauge';
import { createMetricsHandler } from './metrics/metrics-handler';
import { catalogueRoutes } from './catalogue/catalogue-routes';
import type { ApiDeps } from './deps';
import { docsRoutes } from './docs/docs-routes';
import { healthRoutes } from './health/health-routes';
import { requireApiKey } from './http/api-key';
import { compileTrust } from './http/client-ip';
import { sendProblem } from './http/problem';
import { requestMetrics } from './middleware/request-metrics';
import { linkRoutes } from './links/link-routes';
import { statsPageRoutes } from './links/stats-page';
import { createRedirectHandler } from './redirects/redirect-handler';

/** body-parser's error types, mapped to our codes so clients never see its HTML or a 500. */
const bodyErrors: Record<string, CodedError> = {
  'entity.parse.failed': new CodedError(GeneralErrors.malformedJson),
  'entity.too.large': new CodedError(GeneralErrors.payloadTooLarge),
  'encoding.unsupported': new CodedError(GeneralErrors.unsupportedMediaType),
  'charset.unsupported': new CodedError(GeneralErrors.unsupportedMediaType),
};

function requireJson(): RequestHandler {
  return (req, _res, next) => {
    next(req.is('application/json') || req.is('application/*+json') ? undefined : new CodedError(GeneralErrors.unsupportedMediaType));
  };
}

function problemHandler(deps: ApiDeps): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const typed = error as { type?: string; status?: number };
    const mapped = (typed.type && bodyErrors[typed.type]) || error;
    if (res.headersSent) return void res.end();
    const problem = sendProblem(req, res, mapped);
    if (problem.status >= 500) deps.logger.error({ err: error, requestId: problem.requestId, instance: problem.instance }, 'unhandled error');
  };
}

/**
 * Builds the API as a node request listener without listening. Redirects are served by a lean handler in
 * front of Express; everything else goes through the middleware stack below, in this order: metrics,
 * version header, CORS (before rate limiting, so browsers can read a 429), rate limits, API key, routes,
 * problem+json errors.
 */
export function buildApp(deps: ApiDeps): RequestListener {
  const { config } = deps;
  const trust = compileTrust(config.TRUST_PROXY);
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', trust.expressSetting);
  app.set('etag', false);

  app.use(requestMetrics(deps.metrics));
  app.use((_req, res, next) => {
    res.setHeader('api-supported-versions', '1');
    next();
  });
  app.use(
    cors({
      origin: config.CORS_ORIGINS.includes('*') ? true : config.CORS_ORIGINS,
      credentials: true,
      exposedHeaders: ['Location', 'api-supported-versions', 'Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'],
      maxAge: 600,
    }),
  );
  // The API first: every layer a request walks past costs it, and link creation is the busiest route here.
  app.use('/v1', v1Routes(deps));
  app.use(healthRoutes(deps));
  app.get('/metrics', createMetricsHandler(deps.metrics.registry, [createPoolGaugeCollector(deps.metrics, deps.pools)]));
  // Only large bodies are worth compressing: the docs assets and pages. API JSON stays under the threshold.
  app.use(['/docs', '/openapi', '/s'], compression());
  app.use(docsRoutes(config.BASE_URL));
  // The stats page reads the database like the API does, so it shares the API's limits.
  if (deps.apiLimiter) app.use('/s', deps.apiLimiter);
  app.use(statsPageRoutes(deps));
  app.use((_req, _res, next) => next(new CodedError(GeneralErrors.notFound)));
  app.use(problemHandler(deps));

  const redirect = createRedirectHandler(deps, trust.trust);
  return (req, res) => {
    if (!redirect(req, res)) app(req, res);
  };
}

/** `/v1`: rate limits, then the API key, then the routes; what matches none of them falls through to the 404. */
function v1Routes(deps: ApiDeps): Router {
  const { config } = deps;
  const router = Router();
  if (deps.apiLimiter) router.use(deps.apiLimiter);
  router.use(requireApiKey(config.API_KEYS));
  router.use('/links', requireJsonOnPost(), express.json({ limit: config.BODY_LIMIT, strict: false }), linkRoutes(deps));
  router.use(catalogueRoutes());
  return router;
}

function requireJsonOnPost(): RequestHandler {
  const json = requireJson();
  return (req, res, next) => (req.method === 'POST' ? json(req, res, next) : next());
}
