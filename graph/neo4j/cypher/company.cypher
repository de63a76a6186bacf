// Companies, the links they operate in and the chains they lead:
// (:Company)-[:LOCATED_IN]->(:Region), (:Company)-[:OPERATES_IN {products}]->(:Link),
// (:Company)-[:LEADS]->(:Chain).

// name: upsert
// params: rows
UNWIND $rows AS row
OPTIONAL MATCH (old:Company {id: row.props.id})
WITH row, old, old IS NULL AS created
WHERE created OR properties(old) <> row.props
MERGE (n:Company {id: row.props.id})
SET n = row.props
WITH n, row, created
FOREACH (rel IN [(n)-[x:LOCATED_IN]->(:Region) | x] | DELETE rel)
WITH n, row, created
MATCH (r:Region {code: row.props.region_code})
MERGE (n)-[:LOCATED_IN]->(r)
RETURN count(*) AS written, sum(CASE WHEN created THEN 1 ELSE 0 END) AS inserted

// name: read
MATCH (n:Company)
RETURN n.id AS id, n.name AS name, n.region_code AS region_code, n.revenue_wan AS revenue_wan,
       n.employees AS employees, n.founded_on AS founded_on, n.tags AS tags, n.provenance AS provenance
ORDER BY id

// name: existing
// params: ids
UNWIND $ids AS id
MATCH (n:Company {id: id})
RETURN n.id AS id

// name: count
MATCH (n:Company)
RETURN count(n) AS n

// name: upsert_links
// params: rows
UNWIND $rows AS row
MATCH (c:Company {id: row.company_id})
MATCH (l:Link {id: row.link_id})
OPTIONAL MATCH (c)-[old:OPERATES_IN]->(l)
WITH c, l, row, old, old IS NULL AS created
WHERE created OR properties(old) <> row.props
MERGE (c)-[r:OPERATES_IN]->(l)
SET r = row.props
RETURN count(*) AS written, sum(CASE WHEN created THEN 1 ELSE 0 END) AS inserted

// name: read_links
MATCH (c:Company)-[r:OPERATES_IN]->(l:Link)
RETURN c.id AS company_id, l.id AS link_id, r.products AS products, r.provenance AS provenance
ORDER BY company_id, link_id

// name: count_links
MATCH (:Company)-[r:OPERATES_IN]->(:Link)
RETURN count(r) AS n

// name: upsert_leaders
// params: rows
UNWIND $rows AS row
MATCH (c:Company {id: row.company_id})
MATCH (ch:Chain {id: row.chain_id})
OPTIONAL MATCH (c)-[old:LEADS]->(ch)
WITH c, ch, row, old, old IS NULL AS created
WHERE created OR properties(old) <> row.props
MERGE (c)-[r:LEADS]->(ch)
SET r = row.props
RETURN count(*) AS written, sum(CASE WHEN created THEN 1 ELSE 0 END) AS inserted

// name: read_leaders
MATCH (c:Company)-[r:LEADS]->(ch:Chain)
RETURN c.id AS company_id, ch.id AS chain_id, r.provenance AS provenance
ORDER BY company_id, chain_id

// name: count_leaders
MATCH (:Company)-[r:LEADS]->(:Chain)
RETURN count(r) AS n
