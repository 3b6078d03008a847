import type { AuditRecord } from '../../core/audit/audit-log';
import type { BlocklistRule } from '../../core/blocklist/blocklist-rule';
import type { StoredBlocklistRule } from '../../core/blocklist/pg-blocklist-repository';
import type { LinkAdminView } from '../../core/links/admin/link-admin-view';
import { CodedError } from '../../core/errors/coded-error';
import { AdminErrors } from './admin-errors';

const iso = (date: Date | null) => date?.toISOString() ?? null;

/** A link as the admin API shows it; an active link that a rule refuses shows as `blocked`. */
export function linkBody(link: LinkAdminView, baseUrl: string, blockedBy: BlocklistRule | undefined) {
  return {
    id: link.id,
    phrase: link.phrase,
    url: `${baseUrl}/${link.phrase}`,
    targetUrl: link.targetUrl,
    targetHost: link.targetHost,
    languageId: link.languageId,
    themeId: link.themeId,
    createdAt: link.createdAt.toISOString(),
    modifiedAt: iso(link.modifiedAt),
    state: link.state === 'active' && blockedBy ? 'blocked' : link.state,
    disabledAt: iso(link.disabledAt),
    disabledReason: link.disabledReason,
    deletedAt: iso(link.deletedAt),
    expiresAt: iso(link.expiresAt),
    maxVisits: link.maxVisits,
    owner: link.owner,
    visits: link.visits,
    botVisits: link.botVisits,
    lastVisitedAt: iso(link.lastVisitedAt),
    blockedBy: blockedBy ? { kind: blockedBy.kind, value: blockedBy.value, id: blockedBy.id ?? null } : null,
  };
}

export function ruleBody(rule: BlocklistRule | StoredBlocklistRule) {
  const stored = 'createdBy' in rule ? rule : undefined;
  return {
    id: rule.id ?? null,
    kind: rule.kind,
    value: rule.value,
    reason: rule.reason ?? null,
    source: rule.source,
    createdBy: stored?.createdBy ?? null,
    createdAt: stored ? stored.createdAt.toISOString() : null,
  };
}

export function auditBody(record: AuditRecord) {
  return {
    id: record.id,
    at: record.at.toISOString(),
    actor: record.actor,
    action: record.action,
    targetType: record.targetType,
    target: record.target,
    before: record.before ?? null,
    after: record.after ?? null,
    requestId: record.requestId ?? null,
  };
}

/** Cursors are opaque to clients: the keyset position, base64url-encoded. */
export function encodeLinkCursor(next: { createdUs: string; id: string } | undefined): string | null {
  return next ? Buffer.from(`${next.createdUs}/${next.id}`).toString('base64url') : null;
}

export function decodeLinkCursor(cursor: string | undefined): { createdUs: string; id: string } | undefined {
  if (cursor === undefined) return undefined;
  const match = /^(\d{1,20})\/([0-9a-f-]{36})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match?.[1] || !match[2]) throw new CodedError(AdminErrors.invalidCursor);
  return { createdUs: match[1], id: match[2] };
}
