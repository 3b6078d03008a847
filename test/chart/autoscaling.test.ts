import { QUEUES } from '../../core/messaging/topology';
import { render, scenarioValuesFile } from './support/chart';
import { ofKind, type KubeObject } from './support/manifests';
import type { HorizontalPodAutoscaler, ScaledObject } from './support/shapes';
import { ensureK8sTools, RENDER_TOOLS, TOOLS_TIMEOUT_MS, type K8sTools } from './support/tools';

/** The autoscalers' own settings do what they say (the signals themselves are the monitoring's, _promql.tpl). */

interface Policies {
  readonly policies?: readonly unknown[];
  readonly selectPolicy?: string;
}
interface Behavior {
  readonly scaleUp?: Policies;
  readonly scaleDown?: Policies;
}
type Scaled = ScaledObject & {
  spec: ScaledObject['spec'] & {
    cooldownPeriod?: number;
    fallback?: { replicas: number; behavior?: string };
    advanced?: { horizontalPodAutoscalerConfig?: { behavior?: Behavior } };
  };
};

let tools: K8sTools;
let keda: KubeObject[];
let hpa: KubeObject[];

beforeAll(async () => {
  tools = await ensureK8sTools(RENDER_TOOLS);
  keda = await render(tools, { valuesFile: scenarioValuesFile('keda') });
  hpa = await render(tools, { valuesFile: scenarioValuesFile('production') });
}, TOOLS_TIMEOUT_MS);

const worker = (objects: KubeObject[]) =>
  ofKind<Scaled>(objects, 'ScaledObject').find((s) => s.metadata.name.endsWith('-worker'))!;

test('KEDA: no cooldownPeriod, which only acts when scaling to zero, and neither workload scales to zero', () => {
  for (const so of ofKind<Scaled>(keda, 'ScaledObject')) {
    expect({ [so.metadata.name]: so.spec.cooldownPeriod }).toEqual({ [so.metadata.name]: undefined });
    expect(so.spec.minReplicaCount).toBeGreaterThanOrEqual(1);
  }
});

test('KEDA: while the broker cannot be read, a busy worker is not scaled down to the fallback', () => {
  expect(worker(keda).spec.fallback).toMatchObject({ behavior: 'currentReplicasIfHigher' });
});

test('KEDA and HPA: the worker scales on every queue it consumes, and only on queues that exist', () => {
  const queues = Object.values(QUEUES).sort();

  expect(
    worker(keda)
      .spec.triggers.filter((t) => t.type === 'rabbitmq')
      .map((t) => t.metadata?.['queueName'])
      .sort(),
  ).toEqual(queues);
  const workerHpa = ofKind<HorizontalPodAutoscaler>(hpa, 'HorizontalPodAutoscaler').find((h) =>
    h.metadata.name.endsWith('-worker'),
  )!;
  expect(
    (workerHpa.spec.metrics ?? [])
      .map((m) => (m.external?.metric.selector as { matchLabels?: { queue?: string } } | undefined)?.matchLabels?.queue)
      .filter((q) => q !== undefined)
      .sort(),
  ).toEqual(queues);
});

test('a selectPolicy only where there are policies to choose from', () => {
  const behaviors: [string, Behavior | undefined][] = [
    ...ofKind<Scaled>(keda, 'ScaledObject').map((s): [string, Behavior | undefined] => [
      s.metadata.name,
      s.spec.advanced?.horizontalPodAutoscalerConfig?.behavior,
    ]),
    ...ofKind<HorizontalPodAutoscaler & { spec: { behavior?: Behavior } }>(hpa, 'HorizontalPodAutoscaler').map(
      (h): [string, Behavior | undefined] => [h.metadata.name, h.spec.behavior],
    ),
  ];

  const pointless = behaviors.flatMap(([name, b]) =>
    [b?.scaleUp, b?.scaleDown]
      .filter((p) => p?.selectPolicy !== undefined && p.selectPolicy !== 'Disabled' && (p.policies ?? []).length < 2)
      .map(() => name),
  );

  expect(behaviors.length).toBe(4);
  expect(pointless).toEqual([]);
});
