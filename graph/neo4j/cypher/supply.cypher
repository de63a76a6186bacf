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

// Reads of the whole table (the snapshot build's largest) return one row per supplier,
// supplier_id and its ties as lists [customer_id, link_id, product, amount_wan,
// evidence, confidence, since, until, provenance] sorted by customer and link: a tenth
// of the rows, and each row costs the server and the driver more than its values do.
// Suppliers come from the Company.id index in key order, each one's ties sorted apart
// (PartialSort), so the server never sorts the whole table.
// name: read
MATCH (s:Company)
WHERE s.id IS NOT NULL
MATCH (s)-[r:SUPPLIES]->(c:Company)
WITH s, c, r ORDER BY s.id, c.id, r.link_id
RETURN s.id AS supplier_id, collect([c.id, r.link_id, r.product, r.amount_wan, r.evidence, r.confidence, r.since, r.until, r.provenance]) AS ties
ORDER BY supplier_id

// The ties of suppliers with ids in [$from, $to), and from $from on: ranges read in
// parallel by the snapshot build. Rows as in read.
// name: read_between
// params: from, to
MATCH (s:Company)
WHERE s.id >= $from AND s.id < $to
MATCH (s)-[r:SUPPLIES]->(c:Company)
WITH s, c, r ORDER BY s.id, c.id, r.link_id
RETURN s.id AS supplier_id, collect([c.id, r.link_id, r.product, r.amount_wan, r.evidence, r.confidence, r.since, r.until, r.provenance]) AS ties
ORDER BY supplier_id

// name: read_from
// params: from
MATCH (s:Company)
WHERE s.id >= $from
MATCH (s)-[r:SUPPLIES]->(c:Company)
WITH s, c, r ORDER BY s.id, c.id, r.link_id
RETURN s.id AS supplier_id, collect([c.id, r.link_id, r.product, r.amount_wan, r.evidence, r.confidence, r.since, r.until, r.provenance]) AS ties
ORDER BY supplier_id

// name: count
MATCH (:Company)-[r:SUPPLIES]->(:Company)
RETURN count(r) AS n
