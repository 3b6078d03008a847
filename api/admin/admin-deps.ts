import type { Pool } from 'pg';
import type { BlocklistAdministration } from '../../core/blocklist/administer-blocklist';
import type { BlocklistStore } from '../../core/blocklist/blocklist-store';
import type { LinkAdministration } from '../../core/links/admin/administer-link';
import type { AdminPrincipal } from './admin-keys';
import type { AdminLimit } from './admin-rate-limit';

/** What `/admin/v1` needs, constructed by `startApiService()` when admin keys are configured. */
export interface AdminDeps {
  readonly authenticate: (presented: string | undefined) => AdminPrincipal | undefined;
  /** Absent when rate limiting is switched off. */
  readonly limit?: AdminLimit | undefined;
  /** Admins read from the primary: right after a change, a replica may not show it yet. */
  readonly pool: Pool;
  readonly links: LinkAdministration;
  readonly blocklist: BlocklistAdministration;
  readonly blocklistStore: BlocklistStore;
  readonly baseUrl: string;
}
