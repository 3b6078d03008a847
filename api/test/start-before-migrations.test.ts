import { migrate } from '../../core/db/migrate';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { bootApi, jsonHeaders, type BootedApi } from './support/boot-api';
import { problemCode, until } from './support/admin';

// The chart migrates after the first install when CloudNativePG creates the database, so the api's first pods
// start against an empty database and must come up, then begin serving once the tables exist.
let db: TestDatabase;
let api: BootedApi;
beforeAll(async () => {
  db = await createTestDatabase({ migrate: false });
  api = await bootApi({ db });
});
afterAll(async () => {
  await api?.close();
  await db?.drop();
});

function create() {
  return fetch(`${api.baseUrl}/v1/links`, {
    method: 'POST',
    headers: jsonHeaders(),
    body: JSON.stringify({ targetUrl: 'https://before-migrations.example/', languageId: 0, themeId: 0, formatId: 0 }),
  });
}

describe('an api started before the migrations', () => {
  it('refuses creations with 503 General.Unavailable until it has read the blocklist, then creates', async () => {
    const early = await create();
    expect(early.status).toBe(503);
    expect(early.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await problemCode(early)).toBe('General.Unavailable');

    await migrate(db.pools.primary);
    await until(async () => (await create()).status === 201, 'the api reads the blocklist once the table exists');
  });
});
