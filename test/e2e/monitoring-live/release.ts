import path from 'node:path';
import { parse } from 'yaml';
import { helmTemplate } from '../../chart/support/chart';
import { expectSuccess } from '../../chart/support/expect-run';
import { ofKind, parseManifests, type KubeObject } from '../../chart/support/manifests';
import type { RuleGroup } from '../../chart/support/rules';
import { ensureK8sTools, RENDER_TOOLS } from '../../chart/support/tools';
import type { Dashboard } from '../../support/grafana';
import type { PodMonitorObject, ServiceMonitorObject } from '../../support/monitor-scrape-config';

export const NAMESPACE = 'monitoring-check';
export const RELEASE = 'live';
export const FULLNAME = 'live-offndat';

/** A container of one of the release's Deployments, as the chart renders it. */
export interface RenderedContainer {
  readonly podLabels: Readonly<Record<string, string>>;
  readonly name: string;
  readonly ports: readonly { readonly name: string; readonly containerPort: number }[];
  /** The literal environment the chart gives it (its ConfigMap, then its own `env` values). */
  readonly env: Readonly<Record<string, string>>;
}

/** What the live check takes from the chart: the rules, the monitors, the dashboards and the two processes. */
export interface LiveRelease {
  readonly groups: readonly RuleGroup[];
  readonly podMonitors: readonly PodMonitorObject[];
  readonly serviceMonitors: readonly ServiceMonitorObject[];
  /** The dashboards as the chart ships them (uid, title and variables of this release), by file name. */
  readonly dashboards: ReadonlyMap<string, Dashboard>;
  readonly api: RenderedContainer;
  readonly worker: RenderedContainer;
  /** The PromQL both autoscaling modes run for this release: KEDA's trigger, prometheus-adapter's rules. */
  readonly scalingQueries: readonly { readonly where: string; readonly expr: string }[];
}

type Deployment = KubeObject & {
  spec: {
    template: {
      metadata: { labels: Record<string, string> };
      spec: {
        containers: {
          name: string;
          ports?: { name: string; containerPort: number }[];
          env?: { name: string; value?: string }[];
          envFrom?: { configMapRef?: { name: string } }[];
        }[];
      };
    };
  };
};

/** Renders the chart as the live check runs it: values.yaml beside this file, the worker's vhost set. */
export async function renderLiveRelease(vhost: string): Promise<LiveRelease> {
  const tools = await ensureK8sTools(RENDER_TOOLS);
  const render = async (mode: string): Promise<KubeObject[]> => {
    const rendered = await helmTemplate(tools, {
      release: RELEASE,
      namespace: NAMESPACE,
      valuesFile: path.join(__dirname, 'values.yaml'),
      set: [`autoscaling.worker.vhost=${vhost}`, `autoscaling.mode=${mode}`],
    });
    expectSuccess(rendered, 'helm template');
    return parseManifests(rendered.stdout);
  };
  const objects = await render('hpa');
  const keda = await render('keda');
  const configMaps = ofKind<KubeObject & { data?: Record<string, string> }>(objects, 'ConfigMap');
  const container = (component: string): RenderedContainer => {
    const deployment = ofKind<Deployment>(objects, 'Deployment').find(
      (d) => d.metadata.name === `${FULLNAME}-${component}`,
    );
    const spec = deployment?.spec.template.spec.containers[0];
    if (deployment === undefined || spec === undefined) throw new Error(`no ${component} Deployment rendered`);
    const fromConfigMaps = (spec.envFrom ?? []).flatMap((source) =>
      Object.entries(configMaps.find((c) => c.metadata.name === source.configMapRef?.name)?.data ?? {}),
    );
    // Values that reference other variables ($(PGUSER)...) or Secrets need a cluster; the check sets those.
    const literal = (spec.env ?? [])
      .filter((e) => e.value !== undefined && !e.value.includes('$('))
      .map((e) => [e.name, e.value ?? '']);
    return {
      podLabels: deployment.spec.template.metadata.labels,
      name: spec.name,
      ports: spec.ports ?? [],
      env: Object.fromEntries([...fromConfigMaps, ...literal]),
    };
  };
  const dashboards = new Map<string, Dashboard>();
  for (const configMap of configMaps.filter((c) => c.metadata.labels?.['grafana_dashboard'] === '1')) {
    for (const [key, json] of Object.entries(configMap.data ?? {})) {
      dashboards.set(key.replace(/^offndat-/, ''), JSON.parse(json) as Dashboard);
    }
  }
  return {
    groups: ofKind<KubeObject & { spec: { groups: RuleGroup[] } }>(objects, 'PrometheusRule').flatMap(
      (r) => r.spec.groups,
    ),
    podMonitors: ofKind<KubeObject & PodMonitorObject>(objects, 'PodMonitor'),
    serviceMonitors: ofKind<KubeObject & ServiceMonitorObject>(objects, 'ServiceMonitor'),
    dashboards,
    api: container('api'),
    worker: container('worker'),
    scalingQueries: [...kedaQueries(keda), ...adapterQueries(configMaps)],
  };
}

function kedaQueries(objects: readonly KubeObject[]): { where: string; expr: string }[] {
  return ofKind<KubeObject & { spec: { triggers: { type: string; metadata?: Record<string, string> }[] } }>(
    objects,
    'ScaledObject',
  ).flatMap((so) =>
    so.spec.triggers
      .filter((t) => t.type === 'prometheus')
      .map((t) => ({ where: `ScaledObject/${so.metadata.name}`, expr: t.metadata?.['query'] ?? '' })),
  );
}

/** The adapter's queries with the matchers it builds from the HPAs' selectors (namespace and release). */
function adapterQueries(
  configMaps: readonly (KubeObject & { data?: Record<string, string> })[],
): { where: string; expr: string }[] {
  const rules = configMaps.find((c) => c.data?.['rules.yaml'] !== undefined)?.data?.['rules.yaml'] ?? '';
  const config = parse(rules) as { rules?: { external?: { name: { as: string }; metricsQuery: string }[] } };
  return (config.rules?.external ?? []).map((rule) => ({
    where: `prometheus-adapter ${rule.name.as}`,
    expr: rule.metricsQuery.replaceAll(
      '<<.LabelMatchers>>',
      `namespace="${NAMESPACE}",app_kubernetes_io_instance="${RELEASE}"`,
    ),
  }));
}
