import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { bootApi, createLink, TEST_API_KEY, type BootedApi } from './support/boot-api';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');

/**
 * schemathesis (scripts/schemathesis.sh: pinned, cached) generates requests from the OpenAPI document, valid and
 * invalid, plus methods the document does not declare, and checks every answer against it: no 5xx, only
 * documented statuses, content types and response schemas, invalid input refused, valid input accepted, 405
 * with Allow. A fixed seed and example budget keep the run the same every time and bounded (about 20 s).
 */
const EXAMPLES_PER_OPERATION = 100;
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const SEED = 20261130;

let api: BootedApi;
beforeAll(async () => {
  // Loopback clients are allow-listed: the fuzzer's request rate is not what this test is about.
  api = await bootApi({ env: { RATE_LIMIT_ALLOW_LIST: '127.0.0.0/8' } });
});
afterAll(() => api.close());

it('finds no contract violation between the api and its OpenAPI document', async () => {
  const args = [
    join(ROOT, 'scripts/schemathesis.sh'),
    'run',
    `${api.baseUrl}/openapi/v1.json`,
    '--header',
    `X-Offnd-Api-Key: ${TEST_API_KEY}`,
    '--max-examples',
    String(EXAMPLES_PER_OPERATION),
    '--seed',
    String(SEED),
    '--workers',
    '1',
    '--no-shrink',
    '--request-timeout',
    '10',
  ];

  // In a directory of its own: schemathesis keeps an example database in its working directory, and replaying
  // what an earlier run saved there would make this run differ from the last.
  const workDir = mkdtempSync(join(tmpdir(), 'offndat-schemathesis-'));
  // Half of the generated phrases are one that exists (visited once), so the redirect and stats operations are
  // checked on their success paths too, not only on 404s. schemathesis reads schemathesis.toml from its cwd.
  const { phrase } = await createLink(api.baseUrl);
  await fetch(`${api.baseUrl}/${encodeURIComponent(phrase)}`, {
    redirect: 'manual',
    headers: { 'user-agent': BROWSER },
  });
  await api.flushVisits();
  writeFileSync(
    join(workDir, 'schemathesis.toml'),
    [
      '[dictionaries.phrases]',
      `values = [${JSON.stringify(phrase)}]`,
      '[parameters]',
      '"path.phrase" = { dictionary = "phrases", probability = 0.5 }',
      '',
    ].join('\n'),
  );
  // Asynchronously: the api under test answers from this very process.
  const outcome = await run('bash', args, {
    cwd: workDir,
    maxBuffer: 16 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1' },
  }).then(
    ({ stdout }) => ({ passed: true, output: stdout }),
    (error: { stdout?: string; stderr?: string }) => ({
      passed: false,
      output: `${error.stdout ?? ''}\n${error.stderr ?? ''}`,
    }),
  );

  rmSync(workDir, { recursive: true, force: true });

  // On failure the whole report (failures with curl reproductions) is the message.
  expect(outcome.passed ? 'no contract violation' : outcome.output).toBe('no contract violation');
  expect(outcome.output).toMatch(/\d+ generated, \d+ passed/);
  expect(outcome.output).not.toMatch(/Missing test data/);
}, 300_000);
