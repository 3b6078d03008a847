import { z } from 'zod';
import { ID_RANGES } from '../../core/catalogue/catalogue';
import { TARGET_URL_MAX_LENGTH } from '../../core/links/link';
import { MAX_PHRASE_LENGTH } from '../../core/phrases/phrase';
import { RESERVED_PATHS } from '../../core/phrases/reserved-paths';

export const SHORTLINK_GROUP = 'offndat.io';
export const SHORTLINK_VERSION = 'v1alpha1';
export const SHORTLINK_PLURAL = 'shortlinks';
/** Held while a ShortLink has a link, so deleting the resource deletes the link first. */
export const SHORTLINK_FINALIZER = 'offndat.io/link';
/** What a link disabled by `spec.disabled` says; an administrator's takedown says anything else and is kept. */
export const DISABLED_BY_SPEC = 'disabled by its ShortLink (spec.disabled)';

/** The same rules as the CRD's OpenAPI schema, checked again here: a CRD can be installed from an older chart. */
export const shortLinkSpecSchema = z.object({
  phrase: z
    .string()
    .min(1)
    .max(MAX_PHRASE_LENGTH)
    .regex(/^[^/?#%\s]+$/, 'no "/", "?", "#", "%" or spaces')
    .refine((phrase) => !RESERVED_PATHS.has(phrase), 'reserved by the api')
    .optional(),
  targetUrl: z.url({ protocol: /^https?$/ }).max(TARGET_URL_MAX_LENGTH),
  expiresAt: z.iso.datetime({ offset: true }).optional(),
  maxVisits: z.number().int().min(1).optional(),
  disabled: z.boolean().default(false),
  languageId: z.number().int().min(ID_RANGES.language.min).max(ID_RANGES.language.max).default(0),
  themeId: z.number().int().min(ID_RANGES.theme.min).max(ID_RANGES.theme.max).default(0),
  formatId: z.number().int().min(ID_RANGES.format.min).max(ID_RANGES.format.max).default(0),
});
export type ShortLinkSpec = z.output<typeof shortLinkSpecSchema>;
