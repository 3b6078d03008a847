import type { Pool } from 'pg';
import { locationFor } from '../links/pg-link-repository';
import { compileBlocklist, EMPTY_BLOCKLIST, type Blocklist } from './blocklist';
import type { BlocklistRule } from './blocklist-rule';
import { readBlocklistFile } from './blocklist-file';
import { listBlocklistRules } from './pg-blocklist-repository';

export interface BlocklistStoreOptions {
  readonly pool: Pick<Pool, 'query'>;
  /** Rules from a file (a mounted ConfigMap), re-read on every reload so an edited ConfigMap takes effect. */
  readonly file?: string | undefined;
}

/** The rules in force in this process: the database's and the file's, compiled once per reload. */
export interface BlocklistStore {
  current(): Blocklist;
  /**
   * Whether the rules have been read at least once. Until then current() is empty: a process may start before
   * its database is migrated (the chart's migrations run after the first install), so callers that must not
   * let a blocked target through (creation, reconciliation) refuse until this turns true.
   */
  loaded(): boolean;
  /** The rule refusing this target (as typed or as stored), if any. */
  check(targetUrl: string): BlocklistRule | undefined;
  /** Re-reads both sources. On failure the previous rules stay in force and the error is thrown. */
  reload(): Promise<Blocklist>;
}

export function createBlocklistStore(options: BlocklistStoreOptions): BlocklistStore {
  let blocklist = EMPTY_BLOCKLIST;
  let loaded = false;
  return {
    current: () => blocklist,
    loaded: () => loaded,
    // Patterns see the URL as a redirect would send it (normalised, percent-encoded, IDNA host).
    check: (targetUrl) => blocklist.match(locationFor(targetUrl)),
    async reload() {
      const [stored, fromFile] = await Promise.all([
        listBlocklistRules(options.pool),
        options.file ? readBlocklistFile(options.file) : Promise.resolve([]),
      ]);
      blocklist = compileBlocklist([...fromFile, ...stored]);
      loaded = true;
      return blocklist;
    },
  };
}
