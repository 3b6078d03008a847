import type { Pool } from 'pg';
import type { Link, LinkStats, RecentVisit, ResolvedLink } from './link';
import { linkCreatedPayload, linkCreatedRoute } from './link-created';
import { goneReason, resolvedFromRow, type LinkStateRow } from './link-state';

/** Postgres SQLSTATE for unique_violation; the phrase index turns a collision into this error. */
export const UNIQUE_VIOLATION = '23505';

export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === UNIQUE_VIOLATION;
}

/**
 * Inserts the link and its `LinkCreated` outbox row in one statement, hence one transaction and one round trip:
 * the event exists exactly when the link does. Throws the driver's unique violation untouched when the phrase
 * is taken (the caller retries).
 */
export async function insertLink(pool: Pick<Pool, 'query'>, link: Link): Promise<void> {
  await pool.query({
    name: 'insert-link-with-outbox',
    text: `WITH created AS (
             INSERT INTO links (id, phrase, target_url, language_id, theme_id, created_at, owner)
             VALUES ($1, $2, $3, $4, $5, $6, $9)
             RETURNING id)
           INSERT INTO outbox (message_id, event_type, payload) SELECT id, $7, $8 FROM created`,
    values: [
      link.id,
      link.phrase,
      link.targetUrl,
      link.languageId,
      link.themeId,
      link.createdAt,
      linkCreatedRoute.eventType,
      JSON.stringify(linkCreatedPayload(link)),
      link.owner ?? null,
    ],
  });
}

interface ResolvedRow {
  id: string;
  target_url: string;
  language_id: number;
  theme_id: number;
}

/**
 * The redirect lookup: exact, case-sensitive match, deleted, disabled and expired links included, so caches can
 * hold them as gone (410) rather than unknown (404).
 */
export async function findResolvedLink(
  pool: Pick<Pool, 'query'>,
  phrase: string,
  nowMs = Date.now(),
): Promise<ResolvedLink | undefined> {
  const { rows } = await pool.query<LinkStateRow>({
    name: 'find-resolved-link-state',
    text: `SELECT l.id, l.target_url, l.language_id, l.theme_id, l.is_deleted, l.disabled_at, l.expires_at,
                  l.max_visits, c.total_visits
             FROM links l LEFT JOIN link_visit_counters c ON c.link_id = l.id
            WHERE l.phrase = $1`,
    values: [phrase],
  });
  const row = rows[0];
  return row && resolvedFromRow(row, nowMs, locationFor);
}

/**
 * Targets are stored as the user typed them; a Location header must be ASCII, so the redirect uses the
 * WHATWG-normalised form (percent-encoded, IDNA host), computed once per cache fill rather than per click.
 */
export function locationFor(targetUrl: string): string {
  try {
    return new URL(targetUrl).href;
  } catch {
    return encodeURI(targetUrl);
  }
}

interface StatsRow extends ResolvedRow {
  phrase: string;
  created_at: Date;
  disabled_at: Date | null;
  expires_at: Date | null;
  max_visits: string | null;
  total_visits: string | null;
  bot_visits: string | null;
}

interface VisitRow {
  visited_at: Date;
  ip_address: string | null;
  user_agent: string | null;
  referrer: string | null;
}

/** Counters plus the ten most recent human visits, newest first. */
export async function findLinkStats(pool: Pick<Pool, 'query'>, phrase: string): Promise<LinkStats | undefined> {
  const { rows } = await pool.query<StatsRow>(
    `SELECT l.id, l.phrase, l.target_url, l.language_id, l.theme_id, l.created_at, l.disabled_at, l.expires_at,
            l.max_visits, c.total_visits, c.bot_visits
       FROM links l LEFT JOIN link_visit_counters c ON c.link_id = l.id
      WHERE l.phrase = $1 AND NOT l.is_deleted`,
    [phrase],
  );
  const row = rows[0];
  if (!row) return undefined;
  const visits = await pool.query<VisitRow>(
    `SELECT visited_at, ip_address, user_agent, referrer FROM visits
      WHERE link_id = $1 AND NOT is_bot ORDER BY visited_at DESC LIMIT 10`,
    [row.id],
  );
  const recentVisits: RecentVisit[] = visits.rows.map((v) => ({
    visitedAt: v.visited_at,
    ipAddress: v.ip_address,
    userAgent: v.user_agent,
    referrer: v.referrer,
  }));
  return {
    id: row.id,
    phrase: row.phrase,
    targetUrl: row.target_url,
    languageId: row.language_id,
    themeId: row.theme_id,
    createdAt: row.created_at,
    gone: goneReason({ ...row, is_deleted: false }, Date.now()),
    visits: Number(row.total_visits ?? 0),
    botVisits: Number(row.bot_visits ?? 0),
    recentVisits,
  };
}
