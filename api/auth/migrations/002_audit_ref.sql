-- auth store, schema version 2: an audit entry may carry the ref of the write it
-- records (kept first in the graph store's outbox, in the write's transaction);
-- an entry delivered twice — by the server that made the write and by a restart
-- after a crash — is recorded once.
ALTER TABLE audit_log ADD COLUMN ref TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX audit_log_ref ON audit_log(ref) WHERE ref != '';
