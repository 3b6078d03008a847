import https from 'node:https';

/** The Kubernetes API as the secrets Job sees it: a base URL, a bearer token and the CA that signed the server. */
export interface KubeEndpoint {
  readonly baseUrl: string;
  readonly token: string;
  readonly ca: string | Buffer;
}

export interface SecretSpec {
  readonly namespace: string;
  readonly name: string;
  readonly key: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** What happened to the Secret: created now, or found (with the key) and left as it was. */
export type EnsureOutcome = 'created' | 'kept';

/** A Kubernetes API answer the secrets Job cannot work with (no permission, a Secret without the key...). */
export class KubeSecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KubeSecretError';
  }
}

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

function request(endpoint: KubeEndpoint, method: string, path: string, body?: unknown): Promise<Answer> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request(
      new URL(path, endpoint.baseUrl),
      {
        method,
        ca: endpoint.ca,
        headers: {
          authorization: `Bearer ${endpoint.token}`,
          accept: 'application/json',
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // a non-JSON body stays text, for the error message
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

function reason(answer: Answer): string {
  const message = (answer.body as { message?: unknown } | null)?.message;
  return `HTTP ${answer.status}${typeof message === 'string' ? `: ${message}` : ''}`;
}

/**
 * Creates the Secret with a freshly generated value when it does not exist; never changes one that does, so
 * running this on every install, upgrade or Argo CD sync keeps the value. Two runs racing each other end with
 * the first one's value (the second gets 409 Conflict).
 */
export async function ensureSecret(
  endpoint: KubeEndpoint,
  spec: SecretSpec,
  generate: () => string,
): Promise<EnsureOutcome> {
  const collection = `/api/v1/namespaces/${encodeURIComponent(spec.namespace)}/secrets`;
  const existing = await request(endpoint, 'GET', `${collection}/${encodeURIComponent(spec.name)}`);
  if (existing.status === 200) return keptIfComplete(existing.body, spec);
  if (existing.status !== 404) throw new KubeSecretError(`reading Secret ${spec.name}: ${reason(existing)}`);

  const created = await request(endpoint, 'POST', collection, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: spec.name, namespace: spec.namespace, labels: spec.labels },
    type: 'Opaque',
    stringData: { [spec.key]: generate() },
  });
  if (created.status === 201) return 'created';
  if (created.status === 409) return 'kept';
  throw new KubeSecretError(`creating Secret ${spec.name}: ${reason(created)}`);
}

function keptIfComplete(body: unknown, spec: SecretSpec): EnsureOutcome {
  const data = (body as { data?: Record<string, string> } | null)?.data ?? {};
  if (data[spec.key] === undefined || data[spec.key] === '') {
    throw new KubeSecretError(
      `Secret ${spec.name} exists without the key ${spec.key}; it was not made by this Job. Add the key, or delete the Secret to have one generated.`,
    );
  }
  return 'kept';
}
