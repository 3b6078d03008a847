import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { KubeApi } from './kube-api';
import { parseManifests } from './manifests';

interface CrdStatus {
  readonly status?: { readonly conditions?: readonly { readonly type: string; readonly status: string }[] };
}

/** Applies the downloaded CRDs (idempotent) and waits until the API server serves them. */
export async function applyCrds(api: KubeApi, crdsDir: string): Promise<void> {
  const crds = readdirSync(crdsDir)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => parseManifests(readFileSync(path.join(crdsDir, f), 'utf8')));
  for (const crd of crds) await api.apply(crd);
  const deadline = Date.now() + 60_000;
  for (const crd of crds) {
    for (;;) {
      const current = (await api.get(crd.apiVersion, crd.kind, crd.metadata.name)) as CrdStatus | undefined;
      if (current?.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') === true) break;
      if (Date.now() > deadline) throw new Error(`CRD ${crd.metadata.name} not established after 60s`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
