import type { KubeApi } from './kube-api';
import type { KubeObject } from './manifests';

/**
 * The aggregated metrics APIs (metrics-server's metrics.k8s.io, prometheus-adapter's or KEDA's
 * external.metrics.k8s.io) stood in for by CRDs in the same groups: the chart only checks that the cluster serves
 * them, and nothing here reads a metric. Groups under k8s.io need the approval annotation, given as "unapproved".
 */
const GROUPS = ['metrics.k8s.io', 'external.metrics.k8s.io'] as const;

function standIn(group: string): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `standins.${group}`,
      annotations: { 'api-approved.kubernetes.io': 'unapproved, a stand-in for the metrics API in chart tests' },
    },
    spec: {
      group,
      scope: 'Namespaced',
      names: { plural: 'standins', singular: 'standin', kind: 'StandIn' },
      versions: [
        {
          name: 'v1beta1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        },
      ],
    },
  };
}

async function served(api: KubeApi, group: string): Promise<boolean> {
  return (await api.request('GET', `/apis/${group}/v1beta1`)).status === 200;
}

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} after 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export async function serveMetricsApis(api: KubeApi): Promise<void> {
  for (const group of GROUPS) {
    await api.apply(standIn(group));
    await until(`${group} not served`, () => served(api, group));
  }
}

export async function withdrawMetricsApis(api: KubeApi): Promise<void> {
  for (const group of GROUPS) {
    const res = await api.request(
      'DELETE',
      `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/standins.${group}`,
    );
    if (res.status !== 200 && res.status !== 202 && res.status !== 404)
      throw new Error(`deleting the ${group} stand-in: HTTP ${res.status}`);
    await until(`${group} still served`, async () => !(await served(api, group)));
  }
}
