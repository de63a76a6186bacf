// Supply ties: (:Company)-[:SUPPLIES {link_id, product, amount_wan, evidence,
// confidence, since, until, provenance}]->(:Company), one relationship per
// (supplier, customer, link_id); link_id is '' when the link is unknown.

// name: upsert
// params: rows
UNWIND $rows AS row
MATCH (a:Company {id: row.supplier_id})
MATCH (b:Company {id: row.customer_id})
OPTIONAL MATCH (a)-[old:SUPPLIES {link_id: row.props.link_id}]->(b)
WITH a, b, row, old, old IS NULL AS created
WITH a, b, row, created, created OR any(k IN keys(row.props) WHERE NOT coalesce(old[k] = row.props[k], false)) AS changed
FOREACH (_ IN CASE WHEN changed THEN [1] ELSE [] END |
  MERGE (a)-[r:SUPPLIES {link_id: row.props.link_id}]->(b)
  SET r += row.props)
RETURN count(*) AS matched, sum(CASE WHEN changed THEN 1 ELSE 0 END) AS written,
       sum(CASE WHEN created THEN 1 ELSE 0 END) AS inserted

// name: read
MATCH (s:Company)-[r:SUPPLIES]->(c:Company)
RETURN s.id AS supplier_id, c.id AS customer_id, r.link_id AS link_id, r.product AS product,
       r.amount_wan AS amount_wan, r.evidence AS evidence, r.confidence AS confidence,
       r.since AS since, r.until AS until, r.provenance AS provenance
ORDER BY supplier_id, customer_id, link_id

// name: count
MATCH (:Company)-[r:SUPPLIES]->(:Company)
RETURN count(r) AS n
