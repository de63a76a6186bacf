-- Schema version 5: the audit entries of committed writes, written in the write's own
-- transaction and kept until the server has moved them to the audit log in the auth
-- store (graph.AuditOutbox), so that no committed write lacks its entry after a crash.
CREATE TABLE audit_outbox (
  id    INTEGER PRIMARY KEY, -- commit order
  ref   TEXT NOT NULL UNIQUE,
  entry TEXT NOT NULL        -- JSON, as the audit log's keeper gave it
);
