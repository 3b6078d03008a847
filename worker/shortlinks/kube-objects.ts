// The client is an ES module: loaded with import() when the reconciler starts, never by a worker without it.
// eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- the import attribute is a type-level option, not a value
type K8s = typeof import('@kubernetes/client-node', { with: { 'resolution-mode': 'import' } });
type KubeConfig = InstanceType<K8s['KubeConfig']>;

/** Any object as the API server sends it; the reconciler reads only what it checks. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    generation?: number;
    resourceVersion?: string;
    deletionTimestamp?: string;
    finalizers?: string[];
    [key: string]: unknown;
  };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

export interface ResourceRef {
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  readonly namespace: string;
}

/**
 * The few calls the reconciler and the Lease make, on plain JSON objects through the custom-objects client (it
 * serves any group's resources, Leases included, without re-serialising their timestamps).
 */
export interface KubeObjects {
  get(ref: ResourceRef, name: string): Promise<KubeObject | undefined>;
  list(ref: ResourceRef): Promise<{ items: KubeObject[]; metadata?: { resourceVersion?: string } }>;
  create(ref: ResourceRef, body: KubeObject): Promise<KubeObject>;
  /** Optimistic: the body's resourceVersion must still be current (409 otherwise). */
  replace(ref: ResourceRef, body: KubeObject): Promise<KubeObject>;
  replaceStatus(ref: ResourceRef, body: KubeObject): Promise<KubeObject>;
}

/** The HTTP status of a failed call (the client's ApiException carries it as `code`). */
export function statusOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** In a pod: the service account; elsewhere (tests, a developer): $KUBECONFIG or ~/.kube/config. */
export async function connectKube(): Promise<{ k8s: K8s; config: KubeConfig; objects: KubeObjects }> {
  const k8s: K8s = await import('@kubernetes/client-node');
  const config = new k8s.KubeConfig();
  if (process.env.KUBERNETES_SERVICE_HOST && !process.env.KUBECONFIG) config.loadFromCluster();
  else config.loadFromDefault();
  return { k8s, config, objects: createKubeObjects(k8s, config) };
}

function createKubeObjects(k8s: K8s, config: KubeConfig): KubeObjects {
  const api = config.makeApiClient(k8s.CustomObjectsApi);
  const params = (ref: ResourceRef) => ({
    group: ref.group,
    version: ref.version,
    namespace: ref.namespace,
    plural: ref.plural,
  });
  return {
    async get(ref, name) {
      try {
        return (await api.getNamespacedCustomObject({ ...params(ref), name })) as KubeObject;
      } catch (error) {
        if (statusOf(error) === 404) return undefined;
        throw error;
      }
    },
    list: async (ref) => (await api.listNamespacedCustomObject(params(ref))) as { items: KubeObject[] },
    create: async (ref, body) => (await api.createNamespacedCustomObject({ ...params(ref), body })) as KubeObject,
    replace: async (ref, body) =>
      (await api.replaceNamespacedCustomObject({ ...params(ref), name: body.metadata.name, body })) as KubeObject,
    replaceStatus: async (ref, body) =>
      (await api.replaceNamespacedCustomObjectStatus({ ...params(ref), name: body.metadata.name, body })) as KubeObject,
  };
}
