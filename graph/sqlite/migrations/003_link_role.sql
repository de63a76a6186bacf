-- Schema version 3: a link's kind of activity (graph.Roles); '' means production, so
-- links stored before this version keep their meaning.
ALTER TABLE links ADD COLUMN role TEXT NOT NULL DEFAULT '';
