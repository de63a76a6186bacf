-- chainmap embedded store, schema version 1.
-- Empty text means "unknown" for optional attributes; optional references are NULL so
-- that foreign keys can check them. Keys mirror the interchange format's keys.

CREATE TABLE regions (
  code        TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  parent_code TEXT REFERENCES regions(code) DEFERRABLE INITIALLY DEFERRED,
  kind        TEXT NOT NULL,
  provenance  TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;

CREATE TABLE region_groups (
  group_code  TEXT NOT NULL,
  region_code TEXT NOT NULL REFERENCES regions(code) DEFERRABLE INITIALLY DEFERRED,
  group_name  TEXT NOT NULL,
  provenance  TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (group_code, region_code)
) WITHOUT ROWID;

CREATE TABLE clusters (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  name_en    TEXT NOT NULL DEFAULT '',
  provenance TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;

CREATE TABLE chains (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  name_en    TEXT NOT NULL DEFAULT '',
  cluster_id TEXT NOT NULL REFERENCES clusters(id) DEFERRABLE INITIALLY DEFERRED,
  key        INTEGER NOT NULL DEFAULT 0,
  provenance TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;

CREATE TABLE links (
  id         TEXT PRIMARY KEY,
  chain_id   TEXT NOT NULL REFERENCES chains(id) DEFERRABLE INITIALLY DEFERRED,
  name       TEXT NOT NULL,
  name_en    TEXT NOT NULL DEFAULT '',
  tier       TEXT NOT NULL,
  provenance TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;

CREATE TABLE link_feeds (
  from_link_id TEXT NOT NULL REFERENCES links(id) DEFERRABLE INITIALLY DEFERRED,
  to_link_id   TEXT NOT NULL REFERENCES links(id) DEFERRABLE INITIALLY DEFERRED,
  provenance   TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (from_link_id, to_link_id)
) WITHOUT ROWID;

CREATE TABLE companies (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  region_code TEXT NOT NULL REFERENCES regions(code) DEFERRABLE INITIALLY DEFERRED,
  revenue_wan REAL NOT NULL DEFAULT 0,
  employees   INTEGER NOT NULL DEFAULT 0,
  founded_on  TEXT NOT NULL DEFAULT '',
  tags        TEXT NOT NULL DEFAULT '',
  provenance  TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE INDEX companies_region ON companies(region_code);

CREATE TABLE company_links (
  company_id TEXT NOT NULL REFERENCES companies(id) DEFERRABLE INITIALLY DEFERRED,
  link_id    TEXT NOT NULL REFERENCES links(id) DEFERRABLE INITIALLY DEFERRED,
  products   TEXT NOT NULL DEFAULT '',
  provenance TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (company_id, link_id)
) WITHOUT ROWID;
CREATE INDEX company_links_link ON company_links(link_id);

CREATE TABLE leaders (
  company_id TEXT NOT NULL REFERENCES companies(id) DEFERRABLE INITIALLY DEFERRED,
  chain_id   TEXT NOT NULL REFERENCES chains(id) DEFERRABLE INITIALLY DEFERRED,
  provenance TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (company_id, chain_id)
) WITHOUT ROWID;

-- link_id is '' when the supplied link is unknown, so it cannot be a foreign key;
-- validation checks it instead. No index by customer: analyses read an in-memory
-- snapshot, and a second random-order index halved import speed at 1M ties.
CREATE TABLE supplies (
  supplier_id TEXT NOT NULL REFERENCES companies(id) DEFERRABLE INITIALLY DEFERRED,
  customer_id TEXT NOT NULL REFERENCES companies(id) DEFERRABLE INITIALLY DEFERRED,
  link_id     TEXT NOT NULL DEFAULT '',
  product     TEXT NOT NULL DEFAULT '',
  amount_wan  REAL NOT NULL DEFAULT 0,
  evidence    TEXT NOT NULL,
  confidence  REAL NOT NULL,
  since       TEXT NOT NULL DEFAULT '',
  until       TEXT NOT NULL DEFAULT '',
  provenance  TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (supplier_id, customer_id, link_id)
) WITHOUT ROWID;

CREATE TABLE projects (
  id                   TEXT PRIMARY KEY,
  name                 TEXT NOT NULL,
  company_id           TEXT REFERENCES companies(id) DEFERRABLE INITIALLY DEFERRED,
  link_id              TEXT REFERENCES links(id) DEFERRABLE INITIALLY DEFERRED,
  region_code          TEXT NOT NULL REFERENCES regions(code) DEFERRABLE INITIALLY DEFERRED,
  investment_wan       INTEGER NOT NULL DEFAULT 0,
  foreign_investor     INTEGER NOT NULL DEFAULT 0,
  source_region_code   TEXT REFERENCES regions(code) DEFERRABLE INITIALLY DEFERRED,
  stage                TEXT NOT NULL,
  signed_on            TEXT NOT NULL DEFAULT '',
  started_on           TEXT NOT NULL DEFAULT '',
  producing_on         TEXT NOT NULL DEFAULT '',
  at_capacity_on       TEXT NOT NULL DEFAULT '',
  planned_start_on     TEXT NOT NULL DEFAULT '',
  planned_producing_on TEXT NOT NULL DEFAULT '',
  provenance           TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
