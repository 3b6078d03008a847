import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLink, jsonHeaders, type BootedApi } from './support/boot-api';
import { adminJson, bootAdminApi, follow, problemCode, until } from './support/admin';

let dir: string;
let a: BootedApi;
let b: BootedApi;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'offndat-blocklist-'));
  const file = join(dir, 'blocklist.txt');
  await writeFile(
    file,
    '# from the ConfigMap\nhost file-listed.example # known phishing\nregex ^https?://[^/]*/wp-admin/\n',
  );
  const env = { BLOCKLIST_FILE: file };
  a = await bootAdminApi({ env });
  b = await bootAdminApi({ db: a.db, redis: a.redis, env });
});
afterAll(async () => {
  await b?.close();
  await a?.close();
  await rm(dir, { recursive: true, force: true });
});

function create(baseUrl: string, targetUrl: string) {
  return fetch(`${baseUrl}/v1/links`, {
    method: 'POST',
    headers: jsonHeaders(),
    body: JSON.stringify({ targetUrl, languageId: 0, themeId: 0, formatId: 0 }),
  });
}

async function addRule(kind: string, value: string) {
  return adminJson<{ id: string }>(a.baseUrl, '/blocklist', { method: 'POST', body: { kind, value } }, 201);
}

describe('blocklist', () => {
  it('refuses a blocked host at creation with 400 GenerateLink.TargetUrlBlocked on every instance', async () => {
    await addRule('host', 'Blocked-At-Create.example');

    const here = await create(a.baseUrl, 'https://blocked-at-create.example/login');
    await until(
      async () => (await create(b.baseUrl, 'https://blocked-at-create.example/x')).status === 400,
      'the other instance reloads its rules',
    );

    expect(here.status).toBe(400);
    expect(await problemCode(here)).toBe('GenerateLink.TargetUrlBlocked');
    expect((await create(a.baseUrl, 'https://not-blocked.example/')).status).toBe(201);
  });

  it('stops a link created before its host was blocked from redirecting, on every instance', async () => {
    const link = await createLink(a.baseUrl, { targetUrl: 'https://cdn.later-blocked.example/kit' });
    for (const api of [a, b]) expect((await follow(api.baseUrl, `/${link.phrase}`)).status).toBe(301);

    const rule = await addRule('suffix', 'later-blocked.example');
    await until(
      async () => (await follow(b.baseUrl, `/${link.phrase}`)).status === 410,
      'the other instance refuses it',
    );

    const api = await follow(a.baseUrl, `/v1/redirects/${link.phrase}`);
    expect(api.status).toBe(410);
    expect(await problemCode(api)).toBe('Link.Blocked');
    expect(await adminJson(a.baseUrl, `/links/${link.phrase}`)).toMatchObject({
      state: 'blocked',
      blockedBy: { kind: 'suffix', value: 'later-blocked.example', id: rule.id },
    });

    await adminJson(a.baseUrl, `/blocklist/${rule.id}`, { method: 'DELETE' });
    await until(
      async () => (await follow(b.baseUrl, `/${link.phrase}`)).status === 301,
      'the rule is lifted everywhere',
    );
  });

  it('applies the rules from the blocklist file and lists them apart from the stored ones', async () => {
    const created = await create(a.baseUrl, 'https://file-listed.example/');
    const pattern = await create(a.baseUrl, 'https://shop.example/wp-admin/login.php');
    const rules = await adminJson<{
      rules: Array<{ source: string; kind: string; value: string; reason: string | null }>;
    }>(a.baseUrl, '/blocklist');

    expect(created.status).toBe(400);
    expect(pattern.status).toBe(400);
    expect(rules.rules.filter((rule) => rule.source === 'file')).toEqual([
      expect.objectContaining({ kind: 'host', value: 'file-listed.example', reason: 'known phishing' }),
      expect.objectContaining({ kind: 'regex', value: '^https?://[^/]*/wp-admin/' }),
    ]);
  });

  it('disables existing links a new rule refuses on a re-check, with an audit record for each', async () => {
    const hit = await createLink(a.baseUrl, { targetUrl: 'https://recheck-me.example/a' });
    const miss = await createLink(a.baseUrl, { targetUrl: 'https://keep-me.example/a' });
    await addRule('regex', '^https://recheck-me\\.example/');

    const result = await adminJson<{ disabled: number; phrases: string[] }>(a.baseUrl, '/blocklist/recheck', {
      method: 'POST',
    });

    expect(result.phrases).toContain(hit.phrase);
    expect(result.phrases).not.toContain(miss.phrase);
    expect(await adminJson(a.baseUrl, `/links/${hit.phrase}`)).toMatchObject({
      state: 'disabled',
      disabledReason: expect.stringMatching(/^blocklist: rule \d+$/),
    });
    const audit = await adminJson<{ records: Array<{ action: string; actor: string }> }>(
      a.baseUrl,
      `/audit?targetType=link&target=${hit.phrase}`,
    );
    expect(audit.records).toEqual([expect.objectContaining({ action: 'link.disable', actor: 'key:ops' })]);
  });

  it('rejects a pattern that does not compile and a value that is not a host, with Blocklist.InvalidRule', async () => {
    for (const body of [
      { kind: 'regex', value: '(unclosed' },
      { kind: 'host', value: 'https://example.com/path' },
      { kind: 'regex', value: '(a)\\1' },
    ]) {
      const problem = await adminJson(a.baseUrl, '/blocklist', { method: 'POST', body }, 400);
      expect(problem).toMatchObject({ errors: [{ code: 'Blocklist.InvalidRule' }] });
    }
    await addRule('host', 'twice.example');
    expect(
      await adminJson(a.baseUrl, '/blocklist', { method: 'POST', body: { kind: 'host', value: 'twice.example' } }, 409),
    ).toMatchObject({ errors: [{ code: 'Blocklist.RuleExists' }] });
  });
});
