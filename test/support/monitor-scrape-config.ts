/**
 * Prometheus scrape configurations for the chart's PodMonitors and ServiceMonitors, built the way
 * prometheus-operator builds them (its standard relabelling, then the monitor's own relabelings), for pods and
 * services that run on this machine instead of in a cluster: the Kubernetes service discovery labels
 * (`__meta_kubernetes_*`) are given as static labels. So a Prometheus without Kubernetes labels the series
 * exactly as the chart's monitors make a cluster's Prometheus label them, and the chart's rules and dashboards
 * can be checked against them.
 */

export interface LocalPod {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly container: string;
  /** Container port name → where it listens here (`127.0.0.1:PORT`). */
  readonly ports: Readonly<Record<string, string>>;
}

export interface LocalService {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The pods behind the Service (its Endpoints). */
  readonly pods: readonly LocalPod[];
}

interface Relabeling {
  readonly sourceLabels?: readonly string[];
  readonly separator?: string;
  readonly targetLabel?: string;
  readonly regex?: string;
  readonly replacement?: string;
  readonly action?: string;
}

interface MonitorEndpoint {
  readonly port: string;
  readonly path?: string;
  readonly params?: Readonly<Record<string, readonly string[]>>;
  readonly relabelings?: readonly Relabeling[];
}

interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly { key: string; operator: string; values?: readonly string[] }[];
}

export interface PodMonitorObject {
  readonly metadata: { readonly name: string };
  readonly spec: {
    readonly selector: LabelSelector;
    readonly podTargetLabels?: readonly string[];
    readonly podMetricsEndpoints: readonly MonitorEndpoint[];
  };
}

export interface ServiceMonitorObject {
  readonly metadata: { readonly name: string };
  readonly spec: {
    readonly selector: LabelSelector;
    readonly targetLabels?: readonly string[];
    readonly podTargetLabels?: readonly string[];
    readonly endpoints: readonly MonitorEndpoint[];
  };
}

export type RelabelConfig = Record<string, unknown>;

export interface ScrapeConfig {
  readonly job_name: string;
  readonly metrics_path: string;
  readonly params?: Readonly<Record<string, readonly string[]>>;
  readonly static_configs: readonly { targets: string[]; labels: Record<string, string> }[];
  readonly relabel_configs: readonly RelabelConfig[];
}

/** Kubernetes label name → the Prometheus label name service discovery gives it. */
export const sanitize = (name: string): string => name.replace(/[^a-zA-Z0-9_]/g, '_');

function metaLabels(kind: 'pod' | 'service', labels: Readonly<Record<string, string>>): Record<string, string> {
  const meta: Record<string, string> = {};
  for (const [name, value] of Object.entries(labels)) {
    meta[`__meta_kubernetes_${kind}_label_${sanitize(name)}`] = value;
    meta[`__meta_kubernetes_${kind}_labelpresent_${sanitize(name)}`] = 'true';
  }
  return meta;
}

/** The operator's `keep` rules for a label selector over pod or service labels. */
function selectorRules(kind: 'pod' | 'service', selector: LabelSelector): RelabelConfig[] {
  const rules: RelabelConfig[] = [];
  const keep = (key: string, regex: string): void => {
    rules.push({
      action: 'keep',
      source_labels: [
        `__meta_kubernetes_${kind}_label_${sanitize(key)}`,
        `__meta_kubernetes_${kind}_labelpresent_${sanitize(key)}`,
      ],
      regex: `(${regex});true`,
    });
  };
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) keep(key, escapeRegex(value));
  for (const expression of selector.matchExpressions ?? []) {
    if (expression.operator !== 'In') throw new Error(`selector operator ${expression.operator} is not emulated`);
    keep(expression.key, (expression.values ?? []).map(escapeRegex).join('|'));
  }
  return rules;
}

function escapeRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A monitor's relabelings in Prometheus' own spelling. */
function userRules(relabelings: readonly Relabeling[] = []): RelabelConfig[] {
  return relabelings.map((r) => {
    const rule: RelabelConfig = {};
    if (r.sourceLabels !== undefined) rule['source_labels'] = [...r.sourceLabels];
    if (r.separator !== undefined) rule['separator'] = r.separator;
    if (r.targetLabel !== undefined) rule['target_label'] = r.targetLabel;
    if (r.regex !== undefined) rule['regex'] = r.regex;
    if (r.replacement !== undefined) rule['replacement'] = r.replacement;
    if (r.action !== undefined) rule['action'] = r.action;
    return rule;
  });
}

function copyLabels(kind: 'pod' | 'service', names: readonly string[] = []): RelabelConfig[] {
  return names.map((name) => ({
    source_labels: [`__meta_kubernetes_${kind}_label_${sanitize(name)}`],
    target_label: sanitize(name),
    regex: '(.+)',
    replacement: '${1}',
  }));
}

function podMeta(pod: LocalPod, port: string): Record<string, string> {
  return {
    __meta_kubernetes_namespace: pod.namespace,
    __meta_kubernetes_pod_name: pod.name,
    __meta_kubernetes_pod_container_name: pod.container,
    __meta_kubernetes_pod_container_port_name: port,
    ...metaLabels('pod', pod.labels),
  };
}

/** One job per endpoint of the PodMonitor, as prometheus-operator names and relabels it. */
export function podMonitorScrapeConfigs(
  namespace: string,
  monitor: PodMonitorObject,
  pods: readonly LocalPod[],
): ScrapeConfig[] {
  return monitor.spec.podMetricsEndpoints.map((endpoint, i) => ({
    job_name: `podMonitor/${namespace}/${monitor.metadata.name}/${i}`,
    metrics_path: endpoint.path ?? '/metrics',
    ...(endpoint.params === undefined ? {} : { params: endpoint.params }),
    static_configs: pods
      .filter((pod) => pod.ports[endpoint.port] !== undefined)
      .map((pod) => ({ targets: [pod.ports[endpoint.port] ?? ''], labels: podMeta(pod, endpoint.port) })),
    relabel_configs: [
      { source_labels: ['job'], target_label: '__tmp_prometheus_job_name' },
      ...selectorRules('pod', monitor.spec.selector),
      {
        action: 'keep',
        source_labels: ['__meta_kubernetes_pod_container_port_name'],
        regex: escapeRegex(endpoint.port),
      },
      { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' },
      { source_labels: ['__meta_kubernetes_pod_container_name'], target_label: 'container' },
      { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
      ...copyLabels('pod', monitor.spec.podTargetLabels),
      { target_label: 'job', replacement: `${namespace}/${monitor.metadata.name}` },
      { target_label: 'endpoint', replacement: endpoint.port },
      ...userRules(endpoint.relabelings),
    ],
  }));
}

/** One job per endpoint of the ServiceMonitor, as prometheus-operator names and relabels it. */
export function serviceMonitorScrapeConfigs(
  namespace: string,
  monitor: ServiceMonitorObject,
  services: readonly LocalService[],
): ScrapeConfig[] {
  return monitor.spec.endpoints.map((endpoint, i) => ({
    job_name: `serviceMonitor/${namespace}/${monitor.metadata.name}/${i}`,
    metrics_path: endpoint.path ?? '/metrics',
    ...(endpoint.params === undefined ? {} : { params: endpoint.params }),
    static_configs: services.flatMap((service) =>
      service.pods
        .filter((pod) => pod.ports[endpoint.port] !== undefined)
        .map((pod) => ({
          targets: [pod.ports[endpoint.port] ?? ''],
          labels: {
            ...podMeta(pod, endpoint.port),
            __meta_kubernetes_service_name: service.name,
            __meta_kubernetes_endpoint_port_name: endpoint.port,
            ...metaLabels('service', service.labels),
          },
        })),
    ),
    relabel_configs: [
      { source_labels: ['job'], target_label: '__tmp_prometheus_job_name' },
      ...selectorRules('service', monitor.spec.selector),
      { action: 'keep', source_labels: ['__meta_kubernetes_endpoint_port_name'], regex: escapeRegex(endpoint.port) },
      { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' },
      { source_labels: ['__meta_kubernetes_service_name'], target_label: 'service' },
      { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
      { source_labels: ['__meta_kubernetes_pod_container_name'], target_label: 'container' },
      ...copyLabels('service', monitor.spec.targetLabels),
      ...copyLabels('pod', monitor.spec.podTargetLabels),
      { source_labels: ['__meta_kubernetes_service_name'], target_label: 'job', replacement: '${1}' },
      { target_label: 'endpoint', replacement: endpoint.port },
      ...userRules(endpoint.relabelings),
    ],
  }));
}
