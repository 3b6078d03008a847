import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadServicesEnv, parseEnvFile } from './services-env';

describe('services env file', () => {
  it('parses KEY=VALUE lines, skipping comments and blanks and unquoting values', () => {
    const text = '# comment\n\nA=1\nB="two words"\nC=x=y\n bad line\n';

    const parsed = parseEnvFile(text);

    expect(parsed).toEqual({ A: '1', B: 'two words', C: 'x=y' });
  });

  it('keeps values already set in the environment', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'offndat-env-')), 'services.env');
    writeFileSync(file, 'KEEP=file\nADD=file\n');
    const env: NodeJS.ProcessEnv = { KEEP: 'caller' };

    const loaded = loadServicesEnv(env, file);

    expect(loaded).toBe(true);
    expect(env).toEqual({ KEEP: 'caller', ADD: 'file' });
  });

  it('reports a missing file instead of throwing', () => {
    expect(loadServicesEnv({}, join(tmpdir(), 'offndat-no-such-dir', 'services.env'))).toBe(false);
  });
});
