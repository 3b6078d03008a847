'use strict';
// Baseline for the redirect from L1: bare node:http answering the product's 301 from a Map of phrase -> URL.
// LINKS_FILE is the JSON array of {phrase, targetUrl} the runner seeded the product with.
const fs = require('node:fs');
const { phraseOf, redirect, notFound, serve } = require('./common');

const links = new Map(JSON.parse(fs.readFileSync(process.env.LINKS_FILE, 'utf8')).map((l) => [l.phrase, l.targetUrl]));

serve('map', (req, res) => {
  const location = links.get(phraseOf(req.url));
  if (location === undefined) notFound(res);
  else redirect(res, location);
});
