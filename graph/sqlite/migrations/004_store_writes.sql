-- Schema version 4: how many data-changing imports each writer (one open Store: a
-- server, a CLI command) has committed, and under '*' all of them, bumped in the
-- import's own transaction. A server compares the total less its own count with
-- what it last saw to notice writes made by other processes (Store.ExternalWrites).
CREATE TABLE store_writes (
  writer TEXT PRIMARY KEY,
  n      INTEGER NOT NULL,
  at     TEXT NOT NULL -- last write, RFC 3339; idle writers' rows are pruned
) WITHOUT ROWID;
