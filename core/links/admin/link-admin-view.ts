import { goneReason, type LinkState } from '../link-state';

/** A link as administrators see it: every stop condition and its counters, deleted links included. */
export interface LinkAdminView {
  readonly id: string;
  readonly phrase: string;
  readonly targetUrl: string;
  readonly targetHost: string | null;
  readonly languageId: number;
  readonly themeId: number;
  readonly createdAt: Date;
  readonly modifiedAt: Date | null;
  /** What a redirect does with the link now (a blocklist match is added by the caller, which holds the rules). */
  readonly state: LinkState;
  readonly disabledAt: Date | null;
  readonly disabledReason: string | null;
  readonly deletedAt: Date | null;
  readonly expiresAt: Date | null;
  readonly maxVisits: number | null;
  /** Who declares the link when it is not the public API (`shortlink:<namespace>/<name>`). */
  readonly owner: string | null;
  readonly visits: number;
  readonly botVisits: number;
  readonly lastVisitedAt: Date | null;
}

export interface LinkAdminRow {
  id: string;
  phrase: string;
  target_url: string;
  target_host: string | null;
  language_id: number;
  theme_id: number;
  created_at: Date;
  modified_at: Date | null;
  is_deleted: boolean;
  deleted_at: Date | null;
  disabled_at: Date | null;
  disabled_reason: string | null;
  expires_at: Date | null;
  max_visits: string | null;
  owner: string | null;
  total_visits: string | null;
  bot_visits: string | null;
  last_visited_at: Date | null;
}

export const LINK_ADMIN_COLUMNS = `l.id, l.phrase, l.target_url, l.target_host, l.language_id, l.theme_id, l.created_at,
  l.modified_at, l.is_deleted, l.deleted_at, l.disabled_at, l.disabled_reason, l.expires_at, l.max_visits, l.owner,
  c.total_visits, c.bot_visits, c.last_visited_at`;

export function toAdminView(row: LinkAdminRow, nowMs = Date.now()): LinkAdminView {
  return {
    id: row.id,
    phrase: row.phrase,
    targetUrl: row.target_url,
    targetHost: row.target_host,
    languageId: row.language_id,
    themeId: row.theme_id,
    createdAt: row.created_at,
    modifiedAt: row.modified_at,
    state: goneReason(row, nowMs) ?? 'active',
    disabledAt: row.disabled_at,
    disabledReason: row.disabled_reason,
    deletedAt: row.deleted_at,
    expiresAt: row.expires_at,
    maxVisits: row.max_visits === null ? null : Number(row.max_visits),
    owner: row.owner,
    visits: Number(row.total_visits ?? 0),
    botVisits: Number(row.bot_visits ?? 0),
    lastVisitedAt: row.last_visited_at,
  };
}

/** What the audit log keeps of a link before and after a change: the fields a change can touch. */
export function auditSnapshot(view: LinkAdminView) {
  return {
    state: view.state,
    targetUrl: view.targetUrl,
    disabledReason: view.disabledReason,
    expiresAt: view.expiresAt?.toISOString() ?? null,
    maxVisits: view.maxVisits,
    deleted: view.deletedAt !== null,
  };
}
