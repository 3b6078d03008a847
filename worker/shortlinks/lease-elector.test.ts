import type { KubeObject, KubeObjects } from './kube-objects';
import { createLeaseElector } from './lease-elector';

/** One Lease in memory with the API server's optimistic concurrency: a stale resourceVersion gets 409. */
function fakeLeases() {
  let lease: KubeObject | undefined;
  let version = 0;
  const conflict = () => Object.assign(new Error('conflict'), { code: 409 });
  const objects: Pick<KubeObjects, 'get' | 'create' | 'replace'> = {
    get: () => Promise.resolve(lease && structuredClone(lease)),
    create: (_ref, body) => {
      if (lease) return Promise.reject(conflict());
      lease = { ...body, metadata: { ...body.metadata, resourceVersion: String(++version) } };
      return Promise.resolve(lease);
    },
    replace: (_ref, body) => {
      if (body.metadata.resourceVersion !== lease?.metadata.resourceVersion) return Promise.reject(conflict());
      lease = { ...body, metadata: { ...body.metadata, resourceVersion: String(++version) } };
      return Promise.resolve(lease);
    },
  };
  return {
    objects: objects as KubeObjects,
    holder: () => (lease?.spec as { holderIdentity?: string } | undefined)?.holderIdentity,
  };
}

describe('createLeaseElector', () => {
  let time = Date.parse('2026-06-01T00:00:00Z');
  const elector = (leases: ReturnType<typeof fakeLeases>, identity: string) => {
    const events: string[] = [];
    const e = createLeaseElector({
      objects: leases.objects,
      namespace: 'ns',
      name: 'lease',
      identity,
      leaseDurationSec: 10,
      onStartedLeading: () => events.push('started'),
      onStoppedLeading: () => events.push('stopped'),
      warn: () => undefined,
      now: () => time,
    });
    return { e, events };
  };

  it('lets one candidate hold the Lease while it renews, and another take it once it has expired', async () => {
    const leases = fakeLeases();
    const a = elector(leases, 'a');
    const b = elector(leases, 'b');

    expect(await a.e.tryAcquireOrRenew()).toBe(true);
    expect(await b.e.tryAcquireOrRenew()).toBe(false);
    time += 9_000;
    expect(await a.e.tryAcquireOrRenew()).toBe(true);
    time += 9_000;
    expect(await b.e.tryAcquireOrRenew()).toBe(false);
    time += 11_000;
    expect(await b.e.tryAcquireOrRenew()).toBe(true);
    expect(leases.holder()).toBe('b');
    expect(await a.e.tryAcquireOrRenew()).toBe(false);
    expect(a.events).toEqual(['started', 'stopped']);
  });

  it('gives the Lease up on stop, so a successor need not wait for it to expire', async () => {
    const leases = fakeLeases();
    const a = elector(leases, 'a');
    const b = elector(leases, 'b');
    await a.e.tryAcquireOrRenew();

    await a.e.stop();

    expect(await b.e.tryAcquireOrRenew()).toBe(true);
    expect(a.e.isLeader()).toBe(false);
  });
});
