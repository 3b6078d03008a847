import type { Logger } from '../../core/logging/logger';
import { connectKube, statusOf, type ResourceRef } from './kube-objects';
import { createLeaseElector, type LeaseElector } from './lease-elector';
import { finalizeShortLink, reconcileShortLink, type ReconcileDeps } from './reconcile-shortlink';
import { SHORTLINK_FINALIZER, SHORTLINK_GROUP, SHORTLINK_PLURAL, SHORTLINK_VERSION } from './shortlink-spec';
import { statusFor } from './shortlink-status';

export interface ShortLinkControllerOptions {
  readonly namespace: string;
  readonly identity: string;
  readonly leaseName: string;
  readonly leaseDurationSec: number;
  readonly resyncSec: number;
  readonly baseUrl: string;
  readonly deps: ReconcileDeps;
  readonly logger: Logger;
}

export interface ShortLinkController {
  isLeader(): boolean;
  stop(): Promise<void>;
}

const RETRY_MS = 2_000;

/**
 * Watches the ShortLinks of one namespace and, only while this replica holds the Lease, reconciles each into a
 * link, writing status back. Work is keyed by name and done one at a time, always on a fresh read of the
 * resource, so a burst of events for one ShortLink costs one reconcile.
 */
export async function startShortLinkController(options: ShortLinkControllerOptions): Promise<ShortLinkController> {
  const { namespace, logger } = options;
  const { k8s, config, objects } = await connectKube();
  const ref: ResourceRef = { group: SHORTLINK_GROUP, version: SHORTLINK_VERSION, plural: SHORTLINK_PLURAL, namespace };
  const queue = new Set<string>();
  let running = false;
  let stopped = false;
  const timers = new Set<NodeJS.Timeout>();

  const later = (work: () => void, ms: number) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      work();
    }, ms);
    timer.unref();
    timers.add(timer);
  };
  const enqueue = (name: string) => {
    queue.add(name);
    void drain();
  };
  const enqueueAll = async () => {
    try {
      for (const item of (await objects.list(ref)).items) enqueue(item.metadata.name);
    } catch (error) {
      logger.warn({ err: error }, 'could not list ShortLinks');
    }
  };

  const elector: LeaseElector = createLeaseElector({
    objects,
    namespace,
    name: options.leaseName,
    identity: options.identity,
    leaseDurationSec: options.leaseDurationSec,
    onStartedLeading: () => {
      logger.info({ identity: options.identity }, 'holding the ShortLink Lease: reconciling');
      void enqueueAll();
    },
    onStoppedLeading: () => logger.info({ identity: options.identity }, 'lost the ShortLink Lease: standing by'),
    warn: (error, message) => logger.warn({ err: error }, message),
  });

  async function reconcile(name: string): Promise<void> {
    let resource = await objects.get(ref, name);
    if (!resource) return;
    const owner = `shortlink:${namespace}/${name}`;
    const finalizers = resource.metadata.finalizers ?? [];
    if (resource.metadata.deletionTimestamp !== undefined) {
      if (!finalizers.includes(SHORTLINK_FINALIZER)) return;
      await finalizeShortLink(options.deps, owner);
      const remaining = finalizers.filter((f) => f !== SHORTLINK_FINALIZER);
      await objects.replace(ref, { ...resource, metadata: { ...resource.metadata, finalizers: remaining } });
      logger.info({ shortLink: name }, 'ShortLink deleted: its link is deleted');
      return;
    }
    if (!finalizers.includes(SHORTLINK_FINALIZER)) {
      resource = await objects.replace(ref, {
        ...resource,
        metadata: { ...resource.metadata, finalizers: [...finalizers, SHORTLINK_FINALIZER] },
      });
    }
    const outcome = await reconcileShortLink(options.deps, owner, resource.spec);
    const status = statusFor(resource, outcome, options.baseUrl);
    await objects.replaceStatus(ref, { ...resource, status });
    logger.info({ shortLink: name, ...outcome }, 'ShortLink reconciled');
  }

  async function drain(): Promise<void> {
    if (running) return;
    running = true;
    try {
      while (!stopped && elector.isLeader() && queue.size > 0) {
        const name = queue.values().next().value as string;
        queue.delete(name);
        try {
          await reconcile(name);
        } catch (error) {
          // 409: the resource changed under us; either way, try again on a fresh read.
          if (statusOf(error) !== 409) logger.warn({ err: error, shortLink: name }, 'ShortLink reconcile failed');
          later(() => enqueue(name), RETRY_MS);
        }
      }
    } finally {
      running = false;
    }
  }

  const path = `/apis/${SHORTLINK_GROUP}/${SHORTLINK_VERSION}/namespaces/${namespace}/${SHORTLINK_PLURAL}`;
  // The informer only tells which ShortLink changed; each reconcile reads the resource itself.
  const informer = k8s.makeInformer(config, path, () =>
    objects.list(ref).then((list) => ({ ...list, metadata: list.metadata ?? {} }) as never),
  );
  const onObject = (resource: { metadata?: { name?: string } }) => {
    if (resource.metadata?.name) enqueue(resource.metadata.name);
  };
  informer.on('add', onObject);
  informer.on('update', onObject);
  informer.on('delete', onObject);
  informer.on('error', (error: unknown) => {
    if (stopped) return;
    logger.warn({ err: error }, 'ShortLink watch failed; restarting it');
    later(() => void informer.start().catch(() => undefined), RETRY_MS);
  });
  await informer.start();
  elector.start();
  const resync = setInterval(() => {
    if (elector.isLeader()) void enqueueAll();
  }, options.resyncSec * 1_000);
  resync.unref();

  return {
    isLeader: () => elector.isLeader(),
    async stop() {
      stopped = true;
      clearInterval(resync);
      for (const timer of timers) clearTimeout(timer);
      await informer.stop();
      await elector.stop();
    },
  };
}
