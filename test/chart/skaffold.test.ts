import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { crdApiVersionFlags, CHART_DIR, RELEASE } from './support/chart';
import { expectSuccess } from './support/expect-run';
import { ofKind, parseManifests, type KubeObject } from './support/manifests';
import { run } from './support/run';
import { ensureK8sTools, RENDER_TOOLS, REPO_ROOT, TOOLS_TIMEOUT_MS, type K8sTools } from './support/tools';

/**
 * skaffold itself needs a Docker engine to build, so this proves its file against the chart instead: every path it
 * names exists, and the release it deploys renders with exactly its values, running the images it builds.
 */
interface Release {
  name: string;
  chartPath: string;
  namespace: string;
  valuesFiles: string[];
  setValueTemplates: Record<string, string>;
  setValues: Record<string, string>;
}

interface SkaffoldConfig {
  apiVersion: string;
  build: { artifacts: Array<{ image: string; context: string; docker: { dockerfile: string; target?: string } }> };
  deploy: { helm: { releases: Release[] } };
  portForward: Array<{ resourceType: string; resourceName: string; namespace: string; port: number }>;
  profiles: Array<{ name: string; patches: Array<{ op: string; path: string; value: unknown }> }>;
}

const config = parse(readFileSync(path.join(REPO_ROOT, 'skaffold.yaml'), 'utf8')) as SkaffoldConfig;
const release = config.deploy.helm.releases[0]!;
const TAG = 'skaffold-test';
const repoOf = (image: string) => `registry.test/${image}`;

/** Substitutes skaffold's template variables the way skaffold does for a built artifact. */
function expandTemplate(template: string): string {
  return template.replace(/\{\{\s*\.IMAGE_(REPO|TAG)_(\w+)\s*\}\}/g, (_match, part: string, name: string) => {
    const artifact = config.build.artifacts.find((a) => a.image.replace(/[-/.:]/g, '_') === name);
    if (!artifact) throw new Error(`skaffold.yaml templates an unknown artifact ${name}`);
    return part === 'REPO' ? repoOf(artifact.image) : TAG;
  });
}

async function renderRelease(tools: K8sTools, valuesFiles: readonly string[]): Promise<KubeObject[]> {
  const args = ['template', release.name, path.join(REPO_ROOT, release.chartPath), '--namespace', release.namespace];
  for (const file of valuesFiles) args.push('--values', path.join(REPO_ROOT, file));
  for (const [key, template] of Object.entries(release.setValueTemplates))
    args.push('--set', `${key}=${expandTemplate(template)}`);
  for (const [key, value] of Object.entries(release.setValues)) args.push('--set', `${key}=${value}`);
  const rendered = await run(tools.helm, [...args, ...crdApiVersionFlags(tools.crdsDir)]);
  expectSuccess(rendered, 'helm template with the skaffold release');
  return parseManifests(rendered.stdout);
}

let tools: K8sTools;
beforeAll(async () => {
  tools = await ensureK8sTools(RENDER_TOOLS);
}, TOOLS_TIMEOUT_MS);

describe('skaffold.yaml', () => {
  it("is valid against skaffold's published JSON Schema for its version", async () => {
    const { stdout } = await run(path.join(REPO_ROOT, 'scripts/k8s/skaffold-schema.sh'), [
      config.apiVersion.split('/')[1]!,
    ]);
    const validate = new Ajv({ strict: false, allErrors: true }).compile(
      JSON.parse(readFileSync(stdout.trim(), 'utf8')) as object,
    );

    const valid = validate(config);

    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('uses the current schema and builds both images from stages that exist in the Dockerfile', () => {
    expect(config.apiVersion).toBe('skaffold/v4beta14');
    expect(config.build.artifacts.map((a) => a.image).sort()).toEqual(['offndat-api', 'offndat-worker']);
    for (const artifact of config.build.artifacts) {
      const dockerfile = readFileSync(path.join(REPO_ROOT, artifact.context, artifact.docker.dockerfile), 'utf8');
      const stages = [...dockerfile.matchAll(/^FROM\s+\S+\s+AS\s+(\S+)/gim)].map((m) => m[1]);
      expect(stages).toContain(artifact.docker.target);
    }
  });

  it('deploys this chart, with values files that exist, as the release the chart tests use', () => {
    expect(path.resolve(REPO_ROOT, release.chartPath)).toBe(CHART_DIR);
    expect(release.name).toBe(RELEASE);
    const profileFiles = config.profiles.flatMap((p) =>
      p.patches.filter((patch) => patch.path.endsWith('/valuesFiles')).flatMap((patch) => patch.value as string[]),
    );
    for (const file of [...release.valuesFiles, ...profileFiles])
      expect(existsSync(path.join(REPO_ROOT, file))).toBe(true);
  });

  it.each([
    ['default', () => release.valuesFiles],
    [
      'keda profile',
      () =>
        config.profiles.find((p) => p.name === 'keda')!.patches.find((patch) => patch.path.endsWith('/valuesFiles'))!
          .value as string[],
    ],
  ])(
    '%s: renders with the values skaffold sets (the schema rejects unknown keys) and runs the images it builds',
    async (_name, valuesFiles) => {
      const objects = await renderRelease(tools, valuesFiles());

      const images = ofKind<
        KubeObject & {
          spec: { template: { spec: { containers: Array<{ image: string; imagePullPolicy?: string }> } } };
        }
      >(objects, 'Deployment')
        .filter((d) => /-(api|worker)$/.test(d.metadata.name))
        .map((d) => d.spec.template.spec.containers[0]!);
      expect(images.map((c) => c.image).sort()).toEqual([
        `${repoOf('offndat-api')}:${TAG}`,
        `${repoOf('offndat-worker')}:${TAG}`,
      ]);
      expect(images.every((c) => c.imagePullPolicy === 'IfNotPresent')).toBe(true);
    },
  );

  it('port-forwards to a Service the release creates, on a port it exposes', async () => {
    const objects = await renderRelease(tools, release.valuesFiles);

    for (const forward of config.portForward) {
      const service = ofKind<KubeObject & { spec: { ports: Array<{ port: number }> } }>(objects, 'Service').find(
        (s) => s.metadata.name === forward.resourceName,
      );
      expect(service?.spec.ports.map((p) => p.port)).toContain(forward.port);
      expect(forward.namespace).toBe(release.namespace);
    }
  });
});
