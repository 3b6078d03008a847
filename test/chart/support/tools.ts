import path from 'node:path';
import { parseEnvLines, runOk } from './run';

export const REPO_ROOT = path.resolve(__dirname, '../../..');

/**
 * A cold build of kube-apiserver alone takes 10+ minutes on two busy cores (helm, kubectl-validate and etcd a few
 * more); warm runs only check stamps and take well under a second.
 */
export const TOOLS_TIMEOUT_MS = 45 * 60_000;

export type K8sTool = 'helm' | 'kubectl-validate' | 'crds' | 'etcd' | 'kube-apiserver';

/** What rendering and validating need; the control plane's binaries (the slow ones) only the install test. */
export const RENDER_TOOLS: readonly K8sTool[] = ['helm', 'kubectl-validate', 'crds'];

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

/**
 * Builds (once, cached outside the checkout) the pinned Kubernetes tools a test file needs (all by default),
 * and locates all of them; paths of tools not built yet simply do not exist.
 */
export async function ensureK8sTools(which: readonly K8sTool[] = []): Promise<K8sTools> {
  const { stdout } = await runOk(path.join(REPO_ROOT, 'scripts/k8s/tools.sh'), ['ensure', ...which]);
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
