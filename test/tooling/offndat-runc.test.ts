/**
 * k8s/node/offndat-runc, the runc wrapper that lets privileged containers (kind nodes, kube-proxy) and pod sandboxes
 * start on a kernel whose capability bounding set lacks a capability. It runs here against a stand-in runc that
 * records its arguments, with the caller's bounding set given by OFFNDAT_RUNC_CAPBND, so both kinds of machine are
 * covered wherever the tests run.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const wrapper = path.resolve(__dirname, '../../k8s/node/offndat-runc');
// Every capability up to CAP_CHECKPOINT_RESTORE (40), and the same without CAP_SYS_RESOURCE (24).
const FULL = '000001ffffffffff';
const WITHOUT_SYS_RESOURCE = (0x1ffffffffffn & ~(1n << 24n)).toString(16).padStart(16, '0');

interface Spec {
  process: { capabilities: Record<string, string[]>; oomScoreAdj?: number; args: string[] };
}

let dir: string;
let fakeRunc: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'offndat-runc-'));
  fakeRunc = path.join(dir, 'runc');
  writeFileSync(fakeRunc, `#!/bin/sh\nprintf '%s\\n' "$@" > "${dir}/args"\n`, { mode: 0o755 });
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[], capBnd: string): string[] {
  execFileSync(wrapper, args, { env: { ...process.env, OFFNDAT_REAL_RUNC: fakeRunc, OFFNDAT_RUNC_CAPBND: capBnd } });
  return readFileSync(path.join(dir, 'args'), 'utf8').trimEnd().split('\n');
}

function bundle(oomScoreAdj: number): { bundleDir: string; read: () => Spec } {
  const caps = ['CAP_CHOWN', 'CAP_SYS_RESOURCE', 'CAP_NET_ADMIN'];
  const spec: Spec = {
    process: {
      args: ['/pause'],
      oomScoreAdj,
      capabilities: { bounding: caps, effective: caps, permitted: caps, inheritable: [], ambient: [] },
    },
  };
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify(spec));
  return { bundleDir: dir, read: () => JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8')) as Spec };
}

describe('offndat-runc', () => {
  it('changes nothing where the bounding set is full', () => {
    const { bundleDir, read } = bundle(-998);
    const before = JSON.stringify(read());
    const args = ['--root', '/run/runc', 'create', '--bundle', bundleDir, '--pid-file', 'p', 'c1'];
    expect(run(args, FULL)).toEqual(args);
    expect(JSON.stringify(read())).toBe(before);
  });

  it('drops a capability the bounding set lacks from every set, and raises a negative oomScoreAdj to 0', () => {
    const { bundleDir, read } = bundle(-998);
    const args = ['--root', '/run/runc', 'create', '--bundle', bundleDir, 'c1'];
    expect(run(args, WITHOUT_SYS_RESOURCE)).toEqual(args);
    const spec = read();
    for (const set of ['bounding', 'effective', 'permitted']) {
      expect(spec.process.capabilities[set]).toEqual(['CAP_CHOWN', 'CAP_NET_ADMIN']);
    }
    expect(spec.process.oomScoreAdj).toBe(0);
    expect(spec.process.args).toEqual(['/pause']);
  });

  it('keeps a positive oomScoreAdj and understands --bundle=<dir> and run', () => {
    const { bundleDir, read } = bundle(500);
    run(['run', `--bundle=${bundleDir}`, 'c2'], WITHOUT_SYS_RESOURCE);
    expect(read().process.oomScoreAdj).toBe(500);
    expect(read().process.capabilities.bounding).not.toContain('CAP_SYS_RESOURCE');
  });

  it('patches the process file of exec', () => {
    const file = path.join(dir, 'process.json');
    writeFileSync(file, JSON.stringify({ args: ['sh'], capabilities: { bounding: ['CAP_SYS_RESOURCE', 'CAP_KILL'] } }));
    const args = ['exec', '--process', file, '--detach', 'c1'];
    expect(run(args, WITHOUT_SYS_RESOURCE)).toEqual(args);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ args: ['sh'], capabilities: { bounding: ['CAP_KILL'] } });
  });

  it('passes other commands through untouched', () => {
    expect(run(['state', 'c1'], WITHOUT_SYS_RESOURCE)).toEqual(['state', 'c1']);
  });
});
