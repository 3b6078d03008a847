import { helmTemplate, render, scenarioValuesFile } from './support/chart';
import { expectFailure } from './support/expect-run';
import { ofKind, type KubeObject } from './support/manifests';
import { ensureK8sTools, RENDER_TOOLS, TOOLS_TIMEOUT_MS, type K8sTools } from './support/tools';

/**
 * The data outlives the release: the objects that own volumes are kept by Helm, and the PostgreSQL Cluster is
 * backed up and can be recreated from its backups. (The install tests uninstall a release and look.)
 */

interface Cluster extends KubeObject {
  readonly spec: {
    readonly bootstrap: { readonly initdb?: unknown; readonly recovery?: Record<string, unknown> };
    readonly backup?: { readonly barmanObjectStore?: Record<string, unknown>; readonly volumeSnapshot?: unknown };
    readonly externalClusters?: readonly {
      readonly name: string;
      readonly barmanObjectStore?: Record<string, unknown>;
    }[];
  };
}

let tools: K8sTools;

beforeAll(async () => {
  tools = await ensureK8sTools(RENDER_TOOLS);
}, TOOLS_TIMEOUT_MS);

const keep = (o: KubeObject | undefined) => o?.metadata.annotations?.['helm.sh/resource-policy'];
const STORE = { destinationPath: 's3://backups/offndat', s3Credentials: { inheritFromIAMRole: true } };

test.each(['default', 'production'])(
  '%s: the PostgreSQL Cluster and the RabbitmqCluster are kept by Helm, and by Argo CD',
  async (scenario) => {
    const objects = await render(tools, scenario === 'default' ? {} : { valuesFile: scenarioValuesFile(scenario) });

    for (const kind of ['Cluster', 'RabbitmqCluster']) {
      const o = ofKind(objects, kind)[0];
      expect({ [kind]: keep(o) }).toEqual({ [kind]: 'keep' });
      expect(o?.metadata.annotations?.['argocd.argoproj.io/sync-options']).toBe('Prune=false,Delete=false');
    }
  },
);

test('keepOnUninstall: false leaves the data objects to Helm', async () => {
  const objects = await render(tools, {
    values: {
      postgresql: { operator: { keepOnUninstall: false } },
      rabbitmq: { operator: { keepOnUninstall: false } },
    },
  });

  expect(keep(ofKind(objects, 'Cluster')[0])).toBeUndefined();
  expect(keep(ofKind(objects, 'RabbitmqCluster')[0])).toBeUndefined();
});

test('production backs up to an object store on a schedule, the Backups owned by the kept Cluster', async () => {
  const objects = await render(tools, { valuesFile: scenarioValuesFile('production') });
  const cluster = ofKind<Cluster>(objects, 'Cluster')[0];
  const schedules = ofKind<KubeObject & { spec: Record<string, unknown> }>(objects, 'ScheduledBackup');

  expect(cluster?.spec.backup?.barmanObjectStore?.['destinationPath']).toMatch(/^s3:\/\//);
  expect(schedules).toHaveLength(1);
  expect(schedules[0]?.spec).toMatchObject({
    cluster: { name: cluster?.metadata.name },
    method: 'barmanObjectStore',
    backupOwnerReference: 'cluster',
  });
  expect(String(schedules[0]?.spec['schedule']).split(' ')).toHaveLength(6);
});

test('volume snapshots are a backup method of their own', async () => {
  const objects = await render(tools, {
    values: {
      postgresql: {
        operator: { backup: { enabled: true, method: 'volumeSnapshot', volumeSnapshot: { className: 'csi' } } },
      },
    },
  });

  expect(ofKind<Cluster>(objects, 'Cluster')[0]?.spec.backup?.volumeSnapshot).toEqual({ className: 'csi' });
  expect(ofKind<KubeObject & { spec: { method: string } }>(objects, 'ScheduledBackup')[0]?.spec.method).toBe(
    'volumeSnapshot',
  );
});

test.each([
  ['an object store without a destination', { method: 'barmanObjectStore' }, /destinationPath is required/],
  ['snapshots without a VolumeSnapshotClass', { method: 'volumeSnapshot' }, /className is required/],
])('backups to %s are refused', async (_what, backup, message) => {
  const result = await helmTemplate(tools, {
    values: { postgresql: { operator: { backup: { enabled: true, ...backup } } } },
  });

  expectFailure(result, message, 'helm template');
});

test('a recovery creates the Cluster from the object store, to a point in time, under the old server name', async () => {
  const objects = await render(tools, {
    values: {
      postgresql: {
        operator: {
          recovery: {
            enabled: true,
            serverName: 'old-offndat-pg',
            barmanObjectStore: STORE,
            targetTime: '2026-11-01T10:00:00Z',
          },
        },
      },
    },
  });
  const cluster = ofKind<Cluster>(objects, 'Cluster')[0];

  expect(cluster?.spec.bootstrap.initdb).toBeUndefined();
  expect(cluster?.spec.bootstrap.recovery).toMatchObject({
    source: 'origin',
    database: 'offndat',
    owner: 'offndat',
    recoveryTarget: { targetTime: '2026-11-01T10:00:00Z' },
  });
  expect(cluster?.spec.externalClusters).toEqual([
    { name: 'origin', barmanObjectStore: { ...STORE, serverName: 'old-offndat-pg' } },
  ]);
});

test('a recovery from a volume-snapshot Backup names the Backup', async () => {
  const objects = await render(tools, {
    values: {
      postgresql: { operator: { recovery: { enabled: true, source: 'backup', backupName: 'offndat-pg-2026' } } },
    },
  });

  expect(ofKind<Cluster>(objects, 'Cluster')[0]?.spec.bootstrap.recovery).toMatchObject({
    backup: { name: 'offndat-pg-2026' },
  });
});

test('a recovery that would archive into the backups it reads is refused (CloudNativePG would refuse to start)', async () => {
  const result = await helmTemplate(tools, {
    values: {
      postgresql: {
        operator: {
          backup: { enabled: true, barmanObjectStore: STORE },
          recovery: { enabled: true, serverName: 'offndat-pg' },
        },
      },
    },
  });

  expectFailure(result, /archive into the backups it restores from/, 'helm template');
});
