-- Schema version 2: the projects' stage history, appended by imports and transitions.
CREATE TABLE project_history (
  project_id TEXT NOT NULL REFERENCES projects(id) DEFERRABLE INITIALLY DEFERRED,
  seq        INTEGER NOT NULL,
  at         TEXT NOT NULL,
  who        TEXT NOT NULL,
  from_stage TEXT NOT NULL DEFAULT '',
  to_stage   TEXT NOT NULL,
  on_date    TEXT NOT NULL DEFAULT '',
  note       TEXT NOT NULL DEFAULT '',
  correction INTEGER NOT NULL DEFAULT 0,
  provenance TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (project_id, seq)
) WITHOUT ROWID;
