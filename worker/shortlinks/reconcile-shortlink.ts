import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { writeAudit } from '../../core/audit/audit-log';
import type { BlocklistStore } from '../../core/blocklist/blocklist-store';
import { withTransaction } from '../../core/db/transaction';
import type { LinkAdministration } from '../../core/links/admin/administer-link';
import type { LinkAdminChange } from '../../core/links/admin/pg-link-admin-repository';
import type { CreateLinkInput } from '../../core/links/create-link';
import type { Link } from '../../core/links/link';
import { insertLink, isUniqueViolation } from '../../core/links/pg-link-repository';
import { DISABLED_BY_SPEC, shortLinkSpecSchema, type ShortLinkSpec } from './shortlink-spec';

export interface ReconcileDeps {
  readonly pool: Pool;
  /** Generates a phrase and stores the link (the public API's creator, with the worker's vocabularies). */
  readonly create: (input: CreateLinkInput) => Promise<Link>;
  readonly admin: LinkAdministration;
  readonly blocklist: Pick<BlocklistStore, 'check' | 'loaded'>;
  readonly invalidate: (phrase: string) => Promise<void>;
  readonly onCreated?: () => void;
}

/** What the resource's status reports. */
export interface Outcome {
  readonly phrase?: string | undefined;
  readonly ready: boolean;
  readonly reason: 'Reconciled' | 'InvalidSpec' | 'TargetBlocked' | 'PhraseTaken';
  readonly message: string;
}

async function ownedPhrase(pool: Pool, owner: string): Promise<string | undefined> {
  const { rows } = await pool.query<{ phrase: string }>(
    'SELECT phrase FROM links WHERE owner = $1 AND NOT is_deleted ORDER BY created_at DESC LIMIT 1',
    [owner],
  );
  return rows[0]?.phrase;
}

/** Declared phrases are stored as given, with their audit record in the same transaction. */
async function insertDeclared(deps: ReconcileDeps, spec: ShortLinkSpec & { phrase: string }, owner: string) {
  const link: Link = {
    id: randomUUID(),
    phrase: spec.phrase,
    targetUrl: spec.targetUrl,
    languageId: spec.languageId,
    themeId: spec.themeId,
    createdAt: new Date(),
    owner,
  };
  try {
    await withTransaction(deps.pool, async (client) => {
      await insertLink(client, link);
      await writeAudit(client, {
        actor: owner,
        action: 'link.create',
        targetType: 'link',
        target: link.phrase,
        after: { targetUrl: link.targetUrl },
      });
    });
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

/**
 * Brings the link a ShortLink declares in line with its spec: creates it (with the declared phrase or a generated
 * one), changes its target, expiry and disabled flag, each change audited with the resource as the actor. A
 * takedown by an administrator wins over the spec: only a link disabled by `spec.disabled` is re-enabled here.
 */
export async function reconcileShortLink(deps: ReconcileDeps, owner: string, rawSpec: unknown): Promise<Outcome> {
  const parsed = shortLinkSpecSchema.safeParse(rawSpec ?? {});
  if (!parsed.success) {
    const message = parsed.error.issues.map((i) => `spec.${i.path.join('.')}: ${i.message}`).join('; ');
    return { ready: false, reason: 'InvalidSpec', message };
  }
  const spec = parsed.data;
  let phrase = await ownedPhrase(deps.pool, owner);
  const actor = { id: owner };
  // Thrown, not reported: the controller retries shortly, and a blocked target is never let in meanwhile.
  if (!deps.blocklist.loaded()) throw new Error('the blocklist has not been read yet');
  if (deps.blocklist.check(spec.targetUrl)) {
    return { phrase, ready: false, reason: 'TargetBlocked', message: 'the target URL is on the blocklist' };
  }
  if (phrase !== undefined && spec.phrase !== undefined && spec.phrase !== phrase) {
    // A new phrase is a new link; the old one is deleted (it answers 410) rather than silently repointed.
    await deps.admin.delete(phrase, actor);
    phrase = undefined;
  }
  if (phrase === undefined) {
    if (spec.phrase !== undefined) {
      if (!(await insertDeclared(deps, { ...spec, phrase: spec.phrase }, owner))) {
        return { ready: false, reason: 'PhraseTaken', message: `the phrase ${spec.phrase} belongs to another link` };
      }
      phrase = spec.phrase;
    } else {
      phrase = (await deps.create({ ...spec, owner })).phrase;
      await writeAudit(deps.pool, {
        actor: owner,
        action: 'link.create',
        targetType: 'link',
        target: phrase,
        after: { targetUrl: spec.targetUrl },
      });
    }
    deps.onCreated?.();
    // Some instance may hold the phrase as unknown in its negative cache.
    await deps.invalidate(phrase);
  }
  const expiresAt = spec.expiresAt === undefined ? null : new Date(spec.expiresAt);
  const view = await deps.admin.change(
    phrase,
    'link.update',
    actor,
    (link) => {
      const change: { -readonly [K in keyof LinkAdminChange]: LinkAdminChange[K] } = {};
      if (link.targetUrl !== spec.targetUrl) change.targetUrl = spec.targetUrl;
      if ((link.expiresAt?.getTime() ?? null) !== (expiresAt?.getTime() ?? null)) change.expiresAt = expiresAt;
      if (link.maxVisits !== (spec.maxVisits ?? null)) change.maxVisits = spec.maxVisits ?? null;
      if (spec.disabled && link.disabledAt === null)
        Object.assign(change, { disabledAt: new Date(), disabledReason: DISABLED_BY_SPEC });
      if (!spec.disabled && link.disabledAt !== null && link.disabledReason === DISABLED_BY_SPEC)
        Object.assign(change, { disabledAt: null, disabledReason: null });
      return change;
    },
    { skipUnchanged: true },
  );
  const takenDown = view.disabledAt !== null && view.disabledReason !== DISABLED_BY_SPEC;
  return {
    phrase,
    ready: true,
    reason: 'Reconciled',
    message: takenDown
      ? `the link is disabled by an administrator: ${view.disabledReason ?? ''}`
      : `the link is ${view.state}`,
  };
}

/** Deletes the link a removed ShortLink declared (it answers 410 from then on). */
export async function finalizeShortLink(deps: Pick<ReconcileDeps, 'pool' | 'admin'>, owner: string): Promise<void> {
  const phrase = await ownedPhrase(deps.pool, owner);
  if (phrase !== undefined) await deps.admin.delete(phrase, { id: owner });
}
