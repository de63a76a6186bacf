// Package auth is chainmap's authentication and authorisation: users with roles,
// API access tokens, browser sessions with CSRF protection, sign-in throttling and
// an audit log, all in one SQLite file of their own (by default chainmap-auth.db
// next to the graph store), whatever graph store the server uses.
//
// Secrets are never stored or logged in usable form: passwords are argon2id hashes,
// access tokens and session ids are stored as SHA-256 hashes of 256-bit random
// values, and errors never quote them.
//
// Sessions end after [DefaultPolicy].SessionIdle (12 h) without a request or
// [DefaultPolicy].SessionMax (7 days) after sign-in, whichever comes first. After
// [DefaultPolicy].MaxFailures (5) failed sign-ins for one user name or from one
// client IP within FailureWindow (15 min), further attempts for that name or IP are
// refused for LockoutDuration (15 min), whether or not the user exists.
package auth

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"sync"
	"time"

	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/graph/sqlite"
)

// Error codes this package adds to graph's (EINVALID, ENOTFOUND, ECONFLICT,
// EINTERNAL). They are the codes the API layer already maps to statuses.
const (
	EUNAUTHORIZED = "unauthorized"      // 401: no valid credentials
	EFORBIDDEN    = "forbidden"         // 403: authenticated, but not allowed
	ETOOMANY      = "too_many_requests" // 429: sign-in locked out for a while
	EBADREQUEST   = "bad_request"       // 400: malformed request
)

// Role is what a user may do. Each role includes the ones below it.
type Role string

const (
	Viewer Role = "viewer" // read data and run analyses
	Editor Role = "editor" // also write data and projects
	Admin  Role = "admin"  // also manage users, tokens and read the audit log
)

var roleRank = map[Role]int{Viewer: 1, Editor: 2, Admin: 3}

// Valid reports whether r is one of the three roles.
func (r Role) Valid() bool { return roleRank[r] > 0 }

// Allows reports whether r includes need: admin ⊇ editor ⊇ viewer. An invalid
// role allows nothing and nothing needs an invalid role.
func (r Role) Allows(need Role) bool {
	return r.Valid() && need.Valid() && roleRank[r] >= roleRank[need]
}

// ParseRole returns the role named s or an EINVALID error.
func ParseRole(s string) (Role, error) {
	if r := Role(s); r.Valid() {
		return r, nil
	}
	return "", graph.Errorf(graph.EINVALID, "角色 %q 无效，应为 viewer、editor 或 admin / role %q is invalid; want viewer, editor or admin", s, s)
}

// Principal is who is making a request.
type Principal struct {
	User string `json:"user"` // empty for anonymous
	Role Role   `json:"role"`
	Via  string `json:"via"` // ViaToken, ViaSession or ViaAnonymous
}

// How a principal was authenticated.
const (
	ViaToken     = "token"
	ViaSession   = "session"
	ViaAnonymous = "anonymous"
)

// Policy holds the session and sign-in throttling limits.
type Policy struct {
	SessionIdle     time.Duration // a session ends this long after its last request
	SessionMax      time.Duration // and at the latest this long after sign-in
	MaxFailures     int           // failed sign-ins per user name ...
	MaxIPFailures   int           // ... or per client IP (an office behind one NAT address shares it) ...
	FailureWindow   time.Duration // ... within this window lock the name or IP ...
	LockoutDuration time.Duration // ... for this long
}

// DefaultPolicy is the policy a store opens with.
var DefaultPolicy = Policy{
	SessionIdle:     12 * time.Hour,
	SessionMax:      7 * 24 * time.Hour,
	MaxFailures:     5,
	MaxIPFailures:   20,
	FailureWindow:   15 * time.Minute,
	LockoutDuration: 15 * time.Minute,
}

// touchEvery limits how often a session's last-seen time or a token's last-used time
// is written: at most once a minute, not on every request.
const touchEvery = time.Minute

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Kind is the auth store's kind of file: recognised by its tables, so that it is
// refused, by name, where the graph store is expected (restore, --db), and the
// graph store is refused where it is expected.
var Kind = sqlite.Kind{NameZH: "用户库（用户、令牌与审计日志）", NameEN: "users database (users, tokens and audit log)",
	Migrations: migrationFiles, Markers: []string{"users", "tokens", "audit_log"}}

func init() { sqlite.RegisterKind(Kind) }

// Store holds users, tokens, sessions, sign-in failures and the audit log. It is safe
// for concurrent use; SetClock and SetPolicy must be called before it is shared.
type Store struct {
	db     *sql.DB
	path   string
	lease  *sqlite.Lease // held while open: restore refuses to replace the file
	now    func() time.Time
	policy Policy
	// stmts are the prepared statements of what every request runs (a token's
	// lookup): parsing the SQL costs SQLite more than the indexed read itself.
	stmtMu sync.Mutex
	stmts  map[string]*sql.Stmt
}

// queryRowPrepared runs query (a literal), prepared once for the store's lifetime.
func (s *Store) queryRowPrepared(ctx context.Context, query string, args ...any) (*sql.Row, error) {
	st, err := s.prepared(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryRowContext(ctx, args...), nil
}

// prepared returns query prepared once for the store's lifetime.
func (s *Store) prepared(ctx context.Context, query string) (*sql.Stmt, error) {
	s.stmtMu.Lock()
	defer s.stmtMu.Unlock()
	if st, ok := s.stmts[query]; ok {
		return st, nil
	}
	st, err := s.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if s.stmts == nil {
		s.stmts = map[string]*sql.Stmt{}
	}
	s.stmts[query] = st
	return st, nil
}

// Open opens (creating if needed) the auth store at path and brings its schema up to
// date. The path ":memory:" gives a private in-memory store.
func Open(ctx context.Context, path string) (*Store, error) {
	lease, err := sqlite.Share(ctx, path)
	if err != nil {
		return nil, err
	}
	db, err := sqlite.OpenKind(ctx, path, Kind)
	if err != nil {
		lease.Release()
		return nil, err
	}
	return &Store{db: db, path: path, lease: lease, now: time.Now, policy: DefaultPolicy}, nil
}

// Close closes the database.
func (s *Store) Close() error {
	s.stmtMu.Lock()
	for _, st := range s.stmts {
		st.Close()
	}
	s.stmts = nil
	s.stmtMu.Unlock()
	err := s.db.Close()
	s.lease.Release()
	return err
}

// Backup writes a consistent copy of the auth store to path, which must not exist,
// while it is in use (VACUUM INTO, synced; see sqlite.Store.Backup).
func (s *Store) Backup(ctx context.Context, path string) error {
	return sqlite.BackupDB(ctx, s.db, path)
}

// Restore replaces the auth store file target with the backup at backupPath after
// checking that it is an auth store (by its tables and columns), intact and without
// dangling references; it refuses while any process has target open and returns
// where the previous file was kept. See sqlite.Restore.
func Restore(ctx context.Context, backupPath, target string) (kept string, err error) {
	return sqlite.RestoreKind(ctx, Kind, backupPath, target)
}

// Ping reports whether the database can be read.
func (s *Store) Ping(ctx context.Context) error {
	var n int
	return s.db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&n)
}

// SetClock replaces the store's clock (time.Now), for tests.
func (s *Store) SetClock(now func() time.Time) { s.now = now }

// SetPolicy replaces the store's limits; zero fields keep their defaults.
func (s *Store) SetPolicy(p Policy) {
	d := DefaultPolicy
	if p.SessionIdle > 0 {
		d.SessionIdle = p.SessionIdle
	}
	if p.SessionMax > 0 {
		d.SessionMax = p.SessionMax
	}
	if p.MaxFailures > 0 {
		d.MaxFailures = p.MaxFailures
	}
	if p.MaxIPFailures > 0 {
		d.MaxIPFailures = p.MaxIPFailures
	}
	if p.FailureWindow > 0 {
		d.FailureWindow = p.FailureWindow
	}
	if p.LockoutDuration > 0 {
		d.LockoutDuration = p.LockoutDuration
	}
	s.policy = d
}

// limit is the number of failures within the window that locks k.
func (p Policy) limit(k throttleKey) int {
	if k.kind == "ip" {
		return p.MaxIPFailures
	}
	return p.MaxFailures
}

// Policy returns the store's limits.
func (s *Store) Policy() Policy { return s.policy }

func (s *Store) nowMS() int64 { return s.now().UnixMilli() }

func fromMS(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

func fromNullMS(ms sql.NullInt64) time.Time {
	if !ms.Valid {
		return time.Time{}
	}
	return fromMS(ms.Int64)
}

// tx runs f in an IMMEDIATE transaction (the DSN's _txlock), committing when it
// returns nil.
func (s *Store) tx(ctx context.Context, f func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := f(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// errUnauthorized is the one answer to every failed credential check, so that it
// tells nothing about which part was wrong.
func errUnauthorized(zhen string) error { return graph.Errorf(EUNAUTHORIZED, "%s", zhen) }

// isCode reports whether err carries code.
func isCode(err error, code string) bool { return graph.ErrorCode(err) == code }

// LockedError is the cause inside an ETOOMANY error: sign-in is refused until Until,
// RetryAfter from the refusal.
type LockedError struct {
	Until      time.Time
	RetryAfter time.Duration
}

func (e *LockedError) Error() string { return "locked until " + e.Until.Format(time.RFC3339) }

// retryAfter returns how long the lockout err reports still lasts, if it reports one.
func retryAfter(err error) (time.Duration, bool) {
	var l *LockedError
	if errors.As(err, &l) {
		return l.RetryAfter, true
	}
	return 0, false
}
