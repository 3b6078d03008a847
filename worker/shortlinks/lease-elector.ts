import { statusOf, type KubeObject, type KubeObjects, type ResourceRef } from './kube-objects';

export interface LeaseElectorOptions {
  readonly objects: KubeObjects;
  readonly namespace: string;
  readonly name: string;
  /** This replica, as `holderIdentity`. */
  readonly identity: string;
  readonly leaseDurationSec: number;
  readonly onStartedLeading: () => void;
  readonly onStoppedLeading: () => void;
  readonly warn: (error: unknown, message: string) => void;
  readonly now?: () => number;
}

export interface LeaseElector {
  isLeader(): boolean;
  /** One round: acquire, renew or observe. Exposed so tests can step it. */
  tryAcquireOrRenew(): Promise<boolean>;
  start(): void;
  /** Stops renewing and gives the Lease up, so a successor need not wait for it to expire. */
  stop(): Promise<void>;
}

/** MicroTime as the API server writes it (six fractional digits). */
const microTime = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

/**
 * client-go's leader election on a coordination.k8s.io Lease: the holder renews every third of the lease
 * duration; a candidate takes the Lease over only once its renewTime is older than the duration. Every write
 * carries the resourceVersion it read, so two candidates cannot both win a round. A holder that fails to renew
 * for a whole lease duration stops acting before anyone else can have taken over.
 */
export function createLeaseElector(options: LeaseElectorOptions): LeaseElector {
  const now = options.now ?? Date.now;
  const ref: ResourceRef = {
    group: 'coordination.k8s.io',
    version: 'v1',
    plural: 'leases',
    namespace: options.namespace,
  };
  const durationMs = options.leaseDurationSec * 1_000;
  let leader = false;
  let lastRenewed = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  function setLeader(value: boolean): void {
    if (value === leader) return;
    leader = value;
    if (value) options.onStartedLeading();
    else options.onStoppedLeading();
  }

  function spec(previous: KubeObject | undefined, taking: boolean): Record<string, unknown> {
    const at = microTime(now());
    const old = (previous?.spec ?? {}) as { acquireTime?: string; leaseTransitions?: number };
    return {
      holderIdentity: options.identity,
      leaseDurationSeconds: options.leaseDurationSec,
      acquireTime: taking ? at : (old.acquireTime ?? at),
      renewTime: at,
      leaseTransitions: (old.leaseTransitions ?? 0) + (taking && previous ? 1 : 0),
    };
  }

  async function round(): Promise<boolean> {
    const current = await options.objects.get(ref, options.name);
    if (!current) {
      await options.objects.create(ref, {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name: options.name, namespace: options.namespace },
        spec: spec(undefined, true),
      });
      return true;
    }
    const held = (current.spec ?? {}) as { holderIdentity?: string; renewTime?: string; leaseDurationSeconds?: number };
    const mine = held.holderIdentity === options.identity;
    const renewedAt = held.renewTime ? Date.parse(held.renewTime) : 0;
    const expired =
      !held.holderIdentity || renewedAt + (held.leaseDurationSeconds ?? options.leaseDurationSec) * 1_000 < now();
    if (!mine && !expired) return false;
    await options.objects.replace(ref, { ...current, spec: spec(current, !mine) });
    return true;
  }

  async function tryAcquireOrRenew(): Promise<boolean> {
    try {
      const won = await round();
      if (won) lastRenewed = now();
      setLeader(won);
    } catch (error) {
      // 409: another candidate wrote first this round. Anything else: keep leading only while the Lease lasts.
      if (statusOf(error) !== 409) options.warn(error, 'could not acquire or renew the ShortLink Lease');
      setLeader(leader && now() - lastRenewed < durationMs);
    }
    return leader;
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => void tryAcquireOrRenew().finally(schedule), Math.max(500, durationMs / 3));
    timer.unref();
  }

  return {
    isLeader: () => leader,
    tryAcquireOrRenew,
    start() {
      void tryAcquireOrRenew().finally(schedule);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      timer = undefined;
      if (!leader) return;
      setLeader(false);
      const current = await options.objects.get(ref, options.name).catch(() => undefined);
      const held = current?.spec as { holderIdentity?: string } | undefined;
      if (current && held?.holderIdentity === options.identity) {
        const released = { ...current.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: microTime(now()) };
        await options.objects.replace(ref, { ...current, spec: released }).catch(() => undefined);
      }
    },
  };
}
