'use strict';
// Baseline for link creation: node:http, the body read and parsed as JSON, a random three-word phrase, and the
// product's own insert of link + outbox row (the same named statement, pool of 20), answered 201 with the
// same JSON shape. No validation, no vocabularies, no cache priming, no metrics, no limits: what any creation
// endpoint on this machine must at least spend.
const { randomUUID } = require('node:crypto');
const { Pool } = require('pg');
const { failed, serve } = require('./common');

const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.DB_POOL_MAX || 20),
  application_name: 'offndat-bench-baseline',
});
pool.on('error', () => undefined);
const TEXT = `WITH created AS (
             INSERT INTO links (id, phrase, target_url, language_id, theme_id, created_at) VALUES ($1, $2, $3, $4, $5, $6)
             RETURNING id)
           INSERT INTO outbox (message_id, event_type, payload) SELECT id, $7, $8 FROM created`;
// 2^16 words per slot: collisions are as rare as with the product's vocabularies, so none are retried here.
const word = () => Math.floor(Math.random() * 65536).toString(36);
const BASE_URL = 'http://localhost';

function badRequest(res) {
  res.writeHead(400, { 'Content-Length': '0' });
  res.end();
}

function create(req, res, raw) {
  let input;
  try {
    input = JSON.parse(raw);
  } catch {
    return badRequest(res);
  }
  const id = randomUUID();
  const phrase = `${word()}-${word()}-${word()}`;
  const createdAt = new Date();
  const values = [
    id,
    phrase,
    String(input.targetUrl),
    input.languageId | 0,
    input.themeId | 0,
    createdAt,
    'LinkCreated',
    JSON.stringify({
      linkId: id,
      languageId: input.languageId | 0,
      themeId: input.themeId | 0,
      createdAt: createdAt.toISOString(),
    }),
  ];
  pool.query({ name: 'insert-link-with-outbox', text: TEXT, values }).then(
    () => {
      const url = `${BASE_URL}/${phrase}`;
      const body = JSON.stringify({ url, statsUrl: `${BASE_URL}/s/${phrase}` });
      res.writeHead(201, {
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': Buffer.byteLength(body),
        Location: url,
      });
      res.end(body);
    },
    () => failed(res),
  );
}

serve(
  'create',
  (req, res) => {
    if (req.method !== 'POST') return badRequest(res);
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => create(req, res, Buffer.concat(chunks).toString('utf8')));
  },
  () => pool.end(),
);
