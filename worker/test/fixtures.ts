import { randomUUID } from 'node:crypto';
import { connect, type ChannelModel, type ConfirmChannel } from 'amqplib';
import pino from 'pino';
import type { Pool } from 'pg';
import type { Logger } from '../../core/logging/logger';
import { publishConfirmed } from '../../core/messaging/amqp-connection';
import {
  EVENTS_EXCHANGE,
  MESSAGE_TYPES,
  ROUTING_KEYS,
  assertTopology,
  encodeMessage,
  eventProperties,
} from '../../core/messaging/topology';
import type { LinkVisited } from '../../core/visits/visit';

export const silentLogger: Logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

/** The worker's retry schedule, shortened; tests assert attempt counts, never timing. */
export const FAST_RETRIES = [100, 300, 500] as const;

export async function insertLink(pool: Pool): Promise<string> {
  const id = randomUUID();
  await pool.query('INSERT INTO links (id, phrase, target_url, language_id, theme_id) VALUES ($1, $2, $3, 0, 0)', [
    id,
    `phrase-${id}`,
    'https://example.com/',
  ]);
  return id;
}

export function makeVisits(linkId: string, count: number, isBot = false): LinkVisited[] {
  return Array.from({ length: count }, () => ({
    visitId: randomUUID(),
    linkId,
    languageId: 0,
    themeId: 0,
    visitedAt: new Date().toISOString(),
    ipAddress: '203.0.113.9',
    userAgent: 'jest',
    referrer: null,
    isBot,
  }));
}

export async function visitCounts(pool: Pool, linkId: string): Promise<{ total: number; bots: number; rows: number }> {
  // One statement, one snapshot: read apart, a batch committing in between would show rows and counters disagreeing.
  const { rows } = await pool.query<{ total_visits: string | null; bot_visits: string | null; n: string }>(
    `SELECT (SELECT total_visits FROM link_visit_counters WHERE link_id = $1) AS total_visits,
            (SELECT bot_visits FROM link_visit_counters WHERE link_id = $1) AS bot_visits,
            (SELECT count(*) FROM visits WHERE link_id = $1) AS n`,
    [linkId],
  );
  return {
    total: Number(rows[0]?.total_visits ?? 0),
    bots: Number(rows[0]?.bot_visits ?? 0),
    rows: Number(rows[0]?.n ?? 0),
  };
}

/** A test-side broker client (publishing, peeking) in the test's own vhost. */
export interface TestBroker {
  readonly channel: ConfirmChannel;
  publishVisits(visits: readonly LinkVisited[], messageId?: string): Promise<void>;
  publishRaw(routingKey: string, content: Buffer, type?: string): Promise<void>;
  depth(queue: string): Promise<number>;
  close(): Promise<void>;
}

export async function openTestBroker(url: string): Promise<TestBroker> {
  const model: ChannelModel = await connect(url);
  const channel = await model.createConfirmChannel();
  await assertTopology(channel);
  return {
    channel,
    publishVisits: (visits, messageId = randomUUID()) =>
      publishConfirmed(
        channel,
        ROUTING_KEYS.linkVisited,
        encodeMessage({ visits }),
        eventProperties(MESSAGE_TYPES.linkVisited, messageId),
      ),
    publishRaw: (routingKey, content, type) =>
      new Promise<void>((resolve, reject) => {
        channel.publish(
          EVENTS_EXCHANGE,
          routingKey,
          content,
          { persistent: true, messageId: randomUUID(), ...(type ? { type } : {}) },
          (error: unknown) => (error ? reject(error instanceof Error ? error : new Error('nacked')) : resolve()),
        );
      }),
    depth: async (queue) => (await channel.checkQueue(queue)).messageCount,
    async close() {
      await model.close().catch(() => undefined);
    },
  };
}

/** Polls until `probe` returns a truthy value (no timing assertions: the jest timeout is the only limit). */
export async function waitFor<T>(
  probe: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function counterValue(
  registry: { getSingleMetricAsString(name: string): Promise<string> },
  name: string,
  labels: Record<string, string>,
): Promise<number> {
  const text = await registry.getSingleMetricAsString(name);
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => !l.startsWith('#') && wanted.every((w) => l.includes(w)));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}
