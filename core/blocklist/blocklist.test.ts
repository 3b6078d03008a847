import { compileBlocklist } from './blocklist';
import { parseBlocklistFile } from './blocklist-file';
import { canonicalHost, normaliseRule, type BlocklistRule } from './blocklist-rule';

function codeOf(work: () => unknown): string | undefined {
  try {
    work();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

const rule = (kind: BlocklistRule['kind'], value: string): BlocklistRule => ({ kind, value, source: 'api' });

describe('compileBlocklist', () => {
  const list = compileBlocklist([
    rule('host', 'evil.example'),
    rule('suffix', 'bad.example'),
    rule('regex', '^https?://[^/]+/wp-admin/'),
  ]);

  it.each([
    ['https://evil.example/login', 'host'],
    ['https://EVIL.example./x', 'host'],
    ['https://bad.example/', 'suffix'],
    ['https://a.b.bad.example/', 'suffix'],
    ['https://shop.example/wp-admin/x.php', 'regex'],
  ])('refuses %s by its %s rule', (url, kind) => {
    expect(list.match(new URL(url).href)?.kind).toBe(kind);
  });

  it.each([
    'https://notevil.example/',
    'https://sub.evil.example/',
    'https://bad.example.org/',
    'https://x.example/wp-admin',
  ])('lets %s through', (url) => {
    expect(list.match(url)).toBeUndefined();
  });

  it('gives the same fingerprint to the same rules, whatever their reasons', () => {
    const again = compileBlocklist([{ ...rule('host', 'evil.example'), reason: 'x' }]);

    expect(again.fingerprint).toBe(compileBlocklist([rule('host', 'evil.example')]).fingerprint);
    expect(again.fingerprint).not.toBe(list.fingerprint);
  });
});

describe('normaliseRule', () => {
  it('stores hosts as a URL carries them: lower case, IDNA, no trailing dot or wildcard', () => {
    expect(normaliseRule({ kind: 'host', value: 'Bücher.Example.' }).value).toBe('xn--bcher-kva.example');
    expect(normaliseRule({ kind: 'suffix', value: '*.evil.example' }).value).toBe('evil.example');
    expect(canonicalHost('example.com/path')).toBeUndefined();
  });

  it.each(['(a+', '(a)\\1', '(?=a)b', 'x'.repeat(513)])('refuses the pattern %s', (value) => {
    expect(codeOf(() => normaliseRule({ kind: 'regex', value }))).toBe('Blocklist.InvalidRule');
  });

  it('matches a pattern that would backtrack forever in a linear pass', () => {
    const list = compileBlocklist([rule('regex', '^(a+)+$')]);

    expect(list.match(`https://x.example/${'a'.repeat(4000)}!`)).toBeUndefined();
  });
});

describe('parseBlocklistFile', () => {
  it('reads rules with reasons and skips comments and blank lines', () => {
    const rules = parseBlocklistFile('# header\n\nhost Evil.example # phishing\nregex ^https://x\\.example/ \n');

    expect(rules).toEqual([
      { kind: 'host', value: 'evil.example', reason: 'phishing', source: 'file' },
      { kind: 'regex', value: '^https://x\\.example/', reason: undefined, source: 'file' },
    ]);
  });

  it('reports every bad line with its number', () => {
    expect(() => parseBlocklistFile('host ok.example\nwhat is this\nregex (\n')).toThrow(/line 2: .*; line 3: /);
  });
});
