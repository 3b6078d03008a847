'use strict';
// What the runner knows about the installed release (charts/offndat with ci/kind-values.yaml): object names, the
// database behind it, the links a scenario redirects to. Visits are counted in PostgreSQL itself (psql in the
// CloudNativePG primary), the one place that decides whether a click was lost or counted twice.
const { kubectl, isReady } = require('./kube');

function createRelease({ kube, release = 'offndat', baseUrl, apiKey }) {
  const ns = kube.namespace;
  const names = {
    api: `${release}-api`,
    worker: `${release}-worker`,
    redis: `${release}-redis`,
    pg: `${release}-pg`,
    mq: `${release}-mq`,
  };
  const selector = (component) => `app.kubernetes.io/instance=${release},app.kubernetes.io/component=${component}`;

  async function primaryPod() {
    const cluster = await kube.get(`/apis/postgresql.cnpg.io/v1/namespaces/${ns}/clusters/${names.pg}`);
    return cluster?.status?.currentPrimary;
  }

  /** One SQL statement in the primary; its rows as arrays of strings, or undefined when the primary cannot answer. */
  async function sql(statement, timeoutMs = 8000) {
    const pod = await primaryPod();
    if (!pod) return undefined;
    const out = await kubectl(
      [
        '-n',
        ns,
        'exec',
        '-i',
        pod,
        '-c',
        'postgres',
        '--',
        'psql',
        '-X',
        '-q',
        '-A',
        '-t',
        '-F',
        '\t',
        '-d',
        'offndat',
        '-v',
        'ON_ERROR_STOP=1',
      ],
      { input: statement, timeoutMs },
    );
    if (out.code !== 0) return undefined;
    return out.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split('\t'));
  }

  /** Visit rows and the per-link counters' total for links whose target starts with `prefix`. */
  async function visitCounts(prefix) {
    const rows = await sql(
      `SELECT (SELECT count(*) FROM visits v JOIN links l ON l.id = v.link_id WHERE l.target_url LIKE '${prefix}%'),
              (SELECT coalesce(sum(c.total_visits), 0) FROM link_visit_counters c JOIN links l ON l.id = c.link_id
                WHERE l.target_url LIKE '${prefix}%');`,
    );
    if (!rows?.[0]) return undefined;
    return { rows: Number(rows[0][0]), counters: Number(rows[0][1]) };
  }

  async function createLink(prefix, i) {
    for (let attempt = 1; ; attempt += 1) {
      const res = await fetch(`${baseUrl}/v1/links`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-offnd-api-key': apiKey },
        body: JSON.stringify({ targetUrl: `${prefix}${i}`, languageId: i % 2, themeId: 0, formatId: 0 }),
      }).catch((error) => ({ ok: false, status: 0, text: async () => error.message }));
      if (res.ok) return { phrase: new URL((await res.json()).url).pathname.slice(1) };
      if (attempt >= 5) throw new Error(`creating a link: HTTP ${res.status} ${await res.text()}`);
      await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
    }
  }

  /** Creates `count` links (targets `<prefix><i>`) through the api Service, ten at a time. */
  async function createLinks(prefix, count) {
    const links = [];
    for (let i = 0; i < count; i += 10) {
      const batch = Array.from({ length: Math.min(10, count - i) }, (_, j) => createLink(prefix, i + j));
      links.push(...(await Promise.all(batch)));
    }
    return links;
  }

  async function readyPods(component) {
    return (await kube.pods(selector(component))).filter(isReady);
  }

  return { names, selector, primaryPod, sql, visitCounts, createLinks, readyPods };
}

module.exports = { createRelease };
