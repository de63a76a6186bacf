// A region's neighbourhood, for a per-region snapshot (docs/scaling.md, step 3): the
// firms located in the region or below it ("local"), the firms at the other end of
// their supply ties, and those ties, and the projects landing in the region with the
// firms investing in them. Locality is the company's region_code being one
// of $codes, the codes of the region and every region below it.

// name: codes
// params: region
MATCH (:Region {code: $region})<-[:PART_OF*0..]-(r:Region)
RETURN r.code AS code

// name: local
// params: codes
MATCH (c:Company)
WHERE c.region_code IN $codes
RETURN c.id AS id

// The firms outside the region tied to the local firms $ids, in either direction.
// name: counterparts
// params: ids, codes
UNWIND $ids AS id
MATCH (:Company {id: id})-[:SUPPLIES]-(o:Company)
WHERE NOT o.region_code IN $codes
RETURN DISTINCT o.id AS id

// The firms investing in projects that land in the region: a started project is local
// presence of its firm.
// name: investors
// params: codes
MATCH (p:Project)
WHERE p.region_code IN $codes AND p.company_id <> ''
RETURN DISTINCT p.company_id AS id

// The companies $ids, in one row of lists as company.read's.
// name: companies
// params: ids
UNWIND $ids AS id
MATCH (n:Company {id: id})
WITH n ORDER BY n.id
RETURN collect([n.id, n.name, n.region_code, n.revenue_wan, n.employees, n.founded_on, n.tags, n.provenance]) AS companies

// Rows as company.read_links'.
// name: company_links
// params: ids
UNWIND $ids AS id
MATCH (c:Company {id: id})-[r:OPERATES_IN]->(l:Link)
WITH c, l, r ORDER BY c.id, l.id
RETURN c.id AS company_id, collect([l.id, r.products, r.provenance]) AS links
ORDER BY company_id

// name: leaders
// params: ids
UNWIND $ids AS id
MATCH (c:Company {id: id})-[r:LEADS]->(ch:Chain)
RETURN c.id AS company_id, ch.id AS chain_id, r.provenance AS provenance
ORDER BY company_id, chain_id

// The ties supplied by the firms $ids that have a local end, in rows as supply.read's.
// name: supplies
// params: ids, codes
UNWIND $ids AS id
MATCH (s:Company {id: id})-[r:SUPPLIES]->(c:Company)
WHERE s.region_code IN $codes OR c.region_code IN $codes
WITH s, c, r ORDER BY s.id, c.id, r.link_id
RETURN s.id AS supplier_id, collect([c.id, r.link_id, r.product, r.amount_wan, r.evidence, r.confidence, r.since,
       r.until, r.provenance]) AS ties
ORDER BY supplier_id

// The projects landing in the region.
// name: projects
// params: codes
MATCH (n:Project)
WHERE n.region_code IN $codes
RETURN n.id AS id, n.name AS name, n.company_id AS company_id, n.link_id AS link_id,
       n.region_code AS region_code, n.investment_wan AS investment_wan, n.foreign AS foreign,
       n.source_region_code AS source_region_code, n.stage AS stage, n.signed_on AS signed_on,
       n.started_on AS started_on, n.producing_on AS producing_on, n.at_capacity_on AS at_capacity_on,
       n.planned_start_on AS planned_start_on, n.planned_producing_on AS planned_producing_on,
       n.provenance AS provenance
ORDER BY id

// name: events
// params: codes
MATCH (p:Project)-[:HAS_EVENT]->(e:ProjectEvent)
WHERE p.region_code IN $codes
RETURN e.project_id AS project_id, e.seq AS seq, e.at AS at, e.who AS who, e.from_stage AS from_stage,
       e.to_stage AS to_stage, e.on AS on, e.note AS note, e.correction AS correction, e.provenance AS provenance
ORDER BY project_id, seq
