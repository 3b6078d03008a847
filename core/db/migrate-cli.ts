import { Pool } from 'pg';
import { parseConfig } from '../config/load';
import { exitOnStartupError } from '../lifecycle/startup-error';
import { createLogger } from '../logging/logger';
import { migrateConfigSchema } from './database-config';
import { migrate } from './migrate';
import { handleConnectionErrors } from './pools';

/**
 * `npm run migrate`, and the Helm hook Job: applies pending migrations to DATABASE_URL and exits 0, or 1 on
 * failure. Connection failures are retried (the database may still be starting: 2 s doubling, capped at
 * 30 s, 10 attempts); SQL errors are not.
 */
async function main(): Promise<number> {
  const config = parseConfig(migrateConfigSchema);
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'migrate' });
  const pool = new Pool({ connectionString: config.DATABASE_URL, max: 1, connectionTimeoutMillis: 10_000 });
  handleConnectionErrors(pool);
  try {
    for (let attempt = 1, delay = 2000; ; attempt++, delay = Math.min(delay * 2, 30_000)) {
      try {
        await pool.query('SELECT 1');
        break;
      } catch (error) {
        if (attempt >= 10) throw error;
        logger.warn({ attempt, delayMs: delay, err: (error as Error).message }, 'database not reachable yet, retrying');
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
    const started = Date.now();
    const applied = await migrate(pool);
    logger.info(
      { applied, elapsedMs: Date.now() - started },
      applied.length ? 'migrations applied' : 'schema up to date',
    );
    return 0;
  } catch (error) {
    logger.error({ err: error }, 'migration failed');
    return 1;
  } finally {
    await pool.end();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => exitOnStartupError('offndat migrate', error),
);
