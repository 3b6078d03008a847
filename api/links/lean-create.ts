import type { IncomingMessage, ServerResponse } from 'node:http';
import { CodedError, GeneralErrors } from '../../core/errors/coded-error';
import type { ApiDeps } from '../deps';
import { requestKeyCheck, UNAUTHORIZED } from '../http/api-key';
import { clientIp, type TrustFunction } from '../http/client-ip';
import type { ProblemResponder } from '../http/problem-handler';
import { limitApiRequest } from '../http/rate-limit';
import { CLIENT_CLOSED_REQUEST } from '../http/request-metrics';
import { createRouteObserver } from '../http/route-observer';
import type { LeanHandler } from '../redirects/redirect-handler';
import { sendCreated, type CreatedLink } from './link-routes';

export const CREATE_PATH = '/v1/links';

const payloadTooLarge = new CodedError(GeneralErrors.payloadTooLarge);
const malformedJson = new CodedError(GeneralErrors.malformedJson);
const badRequest = new CodedError(GeneralErrors.badRequest);

/** `application/json`, alone or with the UTF-8 charset: what API clients send. */
const PLAIN_JSON = /^application\/json\s*(?:;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/**
 * Whether Express's stack would treat the request exactly as the lean path does: no `Origin` (browsers need
 * CORS), no `Content-Encoding` (compressed bodies), a plain JSON media type. Decided from headers alone, before
 * any of the body is read, so everything else still goes through Express untouched.
 */
export function isPlainApiCall(req: Pick<IncomingMessage, 'headers'>): boolean {
  const { headers } = req;
  if (headers.origin !== undefined) return false;
  if (headers['content-encoding'] !== undefined) return false;
  const type = headers['content-type'];
  return type !== undefined && PLAIN_JSON.test(type);
}

/**
 * The body as `express.json({ strict: false })` reads it: refused past `limit` bytes (at once when the declared
 * length says so), UTF-8 without its byte-order mark, an empty body as `{}`, any JSON value otherwise.
 */
function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) return Promise.reject(payloadTooLarge);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) {
        // node reads and drops the rest once the response is sent, so the connection stays usable.
        req.off('data', onData);
        req.pause();
        reject(payloadTooLarge);
      } else chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('error', () => reject(badRequest));
    req.once('end', () => {
      if (received > limit) return;
      let text = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8');
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      if (text.length === 0) return resolve({});
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(malformedJson);
      }
    });
  });
}

/**
 * `POST /v1/links` from API clients, straight on node:http like the redirects: the same guards as the Express route
 * (rate limit, then API key), the same body rules, the same creation and the same problem responses, without
 * Express's per-request work, which cost about as much CPU as the creation itself. Returns false for what it
 * does not own, which Express then serves.
 */
export function createLeanCreateHandler(
  deps: ApiDeps,
  trust: TrustFunction,
  create: (body: unknown) => Promise<CreatedLink>,
  respond: ProblemResponder,
): LeanHandler {
  const observe = createRouteObserver(deps.metrics).bind('POST', CREATE_PATH);
  const keyAccepted = requestKeyCheck(deps.config.API_KEYS);
  const limit = deps.config.BODY_LIMIT;
  const limiter = deps.apiLimiter;

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (limiter && !(await limitApiRequest(limiter, req, res, clientIp(req, trust)))) return;
    if (!keyAccepted(req)) throw UNAUTHORIZED;
    sendCreated(res, await create(await readJsonBody(req, limit)));
  }

  return (req, res) => {
    if (req.method !== 'POST' || req.url !== CREATE_PATH || !isPlainApiCall(req)) return false;
    const started = performance.now();
    // Counted when the response closes, as Express's requests are: a client gone before the answer is a 499.
    res.once('close', () => observe(res.writableFinished ? res.statusCode : CLIENT_CLOSED_REQUEST, started));
    res.setHeader('api-supported-versions', '1');
    res.setHeader('Vary', 'Origin');
    serve(req, res).catch((error: unknown) => respond(req, res, error));
    return true;
  };
}
