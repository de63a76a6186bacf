// Uniqueness constraints (each also creates the index MERGE and lookups use) and
// the index reads need; all idempotent, run by `chainmap db migrate` and at start.

// name: region_code
CREATE CONSTRAINT region_code IF NOT EXISTS FOR (n:Region) REQUIRE n.code IS UNIQUE

// name: region_group_code
CREATE CONSTRAINT region_group_code IF NOT EXISTS FOR (n:RegionGroup) REQUIRE n.code IS UNIQUE

// name: cluster_id
CREATE CONSTRAINT cluster_id IF NOT EXISTS FOR (n:Cluster) REQUIRE n.id IS UNIQUE

// name: chain_id
CREATE CONSTRAINT chain_id IF NOT EXISTS FOR (n:Chain) REQUIRE n.id IS UNIQUE

// name: link_id
CREATE CONSTRAINT link_id IF NOT EXISTS FOR (n:Link) REQUIRE n.id IS UNIQUE

// name: company_id
CREATE CONSTRAINT company_id IF NOT EXISTS FOR (n:Company) REQUIRE n.id IS UNIQUE

// name: project_id
CREATE CONSTRAINT project_id IF NOT EXISTS FOR (n:Project) REQUIRE n.id IS UNIQUE

// name: company_region
CREATE INDEX company_region IF NOT EXISTS FOR (n:Company) ON (n.region_code)

// name: supplies_link
CREATE INDEX supplies_link IF NOT EXISTS FOR ()-[r:SUPPLIES]-() ON (r.link_id)

// name: project_event_key
CREATE CONSTRAINT project_event_key IF NOT EXISTS FOR (n:ProjectEvent) REQUIRE (n.project_id, n.seq) IS UNIQUE
