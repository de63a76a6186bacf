-- chainmap auth store, schema version 1. Times are Unix milliseconds (UTC).
-- No secret is stored in a form that can be used: passwords are argon2id hashes,
-- access tokens and session ids are SHA-256 hashes of 256-bit random values.

CREATE TABLE users (
  name          TEXT PRIMARY KEY,
  role          TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
  password_hash TEXT NOT NULL,
  disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE tokens (
  id           TEXT PRIMARY KEY,
  user_name    TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
  label        TEXT NOT NULL DEFAULT '',
  hash         BLOB NOT NULL UNIQUE,
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER,            -- NULL: never expires
  last_used_at INTEGER,
  revoked_at   INTEGER
) WITHOUT ROWID;
CREATE INDEX tokens_user ON tokens(user_name);

CREATE TABLE sessions (
  hash         BLOB PRIMARY KEY,
  user_name    TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
  csrf         TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL   -- absolute limit; the idle limit runs from last_seen_at
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions(user_name);

-- Failed (and in-flight) sign-in attempts, per user name and per client IP.
CREATE TABLE login_failures (
  id   INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('user', 'ip')),
  key  TEXT NOT NULL,
  at   INTEGER NOT NULL
);
CREATE INDEX login_failures_key ON login_failures(kind, key, at);

CREATE TABLE login_locks (
  kind  TEXT NOT NULL,
  key   TEXT NOT NULL,
  until INTEGER NOT NULL,
  PRIMARY KEY (kind, key)
) WITHOUT ROWID;

CREATE TABLE audit_log (
  id     INTEGER PRIMARY KEY AUTOINCREMENT,
  at     INTEGER NOT NULL,
  user   TEXT NOT NULL DEFAULT '',
  role   TEXT NOT NULL DEFAULT '',
  ip     TEXT NOT NULL DEFAULT '',
  method TEXT NOT NULL DEFAULT '',
  path   TEXT NOT NULL DEFAULT '',
  action TEXT NOT NULL,
  target TEXT NOT NULL DEFAULT '',
  before TEXT NOT NULL DEFAULT '',
  after  TEXT NOT NULL DEFAULT '',
  status INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_user ON audit_log(user, at);
CREATE INDEX audit_log_action ON audit_log(action, at);
