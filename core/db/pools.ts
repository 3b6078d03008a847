import { Pool, type PoolConfig } from 'pg';

/** Writes go to the primary; reads to replicas when configured, otherwise to the primary as well. */
export interface DatabasePools {
  readonly primary: Pool;
  readonly read: Pool;
  close(): Promise<void>;
}

export interface PoolOptions {
  readonly primaryUrl: string;
  /** One URL, or several comma-separated ones (the first is used; CloudNativePG's `-ro` service balances). */
  readonly readUrl?: string | undefined;
  readonly primaryMax: number;
  readonly readMax: number;
  readonly applicationName: string;
}

function poolConfig(url: string, max: number, applicationName: string): PoolConfig {
  return {
    connectionString: url,
    max,
    application_name: applicationName,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 5_000,
  };
}

export function createPools(options: PoolOptions): DatabasePools {
  const primary = new Pool(poolConfig(options.primaryUrl, options.primaryMax, options.applicationName));
  const readUrl = options.readUrl?.split(',')[0]?.trim();
  const read =
    readUrl && readUrl !== options.primaryUrl
      ? new Pool(poolConfig(readUrl, options.readMax, `${options.applicationName}-read`))
      : primary;
  // An idle client that loses its server emits 'error' on the pool; without a listener the process would crash.
  primary.on('error', () => undefined);
  if (read !== primary) read.on('error', () => undefined);
  return {
    primary,
    read,
    async close() {
      await primary.end();
      if (read !== primary) await read.end();
    },
  };
}
