'use strict';
// Baseline for the redirect through L2: node:http + one ioredis GET per request, with the product's client
// options (no offline queue, one retry, auto-pipelining: the GETs of concurrent requests share one write). The
// runner stores `<KEY_PREFIX><phrase>` -> URL first.
const { Redis } = require('ioredis');
const { phraseOf, redirect, notFound, failed, serve } = require('./common');

const prefix = process.env.KEY_PREFIX || 'offndat-bench:baseline:';
const redis = new Redis(process.env.REDIS_URL, {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  enableAutoPipelining: true,
});
redis.on('error', () => undefined);

redis.once('ready', () =>
  serve(
    'redis',
    (req, res) => {
      redis.get(prefix + phraseOf(req.url)).then(
        (location) => (location === null ? notFound(res) : redirect(res, location)),
        () => failed(res),
      );
    },
    () => redis.quit(),
  ),
);
