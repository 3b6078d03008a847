/**
 * A counted redirect. `visitId` is generated where the redirect is served, so every later step (publish,
 * redeliver, replay) can be repeated without counting twice.
 */
export interface LinkVisited {
  readonly visitId: string;
  readonly linkId: string;
  readonly languageId: number;
  readonly themeId: number;
  /** ISO-8601 UTC. */
  readonly visitedAt: string;
  readonly ipAddress: string | null;
  readonly userAgent: string | null;
  readonly referrer: string | null;
  readonly isBot: boolean;
}

/** Column sizes; longer header values are truncated rather than rejected (a redirect never fails on them). */
export const VISIT_LIMITS = { ipAddress: 64, userAgent: 1024, referrer: 2048 } as const;

export function truncate(value: string | null, max: number): string | null {
  if (value === null) return null;
  return value.length > max ? value.slice(0, max) : value;
}

/** Where the redirect path hands visits off; must never block or throw on the request path. */
export interface VisitSink {
  emit(visit: LinkVisited): void;
}
