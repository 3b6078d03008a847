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
}

/** What /ready checks: every dependency the api was configured with, and the room left in its visit buffer. */
export function readinessChecks(targets: ReadinessTargets): ReadinessCheck[] {
  const { pools, redis, amqp, visits } = targets;
  const checks: ReadinessCheck[] = [
    { name: 'postgres', critical: true, check: async () => void (await pools.primary.query('SELECT 1')) },
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
