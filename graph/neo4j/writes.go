package neo4j

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/chainmap/chainmap/graph"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

var _ graph.AuditOutbox = (*Store)(nil)

// newWriterID names one open Store among the writers of a database: its process and
// a random part.
func newWriterID() string {
	var b [6]byte
	rand.Read(b[:])
	return fmt.Sprintf("%d-%s", os.Getpid(), hex.EncodeToString(b[:]))
}

// pruneWritersAfter is how long a writer's count is kept after its last write.
const pruneWritersAfter = 7 * 24 * time.Hour

// countWrite records, inside the import's transaction tx, that this Store committed a
// change: the total and this writer's count go up together.
func (s *Store) countWrite(ctx context.Context, tx runner) error {
	now := time.Now().UTC()
	_, err := single(ctx, tx, "writes.count", map[string]any{"writer": s.writer, "at": now.Format(time.RFC3339),
		"before": now.Add(-pruneWritersAfter).Format(time.RFC3339)})
	if err != nil {
		return fmt.Errorf("counting the write: %w", err)
	}
	return nil
}

// keepAudit writes an import's audit record into its transaction tx.
func keepAudit(ctx context.Context, tx runner, rec *graph.AuditRecord) error {
	if rec.Ref == "" || !json.Valid(rec.Entry) {
		return fmt.Errorf("audit record: a ref and a JSON entry are required")
	}
	if _, err := single(ctx, tx, "writes.keep_audit", map[string]any{"ref": rec.Ref, "entry": string(rec.Entry)}); err != nil {
		return fmt.Errorf("keeping the audit entry: %w", err)
	}
	return nil
}

// ExternalWrites returns a number that changes whenever a writer other than this
// Store — another process (a CLI import, a second server) or another Store on the same
// database — commits a change to the data, and never because of this Store's own
// writes: the total of committed data-changing imports less this Store's, read in one
// statement.
func (s *Store) ExternalWrites(ctx context.Context) (int64, error) {
	res, err := neo4j.ExecuteQuery(ctx, s.driver, cypher("writes.external"), map[string]any{"writer": s.writer},
		neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(s.cfg.Database), neo4j.ExecuteQueryWithReadersRouting())
	if err != nil {
		return 0, fmt.Errorf("neo4j: reading the write count: %w", err)
	}
	if len(res.Records) != 1 {
		return 0, fmt.Errorf("neo4j: reading the write count: %d rows", len(res.Records))
	}
	n, _ := res.Records[0].Values[0].(int64)
	return n, nil
}

// PendingAudit returns the audit records of committed writes not yet acknowledged,
// in commit order.
func (s *Store) PendingAudit(ctx context.Context) ([]graph.AuditRecord, error) {
	res, err := neo4j.ExecuteQuery(ctx, s.driver, cypher("writes.pending_audit"), nil,
		neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(s.cfg.Database), neo4j.ExecuteQueryWithReadersRouting())
	if err != nil {
		return nil, fmt.Errorf("neo4j: reading the audit outbox: %w", err)
	}
	out := make([]graph.AuditRecord, 0, len(res.Records))
	for _, r := range res.Records {
		ref, _ := r.Values[0].(string)
		entry, _ := r.Values[1].(string)
		out = append(out, graph.AuditRecord{Ref: ref, Entry: []byte(entry)})
	}
	return out, nil
}

// AckAudit removes the delivered records refs from the outbox. Entries are locked by
// nothing but their own deletion (imports create them and never touch them again), so
// it does not wait for writers and always reports done.
func (s *Store) AckAudit(ctx context.Context, refs []string) (bool, error) {
	if len(refs) == 0 {
		return true, nil
	}
	_, err := neo4j.ExecuteQuery(ctx, s.driver, cypher("writes.ack_audit"), map[string]any{"refs": refs},
		neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(s.cfg.Database))
	if err != nil {
		return false, fmt.Errorf("neo4j: acknowledging audit entries: %w", err)
	}
	return true, nil
}

// recordWrite is the end of every import's writing transaction: the write counted
// when it changed data, its audit entry kept.
func (s *Store) recordWrite(ctx context.Context, tx runner, written int, audit *graph.AuditRecord) error {
	if written > 0 {
		if err := s.countWrite(ctx, tx); err != nil {
			return err
		}
	}
	if audit != nil {
		return keepAudit(ctx, tx, audit)
	}
	return nil
}
