import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Per-request identifiers for problem details and logs; an incoming W3C `traceparent` is continued. */
export interface RequestContext {
  readonly requestId: string;
  readonly traceId: string;
  readonly spanId: string;
}

const TRACEPARENT = /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/;
const contexts = new WeakMap<IncomingMessage, RequestContext>();
let sequence = 0;
const processTag = randomBytes(4).toString('hex').toUpperCase();

export function requestContext(req: IncomingMessage): RequestContext {
  let context = contexts.get(req);
  if (!context) {
    const header = req.headers.traceparent;
    const match = typeof header === 'string' ? TRACEPARENT.exec(header) : null;
    context = newRequestContext(match?.[1]);
    contexts.set(req, context);
  }
  return context;
}

/** Fresh identifiers, continuing `traceId` when one came in. */
export function newRequestContext(traceId?: string): RequestContext {
  sequence = (sequence + 1) % 0x1_0000_0000;
  return {
    requestId: `${processTag}:${sequence.toString(16).padStart(8, '0').toUpperCase()}`,
    traceId: traceId ?? randomBytes(16).toString('hex'),
    spanId: randomBytes(8).toString('hex'),
  };
}
