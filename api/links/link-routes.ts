import type { ServerResponse } from 'node:http';
import type { Request, RequestHandler } from 'express';
import { bindCounter, type BoundCounter } from '../../core/metrics/bound-counter';
import { languageById, themeById } from '../../core/catalogue/catalogue';
import { CodedError, GeneralErrors, ValidationError } from '../../core/errors/coded-error';
import { BlocklistErrors } from '../../core/blocklist/blocklist-rule';
import { createLinkCreator } from '../../core/links/create-link';
import { collisionPolicy } from '../../core/links/links-config';
import { LinkErrors, type LinkStats } from '../../core/links/link';
import { CONTROL_CHARACTER, MAX_PHRASE_LENGTH, exceedsLength } from '../../core/phrases/phrase';
import { locationFor } from '../../core/links/pg-link-repository';
import { createLinkStatsReader } from '../../core/links/read-link-stats';
import type { ApiDeps } from '../deps';
import { statsBody } from './stats-view';
import { validateCreateLink } from './validate-create-link';

const phraseRequired = new ValidationError([
  { code: 'GetLinkByPhrase.PhraseIsRequired', message: 'The phrase is required.' },
]);
const phraseMalformed = new ValidationError([
  { code: 'GetLinkByPhrase.PhraseMalformed', message: 'The phrase holds control characters.' },
]);

/** Reads the statistics of a phrase (API and stats page): a replica first, the primary when it lags. */
/**
 * A phrase's stats as the API and the stats page read them: a blank or malformed phrase is refused, one longer than
 * any stored phrase is unknown without asking the database, the rest is read from a replica, or from the primary
 * when the replica lags or fails.
 */
export function createStatsLookup(
  deps: Pick<ApiDeps, 'pools' | 'logger'>,
): (phrase: string) => Promise<LinkStats | undefined> {
  const read = createLinkStatsReader(deps.pools, deps.logger);
  return async (phrase) => {
    if (phrase.trim() === '') throw phraseRequired;
    if (CONTROL_CHARACTER.test(phrase)) throw phraseMalformed;
    if (exceedsLength(phrase, MAX_PHRASE_LENGTH)) return undefined;
    return read(phrase);
  };
}

// Which rule matched stays private: naming it would help the next attempt around it.
const TARGET_BLOCKED = new ValidationError([BlocklistErrors.targetBlocked]);
const RULES_NOT_READ = new CodedError(GeneralErrors.unavailable);

/** Short URLs carry the phrase raw (as the original does); only the Location header is percent-encoded. */
export function shortUrls(baseUrl: string, phrase: string) {
  return { url: `${baseUrl}/${phrase}`, statsUrl: `${baseUrl}/s/${phrase}` };
}

/** What a creation answers: the short and stats URLs (the body) and the Location header. */
export interface CreatedLink {
  readonly url: string;
  readonly statsUrl: string;
  readonly location: string;
}

/**
 * Creating a link from a request body, whichever path the request took (Express, or the lean path for plain API
 * calls): validates, screens the target, draws a phrase, stores the link with its outbox row, primes every cache
 * level. Throws coded errors for the problem responder.
 */
export function createLinkCreation(deps: ApiDeps): (body: unknown) => Promise<CreatedLink> {
  const { config, metrics } = deps;
  const create = createLinkCreator({
    pool: deps.pools.primary,
    phrases: deps.phrases,
    logger: deps.logger,
    policy: collisionPolicy(config),
    onRetry: () => metrics.phraseGenerationRetries.inc(),
  });
  const location = shortLocation(config.BASE_URL);
  // Series resolved once per (language, theme), as the redirect path does for visits.
  const createdCounters = new Map<number, BoundCounter>();
  const countCreated = (languageId: number, themeId: number) => {
    const key = languageId * 65_536 + themeId;
    let counter = createdCounters.get(key);
    if (!counter) {
      counter = bindCounter(metrics.linksCreated, {
        language: languageById(languageId)?.code ?? 'unknown',
        theme: themeById(themeId)?.name ?? 'unknown',
      });
      createdCounters.set(key, counter);
    }
    counter.inc();
  };

  return async (body) => {
    const input = validateCreateLink(body);
    if (deps.blocklist && !deps.blocklist.loaded()) throw RULES_NOT_READ;
    if (deps.blocklist?.check(input.targetUrl)) throw TARGET_BLOCKED;
    const link = await create(input);
    // Another instance may hold a negative cache entry for this phrase; tell every cache level it exists now.
    await deps.links
      .remember?.(link.phrase, {
        id: link.id,
        targetUrl: locationFor(link.targetUrl),
        languageId: link.languageId,
        themeId: link.themeId,
      })
      .catch((error: unknown) => deps.logger.warn({ err: error }, 'cache priming failed'));
    countCreated(link.languageId, link.themeId);
    const urls = shortUrls(config.BASE_URL, link.phrase);
    return { ...urls, location: location(urls.url, link.phrase) };
  };
}

/** A phrase of these characters needs no encoding in a URL path. */
const PLAIN_PHRASE = /^[A-Za-z0-9._~-]+$/;

/**
 * The Location header for a short URL: its normalised, percent-encoded form. Parsing a URL per creation is
 * measurable, so when the base URL is already in normal form, a plain phrase is appended as it is.
 */
function shortLocation(baseUrl: string): (url: string, phrase: string) => string {
  const normalBase = new URL(`${baseUrl}/x`).href === `${baseUrl}/x`;
  return (url, phrase) => (normalBase && PLAIN_PHRASE.test(phrase) ? url : encodedLocation(url));
}

/** WHATWG's href, plus `%` escaped where it starts no escape (what Express's `res.location` did). */
function encodedLocation(url: string): string {
  return new URL(url).href.replace(/%(?![0-9A-Fa-f]{2})/g, '%25');
}

/** 201 with the short URLs, written on node's response so both paths send the same bytes. */
export function sendCreated(res: ServerResponse, created: CreatedLink): void {
  const body = JSON.stringify({ url: created.url, statsUrl: created.statsUrl });
  res.writeHead(201, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    Location: created.location,
  });
  res.end(body);
}

/** `POST /v1/links` for the requests Express serves (browsers, unusual encodings); see `lean-create.ts`. */
export function createLinkHandler(create: (body: unknown) => Promise<CreatedLink>): RequestHandler {
  return async (req: Request, res) => sendCreated(res, await create(req.body));
}

/** `GET /v1/links/{phrase}`: counters and recent visits, from a replica, or the primary when it lags or fails. */
export function linkStatsHandler(deps: ApiDeps): RequestHandler<{ phrase: string }> {
  const readStats = createStatsLookup(deps);
  return async (req, res) => {
    const stats = await readStats(req.params.phrase);
    if (!stats) throw new CodedError(LinkErrors.notFound);
    res.json(statsBody(stats));
  };
}
