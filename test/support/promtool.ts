import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

/**
 * promtool comes with the test services (scripts/services.sh writes PROMTOOL_BIN to .data/services.env); a
 * promtool on PATH also works.
 */
export function findPromtool(repoRoot: string): string {
  const fromEnv = process.env['PROMTOOL_BIN'];
  if (fromEnv !== undefined && fromEnv !== '' && existsSync(fromEnv)) return fromEnv;
  const envFile = path.join(repoRoot, '.data/services.env');
  if (existsSync(envFile)) {
    const line = readFileSync(envFile, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('PROMTOOL_BIN='));
    const value = line?.slice('PROMTOOL_BIN='.length).replace(/^["']|["']$/g, '');
    if (value !== undefined && value !== '' && existsSync(value)) return value;
  }
  try {
    return execFileSync('sh', ['-c', 'command -v promtool'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(
      'promtool not found: run scripts/services.sh up (it provides PROMTOOL_BIN) or put promtool on PATH',
    );
  }
}
