package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/chainmap/chainmap/graph"
)

var _ graph.AuditOutbox = (*Store)(nil)

// keepAudit writes an import's audit record into its transaction tx.
func keepAudit(ctx context.Context, tx *sql.Tx, rec *graph.AuditRecord) error {
	if rec.Ref == "" || !json.Valid(rec.Entry) {
		return fmt.Errorf("audit record: a ref and a JSON entry are required")
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_outbox (ref, entry) VALUES (?, ?)`, rec.Ref, string(rec.Entry)); err != nil {
		return fmt.Errorf("keeping the audit entry: %w", describe(err))
	}
	return nil
}

// PendingAudit returns the audit records of committed writes not yet acknowledged,
// in commit order.
func (s *Store) PendingAudit(ctx context.Context) ([]graph.AuditRecord, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT ref, entry FROM audit_outbox ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("reading the audit outbox: %w", err)
	}
	defer rows.Close()
	var out []graph.AuditRecord
	for rows.Next() {
		var r graph.AuditRecord
		var entry string
		if err := rows.Scan(&r.Ref, &entry); err != nil {
			return nil, fmt.Errorf("reading the audit outbox: %w", err)
		}
		r.Entry = []byte(entry)
		out = append(out, r)
	}
	return out, rows.Err()
}

// AckAudit removes the delivered records refs from the outbox. It does not queue
// behind writers: on a connection that does not wait for the lock it tries once, and
// when another writer holds the store it leaves the records and returns false.
func (s *Store) AckAudit(ctx context.Context, refs []string) (bool, error) {
	if len(refs) == 0 {
		return true, nil
	}
	arr, err := json.Marshal(refs)
	if err != nil {
		return false, err
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return false, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "PRAGMA busy_timeout = 0"); err != nil {
		return false, err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), fmt.Sprintf("PRAGMA busy_timeout = %d", busyTimeoutMS))
	_, err = conn.ExecContext(ctx, `DELETE FROM audit_outbox WHERE ref IN (SELECT value FROM json_each(?))`, string(arr))
	if isBusy(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("acknowledging audit entries: %w", err)
	}
	return true, nil
}
