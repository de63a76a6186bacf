package graph

import "context"

// AuditRecord is the audit entry of one write, handed to the store with the write
// (ImportOptions.Audit) so that the store keeps it in the write's own transaction:
// a crash can then lose both or neither, never the entry alone. Who writes the
// audit log decides the entry's form; the store keeps Entry verbatim.
type AuditRecord struct {
	// Ref identifies the entry across databases: the audit log keeps it, so that
	// delivering an entry twice records it once.
	Ref   string
	Entry []byte // the entry, as JSON
}

// AuditOutbox is implemented by stores that keep the AuditRecords of committed
// writes until they are delivered to the audit log: whoever keeps the log reads
// PendingAudit after a restart (and at any time), records each entry once by its
// Ref, then acknowledges them.
type AuditOutbox interface {
	// PendingAudit returns the records of committed writes not yet acknowledged,
	// in commit order.
	PendingAudit(ctx context.Context) ([]AuditRecord, error)
	// AckAudit forgets the delivered records refs. It never waits for writers: when
	// the store is busy it leaves them, and returns false, for a later call.
	AckAudit(ctx context.Context, refs []string) (bool, error)
}
