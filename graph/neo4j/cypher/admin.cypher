// Administrative statements.

// Deletes up to $limit nodes with one of chainmap's labels (staging and the import
// registry included), and their relationships: run until it deletes none, to empty a
// dedicated test database before each conformance test.
// name: wipe
// params: limit
MATCH (n)
WHERE n:Region OR n:RegionGroup OR n:Cluster OR n:Chain OR n:Link OR n:Company OR n:Project OR n:ProjectEvent
   OR n:Staged OR n:ChainmapImport OR n:ChainmapLock OR n:ChainmapWriter OR n:ChainmapAudit
WITH n LIMIT $limit
DETACH DELETE n
RETURN count(*) AS n

// Waits until every index is online; fails if one failed to populate or the time ran out.
// name: await_indexes
// params: seconds
CALL db.awaitIndexes($seconds)
