'use strict';
// The cluster as the runner sees it: the Kubernetes API over one keep-alive HTTPS agent (credentials of the kubectl
// context), Prometheus through the API server's service proxy (no port of the cluster is opened for it), and
// kubectl for what needs a stream (exec). Sampling every few seconds must cost little: no process per request.
const https = require('node:https');
const { spawn, spawnSync } = require('node:child_process');

const PROMETHEUS = '/api/v1/namespaces/monitoring/services/prometheus:web/proxy/api/v1';

function contextCredentials(context) {
  const args = ['config', 'view', '--raw', '--minify', '-o', 'json', ...(context ? ['--context', context] : [])];
  const out = spawnSync('kubectl', args, { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`kubectl config view: ${out.stderr}`);
  const config = JSON.parse(out.stdout);
  const cluster = config.clusters[0].cluster;
  const user = config.users[0].user;
  const b64 = (value) => (value ? Buffer.from(value, 'base64') : undefined);
  if (!user['client-certificate-data'] && !user.token) throw new Error('the kubectl context has no client certificate');
  return {
    server: new URL(cluster.server),
    agent: new https.Agent({
      keepAlive: true,
      maxSockets: 8,
      ca: b64(cluster['certificate-authority-data']),
      cert: b64(user['client-certificate-data']),
      key: b64(user['client-key-data']),
    }),
    token: user.token,
  };
}

function createKube({ context, namespace }) {
  const { server, agent, token } = contextCredentials(context);

  function request(method, path, { body, contentType = 'application/json', timeoutMs = 10_000 } = {}) {
    const headers = { accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = contentType;
    const url = new URL(path, server);
    return new Promise((resolve, reject) => {
      const req = https.request(url, { method, agent, headers, timeout: timeoutMs }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => {
          if (res.statusCode === 404 && method === 'GET') return resolve(undefined);
          if (res.statusCode >= 400)
            return reject(new Error(`${method} ${path}: HTTP ${res.statusCode} ${text.slice(0, 300)}`));
          resolve(text ? JSON.parse(text) : undefined);
        });
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timed out`)));
      req.on('error', reject);
      if (body !== undefined) req.write(typeof body === 'string' ? body : JSON.stringify(body));
      req.end();
    });
  }

  const ns = (rest) => `/namespaces/${namespace}/${rest}`;
  return {
    namespace,
    get: (path) => request('GET', path),
    list: (group, resource, labelSelector) =>
      request(
        'GET',
        `${group}${ns(resource)}${labelSelector ? `?labelSelector=${encodeURIComponent(labelSelector)}` : ''}`,
      ).then((l) => l?.items ?? []),
    pods: (labelSelector) =>
      request('GET', `/api/v1${ns('pods')}?labelSelector=${encodeURIComponent(labelSelector)}`).then((l) => l.items),
    mergePatch: (path, body) => request('PATCH', path, { body, contentType: 'application/merge-patch+json' }),
    deletePod: (name, graceSeconds) =>
      request('DELETE', `/api/v1${ns(`pods/${name}`)}`, {
        body: graceSeconds === undefined ? undefined : { gracePeriodSeconds: graceSeconds },
      }),
    /** One PromQL instant query; the result vector as [{metric, value: number}]. */
    async prom(query) {
      const out = await request('GET', `${PROMETHEUS}/query?query=${encodeURIComponent(query)}`);
      return (out?.data?.result ?? []).map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
    },
    close: () => agent.destroy(),
  };
}

/** Runs kubectl to completion: {code, stdout, stderr}; killed (by its PID) past timeoutMs. */
function kubectl(args, { input, timeoutMs = 30_000 } = {}) {
  return new Promise((resolve) => {
    const child = spawn('kubectl', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? signal, stdout, stderr });
    });
    child.stdin.end(input ?? '');
  });
}

const isReady = (pod) =>
  pod.metadata.deletionTimestamp === undefined &&
  (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

module.exports = { createKube, kubectl, isReady };
