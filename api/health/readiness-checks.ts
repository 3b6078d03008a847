import type { Redis } from 'ioredis';
import type { DatabasePools } from '../../core/db/pools';
import type { AmqpConnection } from '../../core/messaging/amqp-connection';
import type { ReadinessCheck } from '../deps';

export interface ReadinessTargets {
  readonly pools: Pick<DatabasePools, 'primary' | 'read'>;
  readonly redis?: Pick<Redis, 'ping'> | undefined;
  readonly amqp?: Pick<AmqpConnection, 'isConnected'> | undefined;
  readonly visits: { size(): number };
  /** VISIT_BUFFER_MAX: the buffer the redirect path must never find full. */
  readonly visitBufferMax: number;
  /** Links the in-process cache holds right now (the resolver's L1). */
  readonly cachedLinks: () => number;
}

/**
 * What /ready checks: every dependency the api was configured with, and the room left in its visit buffer.
 *
 * The database is critical only while nothing else can answer a redirect: when it is slow or down but Redis
 * answers, or this process's L1 holds links, the pod stays Ready (Degraded) and keeps serving cached
 * redirects; the API answers 503 for what needs the database. Every replica shares the database, so failing
 * them all at once would only turn a partial outage into a total one. A pod that can answer nothing (no
 * database, no Redis, an empty L1: typically one that started during the outage) is taken out of service.
 * A nearly full visit buffer and shutting down are this pod's own problems, so they always fail it.
 */
export function readinessChecks(targets: ReadinessTargets): ReadinessCheck[] {
  const { pools, redis, amqp, visits } = targets;
  const redisAnswers = async () =>
    redis
      ? await redis.ping().then(
          () => true,
          () => false,
        )
      : false;
  const checks: ReadinessCheck[] = [
    {
      name: 'postgres',
      critical: true,
      check: async () => void (await pools.primary.query('SELECT 1')),
      fallback: async () => targets.cachedLinks() > 0 || (await redisAnswers()),
    },
  ];
  if (pools.read !== pools.primary) {
    checks.push({
      name: 'postgres-read',
      critical: false,
      check: async () => void (await pools.read.query('SELECT 1')),
    });
  }
  if (redis) checks.push({ name: 'redis', critical: false, check: async () => void (await redis.ping()) });
  if (amqp) {
    checks.push({
      name: 'rabbitmq',
      critical: false,
      check: () => (amqp.isConnected() ? Promise.resolve() : Promise.reject(new Error('not connected'))),
    });
  }
  // A visit buffer close to full means visits are about to be refused: stop taking new traffic here.
  checks.push({
    name: 'visit-buffer',
    critical: true,
    check: () =>
      visits.size() < targets.visitBufferMax * 0.9
        ? Promise.resolve()
        : Promise.reject(new Error(`${visits.size()} visits waiting`)),
  });
  return checks;
}
