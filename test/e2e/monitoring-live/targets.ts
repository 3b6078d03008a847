import { stringify } from 'yaml';
import {
  podMonitorScrapeConfigs,
  serviceMonitorScrapeConfigs,
  type LocalPod,
  type ScrapeConfig,
} from '../../support/monitor-scrape-config';
import { freePort } from '../../support/ports';
import { FULLNAME, NAMESPACE, type LiveRelease, type RenderedContainer } from './release';

/** A process of the release run here: the environment to start it with, and where its ports listen. */
export interface LocalProcess {
  readonly env: Record<string, string>;
  /** Container port name → 127.0.0.1:PORT. */
  readonly ports: Record<string, string>;
  readonly pod: LocalPod;
}

/**
 * The chart's environment for a container, each of its ports moved to a free local port: the variable the chart
 * sets to a port's number (PORT=8080 for `http`) is set to the local one, so the monitor's port name still
 * finds the process wherever the chart puts its endpoints.
 */
export async function localProcess(component: string, container: RenderedContainer): Promise<LocalProcess> {
  const env = { ...container.env };
  const ports: Record<string, string> = {};
  for (const port of container.ports) {
    const variable = Object.keys(env).find((name) => env[name] === String(port.containerPort));
    if (variable === undefined)
      throw new Error(`${component}: no variable sets port ${port.name} (${port.containerPort})`);
    const local = await freePort();
    env[variable] = String(local);
    ports[port.name] = `127.0.0.1:${local}`;
  }
  return {
    env,
    ports,
    pod: {
      name: `${FULLNAME}-${component}-0`,
      namespace: NAMESPACE,
      labels: container.podLabels,
      container: container.name,
      ports,
    },
  };
}

/**
 * The labels the RabbitMQ cluster operator gives the Service and pods of a RabbitmqCluster named `cluster`,
 * which the chart's ServiceMonitor selects on.
 */
export function brokerPod(cluster: string, metricsAddress: string): { service: Record<string, string>; pod: LocalPod } {
  const labels = {
    'app.kubernetes.io/name': cluster,
    'app.kubernetes.io/component': 'rabbitmq',
    'app.kubernetes.io/part-of': 'rabbitmq',
  };
  return {
    service: labels,
    pod: {
      name: `${cluster}-server-0`,
      namespace: NAMESPACE,
      labels: { ...labels, 'statefulset.kubernetes.io/pod-name': `${cluster}-server-0` },
      container: 'rabbitmq',
      ports: { prometheus: metricsAddress },
    },
  };
}

/** prometheus.yml: every monitor of the release over the local processes, and the release's rules. */
export function prometheusConfig(
  release: LiveRelease,
  pods: readonly LocalPod[],
  broker: ReturnType<typeof brokerPod>,
): string {
  const jobs: ScrapeConfig[] = [
    ...release.podMonitors.flatMap((m) => podMonitorScrapeConfigs(NAMESPACE, m, pods)),
    ...release.serviceMonitors.flatMap((m) =>
      serviceMonitorScrapeConfigs(NAMESPACE, m, [
        { name: `${FULLNAME}-mq`, namespace: NAMESPACE, labels: broker.service, pods: [broker.pod] },
      ]),
    ),
  ].filter((job) => job.static_configs.length > 0);
  return stringify({
    global: { scrape_interval: '1s', evaluation_interval: '1s' },
    rule_files: ['rules.yaml'],
    scrape_configs: jobs,
  });
}
