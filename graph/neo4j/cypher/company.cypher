// Companies, the links they operate in and the chains they lead:
// (:Company)-[:LOCATED_IN]->(:Region), (:Company)-[:OPERATES_IN {products}]->(:Link),
// (:Company)-[:LEADS]->(:Chain).

// name: upsert
// params: rows
UNWIND $rows AS row
MATCH (ref:Region {code: row.props.region_code})
OPTIONAL MATCH (old:Company {id: row.props.id})
WITH row, ref, old, old IS NULL AS created
WITH row, ref, created, created OR any(k IN keys(row.props) WHERE NOT coalesce(old[k] = row.props[k], false)) AS changed
FOREACH (_ IN CASE WHEN changed THEN [1] ELSE [] END |
  MERGE (n:Company {id: row.props.id})
  SET n += row.props
  FOREACH (rel IN [(n)-[x:LOCATED_IN]->() | x] | DELETE rel)
  MERGE (n)-[:LOCATED_IN]->(ref))
RETURN count(*) AS matched, sum(CASE WHEN changed THEN 1 ELSE 0 END) AS written,
       sum(CASE WHEN created THEN 1 ELSE 0 END) AS inserted

// Reads are in key order straight from the key's index (IS NOT NULL lets the planner
// scan it), so the server never sorts a whole table; relationship reads then sort only
// each node's own relationships (PartialSort). The whole-table reads return rows of
// many records (lists), since each row costs the server and the driver more than its
// values do.
// Companies in rows of up to 1,000, each [id, name, region_code, revenue_wan,
// employees, founded_on, tags, provenance].
// name: read
MATCH (n:Company)
WHERE n.id IS NOT NULL
WITH collect(n) AS cs
UNWIND range(0, size(cs) - 1, 1000) AS i
RETURN [n IN cs[i..i + 1000] | [n.id, n.name, n.region_code, n.revenue_wan, n.employees, n.founded_on, n.tags,
        n.provenance]] AS companies
ORDER BY i

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
MATCH (a:Company {id: row.company_id})
MATCH (b:Link {id: row.link_id})
OPTIONAL MATCH (a)-[old:OPERATES_IN]->(b)
WITH a, b, row, old, old IS NULL AS created
WITH a, b, row, created, created OR any(k IN keys(row.props) WHERE NOT coalesce(old[k] = row.props[k], false)) AS changed
FOREACH (_ IN CASE WHEN changed THEN [1] ELSE [] END |
  MERGE (a)-[r:OPERATES_IN]->(b)
  SET r += row.props)
RETURN count(*) AS matched, sum(CASE WHEN changed THEN 1 ELSE 0 END) AS written,
       sum(CASE WHEN created THEN 1 ELSE 0 END) AS inserted

// One row per company: company_id and its operations [link_id, products, provenance]
// sorted by link.
// name: read_links
MATCH (c:Company)
WHERE c.id IS NOT NULL
MATCH (c)-[r:OPERATES_IN]->(l:Link)
WITH c, l, r ORDER BY c.id, l.id
RETURN c.id AS company_id, collect([l.id, r.products, r.provenance]) AS links
ORDER BY company_id

// name: count_links
MATCH (:Company)-[r:OPERATES_IN]->(:Link)
RETURN count(r) AS n

// name: upsert_leaders
// params: rows
UNWIND $rows AS row
MATCH (a:Company {id: row.company_id})
MATCH (b:Chain {id: row.chain_id})
OPTIONAL MATCH (a)-[old:LEADS]->(b)
WITH a, b, row, old, old IS NULL AS created
WITH a, b, row, created, created OR any(k IN keys(row.props) WHERE NOT coalesce(old[k] = row.props[k], false)) AS changed
FOREACH (_ IN CASE WHEN changed THEN [1] ELSE [] END |
  MERGE (a)-[r:LEADS]->(b)
  SET r += row.props)
RETURN count(*) AS matched, sum(CASE WHEN changed THEN 1 ELSE 0 END) AS written,
       sum(CASE WHEN created THEN 1 ELSE 0 END) AS inserted

// name: read_leaders
MATCH (c:Company)
WHERE c.id IS NOT NULL
MATCH (c)-[r:LEADS]->(ch:Chain)
RETURN c.id AS company_id, ch.id AS chain_id, r.provenance AS provenance
ORDER BY company_id, chain_id

// name: count_leaders
MATCH (:Company)-[r:LEADS]->(:Chain)
RETURN count(r) AS n
