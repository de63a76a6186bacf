// Staged imports (docs/neo4j.md, "Imports above one transaction"). The records an
// import adds are written in many batched transactions as nodes with staging labels
// (:Staged plus :StagedRegion, :StagedCluster, :StagedChain, :StagedLink or
// :StagedCompany, each carrying the import's id in _import), which no chainmap
// statement and no pattern naming a label matches; the relationships of those nodes
// are written with them. One final transaction swaps the labels and writes, with the
// ordinary upsert statements, everything that touches records already stored. Until
// then an import is visible only through its staging labels, and a failed or killed
// import is removed by deleting its :Staged nodes.
//
// Imports are serialised by a write lock on the one :ChainmapLock node; a staged import
// is registered as a :ChainmapImport node whose heartbeat (beat, the server's clock in
// ms) says it is alive.

// Taken first by every import's writing transaction: concurrent imports queue here.
// name: lock
MERGE (l:ChainmapLock {name: 'import'})
SET l.at = timestamp()
RETURN count(l) AS n

// The staged imports registered, and whether each is alive: not given up and with a
// heartbeat at most $stale_ms old.
// name: imports
// params: stale_ms
MATCH (i:ChainmapImport)
RETURN i.id AS id, i.started AS started, i.dead IS NULL AND timestamp() - i.beat <= $stale_ms AS alive

// name: register
// params: import, started
CREATE (i:ChainmapImport {id: $import, started: $started, beat: timestamp()})

// The import's heartbeat, and the check that it is still registered and not given up:
// taken at the start of each of its transactions, so that one giving it up (claim)
// waits for the transaction in flight and sees everything it staged.
// name: beat
// params: import
MATCH (i:ChainmapImport {id: $import})
WHERE i.dead IS NULL
SET i.beat = timestamp()
RETURN count(i) AS n

// Gives up an import whose heartbeat is older than $stale_ms (any, if negative), so
// that its staged records can be deleted: its own next beat then fails.
// name: claim
// params: import, stale_ms
MATCH (i:ChainmapImport {id: $import})
WHERE i.dead OR timestamp() - i.beat > $stale_ms
SET i.dead = true
RETURN count(i) AS n

// name: unregister
// params: import
MATCH (i:ChainmapImport {id: $import})
DELETE i

// Deletes up to $limit staged nodes of an import, with their relationships.
// name: drop
// params: import, limit
MATCH (n:Staged {_import: $import})
WITH n LIMIT $limit
DETACH DELETE n
RETURN count(*) AS n

// name: count
// params: import
MATCH (n:Staged {_import: $import})
RETURN count(n) AS n

// ---- staging: records whose key is not stored, with their relationships. A reference
// resolves to the stored record if there is one, else to the one this import stages.
// The large tables' statements name each property (codec.go's rows carry them all):
// setting a map would make the planner buffer the batch (Eager) against the reads of
// _import. ----

// name: regions
// params: rows, import
UNWIND $rows AS row
CREATE (n:Staged:StagedRegion {_import: $import})
SET n += row.props
RETURN count(*) AS matched, count(*) AS written, count(*) AS inserted

// Parents are linked once all of the import's new regions are staged.
// name: region_parents
// params: rows, import
UNWIND $rows AS row
MATCH (n:StagedRegion {code: row.props.code})
WHERE n._import = $import
OPTIONAL MATCH (p1:Region {code: row.props.parent_code})
OPTIONAL MATCH (p2:StagedRegion {code: row.props.parent_code})
WHERE p2._import = $import
WITH n, row, coalesce(p1, p2) AS p
WHERE row.props.parent_code = '' OR p IS NOT NULL
FOREACH (x IN CASE WHEN p IS NULL THEN [] ELSE [p] END | CREATE (n)-[:PART_OF]->(x))
RETURN count(*) AS matched

// name: clusters
// params: rows, import
UNWIND $rows AS row
CREATE (n:Staged:StagedCluster {_import: $import})
SET n += row.props
RETURN count(*) AS matched, count(*) AS written, count(*) AS inserted

// name: chains
// params: rows, import
UNWIND $rows AS row
OPTIONAL MATCH (r1:Cluster {id: row.props.cluster_id})
OPTIONAL MATCH (r2:StagedCluster {id: row.props.cluster_id})
WHERE r2._import = $import
WITH row, coalesce(r1, r2) AS ref
WHERE ref IS NOT NULL
CREATE (n:Staged:StagedChain {_import: $import})
SET n += row.props
CREATE (n)-[:IN_CLUSTER]->(ref)
RETURN count(*) AS matched, count(*) AS written, count(*) AS inserted

// name: links
// params: rows, import
UNWIND $rows AS row
OPTIONAL MATCH (r1:Chain {id: row.props.chain_id})
OPTIONAL MATCH (r2:StagedChain {id: row.props.chain_id})
WHERE r2._import = $import
WITH row, coalesce(r1, r2) AS ref
WHERE ref IS NOT NULL
CREATE (n:Staged:StagedLink {_import: $import})
SET n += row.props
CREATE (n)-[:IN_CHAIN]->(ref)
RETURN count(*) AS matched, count(*) AS written, count(*) AS inserted

// name: companies
// params: rows, import
UNWIND $rows AS row
OPTIONAL MATCH (r1:Region {code: row.props.region_code})
OPTIONAL MATCH (r2:StagedRegion {code: row.props.region_code})
WHERE r2._import = $import
WITH row, coalesce(r1, r2) AS ref
WHERE ref IS NOT NULL
CREATE (n:Staged:StagedCompany {_import: $import, id: row.props.id, name: row.props.name,
  region_code: row.props.region_code, revenue_wan: row.props.revenue_wan, employees: row.props.employees,
  founded_on: row.props.founded_on, tags: row.props.tags, provenance: row.props.provenance})
CREATE (n)-[:LOCATED_IN]->(ref)
RETURN count(*) AS matched, count(*) AS written, count(*) AS inserted

// Operations of which the company or the link is new (so is the relationship).
// name: company_links
// params: rows, import
UNWIND $rows AS row
OPTIONAL MATCH (a1:Company {id: row.company_id})
OPTIONAL MATCH (a2:StagedCompany {id: row.company_id})
WHERE a2._import = $import
OPTIONAL MATCH (b1:Link {id: row.link_id})
OPTIONAL MATCH (b2:StagedLink {id: row.link_id})
WHERE b2._import = $import
WITH row, coalesce(a1, a2) AS a, coalesce(b1, b2) AS b
WHERE a IS NOT NULL AND b IS NOT NULL
CREATE (a)-[:OPERATES_IN {products: row.props.products, provenance: row.props.provenance}]->(b)
RETURN count(*) AS matched, count(*) AS written, count(*) AS inserted

// Supply ties of which the supplier or the customer is new.
// name: supplies
// params: rows, import
UNWIND $rows AS row
OPTIONAL MATCH (a1:Company {id: row.supplier_id})
OPTIONAL MATCH (a2:StagedCompany {id: row.supplier_id})
WHERE a2._import = $import
OPTIONAL MATCH (b1:Company {id: row.customer_id})
OPTIONAL MATCH (b2:StagedCompany {id: row.customer_id})
WHERE b2._import = $import
WITH row, coalesce(a1, a2) AS a, coalesce(b1, b2) AS b
WHERE a IS NOT NULL AND b IS NOT NULL
CREATE (a)-[:SUPPLIES {link_id: row.props.link_id, product: row.props.product, amount_wan: row.props.amount_wan,
  evidence: row.props.evidence, confidence: row.props.confidence, since: row.props.since, until: row.props.until,
  provenance: row.props.provenance}]->(b)
RETURN count(*) AS matched, count(*) AS written, count(*) AS inserted

// ---- publishing: in the final transaction, up to $limit nodes at a time ----

// name: publish_regions
// params: import, limit
MATCH (n:StagedRegion)
WHERE n._import = $import
WITH n LIMIT $limit
SET n:Region
REMOVE n:StagedRegion:Staged, n._import
RETURN count(*) AS n

// name: publish_clusters
// params: import, limit
MATCH (n:StagedCluster)
WHERE n._import = $import
WITH n LIMIT $limit
SET n:Cluster
REMOVE n:StagedCluster:Staged, n._import
RETURN count(*) AS n

// name: publish_chains
// params: import, limit
MATCH (n:StagedChain)
WHERE n._import = $import
WITH n LIMIT $limit
SET n:Chain
REMOVE n:StagedChain:Staged, n._import
RETURN count(*) AS n

// name: publish_links
// params: import, limit
MATCH (n:StagedLink)
WHERE n._import = $import
WITH n LIMIT $limit
SET n:Link
REMOVE n:StagedLink:Staged, n._import
RETURN count(*) AS n

// name: publish_companies
// params: import, limit
MATCH (n:StagedCompany)
WHERE n._import = $import
WITH n LIMIT $limit
SET n:Company
REMOVE n:StagedCompany:Staged, n._import
RETURN count(*) AS n
