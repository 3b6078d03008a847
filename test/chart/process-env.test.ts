import type { z } from 'zod';
import { apiConfigSchema } from '../../api/config';
import { schemaKeys } from '../../core/config/load';
import { migrateConfigSchema } from '../../core/db/database-config';
import { ensureSecretConfigSchema } from '../../core/secrets/secrets-config';
import { workerConfigSchema } from '../../worker/config';
import { helmTemplate, listScenarios, scenarioValuesFile } from './support/chart';
import { expectSuccess } from './support/expect-run';
import { ofKind, parseManifests, type KubeObject } from './support/manifests';
import type { Container } from './support/shapes';
import { podTemplates } from './support/stand-ins';
import { ensureK8sTools, RENDER_TOOLS, TOOLS_TIMEOUT_MS } from './support/tools';

/**
 * The chart and the processes share a contract: the names of the environment variables. A name the chart sets but
 * no schema reads is a setting silently ignored (a typo, or a key renamed on one side only), so every scenario's
 * containers are checked against the schema of the process they run.
 */

/** Containers running our processes, by container name; others (Redis, the helm test's curl) are not ours. */
const SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  api: apiConfigSchema,
  worker: workerConfigSchema,
  migrate: migrateConfigSchema,
  'ensure-secret': ensureSecretConfigSchema,
};

const renders = new Map<string, KubeObject[]>();

beforeAll(async () => {
  const tools = await ensureK8sTools(RENDER_TOOLS);
  for (const scenario of listScenarios()) {
    const rendered = await helmTemplate(tools, { valuesFile: scenarioValuesFile(scenario) });
    expectSuccess(rendered, `helm template (${scenario})`);
    renders.set(scenario, parseManifests(rendered.stdout));
  }
}, TOOLS_TIMEOUT_MS);

/** libpq's variables, which node-postgres reads on its own for whatever DATABASE_URL leaves out. */
const POSTGRES_DRIVER_VARIABLES = new Set(['PGHOST', 'PGPORT', 'PGUSER', 'PGPASSWORD', 'PGDATABASE', 'PGSSLMODE']);

/** Whether a process with these keys reads `name`, directly, as `<KEY>_FILE`, or through its PostgreSQL driver. */
function reads(keys: ReadonlySet<string>, name: string): boolean {
  if (POSTGRES_DRIVER_VARIABLES.has(name)) return keys.has('DATABASE_URL');
  return keys.has(name) || (name.endsWith('_FILE') && keys.has(name.slice(0, -'_FILE'.length)));
}

/** Variables set only to be interpolated into others (`$(PGUSER)`), which the process itself never reads. */
function interpolationHelpers(container: Container): Set<string> {
  const values = (container.env ?? []).map((e) => e.value ?? '').join('\n');
  return new Set([...values.matchAll(/\$\(([A-Z0-9_]+)\)/g)].map((match) => match[1] ?? ''));
}

/** Every name the chart gives one of our containers that its process's schema does not read. */
function unreadNames(objects: readonly KubeObject[]): string[] {
  const configMaps = new Map(
    ofKind<KubeObject & { data?: Record<string, string> }>(objects, 'ConfigMap').map((c) => [
      c.metadata.name,
      Object.keys(c.data ?? {}),
    ]),
  );
  // A ConfigMap shared by several processes holds settings for any of them; each key must be read by one at least.
  const sharedReaders = new Map<string, Set<string>>();
  const unread: string[] = [];
  for (const template of podTemplates(objects)) {
    for (const container of [...template.spec.containers, ...(template.spec.initContainers ?? [])]) {
      const schema = SCHEMAS[container.name];
      if (schema === undefined) continue;
      const keys = new Set(schemaKeys(schema));
      const helpers = interpolationHelpers(container);
      for (const { name } of container.env ?? []) {
        if (!reads(keys, name) && !helpers.has(name)) unread.push(`${container.name}: ${name}`);
      }
      for (const source of container.envFrom ?? []) {
        const configMap = source.configMapRef?.name;
        if (configMap === undefined) continue;
        for (const key of configMaps.get(configMap) ?? []) {
          const id = `ConfigMap ${configMap}: ${key}`;
          const readers = sharedReaders.get(id) ?? new Set<string>();
          if (reads(keys, key)) readers.add(container.name);
          sharedReaders.set(id, readers);
        }
      }
    }
  }
  for (const [id, readers] of sharedReaders) if (readers.size === 0) unread.push(id);
  return unread;
}

test.each(listScenarios())(
  '%s: every environment variable the chart gives our processes is a key of their config schema',
  (scenario) => {
    const objects = renders.get(scenario) ?? [];

    expect(podTemplates(objects).length).toBeGreaterThan(0);
    expect(unreadNames(objects)).toEqual([]);
  },
);

test('a name no schema reads is reported, with the container that gets it', () => {
  const objects = renders.get('production') ?? [];
  const api = ofKind<KubeObject & { spec: { template: { spec: { containers: Container[] } } } }>(
    objects,
    'Deployment',
  ).find((d) => d.spec.template.spec.containers.some((c) => c.name === 'api'));
  if (api === undefined) throw new Error('no api Deployment in the production scenario');
  const container = api.spec.template.spec.containers.find((c) => c.name === 'api')!;
  const misspelt = { ...container, env: [...(container.env ?? []), { name: 'REDIRECT_STATUSS', value: '302' }] };
  const altered = {
    ...api,
    spec: {
      ...api.spec,
      template: { ...api.spec.template, spec: { ...api.spec.template.spec, containers: [misspelt] } },
    },
  };

  expect(unreadNames([...objects.filter((o) => o !== api), altered])).toEqual(['api: REDIRECT_STATUSS']);
});
