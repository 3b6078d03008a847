import type { Pool, PoolClient } from 'pg';
import type { BlocklistRule, BlocklistRuleInput, RuleKind } from './blocklist-rule';

interface RuleRow {
  id: string;
  kind: RuleKind;
  value: string;
  reason: string | null;
  created_by: string;
  created_at: Date;
}

export interface StoredBlocklistRule extends BlocklistRule {
  readonly id: string;
  readonly createdBy: string;
  readonly createdAt: Date;
}

const toRule = (row: RuleRow): StoredBlocklistRule => ({
  id: row.id,
  kind: row.kind,
  value: row.value,
  reason: row.reason ?? undefined,
  source: 'api',
  createdBy: row.created_by,
  createdAt: row.created_at,
});

type Queryable = Pick<Pool | PoolClient, 'query'>;

export async function listBlocklistRules(db: Queryable): Promise<StoredBlocklistRule[]> {
  const { rows } = await db.query<RuleRow>(
    'SELECT id, kind, value, reason, created_by, created_at FROM blocklist_rules ORDER BY id',
  );
  return rows.map(toRule);
}

/** Undefined when the same kind and value is already listed. */
export async function insertBlocklistRule(
  db: Queryable,
  rule: BlocklistRuleInput,
  createdBy: string,
): Promise<StoredBlocklistRule | undefined> {
  const { rows } = await db.query<RuleRow>(
    `INSERT INTO blocklist_rules (kind, value, reason, created_by) VALUES ($1, $2, $3, $4)
     ON CONFLICT (kind, value) DO NOTHING
     RETURNING id, kind, value, reason, created_by, created_at`,
    [rule.kind, rule.value, rule.reason ?? null, createdBy],
  );
  return rows[0] && toRule(rows[0]);
}

export async function deleteBlocklistRule(db: Queryable, id: string): Promise<StoredBlocklistRule | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  const { rows } = await db.query<RuleRow>(
    'DELETE FROM blocklist_rules WHERE id = $1 RETURNING id, kind, value, reason, created_by, created_at',
    [id],
  );
  return rows[0] && toRule(rows[0]);
}
