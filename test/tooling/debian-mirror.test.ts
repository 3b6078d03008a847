/**
 * scripts/k8s/debian-base.sh reads the Debian mirror from the machine's apt configuration (never from the project),
 * in both of apt's formats. Run here against made-up configurations through APT_DIR and OS_RELEASE.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const script = path.resolve(__dirname, '../../scripts/k8s/debian-base.sh');

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'offndat-apt-'));
  mkdirSync(path.join(dir, 'apt/sources.list.d'), { recursive: true });
  writeFileSync(path.join(dir, 'os-release'), 'ID=debian\nVERSION_CODENAME=bookworm\n');
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

function source(file: string, text: string): void {
  writeFileSync(path.join(dir, 'apt', file), text);
}

function mirrors(): { archive: string; security: string } {
  const out = execFileSync(
    'bash',
    ['-c', `source "${script}"; printf "%s\\n%s\\n" "$(archive_uri)" "$(security_uri)"`],
    {
      env: { ...process.env, APT_DIR: path.join(dir, 'apt'), OS_RELEASE: path.join(dir, 'os-release') },
      encoding: 'utf8',
    },
  );
  const [archive = '', security = ''] = out.split('\n');
  return { archive, security };
}

describe("the Debian mirror of apt's configuration", () => {
  it('is read from deb822 sources, skipping disabled entries and other suites', () => {
    source(
      'sources.list.d/other.sources',
      'Types: deb\nURIs: http://other.example/debian\nSuites: bookworm\nComponents: main\nEnabled: no\n',
    );
    source(
      'sources.list.d/debian.sources',
      [
        'Types: deb deb-src',
        'URIs: http://mirror.example/debian',
        'Suites: bookworm bookworm-updates',
        'Components: main',
        '',
        'Types: deb',
        'URIs: http://mirror.example/debian-security',
        'Suites: bookworm-security',
        'Components: main',
        '',
      ].join('\n'),
    );
    expect(mirrors()).toEqual({
      archive: 'http://mirror.example/debian',
      security: 'http://mirror.example/debian-security',
    });
  });

  it('is read from one-line sources, options included', () => {
    source(
      'sources.list',
      [
        '# a comment',
        'deb-src http://src.example/debian bookworm main',
        'deb [arch=amd64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://one.example/debian bookworm main',
        'deb http://one.example/debian-security bookworm-security main',
      ].join('\n'),
    );
    expect(mirrors()).toEqual({
      archive: 'http://one.example/debian',
      security: 'http://one.example/debian-security',
    });
  });

  it('is empty where apt names no Debian archive (the script then starts from the public image)', () => {
    source('sources.list.d/vendor.list', 'deb https://vendor.example/apt stable main\n');
    expect(mirrors()).toEqual({ archive: '', security: '' });
  });

  it('ignores files apt itself ignores', () => {
    source('sources.list.d/debian.sources.disabled', 'Types: deb\nURIs: http://off.example/debian\nSuites: bookworm\n');
    expect(mirrors().archive).toBe('');
  });
});
