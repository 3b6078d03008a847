import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Servers of a test's own, for faults that would break the shared test services for everyone else: stopping
 * PostgreSQL or Redis. Each lives in a temporary directory on a port of its own and is removed afterwards.
 */

const run = promisify(execFile);

/**
 * A free port below the kernel's ephemeral range (32768-60999): a server restarted on an ephemeral port can
 * find it taken by some outgoing connection in the meantime, and a restart is what these servers are for.
 */
export async function freeServerPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const port = 15_000 + Math.floor(Math.random() * 17_000);
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error('no free port below 32768');
}

function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'postgres')))
    : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (newest === undefined) throw new Error('PostgreSQL is not installed: run `make services-up` first');
  return join(root, newest, 'bin');
}

/** PostgreSQL refuses to run as root; as root it runs as `postgres`, like scripts/lib/postgres.sh does. */
const isRoot = process.getuid?.() === 0;
function asPostgres(command: string, args: string[]): Promise<{ stdout: string }> {
  return isRoot ? run('runuser', ['-u', 'postgres', '--', command, ...args]) : run(command, args);
}

export interface PrivatePostgres {
  /** Superuser URL of the `postgres` database. */
  readonly url: string;
  readonly port: number;
  /** `pg_ctl stop -m <mode>`: `fast` ends every session with 57P01, as a restart or a failover does. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = postgresBinDir();
  const dir = mkdtempSync(join(tmpdir(), 'offndat-pg-'));
  const data = join(dir, 'data');
  mkdirSync(data, { mode: 0o700 });
  if (isRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    for (const path of [dir, data]) chownSync(path, Number(stdout.trim()), Number(gid.trim()));
  }
  chmodSync(dir, 0o755);
  await asPostgres(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C']);
  // Disposable data: durability off, as on the shared test server.
  appendFileSync(data + '/postgresql.conf', '\nfsync = off\nsynchronous_commit = off\nfull_page_writes = off\n');
  const port = await freeServerPort();
  const options = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c log_min_messages=warning`;
  const ctl = (...args: string[]) => asPostgres(join(bin, 'pg_ctl'), ['-D', data, ...args]);
  const instance: PrivatePostgres = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start: async () => void (await ctl('-l', join(dir, 'postgres.log'), '-o', options, '-w', '-t', '60', 'start')),
    stop: async (mode = 'fast') => void (await ctl('-m', mode, '-w', '-t', '60', 'stop')),
    async destroy() {
      await instance.stop('immediate').catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await instance.start();
  return instance;
}

export interface PrivateRedis {
  readonly url: string;
  /** Shuts the server down (SIGTERM, no save) and waits for it to exit. */
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'offndat-redis-'));
  const port = await freeServerPort();
  let child: ChildProcess | undefined;
  const instance: PrivateRedis = {
    url: `redis://127.0.0.1:${port}`,
    async start() {
      const started = spawn(
        'redis-server',
        ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      child = started;
      await new Promise<void>((resolve, reject) => {
        const onData = (chunk: Buffer) => {
          if (chunk.toString().includes('Ready to accept connections')) resolve();
        };
        started.stdout?.on('data', onData);
        started.once('exit', (code) => reject(new Error(`redis-server exited (${code}) before it was ready`)));
      });
    },
    async stop() {
      const current = child;
      child = undefined;
      if (!current || current.exitCode !== null) return;
      const exited = new Promise((resolve) => current.once('exit', resolve));
      current.kill('SIGTERM');
      await exited;
    },
    async destroy() {
      await instance.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await instance.start();
  return instance;
}
