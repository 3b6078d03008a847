import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../support/ports';
import { render } from './support/chart';
import { ofKind } from './support/manifests';
import type { Deployment } from './support/shapes';
import { ensureK8sTools, RENDER_TOOLS, TOOLS_TIMEOUT_MS } from './support/tools';

/**
 * The internal Redis container as the chart renders it (command, environment, readiness probe), run here against
 * the real redis-server binary: the password reaches Redis without appearing on any command line.
 */

interface RedisContainer {
  readonly command: string[];
  readonly args: string[];
  readonly env: { name: string; value: string }[];
  readonly readinessProbe: { exec: { command: string[] } };
}

const PASSWORD = 'p"a\\ss w0rd';
let container: RedisContainer;
let dir: string;
let port: number;
let server: ChildProcess;

function which(binary: string): string {
  const found = spawnSync('sh', ['-c', `command -v ${binary}`], { encoding: 'utf8' }).stdout.trim();
  if (found === '') throw new Error(`${binary} not found: run make services-up (it installs Redis)`);
  return found;
}

beforeAll(async () => {
  const tools = await ensureK8sTools(RENDER_TOOLS);
  const objects = await render(tools, { set: ['redis.internal.resources.limits.memory=100Mi'] });
  const redis = ofKind<Deployment>(objects, 'Deployment').find((d) => d.metadata.name.endsWith('-redis'))!;
  container = redis.spec.template.spec.containers[0] as unknown as RedisContainer;

  dir = mkdtempSync(path.join(os.tmpdir(), 'offndat-redis-'));
  port = await freePort();
  // The container's port is 6379; here redis-server listens on a free loopback port instead.
  writeFileSync(
    path.join(dir, 'redis-server'),
    `#!/bin/sh\nexec ${which('redis-server')} "$@" --port ${port} --bind 127.0.0.1 --dir ${dir}\n`,
  );
  chmodSync(path.join(dir, 'redis-server'), 0o755);
  writeFileSync(path.join(dir, 'password'), PASSWORD);
  const env = Object.fromEntries(
    container.env.map((e) => [e.name, e.value.replace('/var/run/secrets/offndat/redis', dir)]),
  );

  server = spawn(container.command[0]!, [...container.command.slice(1), ...container.args], {
    env: { PATH: `${dir}:${process.env['PATH'] ?? ''}`, ...env },
    cwd: dir,
    stdio: 'ignore',
  });
  const deadline = Date.now() + 20_000;
  while (spawnSync(which('redis-cli'), ['-p', String(port), 'ping']).status !== 0) {
    if (Date.now() > deadline) throw new Error('redis-server did not start');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}, TOOLS_TIMEOUT_MS);

afterAll(() => {
  server?.kill('SIGTERM');
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

test('Redis requires the Secret password and caps its memory below the limit', () => {
  const cli = (password: string | undefined, ...command: string[]) =>
    spawnSync(which('redis-cli'), ['-p', String(port), '--no-raw', ...command], {
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '', ...(password === undefined ? {} : { REDISCLI_AUTH: password }) },
    }).stdout.trim();

  expect(cli(undefined, 'ping')).toMatch(/NOAUTH/);
  expect(cli('wrong', 'ping')).toMatch(/WRONGPASS|NOAUTH/);
  expect(cli(PASSWORD, 'ping')).toBe('PONG');
  expect(cli(PASSWORD, 'config', 'get', 'maxmemory')).toContain(String(Math.floor((100 * 2 ** 20 * 3) / 4)));
  expect(cli(PASSWORD, 'config', 'get', 'save').split('\n')).toHaveLength(2);
});

test('the password is on no command line of the container', () => {
  const pid = server.pid!;

  const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');

  expect(cmdline).toContain('redis-server');
  expect(cmdline).not.toContain('w0rd');
  expect(JSON.stringify([container.command, container.args, container.readinessProbe])).not.toContain(
    'REDIS_PASSWORD)',
  );
});

test('the readiness probe answers with the password, and fails with a wrong one', () => {
  const probe = container.readinessProbe.exec.command;
  // redis-cli takes no port from the environment: the probe's redis-cli is pointed at this server's port.
  const bin = mkdtempSync(path.join(dir, 'bin-'));
  writeFileSync(path.join(bin, 'redis-cli'), `#!/bin/sh\nexec ${which('redis-cli')} -p ${port} "$@"\n`);
  chmodSync(path.join(bin, 'redis-cli'), 0o755);
  writeFileSync(path.join(dir, 'wrong'), 'not-it');
  const probeWith = (file: string) =>
    spawnSync(probe[0]!, probe.slice(1), {
      env: { PATH: `${bin}:${process.env['PATH'] ?? ''}`, REDIS_PASSWORD_FILE: file },
    });

  expect(probeWith(path.join(dir, 'password')).status).toBe(0);
  expect(probeWith(path.join(dir, 'wrong')).status).not.toBe(0);
});
