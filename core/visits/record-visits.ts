import type { Pool } from 'pg';
import { VISIT_LIMITS, truncate, type LinkVisited } from './visit';

/**
 * Persists a batch of visits and bumps the per-link counters in one transaction. Visits already stored
 * (redelivery, replay) are skipped by `ON CONFLICT (visit_id) DO NOTHING`, and the counters only add what
 * was actually inserted, so a batch can be retried any number of times without double counting.
 * Visits whose link no longer exists are dropped (nothing to count them against). Returns the rows inserted and
 * the phrases whose visit budget this batch used up (each reported once: by the batch that crossed it).
 */
export async function recordVisits(
  pool: Pool,
  visits: readonly LinkVisited[],
): Promise<{ inserted: number; spent: string[] }> {
  if (visits.length === 0) return { inserted: 0, spent: [] };
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await client.query<{ inserted: string; spent?: string[] }>(RECORD_SQL, [
      visits.map((v) => v.visitId),
      visits.map((v) => v.linkId),
      visits.map((v) => v.visitedAt),
      visits.map((v) => truncate(v.ipAddress, VISIT_LIMITS.ipAddress)),
      visits.map((v) => truncate(v.userAgent, VISIT_LIMITS.userAgent)),
      visits.map((v) => truncate(v.referrer, VISIT_LIMITS.referrer)),
      visits.map((v) => v.isBot),
    ]);
    await client.query('COMMIT');
    return { inserted: Number(result.rows[0]?.inserted ?? 0), spent: result.rows[0]?.spent ?? [] };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

// Arrays keep the statement's text constant whatever the batch size (one plan, no parameter limit).
const RECORD_SQL = `
WITH input AS (
  SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::boolean[])
    AS t(visit_id, link_id, visited_at, ip_address, user_agent, referrer, is_bot)
), inserted AS (
  INSERT INTO visits (visit_id, link_id, visited_at, ip_address, user_agent, referrer, is_bot)
  SELECT i.visit_id, i.link_id, i.visited_at, i.ip_address, i.user_agent, i.referrer, i.is_bot
  FROM input i JOIN links l ON l.id = i.link_id
  ON CONFLICT (visit_id) DO NOTHING
  RETURNING link_id, visited_at, is_bot
), totals AS (
  SELECT link_id,
         count(*) FILTER (WHERE NOT is_bot) AS humans,
         count(*) FILTER (WHERE is_bot) AS bots,
         max(visited_at) AS last_visited_at
  FROM inserted GROUP BY link_id
), counted AS (
  INSERT INTO link_visit_counters AS c (link_id, total_visits, bot_visits, last_visited_at)
  SELECT link_id, humans, bots, last_visited_at FROM totals ORDER BY link_id -- fixed lock order: no deadlocks between batches
  ON CONFLICT (link_id) DO UPDATE SET
    total_visits = c.total_visits + EXCLUDED.total_visits,
    bot_visits = c.bot_visits + EXCLUDED.bot_visits,
    last_visited_at = GREATEST(c.last_visited_at, EXCLUDED.last_visited_at)
  RETURNING link_id, total_visits
), spent AS (
  SELECT l.phrase FROM counted c JOIN totals t ON t.link_id = c.link_id JOIN links l ON l.id = c.link_id
  WHERE l.max_visits IS NOT NULL AND c.total_visits >= l.max_visits AND c.total_visits - t.humans < l.max_visits
)
SELECT (SELECT count(*) FROM inserted) AS inserted, (SELECT count(*) FROM counted) AS counted,
       ARRAY(SELECT phrase FROM spent) AS spent`;
