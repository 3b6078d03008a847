import https from 'node:https';
import type { KubeObject } from './manifests';

export interface ApiResponse {
  readonly status: number;
  readonly body: unknown;
}

interface ApiResource {
  readonly name: string;
  readonly kind: string;
  readonly namespaced: boolean;
}

/**
 * A small REST client for the local control plane (bearer token, self-signed loopback certificate). It covers
 * what the chart tests need (server-side apply with strict field validation, dry-run, get, list) without kubectl.
 */
export interface KubeApi {
  request(method: string, path: string, body?: unknown, contentType?: string): Promise<ApiResponse>;
  /** Server-side apply; rejects unknown or duplicate fields. Throws with the server's message on failure. */
  apply(object: KubeObject, options?: { namespace?: string; dryRun?: boolean }): Promise<KubeObject>;
  get(apiVersion: string, kind: string, name: string, namespace?: string): Promise<KubeObject | undefined>;
  list(apiVersion: string, kind: string, namespace?: string): Promise<KubeObject[]>;
}

const FIELD_MANAGER = 'offndat-chart-test';

export function createKubeApi(url: string, token: string): KubeApi {
  const agent = new https.Agent({ rejectUnauthorized: false, keepAlive: true });
  const discovery = new Map<string, ApiResource[]>();

  /**
   * Like client-go, retries 429 "try again later" answers: right after a CRD is established the server answers
   * lists of the new kind with 429 "storage is (re)initializing" until its watch cache is ready.
   */
  async function request(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<ApiResponse> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const res = await send(method, path, body, contentType);
      if (res.status !== 429 || Date.now() > deadline) return res;
      await new Promise((r) => setTimeout(r, Math.min(1000, Math.max(100, res.retryAfterSeconds * 1000))));
    }
  }

  function send(
    method: string,
    path: string,
    body: unknown,
    contentType: string,
  ): Promise<ApiResponse & { retryAfterSeconds: number }> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = https.request(
        new URL(path, url),
        {
          method,
          agent,
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            ...(payload === undefined
              ? {}
              : { 'content-type': contentType, 'content-length': Buffer.byteLength(payload) }),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = JSON.parse(text);
            } catch {
              // non-JSON bodies (e.g. /readyz) stay text
            }
            resolve({
              status: res.statusCode ?? 0,
              body: parsed,
              retryAfterSeconds: Number(res.headers['retry-after'] ?? 0) || 0,
            });
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  function groupVersionPath(apiVersion: string): string {
    return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  }

  async function resource(apiVersion: string, kind: string): Promise<ApiResource> {
    let resources = discovery.get(apiVersion);
    if (resources?.some((r) => r.kind === kind) !== true) {
      const res = await request('GET', groupVersionPath(apiVersion));
      if (res.status !== 200) throw new Error(`API ${apiVersion} is not served (${res.status})`);
      resources = (res.body as { resources: ApiResource[] }).resources.filter((r) => !r.name.includes('/'));
      discovery.set(apiVersion, resources);
    }
    const found = resources.find((r) => r.kind === kind);
    if (found === undefined) throw new Error(`kind ${kind} is not served in ${apiVersion}`);
    return found;
  }

  async function collectionPath(apiVersion: string, kind: string, namespace: string | undefined): Promise<string> {
    const r = await resource(apiVersion, kind);
    const ns = r.namespaced ? `/namespaces/${encodeURIComponent(namespace ?? 'default')}` : '';
    return `${groupVersionPath(apiVersion)}${ns}/${r.name}`;
  }

  function fail(what: string, res: ApiResponse): never {
    const message = (res.body as { message?: string } | undefined)?.message ?? JSON.stringify(res.body);
    throw new Error(`${what}: HTTP ${res.status}: ${message}`);
  }

  return {
    request,
    async apply(object, options = {}) {
      const namespace = options.namespace ?? object.metadata.namespace;
      const base = await collectionPath(object.apiVersion, object.kind, namespace);
      const query = new URLSearchParams({ fieldManager: FIELD_MANAGER, fieldValidation: 'Strict', force: 'true' });
      if (options.dryRun === true) query.set('dryRun', 'All');
      const path = `${base}/${encodeURIComponent(object.metadata.name)}?${query.toString()}`;
      const res = await request('PATCH', path, object, 'application/apply-patch+yaml');
      if (res.status !== 200 && res.status !== 201) fail(`apply ${object.kind}/${object.metadata.name}`, res);
      return res.body as KubeObject;
    },
    async get(apiVersion, kind, name, namespace) {
      const res = await request(
        'GET',
        `${await collectionPath(apiVersion, kind, namespace)}/${encodeURIComponent(name)}`,
      );
      if (res.status === 404) return undefined;
      if (res.status !== 200) fail(`get ${kind}/${name}`, res);
      return res.body as KubeObject;
    },
    async list(apiVersion, kind, namespace) {
      const res = await request('GET', await collectionPath(apiVersion, kind, namespace));
      if (res.status !== 200) fail(`list ${kind}`, res);
      const items = (res.body as { items: Omit<KubeObject, 'apiVersion' | 'kind'>[] }).items;
      // List items carry no apiVersion/kind of their own.
      return items.map((item) => ({ ...item, apiVersion, kind }) as KubeObject);
    },
  };
}
