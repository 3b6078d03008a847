import { CONTROL_CHARACTER, MAX_PHRASE_LENGTH, exceedsLength } from '../../core/phrases/phrase';
import { RESERVED_PATHS } from '../../core/phrases/reserved-paths';

const REDIRECTS_PREFIX = '/v1/redirects/';

export type PhrasePath =
  | { readonly kind: 'phrase'; readonly phrase: string; readonly route: string }
  | { readonly kind: 'invalid'; readonly reason: 'empty' | 'too-long' | 'malformed'; readonly route: string }
  | { readonly kind: 'other' };

/**
 * Recognises `/{phrase}` and `/v1/redirects/{phrase}` from a raw request URL without allocating a URL
 * object: this runs for every request, ahead of Express.
 */
export function matchPhrasePath(url: string): PhrasePath {
  const queryAt = url.indexOf('?');
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  let raw: string;
  let route: string;
  if (path.startsWith(REDIRECTS_PREFIX)) {
    raw = path.slice(REDIRECTS_PREFIX.length);
    route = '/v1/redirects/:phrase';
  } else if (path === '/v1/redirects' || path === '/v1/redirects/') {
    return { kind: 'invalid', reason: 'empty', route: '/v1/redirects/:phrase' };
  } else {
    raw = path.slice(1);
    route = '/:phrase';
    if (RESERVED_PATHS.has(raw)) return { kind: 'other' };
  }
  if (raw.includes('/')) return { kind: 'other' };
  let phrase = raw;
  // node:http refuses control bytes in a request line, so only a percent-encoded phrase can carry one.
  if (raw.includes('%')) {
    try {
      phrase = decodeURIComponent(raw);
    } catch {
      return { kind: 'invalid', reason: 'malformed', route };
    }
    if (CONTROL_CHARACTER.test(phrase)) return { kind: 'invalid', reason: 'malformed', route };
  }
  if (phrase.trim() === '') return { kind: 'invalid', reason: 'empty', route };
  if (exceedsLength(phrase, MAX_PHRASE_LENGTH)) return { kind: 'invalid', reason: 'too-long', route };
  return { kind: 'phrase', phrase, route };
}
