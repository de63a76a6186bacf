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

// Staged imports (cypher/staging.cypher): the registry, the import lock, and the
// lookups of staged records by import and by key.

// name: chainmap_import_id
CREATE CONSTRAINT chainmap_import_id IF NOT EXISTS FOR (n:ChainmapImport) REQUIRE n.id IS UNIQUE

// name: chainmap_lock_name
CREATE CONSTRAINT chainmap_lock_name IF NOT EXISTS FOR (n:ChainmapLock) REQUIRE n.name IS UNIQUE

// Other writers' counts and the audit outbox (cypher/writes.cypher).

// name: chainmap_writer_id
CREATE CONSTRAINT chainmap_writer_id IF NOT EXISTS FOR (n:ChainmapWriter) REQUIRE n.id IS UNIQUE

// name: chainmap_audit_ref
CREATE CONSTRAINT chainmap_audit_ref IF NOT EXISTS FOR (n:ChainmapAudit) REQUIRE n.ref IS UNIQUE

// name: staged_import
CREATE INDEX staged_import IF NOT EXISTS FOR (n:Staged) ON (n._import)

// name: staged_region_code
CREATE INDEX staged_region_code IF NOT EXISTS FOR (n:StagedRegion) ON (n.code)

// name: staged_cluster_id
CREATE INDEX staged_cluster_id IF NOT EXISTS FOR (n:StagedCluster) ON (n.id)

// name: staged_chain_id
CREATE INDEX staged_chain_id IF NOT EXISTS FOR (n:StagedChain) ON (n.id)

// name: staged_link_id
CREATE INDEX staged_link_id IF NOT EXISTS FOR (n:StagedLink) ON (n.id)

// name: staged_company_id
CREATE INDEX staged_company_id IF NOT EXISTS FOR (n:StagedCompany) ON (n.id)
