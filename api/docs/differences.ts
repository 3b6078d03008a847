import { TARGET_URL_MAX_LENGTH } from '../../core/links/link';

/**
 * Where this API deliberately answers differently from the offnd.at original. It opens the OpenAPI description,
 * so `/docs` shows it first; the README points here.
 */
const rows: ReadonlyArray<readonly [original: string, here: string]> = [
  [
    'A redirect to an unknown phrase answers 400.',
    '404 problem+json `Link.NotFound`. Short links are also served at `GET /{phrase}`, besides `GET /v1/redirects/{phrase}`.',
  ],
  [
    'PascalCase keeps a space before a non-ASCII initial (`Szybko żabiKot`).',
    'Every word is capitalised (`SzybkoŻabiKot`); kebab-case is unchanged.',
  ],
  [
    'Any absolute URL is a valid target (`javascript:`, `file:`, `data:`).',
    `Only http(s) URLs with a host, at most ${TARGET_URL_MAX_LENGTH} characters (\`GenerateLink.TargetUrlSchemeNotAllowed\`, \`TargetUrl.LongerThanAllowed\`).`,
  ],
  [
    'A body that is not JSON, or has fields of the wrong type, gets a bare 400.',
    '400 `General.MalformedJson`, 413 `General.PayloadTooLarge`, 415 `General.UnsupportedMediaType`; a field of the wrong type fails its own rule.',
  ],
  ['Unknown routes answer 404 with an empty body.', '404 problem+json `General.NotFound`.'],
  [
    'A taken phrase is retried ten times at once, then creation fails.',
    'Retries back off with jitter, then the phrase grows a word.',
  ],
  [
    'Every redirect counts as a visit; counts kept in memory can be lost.',
    'HEAD requests, crawlers and link previews are redirected but counted apart (`botVisits`); no visit is lost or counted twice.',
  ],
  [
    'An over-long `User-Agent` or `Referer` makes the redirect fail with 500.',
    'They are truncated to their column size.',
  ],
  [
    'The rate limiter runs before CORS, so a browser cannot read a 429; one sliding window per IP.',
    'CORS comes first; 429 carries `Retry-After` and `RateLimit-*`; configured API keys have their own budget; redirects keep the 60-token bucket per IP.',
  ],
  [
    '`X-Forwarded-For` is honoured from any proxy; visits store the full client IP.',
    'Only proxies named in `TRUST_PROXY` are believed (none by default) and forwarded entries that are not IP addresses are ignored; visits keep the network (/24, /48) unless `VISIT_IP_MODE=full`.',
  ],
  [
    'A database outage answers 500; undeclared methods 404; control characters in a phrase 500.',
    '503 `General.Unavailable` with `Retry-After` (cached links keep redirecting); 405 `General.MethodNotAllowed` with `Allow`; 400 with a stable code.',
  ],
  [
    'The catalogue (`/v1/languages`, `/v1/themes`, `/v1/formats`) reads the database.',
    'It is answered from memory, also while the database is down.',
  ],
  [
    'A link redirects forever; any target can be linked.',
    'Operators can disable, delete or expire a link (`/admin/v1`): its redirect then answers 410 (`Link.Disabled`, `Link.Deleted`, `Link.Expired`, `Link.Blocked`), a short HTML page on `/{phrase}`. Targets on the blocklist are refused with 400 `GenerateLink.TargetUrlBlocked`. With no admin key and no blocklist, nothing changes.',
  ],
];

export const DIFFERENCES_MARKDOWN = [
  '### Where this API differs from offnd.at v1, on purpose',
  '',
  '| offnd.at | here |',
  '|---|---|',
  ...rows.map(([original, here]) => `| ${original} | ${here} |`),
].join('\n');
