import { cacheTtlMs, goneReason, resolvedFromRow, type LinkStateRow } from './link-state';

const NOW = Date.parse('2026-06-01T00:00:00Z');
const row = (overrides: Partial<LinkStateRow> = {}): LinkStateRow => ({
  id: 'id',
  target_url: 'https://example.com',
  language_id: 0,
  theme_id: 0,
  is_deleted: false,
  disabled_at: null,
  expires_at: null,
  max_visits: null,
  total_visits: null,
  ...overrides,
});

describe('link state', () => {
  it('decides in order: deleted, disabled, expired by time, expired by budget', () => {
    expect(goneReason(row({ is_deleted: true, disabled_at: new Date(NOW) }), NOW)).toBe('deleted');
    expect(goneReason(row({ disabled_at: new Date(NOW), expires_at: new Date(NOW - 1) }), NOW)).toBe('disabled');
    expect(goneReason(row({ expires_at: new Date(NOW) }), NOW)).toBe('expired');
    expect(goneReason(row({ max_visits: '3', total_visits: '3' }), NOW)).toBe('expired');
    expect(goneReason(row({ max_visits: '3', total_visits: '2', expires_at: new Date(NOW + 1) }), NOW)).toBeUndefined();
  });

  it('carries what a cache needs: the expiry instant and the visits left', () => {
    const link = resolvedFromRow(
      row({ expires_at: new Date(NOW + 5_000), max_visits: '10', total_visits: '4' }),
      NOW,
      (u) => u,
    );

    expect(link).toEqual({
      id: 'id',
      targetUrl: 'https://example.com',
      languageId: 0,
      themeId: 0,
      expiresAt: NOW + 5_000,
      visitsLeft: 6,
    });
  });

  it('keeps a link in a cache no longer than its expiry', () => {
    const link = resolvedFromRow(row({ expires_at: new Date(NOW + 5_000) }), NOW, (u) => u);

    expect(cacheTtlMs(link, 30_000, NOW)).toBe(5_000);
    expect(cacheTtlMs(link, 1_000, NOW)).toBe(1_000);
    expect(cacheTtlMs(link, 30_000, NOW + 6_000)).toBe(0);
  });
});
