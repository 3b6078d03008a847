import { readFileSync } from 'node:fs';
import path from 'node:path';
import { render, scenarioValuesFile } from './support/chart';
import { podTemplates } from './support/stand-ins';
import type { Deployment, Job } from './support/shapes';
import { ofKind, type KubeObject } from './support/manifests';
import { ensureK8sTools, RENDER_TOOLS, REPO_ROOT, TOOLS_TIMEOUT_MS, type K8sTools } from './support/tools';

/** Where every image comes from: a registry that can serve it, a mirror, a node's own store, a pinned digest. */

let tools: K8sTools;

beforeAll(async () => {
  tools = await ensureK8sTools(RENDER_TOOLS);
}, TOOLS_TIMEOUT_MS);

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;
const APP_VERSION = /appVersion:\s*"?([^"\n]+)"?/.exec(
  readFileSync(path.join(REPO_ROOT, 'charts/offndat/Chart.yaml'), 'utf8'),
)![1];

/** Image of every container running our images, by workload and container name. */
function images(objects: readonly KubeObject[]): Record<string, string> {
  const found: Record<string, string> = {};
  for (const o of [...ofKind<Deployment>(objects, 'Deployment'), ...ofKind<Job>(objects, 'Job')])
    for (const c of o.spec.template.spec.containers) found[`${o.metadata.name}/${c.name}`] = c.image;
  return found;
}

test('by default the api and worker come from where CI publishes them, at the chart appVersion', async () => {
  const found = images(await render(tools));

  expect(found['offndat-api/api']).toBe(`ghcr.io/offndat/offndat-api:${APP_VERSION}`);
  expect(found['offndat-worker/worker']).toBe(`ghcr.io/offndat/offndat-worker:${APP_VERSION}`);
  // The migrations and the secrets Job run the api image.
  expect(found['offndat-migrate/migrate']).toBe(found['offndat-api/api']);
  expect(found['offndat-secrets/ensure-secret']).toBe(found['offndat-api/api']);
});

test('a digest pins the image and replaces the tag', async () => {
  const found = images(
    await render(tools, {
      values: { api: { image: { digest: DIGEST, tag: '9.9.9' } }, worker: { image: { digest: DIGEST } } },
    }),
  );

  expect(found['offndat-api/api']).toBe(`ghcr.io/offndat/offndat-api@${DIGEST}`);
  expect(found['offndat-worker/worker']).toBe(`ghcr.io/offndat/offndat-worker@${DIGEST}`);
});

test('a digest that is not a sha256 is refused by the schema', async () => {
  await expect(render(tools, { values: { api: { image: { digest: 'latest' } } } })).rejects.toThrow(/digest/);
});

test('global.imageRegistry moves every image, Redis included, to a mirror that keeps the paths', async () => {
  const objects = await render(tools, { values: { global: { imageRegistry: 'mirror.example/hub' } } });

  const all = podTemplates(objects).flatMap((t) => t.spec.containers.map((c) => c.image));
  expect(all.length).toBeGreaterThan(3);
  for (const image of all) expect(image).toMatch(/^mirror\.example\/hub\//);
  expect(all).toContain('mirror.example/hub/library/redis:8.2.1-alpine');
  expect(all).toContain(`mirror.example/hub/offndat/offndat-api:${APP_VERSION}`);
});

test('an empty registry leaves a bare name, as images loaded into a kind node are addressed', async () => {
  const found = images(await render(tools, { valuesFile: scenarioValuesFile('kind'), set: ['api.image.tag=e2e-1'] }));

  // scripts/k8s/images.sh builds and loads offndat-api:$IMAGE_TAG and offndat-worker:$IMAGE_TAG.
  expect(found['offndat-api/api']).toBe('offndat-api:e2e-1');
  expect(found['offndat-worker/worker']).toBe(`offndat-worker:${APP_VERSION}`);
  const images_sh = readFileSync(path.join(REPO_ROOT, 'scripts/k8s/images.sh'), 'utf8');
  expect(images_sh).toContain('API_IMAGE=offndat-api:$IMAGE_TAG');
  expect(images_sh).toContain('WORKER_IMAGE=offndat-worker:$IMAGE_TAG');
});
