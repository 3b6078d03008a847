import { helmTemplate } from './support/chart';
import { expectFailure, expectSuccess } from './support/expect-run';
import { ofKind, parseManifests, type KubeObject } from './support/manifests';
import { ensureK8sTools, RENDER_TOOLS, TOOLS_TIMEOUT_MS, type K8sTools } from './support/tools';

/** The api's client-address trust and its metrics port, as the chart wires them. */

interface Container {
  name: string;
  ports?: Array<{ name: string; containerPort: number }>;
  env?: Array<{ name: string; value?: string }>;
}
type Deployment = KubeObject & { spec: { template: { spec: { containers: Container[] } } } };
type PodMonitor = KubeObject & { spec: { podMetricsEndpoints: Array<{ port: string }> } };
interface IngressRule {
  ports: Array<{ port: string }>;
  from?: unknown[];
}
type NetworkPolicy = KubeObject & { spec: { ingress: IngressRule[] } };

let tools: K8sTools;

beforeAll(async () => {
  tools = await ensureK8sTools(RENDER_TOOLS);
}, TOOLS_TIMEOUT_MS);

async function render(set: string[] = []): Promise<KubeObject[]> {
  const result = await helmTemplate(tools, { set });
  expectSuccess(result, 'helm template');
  return parseManifests(result.stdout);
}

function apiContainer(objects: KubeObject[]): Container {
  const deployment = ofKind<Deployment>(objects, 'Deployment').find((d) => d.metadata.name === 'offndat-api');
  const container = deployment?.spec.template.spec.containers.find((c) => c.name === 'api');
  if (!container) throw new Error('no api container rendered');
  return container;
}

const env = (container: Container, name: string) => container.env?.find((e) => e.name === name)?.value;

describe('the api behind the chart', () => {
  it('trusts no proxy by default and serves /metrics on a named port of its own', async () => {
    const objects = await render();
    const api = apiContainer(objects);

    expect(env(api, 'TRUST_PROXY')).toBe('false');
    expect(env(api, 'METRICS_PORT')).toBe('9464');
    expect(api.ports?.find((p) => p.name === 'metrics')?.containerPort).toBe(9464);
    const monitor = ofKind<PodMonitor>(objects, 'PodMonitor').find((m) => m.metadata.name === 'offndat-api');
    expect(monitor?.spec.podMetricsEndpoints.map((e) => e.port)).toEqual(['metrics']);
  });

  it('opens the api port to clients and the metrics port to metricsFrom only', async () => {
    const prometheus = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } };
    const ingress = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } };
    const objects = await render([
      'networkPolicy.metricsFrom[0].namespaceSelector.matchLabels.kubernetes\\.io/metadata\\.name=monitoring',
      'networkPolicy.apiIngressFrom[0].namespaceSelector.matchLabels.kubernetes\\.io/metadata\\.name=ingress-nginx',
    ]);
    const policy = ofKind<NetworkPolicy>(objects, 'NetworkPolicy').find((p) => p.metadata.name === 'offndat-api');
    const rule = (port: string) => policy?.spec.ingress.find((r) => r.ports.some((p) => p.port === port));

    expect(rule('http')?.from).toContainEqual(ingress);
    expect(rule('http')?.from).not.toContainEqual(prometheus);
    expect(rule('metrics')?.from).toEqual([prometheus]);
  });

  it('refuses an ingress without saying which proxies to trust', async () => {
    const result = await helmTemplate(tools, { set: ['api.ingress.enabled=true'] });

    expectFailure(result, /api\.trustProxy/, 'helm template');
  });

  it("passes the ingress controller's CIDRs on as TRUST_PROXY", async () => {
    const objects = await render(['api.ingress.enabled=true', 'api.trustProxy=10.244.0.0/16']);

    expect(env(apiContainer(objects), 'TRUST_PROXY')).toBe('10.244.0.0/16');
  });
});
