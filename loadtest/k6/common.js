// Shared by every scenario. Each script is run by the runner (loadtest/run.js) with -e variables:
//   BASE_URL      http://127.0.0.1:<port> of the server under test
//   LINKS_FILE    JSON array of {phrase, targetUrl} to redirect to
//   SUMMARY_FILE  where handleSummary writes k6's end-of-test data as JSON for the runner
//   DURATION, VUS, RATE, API_KEY: per scenario, see each script
import http from 'k6/http';
import { Counter } from 'k6/metrics';
import { SharedArray } from 'k6/data';

export const BASE_URL = __ENV.BASE_URL || 'http://127.0.0.1:8080';
export const DURATION = __ENV.DURATION || '15s';

// A browser user agent: HTTP libraries' own (k6's included) are classified as bots. Both kinds are counted as
// visit rows; the browser one exercises the path most real clicks take.
export const BROWSER_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36';

export const TREND_STATS = ['avg', 'min', 'med', 'p(90)', 'p(95)', 'p(99)', 'max', 'count'];

const links = __ENV.LINKS_FILE
  ? new SharedArray('links', () => JSON.parse(open(__ENV.LINKS_FILE)).map((l) => l.phrase))
  : [];

/** GET redirects answered 301: what the visits check compares with the rows the worker stored. */
export const redirects301 = new Counter('redirects_301');
/** Redirect answers other than 301 (or transport errors, status 0). */
export const redirectErrors = new Counter('redirect_errors');
export const created201 = new Counter('created_201');
export const createErrors = new Counter('create_errors');

const redirectParams = {
  redirects: 0,
  headers: { 'User-Agent': BROWSER_UA },
  tags: { name: 'redirect', kind: 'redirect' },
  responseType: 'none',
};

export function redirectOnce() {
  const phrase = links[Math.floor(Math.random() * links.length)];
  const res = http.get(`${BASE_URL}/${phrase}`, redirectParams);
  if (res.status === 301) redirects301.add(1);
  else redirectErrors.add(1, { status: String(res.status) });
}

const createParams = {
  headers: { 'Content-Type': 'application/json', 'x-offnd-api-key': __ENV.API_KEY || '', 'User-Agent': BROWSER_UA },
  tags: { name: 'create', kind: 'create' },
  responseType: 'none',
};
let createSeq = 0;

export function createOnce() {
  createSeq += 1;
  const body = JSON.stringify({
    targetUrl: `https://example.com/articles/${__VU}-${createSeq}/some-long-article-slug?utm_source=bench`,
    languageId: Math.random() < 0.5 ? 0 : 1,
    themeId: 0,
    formatId: Math.random() < 0.5 ? 0 : 1,
  });
  const res = http.post(`${BASE_URL}/v1/links`, body, createParams);
  if (res.status === 201) created201.add(1);
  else createErrors.add(1, { status: String(res.status) });
}

/** Thresholds that never fail, declared only so k6 keeps these tagged sub-metrics in its summary. */
export function keepSubmetrics(names) {
  const thresholds = {};
  for (const name of names) thresholds[name] = ['count>=0'];
  return thresholds;
}

export function keepTrends(names) {
  const thresholds = {};
  for (const name of names) thresholds[name] = ['max>=0'];
  return thresholds;
}

export function writeSummary(data) {
  const out = { stdout: `k6 done: ${data.metrics.http_reqs ? data.metrics.http_reqs.values.count : 0} requests\n` };
  if (__ENV.SUMMARY_FILE) out[__ENV.SUMMARY_FILE] = JSON.stringify(data);
  return out;
}
