import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { AUDIT_ACTIONS } from '../../core/audit/audit-log';
import { RULE_KINDS } from '../../core/blocklist/blocklist-rule';
import { MAX_PHRASE_LENGTH } from '../../core/phrases/phrase';

extendZodWithOpenApi(z);

/** Request and response shapes of `/admin/v1`: the routes validate with them and the OpenAPI document shows them. */
export const phraseParam = z.object({ phrase: z.string().min(1).max(MAX_PHRASE_LENGTH) });
export const ruleIdParam = z.object({ id: z.string().regex(/^\d{1,18}$/) });

const limit = z.coerce.number().int().min(1).max(200).default(50);
const isoDate = z.iso.datetime({ offset: true });

export const linkSearchQuery = z
  .object({
    phrase: z.string().min(1).max(MAX_PHRASE_LENGTH).optional().openapi({ description: 'Phrases starting with this.' }),
    host: z.string().min(1).max(253).optional().openapi({ description: "The target's host, exactly." }),
    createdFrom: isoDate.optional().openapi({ description: 'Created at or after this instant.' }),
    createdTo: isoDate.optional().openapi({ description: 'Created before this instant.' }),
    owner: z.string().min(1).max(512).optional().openapi({ description: 'e.g. shortlink:<namespace>/<name>.' }),
    limit,
    cursor: z.string().max(200).optional().openapi({ description: '`nextCursor` of the previous page.' }),
  })
  .strict();

export const disableBody = z.object({ reason: z.string().max(512).optional() }).strict();

export const expiryBody = z
  .object({
    expiresAt: isoDate
      .nullable()
      .optional()
      .openapi({ description: 'After this instant the link answers 410; null clears.' }),
    maxVisits: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).nullable().optional().openapi({
      description: 'After this many counted visits (bots and HEAD excluded) the link answers 410; null clears.',
    }),
  })
  .strict()
  .refine((body) => body.expiresAt !== undefined || body.maxVisits !== undefined, {
    error: 'give expiresAt, maxVisits or both',
  });

export const ruleBody = z
  .object({
    kind: z.enum(RULE_KINDS).openapi({
      description: 'host: that host; suffix: it and its subdomains; regex: RE2 syntax, searched in the whole URL.',
    }),
    value: z.string().min(1).max(1024),
    reason: z.string().max(512).optional(),
  })
  .strict();

export const auditQuery = z
  .object({
    targetType: z.enum(['link', 'blocklist']).optional(),
    target: z.string().min(1).max(1024).optional(),
    actor: z.string().min(1).max(256).optional(),
    limit,
    cursor: z
      .string()
      .regex(/^\d{1,18}$/)
      .optional(),
  })
  .strict();

export const linkView = z
  .object({
    id: z.uuid(),
    phrase: z.string(),
    url: z.string(),
    targetUrl: z.string(),
    targetHost: z.string().nullable(),
    languageId: z.number().int(),
    themeId: z.number().int(),
    createdAt: z.string(),
    modifiedAt: z.string().nullable(),
    state: z.enum(['active', 'disabled', 'deleted', 'expired', 'blocked']),
    disabledAt: z.string().nullable(),
    disabledReason: z.string().nullable(),
    deletedAt: z.string().nullable(),
    expiresAt: z.string().nullable(),
    maxVisits: z.number().int().nullable(),
    owner: z.string().nullable(),
    visits: z.number().int(),
    botVisits: z.number().int(),
    lastVisitedAt: z.string().nullable(),
    blockedBy: z.object({ kind: z.enum(RULE_KINDS), value: z.string(), id: z.string().nullable() }).nullable(),
  })
  .openapi('AdminLink');

export const linkPage = z
  .object({ links: z.array(linkView), nextCursor: z.string().nullable() })
  .openapi('AdminLinkPage');

export const ruleView = z
  .object({
    id: z.string().nullable().openapi({ description: 'null for rules from the blocklist file.' }),
    kind: z.enum(RULE_KINDS),
    value: z.string(),
    reason: z.string().nullable(),
    source: z.enum(['api', 'file']),
    createdBy: z.string().nullable(),
    createdAt: z.string().nullable(),
  })
  .openapi('BlocklistRule');

export const recheckResult = z
  .object({ checked: z.number().int(), disabled: z.number().int(), phrases: z.array(z.string()) })
  .openapi('BlocklistRecheck');

export const auditRecord = z
  .object({
    id: z.string(),
    at: z.string(),
    actor: z.string(),
    action: z.enum(AUDIT_ACTIONS),
    targetType: z.enum(['link', 'blocklist']),
    target: z.string(),
    before: z.unknown().nullable(),
    after: z.unknown().nullable(),
    requestId: z.string().nullable(),
  })
  .openapi('AuditRecord');

export const auditPage = z
  .object({ records: z.array(auditRecord), nextCursor: z.string().nullable() })
  .openapi('AuditPage');
