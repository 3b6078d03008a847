-- Links: the phrase is the natural key, unique so concurrent creates cannot race (the original checked in the app).
CREATE TABLE links (
  id          uuid PRIMARY KEY,
  phrase      varchar(256)  NOT NULL,
  target_url  varchar(4096) NOT NULL,
  language_id smallint      NOT NULL,
  theme_id    smallint      NOT NULL,
  created_at  timestamptz   NOT NULL DEFAULT now(),
  modified_at timestamptz,
  deleted_at  timestamptz,
  is_deleted  boolean       NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX idx_links_phrase ON links (phrase);
CREATE INDEX idx_links_created_at ON links (created_at);
CREATE INDEX idx_links_language_theme ON links (language_id, theme_id);

-- Per-link counters, updated in the same transaction as the visit rows they count.
CREATE TABLE link_visit_counters (
  link_id         uuid PRIMARY KEY REFERENCES links (id) ON DELETE CASCADE,
  total_visits    bigint NOT NULL DEFAULT 0,
  bot_visits      bigint NOT NULL DEFAULT 0,
  last_visited_at timestamptz
);

-- One row per counted redirect. visit_id is generated at the edge, so a redelivered event is a no-op.
CREATE TABLE visits (
  visit_id    uuid PRIMARY KEY,
  link_id     uuid          NOT NULL REFERENCES links (id) ON DELETE CASCADE,
  visited_at  timestamptz   NOT NULL,
  ip_address  varchar(64),
  user_agent  varchar(1024),
  referrer    varchar(2048),
  is_bot      boolean       NOT NULL DEFAULT false,
  recorded_at timestamptz   NOT NULL DEFAULT now()
);
CREATE INDEX idx_visits_link_visited_at ON visits (link_id, visited_at DESC);

-- Transactional outbox: rows are written with the change they announce and relayed with confirms.
CREATE TABLE outbox (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  message_id   uuid        NOT NULL UNIQUE,
  event_type   text        NOT NULL,
  payload      jsonb       NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz
);
CREATE INDEX idx_outbox_pending ON outbox (id) WHERE published_at IS NULL;
