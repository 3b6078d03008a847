import type { IncomingMessage } from 'node:http';
import { isbot } from 'isbot';
import type { ResolvedLink } from '../../core/links/link';
import { VISIT_LIMITS, truncate, type LinkVisited } from '../../core/visits/visit';
import { createVisitIdSource } from '../../core/visits/visit-id';

const botCache = new Map<string, boolean>();
/** Distinct user agents remembered; a flood of new ones starts the cache afresh, so memory stays bounded. */
export const BOT_CACHE_MAX = 2048;

/** isbot runs a large regular expression; user agents repeat heavily, so remember recent answers. */
export function isBotAgent(userAgent: string): boolean {
  let bot = botCache.get(userAgent);
  if (bot === undefined) {
    bot = isbot(userAgent);
    if (botCache.size >= BOT_CACHE_MAX) botCache.clear();
    botCache.set(userAgent, bot);
  }
  return bot;
}

function header(req: IncomingMessage, name: 'user-agent' | 'referer'): string {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : (value ?? '');
}

export type VisitFor = (req: IncomingMessage, link: ResolvedLink, ip: string | null, now: number) => LinkVisited;

/**
 * Builds the event for one counted redirect; header values are truncated here, never rejected. Made once per
 * process: it owns the id source, and the ISO timestamp of the current millisecond, which the tens of visits
 * served within it share (formatting a date costs ten times reusing it).
 */
export function createVisitFor(nextId: () => string = createVisitIdSource()): VisitFor {
  let stampedMs = Number.NaN;
  let stamp = '';
  return (req, link, ip, now) => {
    if (now !== stampedMs) {
      stampedMs = now;
      stamp = new Date(now).toISOString();
    }
    const userAgent = header(req, 'user-agent');
    return {
      visitId: nextId(),
      linkId: link.id,
      languageId: link.languageId,
      themeId: link.themeId,
      visitedAt: stamp,
      ipAddress: truncate(ip, VISIT_LIMITS.ipAddress),
      userAgent: truncate(userAgent, VISIT_LIMITS.userAgent),
      referrer: truncate(header(req, 'referer'), VISIT_LIMITS.referrer),
      isBot: userAgent !== '' && isBotAgent(userAgent),
    };
  };
}
