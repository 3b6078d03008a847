import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnvLines, run, runOk } from './run';
import { REPO_ROOT } from './tools';

const SCRIPT = path.join(REPO_ROOT, 'scripts/k8s/apiserver.sh');

export interface ControlPlane {
  readonly kubeconfig: string;
  readonly url: string;
  readonly token: string;
  /** The server's state directory (its certificates live under certs/). */
  readonly dir: string;
  /** This test process's claim on the server; the server stops when the last claim of a test run is released. */
  readonly lease: string;
}

/**
 * Starts etcd + kube-apiserver on loopback via scripts/k8s/apiserver.sh, or reuses a healthy running one. Several
 * test files (jest workers) may use it at once: each holds a lease, and the last one out stops the server, if
 * tests started it. A server somebody left running is reused and kept.
 */
export async function startControlPlane(): Promise<ControlPlane> {
  const wasRunning = (await run(SCRIPT, ['status'])).code === 0;
  const env = parseEnvLines((await runOk(SCRIPT, ['start'])).stdout);
  const kubeconfig = env.get('KUBECONFIG');
  const url = env.get('OFFNDAT_APISERVER_URL');
  const token = env.get('OFFNDAT_APISERVER_TOKEN');
  if (kubeconfig === undefined || url === undefined || token === undefined) {
    throw new Error('scripts/k8s/apiserver.sh start printed no KUBECONFIG/URL/TOKEN');
  }
  const dir = path.dirname(kubeconfig);
  if (!wasRunning) writeFileSync(path.join(dir, 'started-by-tests'), '');
  mkdirSync(path.join(dir, 'leases'), { recursive: true });
  const lease = path.join(dir, 'leases', `${process.pid}-${Math.random().toString(36).slice(2)}`);
  writeFileSync(lease, '');
  return { kubeconfig, url, token, dir, lease };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function stopControlPlane(plane: ControlPlane): Promise<void> {
  rmSync(plane.lease, { force: true });
  const leases = readdirSync(path.join(plane.dir, 'leases'));
  // Leases of test processes that were killed count for nothing.
  for (const f of leases.filter((l) => !alive(Number(l.split('-')[0]))))
    rmSync(path.join(plane.dir, 'leases', f), { force: true });
  const others = leases.filter((f) => alive(Number(f.split('-')[0])));
  const marker = path.join(plane.dir, 'started-by-tests');
  if (others.length > 0 || !existsSync(marker)) return;
  rmSync(marker, { force: true });
  await runOk(SCRIPT, ['stop']);
}
