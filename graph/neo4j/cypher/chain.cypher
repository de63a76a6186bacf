// Clusters, chains, links and link feeds:
// (:Chain)-[:IN_CLUSTER]->(:Cluster), (:Link)-[:IN_CHAIN]->(:Chain),
// (:Link)-[:FEEDS]->(:Link). Reference keys are also kept as properties.
//
// Every upsert in these files has the same shape (docs/neo4j.md, "Writes"): it first
// MATCHes the records a row refers to, so `matched` counts the rows whose references
// are stored and the Go side refuses a batch where that is short of the rows sent; it
// writes only rows that differ from what is stored in one of the keys they carry
// (a key missing from the stored record counts as different); and it SETs with +=,
// so properties an analyst added to a node or relationship stay.

// name: upsert_clusters
// params: rows
UNWIND $rows AS row
OPTIONAL MATCH (old:Cluster {id: row.props.id})
WITH row, old, old IS NULL AS created
WITH row, created, created OR any(k IN keys(row.props) WHERE NOT coalesce(old[k] = row.props[k], false)) AS changed
FOREACH (_ IN CASE WHEN changed THEN [1] ELSE [] END |
  MERGE (n:Cluster {id: row.props.id})
  SET n += row.props)
RETURN count(*) AS matched, sum(CASE WHEN changed THEN 1 ELSE 0 END) AS written,
       sum(CASE WHEN created THEN 1 ELSE 0 END) AS inserted

// name: read_clusters
MATCH (n:Cluster)
RETURN n.id AS id, n.name AS name, n.name_en AS name_en, n.provenance AS provenance
ORDER BY id

// name: existing_clusters
// params: ids
UNWIND $ids AS id
MATCH (n:Cluster {id: id})
RETURN n.id AS id

// name: count_clusters
MATCH (n:Cluster)
RETURN count(n) AS n

// name: upsert_chains
// params: rows
UNWIND $rows AS row
MATCH (ref:Cluster {id: row.props.cluster_id})
OPTIONAL MATCH (old:Chain {id: row.props.id})
WITH row, ref, old, old IS NULL AS created
WITH row, ref, created, created OR any(k IN keys(row.props) WHERE NOT coalesce(old[k] = row.props[k], false)) AS changed
FOREACH (_ IN CASE WHEN changed THEN [1] ELSE [] END |
  MERGE (n:Chain {id: row.props.id})
  SET n += row.props
  FOREACH (rel IN [(n)-[x:IN_CLUSTER]->() | x] | DELETE rel)
  MERGE (n)-[:IN_CLUSTER]->(ref))
RETURN count(*) AS matched, sum(CASE WHEN changed THEN 1 ELSE 0 END) AS written,
       sum(CASE WHEN created THEN 1 ELSE 0 END) AS inserted

// name: read_chains
MATCH (n:Chain)
RETURN n.id AS id, n.name AS name, n.name_en AS name_en, n.cluster_id AS cluster_id, n.key AS key,
       n.provenance AS provenance
ORDER BY id

// name: existing_chains
// params: ids
UNWIND $ids AS id
MATCH (n:Chain {id: id})
RETURN n.id AS id

// name: count_chains
MATCH (n:Chain)
RETURN count(n) AS n

// name: upsert_links
// params: rows
UNWIND $rows AS row
MATCH (ref:Chain {id: row.props.chain_id})
OPTIONAL MATCH (old:Link {id: row.props.id})
WITH row, ref, old, old IS NULL AS created
WITH row, ref, created, created OR any(k IN keys(row.props) WHERE NOT coalesce(old[k] = row.props[k], false)) AS changed
FOREACH (_ IN CASE WHEN changed THEN [1] ELSE [] END |
  MERGE (n:Link {id: row.props.id})
  SET n += row.props
  FOREACH (rel IN [(n)-[x:IN_CHAIN]->() | x] | DELETE rel)
  MERGE (n)-[:IN_CHAIN]->(ref))
RETURN count(*) AS matched, sum(CASE WHEN changed THEN 1 ELSE 0 END) AS written,
       sum(CASE WHEN created THEN 1 ELSE 0 END) AS inserted

// name: read_links
MATCH (n:Link)
RETURN n.id AS id, n.chain_id AS chain_id, n.name AS name, n.name_en AS name_en, n.tier AS tier,
       n.role AS role, n.provenance AS provenance
ORDER BY id

// name: existing_links
// params: ids
UNWIND $ids AS id
MATCH (n:Link {id: id})
RETURN n.id AS id

// name: count_links
MATCH (n:Link)
RETURN count(n) AS n

// name: upsert_feeds
// params: rows
UNWIND $rows AS row
MATCH (a:Link {id: row.from})
MATCH (b:Link {id: row.to})
OPTIONAL MATCH (a)-[old:FEEDS]->(b)
WITH a, b, row, old, old IS NULL AS created
WITH a, b, row, created, created OR any(k IN keys(row.props) WHERE NOT coalesce(old[k] = row.props[k], false)) AS changed
FOREACH (_ IN CASE WHEN changed THEN [1] ELSE [] END |
  MERGE (a)-[r:FEEDS]->(b)
  SET r += row.props)
RETURN count(*) AS matched, sum(CASE WHEN changed THEN 1 ELSE 0 END) AS written,
       sum(CASE WHEN created THEN 1 ELSE 0 END) AS inserted

// name: read_feeds
MATCH (a:Link)-[r:FEEDS]->(b:Link)
RETURN a.id AS from_link_id, b.id AS to_link_id, r.provenance AS provenance
ORDER BY from_link_id, to_link_id

// name: count_feeds
MATCH (:Link)-[r:FEEDS]->(:Link)
RETURN count(r) AS n
