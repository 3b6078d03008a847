import type { Pool, PoolClient } from 'pg';

/** Every change an administrator (or a declared resource) can make; also the label values of the metric. */
export const AUDIT_ACTIONS = [
  'link.disable',
  'link.enable',
  'link.delete',
  'link.expiry.set',
  'link.expiry.clear',
  'link.create',
  'link.update',
  'blocklist.add',
  'blocklist.remove',
  'blocklist.recheck',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  /** Who: an admin key's id (`key:<id>`) or a resource (`shortlink:<namespace>/<name>`). */
  readonly actor: string;
  readonly action: AuditAction;
  readonly targetType: 'link' | 'blocklist';
  /** A phrase, or a blocklist rule id. */
  readonly target: string;
  readonly before?: unknown;
  readonly after?: unknown;
  readonly requestId?: string | undefined;
}

export interface AuditRecord extends AuditEntry {
  readonly id: string;
  readonly at: Date;
}

/** Written on the connection that makes the change, so the record exists exactly when the change does. */
export async function writeAudit(client: Pick<PoolClient, 'query'>, entry: AuditEntry): Promise<void> {
  await client.query(
    `INSERT INTO audit_log (actor, action, target_type, target, before, after, request_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      entry.actor,
      entry.action,
      entry.targetType,
      entry.target,
      entry.before === undefined ? null : JSON.stringify(entry.before),
      entry.after === undefined ? null : JSON.stringify(entry.after),
      entry.requestId ?? null,
    ],
  );
}

interface AuditRow {
  id: string;
  at: Date;
  actor: string;
  action: AuditAction;
  target_type: 'link' | 'blocklist';
  target: string;
  before: unknown;
  after: unknown;
  request_id: string | null;
}

export interface AuditQuery {
  readonly targetType?: 'link' | 'blocklist' | undefined;
  readonly target?: string | undefined;
  readonly actor?: string | undefined;
  /** Only records older than this id (the cursor of the previous page). */
  readonly beforeId?: string | undefined;
  readonly limit: number;
}

/** Newest first. */
export async function readAudit(pool: Pick<Pool, 'query'>, query: AuditQuery): Promise<AuditRecord[]> {
  const { rows } = await pool.query<AuditRow>(
    `SELECT id, at, actor, action, target_type, target, before, after, request_id FROM audit_log
      WHERE ($1::text IS NULL OR target_type = $1) AND ($2::text IS NULL OR target = $2)
        AND ($3::text IS NULL OR actor = $3) AND ($4::bigint IS NULL OR id < $4)
      ORDER BY id DESC LIMIT $5`,
    [query.targetType ?? null, query.target ?? null, query.actor ?? null, query.beforeId ?? null, query.limit],
  );
  return rows.map((row) => ({
    id: row.id,
    at: row.at,
    actor: row.actor,
    action: row.action,
    targetType: row.target_type,
    target: row.target,
    before: row.before ?? undefined,
    after: row.after ?? undefined,
    requestId: row.request_id ?? undefined,
  }));
}
