import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const repoRoot = join(__dirname, '..', '..');

/** Tests that run the built services exactly as production does; build once per test file. */
export function buildOnce(): void {
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: repoRoot, stdio: 'inherit' });
}

export interface ServiceProcess {
  readonly child: ChildProcess;
  /** Resolves with the first JSON log line whose `msg` equals `message`. */
  waitForLog(message: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Polls `<baseUrl>/ready` until it answers 200. */
  waitForReady(baseUrl: string, timeoutMs?: number): Promise<void>;
  /** Sends SIGTERM (SIGKILL after 10 s) and resolves with the exit code. */
  stop(): Promise<number | null>;
  /** Everything the process wrote so far (its logs, or a start-up error). */
  output(): string;
}

/**
 * Runs a service's real entry point (`api/main.ts`, `worker/main.ts`) as its own process: a `.ts` entry straight
 * from the sources through swc (no build needed), `dist/...js` as built.
 */
export function startService(entry: string, env: Record<string, string>): ServiceProcess {
  const args = entry.endsWith('.ts')
    ? ['-r', join(repoRoot, 'scripts/lib/swc-register.cjs'), join(repoRoot, entry)]
    : [join(repoRoot, entry)];
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const waiters: Array<() => void> = [];
  const onData = (chunk: Buffer) => {
    text += chunk.toString();
    for (const wake of waiters.splice(0)) wake();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const findLog = (message: string) =>
    text
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((entry) => entry.msg === message);

  return {
    child,
    output: () => text,
    waitForLog: (message, timeoutMs = 30_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no "${message}" log within ${timeoutMs} ms:\n${text}`)),
          timeoutMs,
        );
        const check = () => {
          const found = findLog(message);
          if (found) {
            clearTimeout(timer);
            resolve(found);
          } else if (child.exitCode !== null) {
            clearTimeout(timer);
            reject(new Error(`process exited (${child.exitCode}) before "${message}":\n${text}`));
          } else waiters.push(check);
        };
        check();
      }),
    async waitForReady(baseUrl, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (child.exitCode !== null) throw new Error(`${entry} exited ${child.exitCode}:\n${text}`);
        if (
          await fetch(`${baseUrl}/ready`).then(
            (r) => r.ok,
            () => false,
          )
        )
          return;
        if (Date.now() > deadline) throw new Error(`${entry} not ready after ${timeoutMs} ms:\n${text}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Polls until `read()` returns `expected` or the deadline passes; returns the last value seen. */
export async function eventually<T>(read: () => Promise<T>, expected: T, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (value !== expected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}
