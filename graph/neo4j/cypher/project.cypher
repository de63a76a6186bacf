// Investment projects: (:Project)-[:BY]->(:Company), -[:TARGETS]->(:Link),
// -[:LANDS_IN]->(:Region), -[:FROM]->(:Region). Optional references are '' in the
// properties and have no relationship.

// name: upsert
// params: rows
UNWIND $rows AS row
OPTIONAL MATCH (old:Project {id: row.props.id})
WITH row, old, old IS NULL AS created
WHERE created OR properties(old) <> row.props
MERGE (n:Project {id: row.props.id})
SET n = row.props
WITH n, row, created
FOREACH (rel IN [(n)-[x:BY|TARGETS|LANDS_IN|FROM]->() | x] | DELETE rel)
WITH n, row, created
MATCH (r:Region {code: row.props.region_code})
MERGE (n)-[:LANDS_IN]->(r)
WITH n, row, created
OPTIONAL MATCH (c:Company {id: row.props.company_id})
OPTIONAL MATCH (l:Link {id: row.props.link_id})
OPTIONAL MATCH (src:Region {code: row.props.source_region_code})
FOREACH (_ IN CASE WHEN c IS NULL THEN [] ELSE [1] END | MERGE (n)-[:BY]->(c))
FOREACH (_ IN CASE WHEN l IS NULL THEN [] ELSE [1] END | MERGE (n)-[:TARGETS]->(l))
FOREACH (_ IN CASE WHEN src IS NULL THEN [] ELSE [1] END | MERGE (n)-[:FROM]->(src))
RETURN count(*) AS written, sum(CASE WHEN created THEN 1 ELSE 0 END) AS inserted

// name: read
MATCH (n:Project)
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
       n.provenance AS provenance, COUNT { (n)-[:HAS_EVENT]->(:ProjectEvent) } AS events

// History events: (:Project)-[:HAS_EVENT]->(:ProjectEvent {project_id, seq, …}),
// unique by (project_id, seq).
// name: upsert_events
// params: rows
UNWIND $rows AS row
MATCH (p:Project {id: row.props.project_id})
OPTIONAL MATCH (old:ProjectEvent {project_id: row.props.project_id, seq: row.props.seq})
WITH p, row, old, old IS NULL AS created
WHERE created OR properties(old) <> row.props
MERGE (e:ProjectEvent {project_id: row.props.project_id, seq: row.props.seq})
SET e = row.props
MERGE (p)-[:HAS_EVENT]->(e)
RETURN count(*) AS written, sum(CASE WHEN created THEN 1 ELSE 0 END) AS inserted

// name: read_events
MATCH (e:ProjectEvent)
RETURN e.project_id AS project_id, e.seq AS seq, e.at AS at, e.who AS who, e.from_stage AS from_stage,
       e.to_stage AS to_stage, e.on AS on, e.note AS note, e.correction AS correction, e.provenance AS provenance
ORDER BY project_id, seq

// name: count_events
MATCH (e:ProjectEvent)
RETURN count(e) AS n
