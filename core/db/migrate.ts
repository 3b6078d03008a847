import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Pool } from 'pg';

/** Any fixed number works; it only has to be the same in every process that migrates. */
const MIGRATION_LOCK_ID = 4_242_001;

export const defaultMigrationsDir = join(__dirname, '..', '..', '..', 'migrations');

/**
 * Applies every `migrations/*.sql` not yet recorded, in name order, each in its own transaction. A session
 * advisory lock serialises concurrent runners (several API replicas, or the Helm hook and a developer).
 */
export async function migrate(pool: Pool, directory = resolveMigrationsDir()): Promise<string[]> {
  const files = (await readdir(directory)).filter((name) => name.endsWith('.sql')).sort();
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const done = new Set(
      (await client.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((r) => r.name),
    );
    const applied: string[] = [];
    for (const file of files) {
      if (done.has(file)) continue;
      const sql = await readFile(join(directory, file), 'utf8');
      await client.query('BEGIN');
      try {
        await client.query(sql);
        await client.query('INSERT INTO schema_migrations (name) VALUES ($1)', [file]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`Migration ${file} failed: ${(error as Error).message}`, { cause: error });
      }
      applied.push(file);
    }
    return applied;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
    client.release();
  }
}

/** Works from sources (core/db) and from the build (dist/core/db). */
function resolveMigrationsDir(): string {
  const fromSource = join(__dirname, '..', '..', 'migrations');
  return __dirname.includes(`${join('dist', 'core')}`) ? defaultMigrationsDir : fromSource;
}
