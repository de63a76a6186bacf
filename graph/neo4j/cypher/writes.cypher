// What a server needs to know about the other writers of its database, and the audit
// entries kept in the transactions of the writes they record. Both live on or beside
// the import lock (cypher/staging.cypher), which every import's writing transaction
// holds, so the counts and the audit sequence move in commit order.

// Counts, inside an import that changed data, one more write in all (l.writes) and
// one more by this writer; forgets writers idle since $before (each reader reads only
// the total and its own count, so removing another's changes nothing for anyone).
// name: count
// params: writer, at, before
MERGE (l:ChainmapLock {name: 'import'})
SET l.writes = coalesce(l.writes, 0) + 1
MERGE (w:ChainmapWriter {id: $writer})
SET w.n = coalesce(w.n, 0) + 1, w.at = $at
WITH l
OPTIONAL MATCH (old:ChainmapWriter)
WHERE old.id <> $writer AND old.at < $before
WITH l, collect(old) AS idle
FOREACH (o IN idle | DELETE o)
RETURN l.writes AS n

// The writes committed by every writer but this one: the total less this writer's.
// name: external
// params: writer
OPTIONAL MATCH (l:ChainmapLock {name: 'import'})
OPTIONAL MATCH (w:ChainmapWriter {id: $writer})
RETURN coalesce(l.writes, 0) - coalesce(w.n, 0) AS n

// Keeps an import's audit entry in the import's transaction, numbered in commit order.
// name: keep_audit
// params: ref, entry
MERGE (l:ChainmapLock {name: 'import'})
SET l.audit_seq = coalesce(l.audit_seq, 0) + 1
CREATE (a:ChainmapAudit {ref: $ref, entry: $entry, seq: l.audit_seq})
RETURN count(a) AS n

// The audit entries of committed writes not yet delivered, in commit order.
// name: pending_audit
MATCH (a:ChainmapAudit)
RETURN a.ref AS ref, a.entry AS entry
ORDER BY a.seq

// Forgets delivered audit entries.
// name: ack_audit
// params: refs
UNWIND $refs AS ref
MATCH (a:ChainmapAudit {ref: ref})
DELETE a
RETURN count(*) AS n
