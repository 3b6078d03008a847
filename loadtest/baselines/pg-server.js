'use strict';
// Baseline for the redirect through PostgreSQL: node:http + one pg query per request, the product's own
// statement (named, so prepared once per connection) on the product's table, with the product's pool size.
const { Pool } = require('pg');
const { phraseOf, redirect, notFound, failed, serve } = require('./common');

const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.DB_POOL_MAX || 20),
  application_name: 'offndat-bench-baseline',
});
pool.on('error', () => undefined);
const TEXT = 'SELECT id, target_url, language_id, theme_id FROM links WHERE phrase = $1 AND NOT is_deleted';

serve(
  'pg',
  (req, res) => {
    pool.query({ name: 'find-resolved-link', text: TEXT, values: [phraseOf(req.url)] }).then(
      ({ rows }) => (rows.length === 0 ? notFound(res) : redirect(res, rows[0].target_url)),
      () => failed(res),
    );
  },
  () => pool.end(),
);
