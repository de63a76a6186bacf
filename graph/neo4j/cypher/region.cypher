// Regions and region groups. A region's parent is both a property (parent_code, for
// fast reads and change detection) and a (:Region)-[:PART_OF]->(:Region) relationship
// (for analysts' queries).

// name: upsert
// params: rows
UNWIND $rows AS row
OPTIONAL MATCH (old:Region {code: row.props.code})
WITH row, old, old IS NULL AS created
WITH row, created, created OR any(k IN keys(row.props) WHERE NOT coalesce(old[k] = row.props[k], false)) AS changed
FOREACH (_ IN CASE WHEN changed THEN [1] ELSE [] END |
  MERGE (n:Region {code: row.props.code})
  SET n += row.props)
RETURN count(*) AS matched, sum(CASE WHEN changed THEN 1 ELSE 0 END) AS written,
       sum(CASE WHEN created THEN 1 ELSE 0 END) AS inserted

// Parents are linked after all regions exist, since a parent may come later in the
// same import; only regions whose parent differs are touched.
// name: link_parents
// params: rows
UNWIND $rows AS row
MATCH (n:Region {code: row.props.code})
OPTIONAL MATCH (p:Region {code: row.props.parent_code})
WITH n, row, p
WHERE row.props.parent_code = '' OR p IS NOT NULL
FOREACH (rel IN [(n)-[x:PART_OF]->(cur:Region) WHERE p IS NULL OR cur <> p | x] | DELETE rel)
FOREACH (_ IN CASE WHEN p IS NULL THEN [] ELSE [1] END | MERGE (n)-[:PART_OF]->(p))
RETURN count(*) AS matched

// name: read
MATCH (n:Region)
WHERE n.code IS NOT NULL
RETURN n.code AS code, n.name AS name, n.parent_code AS parent_code, n.kind AS kind, n.provenance AS provenance
ORDER BY code

// name: existing
// params: ids
UNWIND $ids AS id
MATCH (n:Region {code: id})
RETURN n.code AS id

// name: count
MATCH (n:Region)
RETURN count(n) AS n

// name: upsert_groups
// params: rows
UNWIND $rows AS row
MATCH (r:Region {code: row.region_code})
OPTIONAL MATCH (r)-[old:IN_GROUP]->(og:RegionGroup {code: row.group_code})
WITH r, row, old, og, old IS NULL AS created
WITH r, row, created,
     created OR NOT coalesce(old.provenance = row.provenance AND og.name = row.group_name, false) AS changed
FOREACH (_ IN CASE WHEN changed THEN [1] ELSE [] END |
  MERGE (g:RegionGroup {code: row.group_code})
  SET g.name = row.group_name
  MERGE (r)-[m:IN_GROUP]->(g)
  SET m.provenance = row.provenance)
RETURN count(*) AS matched, sum(CASE WHEN changed THEN 1 ELSE 0 END) AS written,
       sum(CASE WHEN created THEN 1 ELSE 0 END) AS inserted

// name: read_groups
MATCH (r:Region)-[m:IN_GROUP]->(g:RegionGroup)
RETURN g.code AS group_code, r.code AS region_code, g.name AS group_name, m.provenance AS provenance
ORDER BY group_code, region_code

// name: count_groups
MATCH (:Region)-[m:IN_GROUP]->(:RegionGroup)
RETURN count(m) AS n
