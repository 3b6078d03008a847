'use strict';
// Worker throughput: N visits of existing links published in batches straight to the events exchange, as the
// api does, then timed until the visits table holds all of them. Publishing takes a fraction of the time, so
// the figure is what the worker persists. Visits carry the publish time, so the lag histogram here shows a
// backlog being worked off, not the steady-state publish-to-persist latency (the redirect rows show that).
const path = require('node:path');
const { randomUUID } = require('node:crypto');
const amqp = require('amqplib');
const prom = require('./prom');
const { sleep } = require('./k6run');

const BROWSER_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36';

async function runWorkerThroughput({
  amqpUrl,
  monitor,
  worker,
  links,
  visits,
  root,
  batchSize = 500,
  timeoutMs = 180_000,
}) {
  const topology = require(path.join(root, 'dist/core/messaging/topology.js'));
  const connection = await amqp.connect(amqpUrl);
  const channel = await connection.createConfirmChannel();
  const before = await monitor.visits();
  const metricsBefore = await prom.scrape(worker.metricsUrl);
  const started = Date.now();
  let maxConnections = 0;
  try {
    for (let sent = 0; sent < visits; sent += batchSize) {
      const visitedAt = new Date().toISOString();
      const batch = [];
      for (let i = 0; i < Math.min(batchSize, visits - sent); i++) {
        const link = links[(sent + i) % links.length];
        batch.push({
          visitId: randomUUID(),
          linkId: link.id,
          languageId: 0,
          themeId: 0,
          visitedAt,
          ipAddress: '127.0.0.1',
          userAgent: BROWSER_UA,
          referrer: null,
          isBot: false,
        });
      }
      const properties = topology.eventProperties(topology.MESSAGE_TYPES.linkVisited, randomUUID());
      channel.publish(
        topology.EVENTS_EXCHANGE,
        topology.ROUTING_KEYS.linkVisited,
        topology.encodeMessage({ visits: batch }),
        properties,
      );
      if ((sent / batchSize) % 50 === 49) await channel.waitForConfirms();
    }
    await channel.waitForConfirms();
    const publishedSec = (Date.now() - started) / 1000;
    let stored = 0;
    const deadline = started + timeoutMs;
    while (Date.now() < deadline) {
      stored = (await monitor.visits()) - before;
      maxConnections = Math.max(maxConnections, await monitor.connections());
      if (stored >= visits) break;
      await sleep(100);
    }
    const elapsedSec = (Date.now() - started) / 1000;
    await sleep(1000);
    stored = (await monitor.visits()) - before;
    const metricsAfter = await prom.scrape(worker.metricsUrl);
    const [rows, counted] = await Promise.all([monitor.visits(), monitor.counted()]);
    return {
      visits,
      stored,
      ok: stored === visits,
      countersMatchRows: rows === counted,
      publishedSec,
      elapsedSec,
      visitsPerSec: stored / elapsedSec,
      publishPerSec: visits / publishedSec,
      backlogLagP95: prom.histogramQuantile(metricsBefore, metricsAfter, 'offndat_visit_persist_lag_seconds', 0.95),
      maxConnections,
    };
  } finally {
    await channel.close().catch(() => undefined);
    await connection.close().catch(() => undefined);
  }
}

module.exports = { runWorkerThroughput };
