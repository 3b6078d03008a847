import type { Pool } from 'pg';
import { writeAudit, type AuditAction } from '../audit/audit-log';
import { withTransaction } from '../db/transaction';
import { CodedError } from '../errors/coded-error';
import type { Actor, LinkAdministration } from '../links/admin/administer-link';
import { liveLinksAfter } from '../links/admin/pg-link-admin-repository';
import { locationFor } from '../links/pg-link-repository';
import type { Blocklist } from './blocklist';
import { BlocklistErrors, normaliseRule, type BlocklistRuleInput } from './blocklist-rule';
import { deleteBlocklistRule, insertBlocklistRule, type StoredBlocklistRule } from './pg-blocklist-repository';

export interface BlocklistAdministrationDeps {
  readonly pool: Pool;
  /** Reloads the rules here and tells every other process to (see `BlocklistSync.changed`). */
  readonly changed: () => Promise<void>;
  readonly current: () => Blocklist;
  readonly links: Pick<LinkAdministration, 'disable'>;
  readonly onAction?: ((action: AuditAction) => void) | undefined;
}

export interface RecheckResult {
  readonly checked: number;
  readonly disabled: number;
  /** The phrases disabled, at most the first 1,000. */
  readonly phrases: readonly string[];
}

const RECHECK_PAGE = 1_000;
const REPORTED_PHRASES = 1_000;

export function createBlocklistAdministration(deps: BlocklistAdministrationDeps) {
  const audited = async (
    action: AuditAction,
    actor: Actor,
    work: (
      client: Parameters<Parameters<typeof withTransaction>[1]>[0],
    ) => Promise<{ target: string; before?: unknown; after?: unknown }>,
  ) => {
    const result = await withTransaction(deps.pool, async (client) => {
      const done = await work(client);
      await writeAudit(client, {
        actor: actor.id,
        action,
        targetType: 'blocklist',
        requestId: actor.requestId,
        ...done,
      });
      return done;
    });
    deps.onAction?.(action);
    return result;
  };

  return {
    async add(input: BlocklistRuleInput, actor: Actor): Promise<StoredBlocklistRule> {
      const rule = normaliseRule(input);
      let stored: StoredBlocklistRule | undefined;
      await audited('blocklist.add', actor, async (client) => {
        stored = await insertBlocklistRule(client, rule, actor.id);
        if (!stored) throw new CodedError(BlocklistErrors.ruleExists);
        return { target: stored.id, after: { kind: stored.kind, value: stored.value, reason: stored.reason ?? null } };
      });
      await deps.changed();
      return stored!;
    },

    async remove(id: string, actor: Actor): Promise<StoredBlocklistRule> {
      let removed: StoredBlocklistRule | undefined;
      await audited('blocklist.remove', actor, async (client) => {
        removed = await deleteBlocklistRule(client, id);
        if (!removed) throw new CodedError(BlocklistErrors.ruleNotFound);
        return { target: id, before: { kind: removed.kind, value: removed.value, reason: removed.reason ?? null } };
      });
      await deps.changed();
      return removed!;
    },

    /**
     * Disables every live link the current rules refuse, each as its own audited change (`link.disable`, the rule
     * in the reason), so that it stays disabled even if the rule is later removed. Walks the table in id order.
     */
    async recheck(actor: Actor): Promise<RecheckResult> {
      const blocklist = deps.current();
      let checked = 0;
      const phrases: string[] = [];
      let disabled = 0;
      for (let after: string | undefined; ;) {
        const page = await liveLinksAfter(deps.pool, after, RECHECK_PAGE);
        for (const link of page) {
          checked += 1;
          const rule = blocklist.match(locationFor(link.targetUrl));
          if (!rule) continue;
          const label = rule.id === undefined ? `${rule.kind} ${rule.value} (file)` : `rule ${rule.id}`;
          await deps.links.disable(link.phrase, `blocklist: ${label}`, actor);
          disabled += 1;
          if (phrases.length < REPORTED_PHRASES) phrases.push(link.phrase);
        }
        if (page.length < RECHECK_PAGE) break;
        after = page[page.length - 1]?.id;
      }
      await audited('blocklist.recheck', actor, () => Promise.resolve({ target: '*', after: { checked, disabled } }));
      return { checked, disabled, phrases };
    },
  };
}

export type BlocklistAdministration = ReturnType<typeof createBlocklistAdministration>;
