import { Router, type Request } from 'express';
import type { LinkStats } from '../../core/links/link';
import type { ApiDeps } from '../deps';
import { statsFor } from './link-routes';

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A link taken down (or refused by the blocklist) keeps its counters here, but no longer offers its target. */
function target(stats: LinkStats, deps: ApiDeps): string {
  const gone = stats.gone ?? (deps.blocklist?.check(stats.targetUrl) ? 'blocked' : undefined);
  if (gone === 'disabled' || gone === 'blocked')
    return '<p>This link has been disabled by the operators of this service.</p>';
  const link = `<a href="${escapeHtml(stats.targetUrl)}" rel="noopener noreferrer">${escapeHtml(stats.targetUrl)}</a>`;
  return gone === 'expired' ? `<p>Target: ${link} (this link has expired)</p>` : `<p>Target: ${link}</p>`;
}

/**
 * `statsUrl` points at `/s/{phrase}`. Without the offnd.at web client in front, this small page keeps that
 * URL useful; with the client deployed, its router serves the same path instead.
 */
export function statsPageRoutes(deps: ApiDeps): Router {
  const router = Router();
  router.get('/s/:phrase', async (req: Request<{ phrase: string }>, res) => {
    const phrase = req.params.phrase;
    const stats = await statsFor(deps, phrase);
    res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
    if (!stats) {
      res
        .status(404)
        .type('html')
        .send(`<!doctype html><meta charset="utf-8"><title>Not found</title><p>No link /${escapeHtml(phrase)}.</p>`);
      return;
    }
    const rows = stats.recentVisits
      .map(
        (v) =>
          `<tr><td>${v.visitedAt.toISOString()}</td><td>${escapeHtml(v.ipAddress ?? '')}</td><td>${escapeHtml(v.referrer ?? '')}</td></tr>`,
      )
      .join('');
    res.type('html')
      .send(`<!doctype html><html lang="en"><meta charset="utf-8"><title>offndat - /${escapeHtml(stats.phrase)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem}td,th{padding:.2rem .6rem;text-align:left}</style>
<h1>/${escapeHtml(stats.phrase)}</h1>
${target(stats, deps)}
<p>Total visits: <strong>${stats.visits}</strong> (plus ${stats.botVisits} from bots and previews). Created ${stats.createdAt.toISOString()}.</p>
<h2>Recent traffic</h2>${rows ? `<table><tr><th>When</th><th>IP</th><th>Referrer</th></tr>${rows}</table>` : '<p>No recent traffic recorded yet.</p>'}
</html>`);
  });
  return router;
}
