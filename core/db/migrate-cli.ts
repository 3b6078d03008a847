import { Pool } from 'pg';
import { createLogger } from '../logging/logger';
import { migrate } from './migrate';

/**
 * `npm run migrate`, and the Helm hook Job: applies pending migrations to DATABASE_URL and exits 0, or 1 on
 * failure. Connection failures are retried (the database may still be starting: 2 s doubling, capped at
 * 30 s, 10 attempts); SQL errors are not.
 */
async function main(): Promise<number> {
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'info', name: 'migrate' });
  const url = process.env.DATABASE_URL ?? (process.env.DATABASE_URL_FILE ? (await import('node:fs')).readFileSync(process.env.DATABASE_URL_FILE, 'utf8').trim() : undefined);
  if (!url) {
    logger.error('DATABASE_URL is required');
    return 1;
  }
  const pool = new Pool({ connectionString: url, max: 1, connectionTimeoutMillis: 10_000 });
  pool.on('error', () => undefined);
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
    logger.info({ applied, elapsedMs: Date.now() - started }, applied.length ? 'migrations applied' : 'schema up to date');
    return 0;
  } catch (error) {
    logger.error({ err: error }, 'migration failed');
    return 1;
  } finally {
    await pool.end();
  }
}

void main().then((code) => process.exit(code));
