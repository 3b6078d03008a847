import type { Request, RequestHandler } from 'express';
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

/** `POST /v1/links`: draws a phrase, stores the link with its outbox row, primes every cache level, answers 201. */
export function createLinkHandler(deps: ApiDeps): RequestHandler {
  const { config, metrics } = deps;
  const create = createLinkCreator({
    pool: deps.pools.primary,
    phrases: deps.phrases,
    logger: deps.logger,
    policy: collisionPolicy(config),
    onRetry: () => metrics.phraseGenerationRetries.inc(),
  });

  return async (req: Request, res) => {
    const input = validateCreateLink(req.body);
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
    metrics.linksCreated.inc({
      language: languageById(link.languageId)?.code ?? 'unknown',
      theme: themeById(link.themeId)?.name ?? 'unknown',
    });
    const urls = shortUrls(config.BASE_URL, link.phrase);
    res.status(201).location(new URL(urls.url).href).json(urls);
  };
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
