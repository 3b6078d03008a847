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
  /** The rule refusing this target (as typed or as stored), if any. */
  check(targetUrl: string): BlocklistRule | undefined;
  /** Re-reads both sources. On failure the previous rules stay in force and the error is thrown. */
  reload(): Promise<Blocklist>;
}

export function createBlocklistStore(options: BlocklistStoreOptions): BlocklistStore {
  let blocklist = EMPTY_BLOCKLIST;
  return {
    current: () => blocklist,
    // Patterns see the URL as a redirect would send it (normalised, percent-encoded, IDNA host).
    check: (targetUrl) => blocklist.match(locationFor(targetUrl)),
    async reload() {
      const [stored, fromFile] = await Promise.all([
        listBlocklistRules(options.pool),
        options.file ? readBlocklistFile(options.file) : Promise.resolve([]),
      ]);
      blocklist = compileBlocklist([...fromFile, ...stored]);
      return blocklist;
    },
  };
}
