// Investment projects: (:Project)-[:BY]->(:Company), -[:TARGETS]->(:Link),
// -[:LANDS_IN]->(:Region), -[:FROM]->(:Region). Optional references are '' in the
// properties and have no relationship.

// name: upsert
// params: rows
UNWIND $rows AS row
MATCH (r:Region {code: row.props.region_code})
OPTIONAL MATCH (c:Company {id: row.props.company_id})
OPTIONAL MATCH (l:Link {id: row.props.link_id})
OPTIONAL MATCH (src:Region {code: row.props.source_region_code})
WITH row, r, c, l, src
WHERE (row.props.company_id = '' OR c IS NOT NULL) AND (row.props.link_id = '' OR l IS NOT NULL)
  AND (row.props.source_region_code = '' OR src IS NOT NULL)
OPTIONAL MATCH (old:Project {id: row.props.id})
WITH row, r, c, l, src, old, old IS NULL AS created
WITH row, r, c, l, src, created, created OR any(k IN keys(row.props) WHERE NOT coalesce(old[k] = row.props[k], false)) AS changed
FOREACH (_ IN CASE WHEN changed THEN [1] ELSE [] END |
  MERGE (n:Project {id: row.props.id})
  SET n += row.props
  FOREACH (rel IN [(n)-[x:BY|TARGETS|LANDS_IN|FROM]->() | x] | DELETE rel)
  MERGE (n)-[:LANDS_IN]->(r)
  FOREACH (by IN CASE WHEN c IS NULL THEN [] ELSE [c] END | MERGE (n)-[:BY]->(by))
  FOREACH (target IN CASE WHEN l IS NULL THEN [] ELSE [l] END | MERGE (n)-[:TARGETS]->(target))
  FOREACH (origin IN CASE WHEN src IS NULL THEN [] ELSE [src] END | MERGE (n)-[:FROM]->(origin)))
RETURN count(*) AS matched, sum(CASE WHEN changed THEN 1 ELSE 0 END) AS written,
       sum(CASE WHEN created THEN 1 ELSE 0 END) AS inserted

// name: read
MATCH (n:Project)
WHERE n.id IS NOT NULL
RETURN n.id AS id, n.name AS name, n.company_id AS company_id, n.link_id AS link_id,
       n.region_code AS region_code, n.investment_wan AS investment_wan, n.foreign AS foreign,
       n.source_region_code AS source_region_code, n.stage AS stage, n.signed_on AS signed_on,
       n.started_on AS started_on, n.producing_on AS producing_on, n.at_capacity_on AS at_capacity_on,
       n.planned_start_on AS planned_start_on, n.planned_producing_on AS planned_producing_on,
       n.provenance AS provenance
ORDER BY id

// name: existing
// params: ids
UNWIND $ids AS id
MATCH (n:Project {id: id})
RETURN n.id AS id

// name: count
MATCH (n:Project)
RETURN count(n) AS n

// The stored record of each project of $ids and its number of history events.
// name: stored
// params: ids
UNWIND $ids AS id
MATCH (n:Project {id: id})
RETURN n.id AS id, n.name AS name, n.company_id AS company_id, n.link_id AS link_id,
       n.region_code AS region_code, n.investment_wan AS investment_wan, n.foreign AS foreign,
       n.source_region_code AS source_region_code, n.stage AS stage, n.signed_on AS signed_on,
       n.started_on AS started_on, n.producing_on AS producing_on, n.at_capacity_on AS at_capacity_on,
       n.planned_start_on AS planned_start_on, n.planned_producing_on AS planned_producing_on,
       n.provenance AS provenance, size([(n)-[:HAS_EVENT]->(e:ProjectEvent) | e]) AS events

// History events: (:Project)-[:HAS_EVENT]->(:ProjectEvent {project_id, seq, …}),
// unique by (project_id, seq).
// name: upsert_events
// params: rows
UNWIND $rows AS row
MATCH (p:Project {id: row.props.project_id})
OPTIONAL MATCH (old:ProjectEvent {project_id: row.props.project_id, seq: row.props.seq})
WITH p, row, old, old IS NULL AS created
WITH p, row, created, created OR any(k IN keys(row.props) WHERE NOT coalesce(old[k] = row.props[k], false)) AS changed
FOREACH (_ IN CASE WHEN changed THEN [1] ELSE [] END |
  MERGE (e:ProjectEvent {project_id: row.props.project_id, seq: row.props.seq})
  SET e += row.props
  MERGE (p)-[:HAS_EVENT]->(e))
RETURN count(*) AS matched, sum(CASE WHEN changed THEN 1 ELSE 0 END) AS written,
       sum(CASE WHEN created THEN 1 ELSE 0 END) AS inserted

// name: read_events
MATCH (e:ProjectEvent)
WHERE e.project_id IS NOT NULL AND e.seq IS NOT NULL
RETURN e.project_id AS project_id, e.seq AS seq, e.at AS at, e.who AS who, e.from_stage AS from_stage,
       e.to_stage AS to_stage, e.on AS on, e.note AS note, e.correction AS correction, e.provenance AS provenance
ORDER BY project_id, seq

// name: count_events
MATCH (e:ProjectEvent)
RETURN count(e) AS n

// The stored history of each project of $ids that has any, in sequence order: imports
// hold history append-only against it (graph.HistoryLookup).
// name: stored_history
// params: ids
UNWIND $ids AS id
MATCH (:Project {id: id})-[:HAS_EVENT]->(e:ProjectEvent)
RETURN e.project_id AS project_id, e.seq AS seq, e.at AS at, e.who AS who, e.from_stage AS from_stage,
       e.to_stage AS to_stage, e.on AS on, e.note AS note, e.correction AS correction, e.provenance AS provenance
ORDER BY project_id, seq
