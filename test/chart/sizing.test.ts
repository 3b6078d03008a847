import { BATCHING_DEFAULTS } from '../../core/visits/batching-visit-sink';
import { helmTemplate, listScenarios, render, scenarioValuesFile } from './support/chart';
import { expectFailure } from './support/expect-run';
import { component, ofKind, type KubeObject } from './support/manifests';
import type { Deployment, HorizontalPodAutoscaler } from './support/shapes';
import { ensureK8sTools, RENDER_TOOLS, TOOLS_TIMEOUT_MS, type K8sTools } from './support/tools';
import { envVar } from './support/workload-checks';

/** What the processes plan for fits the pods they run in: time on SIGTERM, memory, CPU. */

let tools: K8sTools;
const renders = new Map<string, KubeObject[]>();

beforeAll(async () => {
  tools = await ensureK8sTools(RENDER_TOOLS);
  for (const scenario of ['default', ...listScenarios()])
    renders.set(
      scenario,
      await render(tools, scenario === 'default' ? {} : { valuesFile: scenarioValuesFile(scenario) }),
    );
}, TOOLS_TIMEOUT_MS);

type Pod = Deployment['spec']['template']['spec'] & {
  terminationGracePeriodSeconds: number;
  containers: { lifecycle?: { preStop?: { sleep?: { seconds: number } } } }[];
};
const deployment = (scenario: string, name: string) =>
  component(ofKind<Deployment>(renders.get(scenario) ?? [], 'Deployment'), name)!;
const env = (d: Deployment, name: string) => Number(envVar(d.spec.template, undefined, name)?.value);

function bytes(quantity: string): number {
  const units: Record<string, number> = { '': 1, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, k: 1e3, M: 1e6, G: 1e9 };
  const [, number, unit] = /^([0-9.]+)([A-Za-z]*)$/.exec(quantity)!;
  return Number(number) * units[unit ?? '']!;
}

/** Bytes the chart counts for one buffered visit: the largest one measured (longest user agent and referrer). */
const VISIT_BYTES = 4096;

describe.each(['default', ...listScenarios()])('%s', (scenario) => {
  test('the api fits preStop, the drain, the visit flush and closing into its grace period', () => {
    const d = deployment(scenario, 'api');
    const pod = d.spec.template.spec as Pod;
    const preStop = pod.containers[0]?.lifecycle?.preStop?.sleep?.seconds ?? 0;

    const needed = preStop + env(d, 'SHUTDOWN_TIMEOUT_MS') / 1000 + BATCHING_DEFAULTS.closeTimeoutMs / 1000 + 5;

    expect(env(d, 'SHUTDOWN_TIMEOUT_MS')).toBeGreaterThanOrEqual(5000);
    expect(needed).toBeLessThanOrEqual(pod.terminationGracePeriodSeconds);
  });

  test('the worker gives up on its batch before the kubelet kills it', () => {
    const d = deployment(scenario, 'worker');

    expect(env(d, 'SHUTDOWN_TIMEOUT_MS') / 1000).toBeLessThan(
      (d.spec.template.spec as Pod).terminationGracePeriodSeconds,
    );
  });

  test('a full visit buffer takes at most half of the api memory limit', () => {
    const d = deployment(scenario, 'api');
    const limit = bytes(d.spec.template.spec.containers[0]?.resources?.limits?.['memory'] ?? '0');

    expect(env(d, 'VISIT_BUFFER_MAX') * VISIT_BYTES).toBeLessThanOrEqual(limit / 2);
  });

  test("Redis' maxmemory leaves it room under its memory limit", () => {
    const redis = ofKind<Deployment>(renders.get(scenario) ?? [], 'Deployment').find((d) =>
      d.metadata.name.endsWith('-redis'),
    );
    if (redis === undefined) return;
    const container = redis.spec.template.spec.containers[0]!;
    const maxmemory = Number(/maxmemory (\d+)/.exec(JSON.stringify(container))?.[1]);

    expect(maxmemory).toBeGreaterThan(0);
    expect(maxmemory).toBeLessThanOrEqual(0.8 * bytes(container.resources?.limits?.['memory'] ?? '0'));
  });
});

test.each(['default', 'production'])(
  '%s: the api scales out on CPU at a real share of a core (Node runs JavaScript on one thread)',
  (scenario) => {
    const d = deployment(scenario, 'api');
    const request = d.spec.template.spec.containers[0]?.resources?.requests?.['cpu'] ?? '0';
    const millicores = request.endsWith('m') ? Number(request.slice(0, -1)) : Number(request) * 1000;
    const hpa = ofKind<HorizontalPodAutoscaler>(renders.get(scenario) ?? [], 'HorizontalPodAutoscaler').find(
      (h) => h.spec.scaleTargetRef.name === d.metadata.name,
    );
    const target = Number(
      (hpa?.spec.metrics ?? []).find((m) => m.resource?.name === 'cpu')?.resource?.target['averageUtilization'] ?? 70,
    );

    expect((millicores * target) / 100).toBeGreaterThanOrEqual(250);
  },
);

test('a grace period too short for preStop, a drain and the visit flush is refused', async () => {
  expectFailure(
    await helmTemplate(tools, { set: ['api.terminationGracePeriodSeconds=30'] }),
    /terminationGracePeriodSeconds=30 cannot hold/,
    'helm template',
  );
});

test('a visit buffer larger than half the memory limit is refused; null sizes it from the limit', async () => {
  expectFailure(
    await helmTemplate(tools, { set: ['api.visitBufferMax=100000'] }),
    /visitBufferMax=100000/,
    'helm template',
  );
  const d = component(
    ofKind<Deployment>(await render(tools, { set: ['api.resources.limits.memory=1Gi'] }), 'Deployment'),
    'api',
  )!;
  expect(env(d, 'VISIT_BUFFER_MAX')).toBe(2 ** 30 / 4 / VISIT_BYTES);
});

test('a Redis maxmemory too close to its memory limit is refused', async () => {
  expectFailure(
    await helmTemplate(tools, { set: ['redis.internal.maxmemory=250mb'] }),
    /maxmemory=250mb/,
    'helm template',
  );
});
