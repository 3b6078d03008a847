import { Pool, type PoolConfig } from 'pg';

/** What reads need from a pool: queries, and the counts the `active_connections` gauge reports. */
export type ReadPool = Pick<Pool, 'query' | 'totalCount' | 'idleCount'> & { end(): Promise<void> };

/** Writes go to the primary; reads to replicas when configured, otherwise to the primary as well. */
export interface DatabasePools {
  readonly primary: Pool;
  readonly read: ReadPool;
  close(): Promise<void>;
}

export interface PoolOptions {
  readonly primaryUrl: string;
  /**
   * Replicas: one URL (e.g. CloudNativePG's `-ro` service, which balances itself) or several comma-separated
   * URLs, queried in turn. `readMax` applies to each.
   */
  readonly readUrl?: string | undefined;
  readonly primaryMax: number;
  readonly readMax: number;
  readonly applicationName: string;
}

function createPool(url: string, max: number, applicationName: string): Pool {
  const config: PoolConfig = {
    connectionString: url,
    max,
    application_name: applicationName,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 5_000,
  };
  const pool = new Pool(config);
  handleConnectionErrors(pool);
  return pool;
}

/**
 * A server that ends connections (a restart, a failover, `pg_terminate_backend`) makes each client emit 'error'.
 * The pool listens only to its idle clients; a checked-out client with no listener of its own would throw the
 * error out of its socket handler and kill the process. The query in progress rejects anyway, and the pool
 * discards a client that is no longer queryable when it is released, so both listeners only keep the process up.
 */
export function handleConnectionErrors(pool: Pool): void {
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
}

/** Spreads queries over several replica pools in turn; counts are summed so the gauge sees them as one. */
export function roundRobinPool(members: readonly Pool[]): ReadPool {
  let turn = 0;
  const query = function (...args: unknown[]): unknown {
    const pool = members[turn++ % members.length]!;
    return (pool.query as (...queryArgs: unknown[]) => unknown).apply(pool, args);
  } as unknown as Pool['query'];
  return {
    query,
    get totalCount() {
      return members.reduce((sum, pool) => sum + pool.totalCount, 0);
    },
    get idleCount() {
      return members.reduce((sum, pool) => sum + pool.idleCount, 0);
    },
    end: async () => void (await Promise.all(members.map((pool) => pool.end()))),
  };
}

export function createPools(options: PoolOptions): DatabasePools {
  const primary = createPool(options.primaryUrl, options.primaryMax, options.applicationName);
  const replicaUrls = (options.readUrl ?? '')
    .split(',')
    .map((url) => url.trim())
    .filter((url) => url !== '' && url !== options.primaryUrl);
  const replicas = replicaUrls.map((url) => createPool(url, options.readMax, `${options.applicationName}-read`));
  const read: ReadPool =
    replicas.length === 0 ? primary : replicas.length === 1 ? replicas[0]! : roundRobinPool(replicas);
  return {
    primary,
    read,
    async close() {
      await primary.end();
      if (read !== primary) await read.end();
    },
  };
}
