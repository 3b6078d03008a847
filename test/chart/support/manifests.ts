import { parseAllDocuments } from 'yaml';

export interface ObjectMeta {
  readonly name: string;
  readonly namespace?: string;
  /** Set by the API server; tells a kept object from one recreated under the same name. */
  readonly uid?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** Any Kubernetes object; tests narrow the parts they assert on with the shapes in shapes.ts. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: ObjectMeta;
  readonly [field: string]: unknown;
}

function isKubeObject(value: unknown): value is KubeObject {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<KubeObject>;
  return typeof v.apiVersion === 'string' && typeof v.kind === 'string' && typeof v.metadata?.name === 'string';
}

/** Parses multi-document YAML (helm template output); empty documents are skipped, anything else must be an object. */
export function parseManifests(text: string): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`invalid YAML: ${doc.errors.map((e) => e.message).join('; ')}`);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    if (!isKubeObject(value)) throw new Error(`not a Kubernetes object: ${JSON.stringify(value).slice(0, 200)}`);
    objects.push(value);
  }
  return objects;
}

export function isHook(object: KubeObject): boolean {
  return object.metadata.annotations?.['helm.sh/hook'] !== undefined;
}

export function ofKind<T extends KubeObject = KubeObject>(objects: readonly KubeObject[], kind: string): T[] {
  return objects.filter((o) => o.kind === kind) as T[];
}

/** The workload of one component: by app.kubernetes.io/component label, else by a `-<component>` name suffix. */
export function component<T extends KubeObject>(objects: readonly T[], name: string): T | undefined {
  return (
    objects.find((o) => o.metadata.labels?.['app.kubernetes.io/component'] === name) ??
    objects.find((o) => o.metadata.name.endsWith(`-${name}`))
  );
}
