import { adminConfigSchema } from './admin-config';
import { bearerToken, createAdminKeyCheck } from './admin-keys';

const keys = [
  { id: 'ops', key: 'o'.repeat(24), scopes: ['links:write' as const] },
  { id: 'audit', key: 'a'.repeat(30), scopes: ['audit:read' as const] },
];

describe('admin keys', () => {
  it('finds the key presented, and nothing for an unknown, empty or missing one', () => {
    const check = createAdminKeyCheck(keys);

    expect(check('a'.repeat(30))?.id).toBe('audit');
    expect([...(check('o'.repeat(24))?.scopes ?? [])]).toEqual(['links:write']);
    expect(check('o'.repeat(25))).toBeUndefined();
    expect(check('')).toBeUndefined();
    expect(check(undefined)).toBeUndefined();
  });

  it('reads a bearer token and nothing else', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer  abc ')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });

  it.each([
    ['a short key', [{ id: 'x', key: 'short', scopes: ['links:read'] }]],
    ['an unknown scope', [{ id: 'x', key: 'k'.repeat(24), scopes: ['links:admin'] }]],
    [
      'two keys with one id',
      [
        { id: 'x', key: 'k'.repeat(24), scopes: ['links:read'] },
        { id: 'x', key: 'j'.repeat(24), scopes: ['links:read'] },
      ],
    ],
    ['no scope', [{ id: 'x', key: 'k'.repeat(24), scopes: [] }]],
  ])('refuses %s in ADMIN_KEYS', (_what, value) => {
    expect(adminConfigSchema.safeParse({ ADMIN_KEYS: JSON.stringify(value) }).success).toBe(false);
  });

  it('leaves the admin API off when no key is configured', () => {
    expect(adminConfigSchema.parse({}).ADMIN_KEYS).toEqual([]);
  });
});
