-- Administration: takedowns, expiry, links declared as Kubernetes resources, a target blocklist and an audit log.
-- Every column is nullable or defaulted, so the previous release keeps working against this schema.
ALTER TABLE links
  ADD COLUMN disabled_at     timestamptz,
  ADD COLUMN disabled_reason varchar(512),
  ADD COLUMN expires_at      timestamptz,
  ADD COLUMN max_visits      bigint CHECK (max_visits > 0),
  -- Who declares the link when it is not the public API: `shortlink:<namespace>/<name>` for a ShortLink resource.
  ADD COLUMN owner           varchar(512);
CREATE INDEX idx_links_owner ON links (owner) WHERE owner IS NOT NULL;
-- Searches by target host, newest first; the host is derived once here rather than parsed per row at query time.
ALTER TABLE links ADD COLUMN target_host varchar(255)
  GENERATED ALWAYS AS (lower(substring(target_url from '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^/?#@]*@)?(\[[^]]*\]|[^/?#:]*)'))) STORED;
CREATE INDEX idx_links_target_host ON links (target_host, created_at DESC, id DESC);
CREATE INDEX idx_links_created_at_id ON links (created_at DESC, id DESC);

CREATE TABLE blocklist_rules (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind       text          NOT NULL CHECK (kind IN ('host', 'suffix', 'regex')),
  value      varchar(1024) NOT NULL,
  reason     varchar(512),
  created_by varchar(128)  NOT NULL,
  created_at timestamptz   NOT NULL DEFAULT now(),
  UNIQUE (kind, value)
);

-- One row per administrative change, written in the transaction that makes it.
CREATE TABLE audit_log (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at          timestamptz  NOT NULL DEFAULT now(),
  actor       varchar(256) NOT NULL,
  action      varchar(64)  NOT NULL,
  target_type varchar(32)  NOT NULL,
  target      varchar(1024) NOT NULL,
  before      jsonb,
  after       jsonb,
  request_id  varchar(128)
);
CREATE INDEX idx_audit_log_target ON audit_log (target_type, target, id DESC);
