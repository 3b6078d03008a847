import path from 'node:path';
import { parseEnvLines, runOk } from './run';

export const REPO_ROOT = path.resolve(__dirname, '../../..');

/** A cold build of kube-apiserver alone takes minutes on two cores; warm runs only check stamps. */
export const TOOLS_TIMEOUT_MS = 30 * 60_000;

export interface K8sTools {
  readonly helm: string;
  readonly kubectlValidate: string;
  readonly etcd: string;
  readonly kubeApiserver: string;
  readonly crdsDir: string;
  /** The control plane's version, e.g. v1.35.4. */
  readonly kubernetesVersion: string;
}

function required(env: Map<string, string>, key: string): string {
  const value = env.get(key);
  if (value === undefined || value === '') throw new Error(`scripts/k8s/tools.sh did not print ${key}`);
  return value;
}

/** Builds (once, cached outside the checkout) and locates the pinned Kubernetes tools and CRDs. */
export async function ensureK8sTools(): Promise<K8sTools> {
  const { stdout } = await runOk(path.join(REPO_ROOT, 'scripts/k8s/tools.sh'), ['ensure']);
  const env = parseEnvLines(stdout);
  return {
    helm: required(env, 'HELM_BIN'),
    kubectlValidate: required(env, 'KUBECTL_VALIDATE_BIN'),
    etcd: required(env, 'ETCD_BIN'),
    kubeApiserver: required(env, 'KUBE_APISERVER_BIN'),
    crdsDir: required(env, 'OFFNDAT_CRDS_DIR'),
    kubernetesVersion: required(env, 'KUBERNETES_VERSION'),
  };
}
