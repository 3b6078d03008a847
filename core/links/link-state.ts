import type { GoneReason, ResolvedLink } from './link';

/** The columns that decide whether a stored link redirects. */
export interface LinkStateRow {
  readonly id: string;
  readonly target_url: string;
  readonly language_id: number;
  readonly theme_id: number;
  readonly is_deleted: boolean;
  readonly disabled_at: Date | null;
  readonly expires_at: Date | null;
  readonly max_visits: string | null;
  readonly total_visits: string | null;
}

/** The state an administrator sees, in the order that decides it: the first that applies wins. */
export type LinkState = 'active' | GoneReason;

export function goneReason(row: LinkStateRow, nowMs: number): GoneReason | undefined {
  if (row.is_deleted) return 'deleted';
  if (row.disabled_at !== null) return 'disabled';
  if (row.expires_at !== null && row.expires_at.getTime() <= nowMs) return 'expired';
  if (row.max_visits !== null && Number(row.total_visits ?? 0) >= Number(row.max_visits)) return 'expired';
  return undefined;
}

/**
 * The cacheable form of a stored link, with its stop conditions worked out once, here, so the redirect only reads
 * `gone` and counts down `visitsLeft`. `location` turns the stored target into a valid Location header.
 */
export function resolvedFromRow(row: LinkStateRow, nowMs: number, location: (url: string) => string): ResolvedLink {
  const gone = goneReason(row, nowMs);
  const link = {
    id: row.id,
    targetUrl: location(row.target_url),
    languageId: row.language_id,
    themeId: row.theme_id,
  };
  if (gone) return { ...link, gone };
  return {
    ...link,
    ...(row.expires_at === null ? {} : { expiresAt: row.expires_at.getTime() }),
    ...(row.max_visits === null ? {} : { visitsLeft: Number(row.max_visits) - Number(row.total_visits ?? 0) }),
  };
}

/**
 * How long a cache may keep a link: its own TTL, cut short by the link's expiry so that no cache level serves it a
 * millisecond past it. 0 means "already expired": do not cache it as live.
 */
export function cacheTtlMs(link: ResolvedLink, ttlMs: number, nowMs: number): number {
  if (link.expiresAt === undefined) return ttlMs;
  return Math.max(0, Math.min(ttlMs, link.expiresAt - nowMs));
}

/**
 * What only the process can decide, once per fetched link: an expiry passed since the row was read, or a reason of
 * its own to refuse the link (`screen`, e.g. the blocklist). Sets `gone`.
 */
export function judgeLink(
  link: ResolvedLink,
  nowMs: number,
  screen: ((link: ResolvedLink) => GoneReason | undefined) | undefined,
): void {
  if (link.gone === undefined && link.expiresAt !== undefined && link.expiresAt <= nowMs) link.gone = 'expired';
  if (link.gone === undefined && screen) {
    const refused = screen(link);
    if (refused) link.gone = refused;
  }
}
