import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isbot } from 'isbot';
import type { ResolvedLink } from '../../core/links/link';
import { VISIT_LIMITS, truncate, type LinkVisited } from '../../core/visits/visit';

const botCache = new Map<string, boolean>();
const BOT_CACHE_MAX = 2048;

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

/** The event for one counted redirect; header values are truncated here, never rejected. */
export function visitFor(req: IncomingMessage, link: ResolvedLink, ip: string | null, now: number): LinkVisited {
  const userAgent = header(req, 'user-agent');
  return {
    visitId: randomUUID(),
    linkId: link.id,
    languageId: link.languageId,
    themeId: link.themeId,
    visitedAt: new Date(now).toISOString(),
    ipAddress: truncate(ip, VISIT_LIMITS.ipAddress),
    userAgent: truncate(userAgent, VISIT_LIMITS.userAgent),
    referrer: truncate(header(req, 'referer'), VISIT_LIMITS.referrer),
    isBot: userAgent !== '' && isBotAgent(userAgent),
  };
}
