import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { CodedError } from '../errors/coded-error';
import type { Logger } from '../logging/logger';
import { LinkErrors, type Link } from './link';
import { insertLink, isUniqueViolation } from './pg-link-repository';

export interface PhraseRequest {
  readonly languageId: number;
  readonly themeId: number;
  readonly formatId: number;
  /** Words added beyond the usual three; used once the collision budget is spent. */
  readonly extraWords?: number;
}

export interface PhraseSource {
  generate(request: PhraseRequest): Promise<string>;
}

export interface CreateLinkInput {
  readonly targetUrl: string;
  readonly languageId: number;
  readonly themeId: number;
  readonly formatId: number;
  /** Who declares the link when it is not the public API. */
  readonly owner?: string | undefined;
}

export interface CollisionPolicy {
  /** Attempts with the usual phrase length, each after an exponential, jittered pause. */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Further attempts, each one word longer; a longer phrase lives in a vastly larger space. */
  readonly lengthenedAttempts: number;
}

export interface CreateLinkDeps {
  readonly pool: Pool;
  readonly phrases: PhraseSource;
  readonly policy: CollisionPolicy;
  readonly logger: Logger;
  readonly onRetry?: () => void;
  readonly now?: () => Date;
  readonly newId?: () => string;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Generates a phrase and inserts the link, relying on the unique phrase index rather than a prior
 * existence check (which races between instances). A collision is retried after a full-jitter
 * exponential pause; when the budget is spent the phrase grows a word instead of failing.
 */
export function createLinkCreator(deps: CreateLinkDeps): (input: CreateLinkInput) => Promise<Link> {
  const now = deps.now ?? (() => new Date());
  const newId = deps.newId ?? randomUUID;
  const sleep = deps.sleep ?? defaultSleep;
  const random = deps.random ?? Math.random;
  const { attempts, baseDelayMs, maxDelayMs, lengthenedAttempts } = deps.policy;

  return async (input) => {
    const total = attempts + lengthenedAttempts;
    for (let attempt = 0; attempt < total; attempt++) {
      const extraWords = attempt < attempts ? 0 : attempt - attempts + 1;
      const phrase = await deps.phrases.generate({ ...input, extraWords });
      const link: Link = { id: newId(), phrase, ...input, createdAt: now() };
      try {
        await insertLink(deps.pool, link);
        if (attempt > 0) deps.logger.info({ retries: attempt, extraWords }, 'link created after phrase collisions');
        return link;
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        deps.onRetry?.();
        deps.logger.warn({ retry: attempt + 1, extraWords }, 'generated phrase already in use, retrying');
        if (attempt + 1 < attempts) await sleep(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** attempt));
      }
    }
    throw new CodedError(LinkErrors.couldNotGenerate);
  };
}
