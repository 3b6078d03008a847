import type { Pool, PoolClient } from 'pg';
import { LINK_ADMIN_COLUMNS, toAdminView, type LinkAdminRow, type LinkAdminView } from './link-admin-view';

type Queryable = Pick<Pool | PoolClient, 'query'>;

/** `forUpdate` locks the row for the rest of the transaction, so two admins' changes are applied one after the other. */
export async function findLinkForAdmin(
  db: Queryable,
  phrase: string,
  forUpdate = false,
): Promise<LinkAdminView | undefined> {
  const { rows } = await db.query<LinkAdminRow>(
    `SELECT ${LINK_ADMIN_COLUMNS} FROM links l LEFT JOIN link_visit_counters c ON c.link_id = l.id
      WHERE l.phrase = $1 ${forUpdate ? 'FOR UPDATE OF l' : ''}`,
    [phrase],
  );
  return rows[0] && toAdminView(rows[0]);
}

/** The administrative columns a change can set; each is written as given (null clears). */
export interface LinkAdminChange {
  readonly disabledAt?: Date | null | undefined;
  readonly disabledReason?: string | null | undefined;
  readonly deleted?: boolean | undefined;
  readonly expiresAt?: Date | null | undefined;
  readonly maxVisits?: number | null | undefined;
  readonly targetUrl?: string | undefined;
}

const COLUMNS: Record<keyof LinkAdminChange, string> = {
  disabledAt: 'disabled_at',
  disabledReason: 'disabled_reason',
  deleted: 'is_deleted',
  expiresAt: 'expires_at',
  maxVisits: 'max_visits',
  targetUrl: 'target_url',
};

export async function updateLinkAdmin(db: Queryable, id: string, change: LinkAdminChange): Promise<void> {
  const sets: string[] = ['modified_at = now()'];
  const values: unknown[] = [id];
  for (const [key, value] of Object.entries(change) as Array<[keyof LinkAdminChange, unknown]>) {
    if (value === undefined) continue;
    values.push(value);
    sets.push(`${COLUMNS[key]} = $${values.length}`);
    if (key === 'deleted') sets.push(`deleted_at = CASE WHEN $${values.length}::boolean THEN now() END`);
  }
  await db.query(`UPDATE links SET ${sets.join(', ')} WHERE id = $1`, values);
}

export interface LinkSearch {
  /** Phrases starting with this text. */
  readonly phrasePrefix?: string | undefined;
  /** The target's host, exactly (lower case). */
  readonly host?: string | undefined;
  readonly createdFrom?: Date | undefined;
  readonly createdTo?: Date | undefined;
  readonly owner?: string | undefined;
  /** Keyset position: only links older than this (creation time in epoch microseconds, id) pair. */
  readonly after?: { readonly createdUs: string; readonly id: string } | undefined;
  readonly limit: number;
}

export interface LinkSearchPage {
  readonly links: LinkAdminView[];
  /** Where the next page starts; undefined on the last page. */
  readonly next?: { readonly createdUs: string; readonly id: string } | undefined;
}

/**
 * Newest first, by (created_at, id), so a page boundary never skips or repeats a link while others are created.
 * The position is kept in whole microseconds, PostgreSQL's precision (a JavaScript Date would round it).
 */
export async function searchLinks(db: Queryable, search: LinkSearch): Promise<LinkSearchPage> {
  const { rows } = await db.query<LinkAdminRow & { created_us: string }>(
    `SELECT ${LINK_ADMIN_COLUMNS}, (extract(epoch FROM l.created_at) * 1000000)::bigint::text AS created_us
       FROM links l LEFT JOIN link_visit_counters c ON c.link_id = l.id
      WHERE ($1::text IS NULL OR starts_with(l.phrase, $1))
        AND ($2::text IS NULL OR l.target_host = $2)
        AND ($3::timestamptz IS NULL OR l.created_at >= $3)
        AND ($4::timestamptz IS NULL OR l.created_at < $4)
        AND ($5::text IS NULL OR l.owner = $5)
        AND ($6::bigint IS NULL OR (l.created_at, l.id) < ('epoch'::timestamptz + $6::bigint * interval '1 microsecond', $7::uuid))
      ORDER BY l.created_at DESC, l.id DESC
      LIMIT $8`,
    [
      search.phrasePrefix ?? null,
      search.host ?? null,
      search.createdFrom ?? null,
      search.createdTo ?? null,
      search.owner ?? null,
      search.after?.createdUs ?? null,
      search.after?.id ?? null,
      search.limit + 1,
    ],
  );
  const page = rows.slice(0, search.limit);
  const last = page[page.length - 1];
  return {
    links: page.map((row) => toAdminView(row)),
    next: rows.length > search.limit && last ? { createdUs: last.created_us, id: last.id } : undefined,
  };
}

/** Live links from `afterId` on, in id order: the bulk blocklist re-check walks the table with it. */
export async function liveLinksAfter(
  db: Queryable,
  afterId: string | undefined,
  limit: number,
): Promise<Array<{ id: string; phrase: string; targetUrl: string }>> {
  const { rows } = await db.query<{ id: string; phrase: string; target_url: string }>(
    `SELECT id, phrase, target_url FROM links
      WHERE NOT is_deleted AND disabled_at IS NULL AND ($1::uuid IS NULL OR id > $1) ORDER BY id LIMIT $2`,
    [afterId ?? null, limit],
  );
  return rows.map((row) => ({ id: row.id, phrase: row.phrase, targetUrl: row.target_url }));
}
