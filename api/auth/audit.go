package auth

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/chainmap/chainmap/graph"
)

// AuditEntry is one line of the audit log. Before and After are JSON documents (or
// empty) describing the target before and after the action; callers must leave
// secrets out of them.
type AuditEntry struct {
	ID     int64     `json:"id"` // assigned by Audit
	At     time.Time `json:"at"` // set to now by Audit when zero
	User   string    `json:"user"`
	Role   Role      `json:"role,omitempty"`
	IP     string    `json:"ip,omitempty"`
	Method string    `json:"method,omitempty"`
	Path   string    `json:"path,omitempty"`
	Action string    `json:"action"` // e.g. "login", "user.add", "project.update"
	Target string    `json:"target,omitempty"`
	Before string    `json:"before,omitempty"`
	After  string    `json:"after,omitempty"`
	Status int       `json:"status,omitempty"`
	// Ref identifies the write the entry records when the write kept its entry in
	// the graph store's outbox; the log records one entry per Ref.
	Ref string `json:"ref,omitempty"`
}

// AuditFilter selects audit entries; zero fields select everything.
type AuditFilter struct {
	User     string
	Action   string // exact, or a prefix ending in '.' or '*' ("user." or "user*")
	Target   string
	Since    time.Time // inclusive
	Until    time.Time // exclusive
	BeforeID int64     // only entries with smaller ids: the next page after the last id seen
	Limit    int       // default 100, at most 1000
}

const (
	defaultAuditLimit = 100
	maxAuditLimit     = 1000
)

// Audit appends e to the audit log; an entry whose Ref is already recorded is
// skipped (delivering an outbox entry twice records it once).
func (s *Store) Audit(ctx context.Context, e AuditEntry) error {
	if strings.TrimSpace(e.Action) == "" {
		return graph.Errorf(graph.EINVALID, "审计记录缺少操作 / an audit entry needs an action")
	}
	for _, doc := range []string{e.Before, e.After} {
		if doc != "" && !json.Valid([]byte(doc)) {
			return graph.Errorf(graph.EINVALID, "审计记录的 before/after 须为 JSON / an audit entry's before and after must be JSON")
		}
	}
	at := e.At
	if at.IsZero() {
		at = s.now()
	}
	// ON CONFLICT DO NOTHING names no target: it applies to the partial unique
	// index on ref, which empty refs never meet.
	_, err := s.db.ExecContext(ctx, `INSERT INTO audit_log (at, user, role, ip, method, path, action, target, before, after, status, ref)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		at.UnixMilli(), e.User, string(e.Role), e.IP, e.Method, e.Path, e.Action, e.Target, e.Before, e.After, e.Status, e.Ref)
	if err != nil {
		return fmt.Errorf("writing the audit log: %w", err)
	}
	return nil
}

// AuditLog returns the entries f selects, most recently appended first.
func (s *Store) AuditLog(ctx context.Context, f AuditFilter) ([]AuditEntry, error) {
	var where []string
	var args []any
	add := func(cond string, arg any) {
		where = append(where, cond)
		args = append(args, arg)
	}
	if f.User != "" {
		add("user = ?", f.User)
	}
	switch {
	case f.Action == "":
	case strings.HasSuffix(f.Action, "*"):
		add("instr(action, ?) = 1", strings.TrimSuffix(f.Action, "*"))
	case strings.HasSuffix(f.Action, "."):
		add("instr(action, ?) = 1", f.Action)
	default:
		add("action = ?", f.Action)
	}
	if f.Target != "" {
		add("target = ?", f.Target)
	}
	if !f.Since.IsZero() {
		add("at >= ?", f.Since.UnixMilli())
	}
	if !f.Until.IsZero() {
		add("at < ?", f.Until.UnixMilli())
	}
	if f.BeforeID > 0 {
		add("id < ?", f.BeforeID)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = defaultAuditLimit
	}
	limit = min(limit, maxAuditLimit)
	q := "SELECT id, at, user, role, ip, method, path, action, target, before, after, status, ref FROM audit_log"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY id DESC LIMIT ?"
	args = append(args, limit)
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("reading the audit log: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var at int64
		if err := rows.Scan(&e.ID, &at, &e.User, &e.Role, &e.IP, &e.Method, &e.Path, &e.Action, &e.Target, &e.Before, &e.After, &e.Status, &e.Ref); err != nil {
			return nil, fmt.Errorf("reading the audit log: %w", err)
		}
		e.At = fromMS(at)
		out = append(out, e)
	}
	return out, rows.Err()
}
