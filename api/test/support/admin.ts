import type { BootedApi, BootOptions } from './boot-api';
import { bootApi } from './boot-api';

/** One key per scope set the tests need; each at least 24 characters, as the config demands. */
export const ADMIN_KEYS = {
  ops: {
    id: 'ops',
    key: 'ops-key-0123456789abcdef0123',
    scopes: ['links:read', 'links:write', 'blocklist:read', 'blocklist:write', 'audit:read'],
  },
  reader: { id: 'reader', key: 'reader-key-0123456789abcdef01', scopes: ['links:read'] },
  auditor: { id: 'auditor', key: 'auditor-key-0123456789abcdef0', scopes: ['audit:read'] },
} as const;
export type AdminKeyName = keyof typeof ADMIN_KEYS;

export const ADMIN_ENV = { ADMIN_KEYS: JSON.stringify(Object.values(ADMIN_KEYS)) };

/**
 * The api with the admin API on its public port (no ADMIN_PORT), as `npm start` runs it. The tests' own address
 * is exempt from the redirect limits (they poll redirects); the admin API's limits ignore that list.
 */
export function bootAdminApi(options: BootOptions = {}): Promise<BootedApi> {
  return bootApi({ ...options, env: { ...ADMIN_ENV, RATE_LIMIT_ALLOW_LIST: '127.0.0.1', ...options.env } });
}

export function adminFetch(
  baseUrl: string,
  path: string,
  init: { method?: string; body?: unknown; key?: AdminKeyName | null } = {},
): Promise<Response> {
  const key = init.key === undefined ? 'ops' : init.key;
  return fetch(`${baseUrl}/admin/v1${path}`, {
    method: init.method ?? 'GET',
    headers: {
      ...(key === null ? {} : { authorization: `Bearer ${ADMIN_KEYS[key].key}` }),
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
}

/** Asserts the status and returns the JSON body. */
export async function adminJson<T = Record<string, unknown>>(
  baseUrl: string,
  path: string,
  init: Parameters<typeof adminFetch>[2] = {},
  status = 200,
): Promise<T> {
  const response = await adminFetch(baseUrl, path, init);
  const body = (await response.json()) as T;
  if (response.status !== status)
    throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

// isbot counts HTTP libraries as bots, so counted visits need a browser's agent.
export const BROWSER =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

export function follow(baseUrl: string, path: string, method = 'GET'): Promise<Response> {
  return fetch(`${baseUrl}${path}`, { method, redirect: 'manual', headers: { 'user-agent': BROWSER } });
}

/** Polls the observable state instead of sleeping a guessed time; fails after ~10 s. */
export async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 500; i += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting until ${what}`);
}

export async function problemCode(response: Response): Promise<string | undefined> {
  const body = (await response.json()) as { errors?: Array<{ code: string }> };
  return body.errors?.[0]?.code;
}
