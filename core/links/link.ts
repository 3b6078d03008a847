import type { ErrorDetail } from '../errors/coded-error';

/** The longest target URL a link accepts (also the column size). */
export const TARGET_URL_MAX_LENGTH = 4096;

export interface Link {
  readonly id: string;
  readonly phrase: string;
  readonly targetUrl: string;
  readonly languageId: number;
  readonly themeId: number;
  readonly createdAt: Date;
  /** Who declares the link when it is not the public API (`shortlink:<namespace>/<name>`). */
  readonly owner?: string | undefined;
}

/** Why a link that exists no longer redirects; each reason has its own 410 code. */
export type GoneReason = 'disabled' | 'deleted' | 'expired' | 'blocked';

/**
 * What a redirect needs; small enough to cache in every process and in Redis. Everything that can stop a link is
 * decided when the link enters a cache (see `link-state.ts`), so the redirect reads one field: `gone`.
 */
export interface ResolvedLink {
  readonly id: string;
  readonly targetUrl: string;
  readonly languageId: number;
  readonly themeId: number;
  /** Set when the link must answer 410 instead of redirecting. Mutable: a spent visit budget sets it in place. */
  gone?: GoneReason | undefined;
  /** Epoch milliseconds after which the link is expired; caches keep the link no longer than this. */
  readonly expiresAt?: number | undefined;
  /**
   * Counted visits this process may still send before the budget is spent (the budget less the visits stored
   * when the link was cached). Counted down in place by the redirect; absent for links without a budget.
   */
  visitsLeft?: number | undefined;
}

export interface RecentVisit {
  readonly visitedAt: Date;
  readonly ipAddress: string | null;
  readonly userAgent: string | null;
  readonly referrer: string | null;
}

export interface LinkStats extends Link {
  /** Why the link no longer redirects, if it does not (the v1 JSON does not show it; the stats page does). */
  readonly gone?: GoneReason | undefined;
  readonly visits: number;
  readonly botVisits: number;
  readonly recentVisits: readonly RecentVisit[];
}

export const LinkErrors = {
  notFound: { code: 'Link.NotFound', message: 'The link with the specified phrase was not found.' },
  disabled: { code: 'Link.Disabled', message: 'The link has been disabled.' },
  deleted: { code: 'Link.Deleted', message: 'The link has been deleted.' },
  expired: { code: 'Link.Expired', message: 'The link has expired.' },
  blocked: { code: 'Link.Blocked', message: 'The link points to a blocked destination and has been disabled.' },
  couldNotGenerate: {
    code: 'Link.CouldNotGenerate',
    message: 'The link could not be generated at this time. Please try again.',
  },
} as const satisfies Record<string, ErrorDetail>;
