import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { z } from 'zod';
import { integer, optionalText, text } from '../core/config/env';
import { ConfigError, parseConfig } from '../core/config/load';
import { EmbeddedPostgresError, startEmbeddedPostgres, type EmbeddedPostgres } from './lib/embedded-postgres';

/**
 * `npm start` (through scripts/run.sh, after install and build): runs the built api, and when DATABASE_URL is unset
 * starts an embedded PostgreSQL for it first. Signals sent to `npm start` reach this process, which passes them on
 * to the api once and stops PostgreSQL only after the api has drained and exited.
 */

/** Every key this launcher reads; the api reads its own through api/config.ts. */
const launcherConfigSchema = z.object({
  DATABASE_URL: optionalText('Your own PostgreSQL; unset: the embedded one below is started.'),
  EMBEDDED_PG_DIR: text('Where the embedded PostgreSQL keeps its data.', '.data/postgres'),
  EMBEDDED_PG_PORT: integer('Port of the embedded PostgreSQL (loopback only).', { default: 5439, min: 1, max: 65_535 }),
});

const ROOT = join(__dirname, '..');
const log = (line: string) => process.stderr.write(`[start] ${line}\n`);

async function main(): Promise<number> {
  const config = parseConfig(launcherConfigSchema);
  // Installed first, so a signal that arrives while PostgreSQL starts still stops it instead of orphaning it.
  let received: NodeJS.Signals | undefined;
  let forward: (signal: NodeJS.Signals) => void = () => undefined;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      // The first signal already asked the api to drain; its deadline bounds how long that takes.
      if (received !== undefined) return;
      received = signal;
      forward(signal);
    });
  }
  let database: EmbeddedPostgres | undefined;
  if (config.DATABASE_URL === undefined) {
    database = await startEmbeddedPostgres({
      directory: join(ROOT, config.EMBEDDED_PG_DIR),
      port: config.EMBEDDED_PG_PORT,
      log,
    });
  }
  if (received !== undefined) {
    await database?.stop();
    return 1;
  }
  const api = spawn(process.execPath, [join(ROOT, 'dist/api/main.js')], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: config.DATABASE_URL ?? database?.url },
    stdio: 'inherit',
  });
  forward = (signal) => api.kill(signal);
  const code = await new Promise<number>((resolveExit) => {
    api.once('error', (error) => {
      log(`could not run the api: ${error.message}`);
      resolveExit(1);
    });
    api.once('exit', (exitCode, signal) => resolveExit(exitCode ?? (signal === null ? 1 : 128)));
  });
  if (database) {
    log('stopping PostgreSQL');
    await database.stop();
  }
  return code;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const known = error instanceof ConfigError || error instanceof EmbeddedPostgresError;
    log(known ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
