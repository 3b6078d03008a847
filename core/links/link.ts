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
}

/** What a redirect needs; small enough to cache in every process and in Redis. */
export interface ResolvedLink {
  readonly id: string;
  readonly targetUrl: string;
  readonly languageId: number;
  readonly themeId: number;
}

export interface RecentVisit {
  readonly visitedAt: Date;
  readonly ipAddress: string | null;
  readonly userAgent: string | null;
  readonly referrer: string | null;
}

export interface LinkStats extends Link {
  readonly visits: number;
  readonly botVisits: number;
  readonly recentVisits: readonly RecentVisit[];
}

export const LinkErrors = {
  notFound: { code: 'Link.NotFound', message: 'The link with the specified phrase was not found.' },
  couldNotGenerate: {
    code: 'Link.CouldNotGenerate',
    message: 'The link could not be generated at this time. Please try again.',
  },
} as const satisfies Record<string, ErrorDetail>;
