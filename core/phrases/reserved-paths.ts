/**
 * First path segments the api serves itself (its routes, the admin API under /admin/v1, files browsers ask for): a
 * phrase equal to one could never be reached, so the redirect path never looks one up and no link may take one.
 */
export const RESERVED_PATHS: ReadonlySet<string> = new Set([
  '',
  'v1',
  'admin',
  'health',
  'ready',
  'metrics',
  'docs',
  'openapi',
  's',
  'favicon.ico',
  'robots.txt',
]);
