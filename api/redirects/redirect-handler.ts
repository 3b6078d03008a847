import type { IncomingMessage, ServerResponse } from 'node:http';
import { languageById, themeById } from '../../core/catalogue/catalogue';
import { createRateLimitedWarn } from '../../core/logging/rate-limited-warn';
import { CodedError, GeneralErrors, ValidationError } from '../../core/errors/coded-error';
import { writeRateLimitHeaders, writeRetryAfter } from '../http/rate-limit-headers';
import { LinkErrors, type GoneReason, type ResolvedLink } from '../../core/links/link';
import { PhraseErrors } from '../../core/phrases/phrase';
import type { ApiDeps, RedirectVerdict } from '../deps';
import { clientIp, type TrustFunction } from '../http/client-ip';
import { sendProblem } from '../http/problem';
import { createRouteObserver } from '../http/route-observer';
import { sendGonePage } from './gone-page';
import { matchPhrasePath } from './phrase-path';
import { visitFor } from './visit-event';

const phraseRequired = new ValidationError([
  { code: 'VisitLink.PhraseIsRequired', message: 'The phrase is required.' },
]);
const malformed = new ValidationError([
  {
    code: 'VisitLink.PhraseMalformed',
    message: 'The phrase is not correctly percent-encoded, or holds control characters.',
  },
]);
const tooLong = new CodedError(PhraseErrors.longerThanAllowed);
const notFound = new CodedError(LinkErrors.notFound);
const tooMany = new CodedError(GeneralErrors.tooManyRequests);
const goneErrors: Record<GoneReason, CodedError> = {
  disabled: new CodedError(LinkErrors.disabled),
  deleted: new CodedError(LinkErrors.deleted),
  expired: new CodedError(LinkErrors.expired),
  blocked: new CodedError(LinkErrors.blocked),
};
const BROWSER_ROUTE = '/:phrase';

export type LeanHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * Serves `GET|HEAD /{phrase}` and `/v1/redirects/{phrase}` straight on node:http, ahead of Express: this is
 * the hot path, and Express's per-request work would cost most of its throughput. When the link is in the
 * in-process cache the response is written synchronously. Returns false for requests it does not own.
 * Visits are handed to the sink and never awaited; HEAD requests are redirected but not counted.
 */
export function createRedirectHandler(deps: ApiDeps, trust: TrustFunction): LeanHandler {
  const { config, links, visits, redirectLimiter, metrics } = deps;
  const observe = createRouteObserver(metrics);
  const status = config.REDIRECT_STATUS;
  const cacheControl = config.REDIRECT_CACHE_CONTROL;
  const anonymise = deps.anonymiseIp;
  const warnUnavailable = createRateLimitedWarn(deps.logger, 10_000);
  const visitCounters = new Map<string, { inc(): void }>();
  // Label children are cached: resolving labels per redirect is measurable at tens of thousands per second.
  const countVisit = (languageId: number, themeId: number, isBot: boolean) => {
    const key = `${languageId}:${themeId}:${isBot}`;
    let counter = visitCounters.get(key);
    if (!counter) {
      const language = languageById(languageId)?.code ?? String(languageId);
      const theme = themeById(themeId)?.name ?? String(themeId);
      counter = metrics.linkVisits.labels(language, theme, String(isBot));
      visitCounters.set(key, counter);
    }
    counter.inc();
  };

  function redirect(
    req: IncomingMessage,
    res: ServerResponse,
    link: ResolvedLink,
    ip: string,
    started: number,
    route: string,
  ) {
    if (link.gone !== undefined) return gone(req, res, link.gone, started, route);
    res.writeHead(status, {
      Location: link.targetUrl,
      'Cache-Control': cacheControl,
      'api-supported-versions': '1',
      'Content-Length': '0',
    });
    res.end();
    if (req.method === 'GET') {
      const visit = visitFor(req, link, anonymise ? anonymise(ip) : ip, Date.now());
      visits.emit(visit);
      countVisit(link.languageId, link.themeId, visit.isBot);
      // The budget counts what the stats count: human GETs. This process stops at its share at once; the
      // others hear of it once the visit is stored (see handleVisitBatch's onBudgetSpent).
      if (link.visitsLeft !== undefined && !visit.isBot) {
        link.visitsLeft -= 1;
        if (link.visitsLeft <= 0) link.gone = 'expired';
      }
    }
    observe(req.method ?? 'GET', route, status, started);
  }

  /** A link that exists but was taken down, expired or blocked: 410, as a page for browsers, problem+json for the API. */
  function gone(req: IncomingMessage, res: ServerResponse, reason: GoneReason, started: number, route: string) {
    if (route !== BROWSER_ROUTE) return fail(req, res, goneErrors[reason], started, route);
    sendGonePage(res, reason);
    observe(req.method ?? 'GET', route, 410, started);
  }

  function fail(req: IncomingMessage, res: ServerResponse, error: unknown, started: number, route: string) {
    res.setHeader('api-supported-versions', '1');
    const problem = sendProblem(req, res, error);
    if (problem.status === 503) warnUnavailable(error, 'redirect answered 503: a dependency is unavailable');
    else if (problem.status >= 500) deps.logger.error({ err: error, requestId: problem.requestId }, 'redirect failed');
    observe(req.method ?? 'GET', route, problem.status, started);
  }

  function limited(res: ServerResponse, verdict: RedirectVerdict) {
    writeRateLimitHeaders(res, verdict);
    if (!verdict.allowed) writeRetryAfter(res, verdict.retryAfterSec);
  }

  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const match = matchPhrasePath(req.url ?? '/');
    if (match.kind === 'other') return false;
    const started = performance.now();
    if (match.kind === 'invalid') {
      const error = match.reason === 'empty' ? phraseRequired : match.reason === 'malformed' ? malformed : tooLong;
      fail(req, res, error, started, match.route);
      return true;
    }
    const ip = clientIp(req, trust);
    // The limiter counts its own rejections; it returns undefined for allow-listed clients.
    const verdict = redirectLimiter?.take(ip);
    if (verdict) {
      limited(res, verdict);
      if (!verdict.allowed) {
        fail(req, res, tooMany, started, match.route);
        return true;
      }
    }
    const cached = links.peek?.(match.phrase);
    if (cached) redirect(req, res, cached, ip, started, match.route);
    else if (cached === null) fail(req, res, notFound, started, match.route);
    else {
      links.resolve(match.phrase).then(
        (link) =>
          link ? redirect(req, res, link, ip, started, match.route) : fail(req, res, notFound, started, match.route),
        (error: unknown) => fail(req, res, error, started, match.route),
      );
    }
    return true;
  };
}
