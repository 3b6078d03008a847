import type { Pool } from 'pg';
import { writeAudit, type AuditAction } from '../../audit/audit-log';
import { withTransaction } from '../../db/transaction';
import { CodedError } from '../../errors/coded-error';
import { LinkErrors } from '../link';
import { auditSnapshot, type LinkAdminView } from './link-admin-view';
import { findLinkForAdmin, updateLinkAdmin, type LinkAdminChange } from './pg-link-admin-repository';

/** Who asks, as the audit log records it. */
export interface Actor {
  /** `key:<id>` for an admin API key, `shortlink:<namespace>/<name>` for a resource. */
  readonly id: string;
  readonly requestId?: string | undefined;
}

export interface LinkAdministrationDeps {
  readonly pool: Pool;
  /** Drops the phrase from every cache of every instance (the resolver's `invalidate`, or a publisher). */
  readonly invalidate: (phrase: string) => Promise<void>;
  /** Told of every audited action as it commits (metrics). */
  readonly onAction?: ((action: AuditAction) => void) | undefined;
  /** Delay of the second invalidation; see `takedown`. */
  readonly reinvalidateAfterMs?: number;
}

export interface ExpiryChange {
  /** An instant after which the link answers 410; null clears it, undefined leaves it. */
  readonly expiresAt?: Date | null | undefined;
  /** Counted visits after which the link answers 410; null clears it, undefined leaves it. */
  readonly maxVisits?: number | null | undefined;
}

export interface ChangeOptions {
  /** When `decide` changes nothing: no write, no audit record, no invalidation (a reconciler's steady state). */
  readonly skipUnchanged?: boolean;
}

export interface LinkAdministration {
  disable(phrase: string, reason: string | undefined, actor: Actor): Promise<LinkAdminView>;
  enable(phrase: string, actor: Actor): Promise<LinkAdminView>;
  delete(phrase: string, actor: Actor): Promise<LinkAdminView>;
  setExpiry(phrase: string, expiry: ExpiryChange, actor: Actor): Promise<LinkAdminView>;
  /** Any change in one audited transaction; the declared-resource reconciler uses it for target updates. */
  change(
    phrase: string,
    action: AuditAction,
    actor: Actor,
    decide: (link: LinkAdminView) => LinkAdminChange,
    options?: ChangeOptions,
  ): Promise<LinkAdminView>;
}

export function createLinkAdministration(deps: LinkAdministrationDeps): LinkAdministration {
  const reinvalidateAfterMs = deps.reinvalidateAfterMs ?? 1_000;

  /**
   * Invalidates at once, then once more a moment later: an instance that read the row just before the commit may
   * write that old copy to Redis after the first invalidation's delete; the second removes it.
   */
  async function takedown(phrase: string): Promise<void> {
    await deps.invalidate(phrase);
    setTimeout(() => void deps.invalidate(phrase).catch(() => undefined), reinvalidateAfterMs).unref();
  }

  async function change(
    phrase: string,
    action: AuditAction,
    actor: Actor,
    decide: (link: LinkAdminView) => LinkAdminChange,
    options: ChangeOptions = {},
  ): Promise<LinkAdminView> {
    let unchanged = false;
    const after = await withTransaction(deps.pool, async (client) => {
      const before = await findLinkForAdmin(client, phrase, true);
      if (!before) throw new CodedError(LinkErrors.notFound);
      if (before.deletedAt !== null) throw new CodedError(LinkErrors.deleted);
      const update = decide(before);
      if (options.skipUnchanged && Object.values(update).every((value) => value === undefined)) {
        unchanged = true;
        return before;
      }
      await updateLinkAdmin(client, before.id, update);
      const changed = (await findLinkForAdmin(client, phrase)) ?? before;
      await writeAudit(client, {
        actor: actor.id,
        action,
        targetType: 'link',
        target: phrase,
        before: auditSnapshot(before),
        after: auditSnapshot(changed),
        requestId: actor.requestId,
      });
      return changed;
    });
    if (unchanged) return after;
    deps.onAction?.(action);
    await takedown(phrase);
    return after;
  }

  return {
    change,
    disable: (phrase, reason, actor) =>
      change(phrase, 'link.disable', actor, (link) => ({
        disabledAt: link.disabledAt ?? new Date(),
        disabledReason: reason ?? link.disabledReason,
      })),
    enable: (phrase, actor) => change(phrase, 'link.enable', actor, () => ({ disabledAt: null, disabledReason: null })),
    delete: (phrase, actor) => change(phrase, 'link.delete', actor, () => ({ deleted: true })),
    setExpiry: (phrase, expiry, actor) => {
      const clears = expiry.expiresAt === null && expiry.maxVisits === null;
      return change(phrase, clears ? 'link.expiry.clear' : 'link.expiry.set', actor, () => ({
        expiresAt: expiry.expiresAt,
        maxVisits: expiry.maxVisits,
      }));
    },
  };
}
