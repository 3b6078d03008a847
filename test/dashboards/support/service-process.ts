import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from '../../chart/support/tools';

export interface ServiceProcess {
  readonly baseUrl: string;
  /** What the process wrote to stderr so far (its logs at LOG_LEVEL=warn, or a start-up error). */
  output(): string;
  stop(): Promise<void>;
}

export { freePort } from '../../support/ports';

/**
 * Runs a service's real composition root (`api/main.ts`, `worker/main.ts`) as its own process from the sources,
 * and waits until its /ready answers 200.
 */
export async function startService(entry: string, port: number, env: Record<string, string>): Promise<ServiceProcess> {
  const child: ChildProcess = spawn(process.execPath, ['-r', path.join(REPO_ROOT, 'scripts/lib/swc-register.cjs'), path.join(REPO_ROOT, entry)], {
    cwd: REPO_ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/root', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const service: ServiceProcess = {
    baseUrl: `http://127.0.0.1:${port}`,
    output: () => stderr,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${entry} exited ${child.exitCode}:\n${stderr}`);
    const ready = await fetch(`${service.baseUrl}/ready`).then((r) => r.ok, () => false);
    if (ready) return service;
    if (Date.now() > deadline) {
      await service.stop();
      throw new Error(`${entry} not ready after 60s:\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
