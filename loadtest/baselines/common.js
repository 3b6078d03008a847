'use strict';
// Shared by the three baseline servers: the same response as the product's redirect (status, Location,
// Cache-Control, empty body) and the same listen/ready protocol the runner waits for.
const http = require('node:http');

const CACHE_CONTROL = 'private, max-age=90';

/** Reads the phrase from `/{phrase}` without allocating a URL object, as the product's fast path does. */
function phraseOf(url) {
  const q = url.indexOf('?');
  return q === -1 ? url.slice(1) : url.slice(1, q);
}

function redirect(res, location) {
  res.writeHead(301, { Location: location, 'Cache-Control': CACHE_CONTROL, 'Content-Length': '0' });
  res.end();
}

function notFound(res) {
  res.writeHead(404, { 'Content-Length': '0' });
  res.end();
}

function failed(res) {
  res.writeHead(500, { 'Content-Length': '0' });
  res.end();
}

/** Listens on PORT (127.0.0.1) and prints the same JSON line as the api, so the runner treats both alike. */
function serve(name, handler, onClose) {
  const server = http.createServer({ keepAliveTimeout: 65_000 }, handler);
  server.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
    process.stdout.write(
      `${JSON.stringify({ msg: 'offndat api listening', baseline: name, port: server.address().port })}\n`,
    );
  });
  const stop = () => server.close(() => Promise.resolve(onClose?.()).finally(() => process.exit(0)));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

module.exports = { phraseOf, redirect, notFound, failed, serve };
