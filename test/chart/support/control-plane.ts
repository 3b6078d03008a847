import path from 'node:path';
import { parseEnvLines, run, runOk } from './run';
import { REPO_ROOT } from './tools';

const SCRIPT = path.join(REPO_ROOT, 'scripts/k8s/apiserver.sh');

export interface ControlPlane {
  readonly kubeconfig: string;
  readonly url: string;
  readonly token: string;
  /** Whether this process started it (and so stops it); a server somebody left running is reused and kept. */
  readonly startedHere: boolean;
}

/** Starts etcd + kube-apiserver on loopback via scripts/k8s/apiserver.sh, or reuses a healthy running one. */
export async function startControlPlane(): Promise<ControlPlane> {
  const wasRunning = (await run(SCRIPT, ['status'])).code === 0;
  const env = parseEnvLines((await runOk(SCRIPT, ['start'])).stdout);
  const kubeconfig = env.get('KUBECONFIG');
  const url = env.get('OFFNDAT_APISERVER_URL');
  const token = env.get('OFFNDAT_APISERVER_TOKEN');
  if (kubeconfig === undefined || url === undefined || token === undefined) {
    throw new Error('scripts/k8s/apiserver.sh start printed no KUBECONFIG/URL/TOKEN');
  }
  return { kubeconfig, url, token, startedHere: !wasRunning };
}

export async function stopControlPlane(plane: ControlPlane): Promise<void> {
  if (plane.startedHere) await runOk(SCRIPT, ['stop']);
}
