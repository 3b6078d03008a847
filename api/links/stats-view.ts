import type { LinkStats } from '../../core/links/link';

/** The original serialises DateTimeOffset with an explicit UTC offset rather than `Z`. */
export function isoWithOffset(date: Date): string {
  return date.toISOString().replace('Z', '+00:00');
}

export function statsBody(stats: LinkStats) {
  return {
    id: stats.id,
    phrase: stats.phrase,
    targetUrl: stats.targetUrl,
    languageId: stats.languageId,
    themeId: stats.themeId,
    visits: stats.visits,
    botVisits: stats.botVisits,
    recentVisits: stats.recentVisits.map((visit) => ({
      visitedAt: isoWithOffset(visit.visitedAt),
      ipAddress: visit.ipAddress,
      userAgent: visit.userAgent,
      referrer: visit.referrer,
    })),
    createdAt: isoWithOffset(stats.createdAt),
  };
}
