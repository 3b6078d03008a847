import { createHash, timingSafeEqual } from 'node:crypto';
import type { AdminKeyConfig, AdminScope } from './admin-config';

/** Who a request authenticated as. */
export interface AdminPrincipal {
  readonly id: string;
  readonly scopes: ReadonlySet<AdminScope>;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Finds the key presented. Every configured key's SHA-256 digest is compared with `timingSafeEqual`, all of them
 * every time, so neither the key's length nor which key matched shows in the response time.
 */
export function createAdminKeyCheck(
  keys: readonly AdminKeyConfig[],
): (presented: string | undefined) => AdminPrincipal | undefined {
  const known = keys.map((key) => ({
    digest: digest(key.key),
    principal: { id: key.id, scopes: new Set(key.scopes) } satisfies AdminPrincipal,
  }));
  return (presented) => {
    if (presented === undefined || presented === '') return undefined;
    const candidate = digest(presented);
    let found: AdminPrincipal | undefined;
    for (const key of known) if (timingSafeEqual(key.digest, candidate)) found = key.principal;
    return found;
  };
}

/** `Authorization: Bearer <key>`; anything else counts as no key. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  return match?.[1];
}
