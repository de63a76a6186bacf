// Package sqlite is chainmap's embedded store: the chain graph in one SQLite file
// (pure Go, modernc.org/sqlite), in WAL mode, written in all-or-nothing transactions.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"iter"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync/atomic"

	"github.com/chainmap/chainmap/graph"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Store is the embedded SQLite store. It is safe for concurrent use: readers run in
// parallel under WAL, writers are serialised by IMMEDIATE transactions.
type Store struct {
	db    *sql.DB
	path  string
	lease *Lease // held while open, so that Restore refuses to replace the file
	// writer is this Store's name in store_writes (see ExternalWrites).
	writer    string
	gate      writeGate
	writeWait atomic.Int64 // time.Duration
}

var _ graph.Store = (*Store)(nil)

// Open opens (creating if needed) the store at path and brings its schema up to date.
// The path ":memory:" gives a private in-memory store, for tests.
func Open(ctx context.Context, path string) (*Store, error) {
	lease, err := Share(ctx, path)
	if err != nil {
		return nil, err
	}
	db, err := OpenKind(ctx, path, GraphKind)
	if err != nil {
		lease.Release()
		return nil, err
	}
	s := &Store{db: db, path: path, lease: lease, writer: newWriterID(), gate: newWriteGate()}
	s.SetWriteWait(DefaultWriteWait)
	trackOpen(s)
	return s, nil
}

// OpenDB opens (creating if needed) the SQLite file at path the way chainmap uses
// SQLite — WAL, foreign keys, IMMEDIATE transactions, a busy timeout — and applies
// the migrations/*.sql files of migrations newer than the file's user_version.
func OpenDB(ctx context.Context, path string, migrations fs.FS) (*sql.DB, error) {
	return openDB(ctx, path, Kind{Migrations: migrations}, false)
}

// OpenKind is OpenDB for a database of kind k that first checks an existing file's
// tables and columns against k's schema at the file's version, so that a file of
// another kind (the users database given as the graph store) is refused rather than
// migrated into a hybrid. Other packages with their own database (the auth store)
// use it too.
func OpenKind(ctx context.Context, path string, k Kind) (*sql.DB, error) {
	return openDB(ctx, path, k, true)
}

func openDB(ctx context.Context, path string, k Kind, check bool) (*sql.DB, error) {
	migrations := k.Migrations
	q := url.Values{}
	// temp_store and a 256 MiB page cache keep the statement journal and a large
	// import's working set in memory: on disk they made imports syscall-bound.
	for _, p := range []string{"foreign_keys(1)", fmt.Sprintf("busy_timeout(%d)", busyTimeoutMS), "synchronous(NORMAL)", "temp_store(MEMORY)", "cache_size(-262144)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	var dsn string
	if path == ":memory:" {
		// One shared connection: every new connection to :memory: is a new database.
		dsn = "file::memory:?" + q.Encode()
	} else {
		q.Add("_pragma", "journal_mode(WAL)")
		dsn = "file:" + path + "?" + q.Encode()
		if err := createPrivate(path); err != nil {
			return nil, fmt.Errorf("opening %s: %w", path, err)
		}
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	if path == ":memory:" {
		db.SetMaxOpenConns(1)
	}
	if check {
		if err := checkExisting(ctx, db, k, path); err != nil {
			db.Close()
			return nil, err
		}
	}
	if err := migrate(ctx, db, migrations); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrating %s: %w", path, err)
	}
	return db, nil
}

// checkExisting checks the schema of a file that is not new (it has a schema
// version or tables) against k at its version.
func checkExisting(ctx context.Context, db *sql.DB, k Kind, path string) error {
	var version, tables int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return graph.Errorf(graph.EINVALID, "%s 不是可读的 SQLite 数据库（%v）/ %s is not a readable SQLite database (%v)", path, sqliteReason(err), path, sqliteReason(err))
	}
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'`).Scan(&tables); err != nil {
		return err
	}
	if version == 0 && tables == 0 {
		return nil // a new file
	}
	return checkSchema(ctx, db, k, version, path)
}

// createPrivate creates path, empty and readable by its owner only, unless it
// exists: a city's data and its password hashes are nobody else's on a shared
// machine. SQLite gives the -wal and -shm files the database file's permissions.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return f.Close()
}

// Path is the file the store was opened on.
func (s *Store) Path() string { return s.path }

// Close closes the database.
func (s *Store) Close() error {
	untrackOpen(s)
	err := s.db.Close()
	s.lease.Release()
	return err
}

// Ping reports whether the database file can be read.
func (s *Store) Ping(ctx context.Context) error {
	var n int
	return s.db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&n)
}

// migrate applies the migrations newer than the file's user_version, each in its own
// transaction.
func migrate(ctx context.Context, db *sql.DB, migrations fs.FS) error {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	var version int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return err
	}
	if version > len(names) {
		return fmt.Errorf("database schema version %d is newer than this chainmap (%d); upgrade chainmap", version, len(names))
	}
	for i := version; i < len(names); i++ {
		body, err := fs.ReadFile(migrations, names[i])
		if err != nil {
			return err
		}
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			tx.Rollback()
			return fmt.Errorf("%s: %w", names[i], err)
		}
		// PRAGMA takes no parameters; i+1 is our own integer.
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", i+1)); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}

// querier is satisfied by *sql.DB and *sql.Tx, so reads work inside an import's
// transaction as well as outside it.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func stream[T any](ctx context.Context, q querier, t *table[T]) iter.Seq2[T, error] {
	return streamWhere(ctx, q, t, "")
}

// streamWhere streams the rows of t that satisfy where (constant SQL with
// parameters args; "" for all rows) in key order.
func streamWhere[T any](ctx context.Context, q querier, t *table[T], where string, args ...any) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		query, scan := t.selectSQL(), t.scan
		if t.packed != nil {
			fields := make([]string, len(t.packed))
			query, scan = t.packedSelectSQL(where), func(s scanner) (T, error) { return t.scanPacked(s, fields) }
		} else if where != "" {
			panic("sqlite: streamWhere needs a packed table")
		}
		if db, ok := q.(*sql.DB); ok && t.packed != nil {
			// Big tables are read through memory-mapped pages: no copy into the page
			// cache per page. The setting is this connection's, reset before it
			// returns to the pool.
			conn, err := db.Conn(ctx)
			if err != nil {
				yield(zero, fmt.Errorf("reading %s: %w", t.name, err))
				return
			}
			defer conn.Close()
			if _, err := conn.ExecContext(ctx, "PRAGMA mmap_size = 17179869184"); err == nil {
				defer conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA mmap_size = 0")
			}
			q = conn
		}
		rows, err := q.QueryContext(ctx, query, args...)
		if err != nil {
			yield(zero, fmt.Errorf("reading %s: %w", t.name, err))
			return
		}
		defer rows.Close()
		for rows.Next() {
			x, err := scan(rows)
			if err != nil {
				yield(zero, fmt.Errorf("reading %s: %w", t.name, err))
				return
			}
			if !yield(x, nil) {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(zero, fmt.Errorf("reading %s: %w", t.name, err))
		}
	}
}

// reader implements graph.Reader and graph.Lookup over a querier.
type reader struct{ q querier }

func (r reader) Regions(ctx context.Context) iter.Seq2[graph.Region, error] {
	return stream(ctx, r.q, regions)
}
func (r reader) RegionGroups(ctx context.Context) iter.Seq2[graph.RegionGroupMember, error] {
	return stream(ctx, r.q, regionGroups)
}
func (r reader) Clusters(ctx context.Context) iter.Seq2[graph.Cluster, error] {
	return stream(ctx, r.q, clusters)
}
func (r reader) Chains(ctx context.Context) iter.Seq2[graph.Chain, error] {
	return stream(ctx, r.q, chains)
}
func (r reader) Links(ctx context.Context) iter.Seq2[graph.Link, error] {
	return stream(ctx, r.q, links)
}
func (r reader) Feeds(ctx context.Context) iter.Seq2[graph.Feed, error] {
	return stream(ctx, r.q, feeds)
}
func (r reader) Companies(ctx context.Context) iter.Seq2[graph.Company, error] {
	return stream(ctx, r.q, companies)
}
func (r reader) CompanyLinks(ctx context.Context) iter.Seq2[graph.CompanyLink, error] {
	return stream(ctx, r.q, companyLinks)
}
func (r reader) Leaders(ctx context.Context) iter.Seq2[graph.Leader, error] {
	return stream(ctx, r.q, leaders)
}
func (r reader) Supplies(ctx context.Context) iter.Seq2[graph.Supply, error] {
	return stream(ctx, r.q, supplies)
}

// SuppliesBetween streams the supply ties whose supplier id is ≥ from and, unless to
// is "", < to, in key order: Supplies split into ranges that can be read in
// parallel, on separate connections (each range is its own read transaction).
func (r reader) SuppliesBetween(ctx context.Context, from, to string) iter.Seq2[graph.Supply, error] {
	if to == "" {
		return streamWhere(ctx, r.q, supplies, "supplier_id >= ?", from)
	}
	return streamWhere(ctx, r.q, supplies, "supplier_id >= ? AND supplier_id < ?", from, to)
}

func (r reader) Projects(ctx context.Context) iter.Seq2[graph.Project, error] {
	return stream(ctx, r.q, projects)
}
func (r reader) ProjectEvents(ctx context.Context) iter.Seq2[graph.ProjectEvent, error] {
	return stream(ctx, r.q, projectEvents)
}

// StoredProjects returns the stored record and event count of each stored id.
func (r reader) StoredProjects(ctx context.Context, ids []string) (map[string]graph.StoredProject, error) {
	out := map[string]graph.StoredProject{}
	arr, err := json.Marshal(ids)
	if err != nil {
		return nil, err
	}
	rows, err := r.q.QueryContext(ctx, "SELECT "+strings.Join(projects.cols, ", ")+
		", (SELECT count(*) FROM project_history h WHERE h.project_id = projects.id) FROM projects"+
		" WHERE id IN (SELECT value FROM json_each(?))", string(arr))
	if err != nil {
		return nil, fmt.Errorf("reading stored projects: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var n int
		p, err := projects.scan(scanPlus{rows, &n})
		if err != nil {
			return nil, fmt.Errorf("reading stored projects: %w", err)
		}
		out[p.ID] = graph.StoredProject{Project: p, Events: n}
	}
	return out, rows.Err()
}

// StoredHistory returns the stored events of each of ids that has any, in sequence
// order (graph.HistoryLookup: imports keep history append-only with it).
func (r reader) StoredHistory(ctx context.Context, ids []string) (map[string][]graph.ProjectEvent, error) {
	out := map[string][]graph.ProjectEvent{}
	if len(ids) == 0 {
		return out, nil
	}
	arr, err := json.Marshal(ids)
	if err != nil {
		return nil, err
	}
	rows, err := r.q.QueryContext(ctx, "SELECT "+strings.Join(projectEvents.cols, ", ")+" FROM project_history"+
		" WHERE project_id IN (SELECT value FROM json_each(?)) ORDER BY project_id, seq", string(arr))
	if err != nil {
		return nil, fmt.Errorf("reading stored history: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		e, err := projectEvents.scan(rows)
		if err != nil {
			return nil, fmt.Errorf("reading stored history: %w", err)
		}
		out[e.ProjectID] = append(out[e.ProjectID], e)
	}
	return out, rows.Err()
}

// scanPlus scans a row holding a table's columns and then extra values.
type scanPlus struct {
	s     scanner
	extra any
}

func (p scanPlus) Scan(dest ...any) error { return p.s.Scan(append(dest, p.extra)...) }

// existingSQL finds which of a JSON array of ids are keys of a table. The table name
// comes from this fixed map, never from input.
var existingSQL = map[graph.Table]string{
	graph.TRegions:   "SELECT code FROM regions WHERE code IN (SELECT value FROM json_each(?))",
	graph.TClusters:  "SELECT id FROM clusters WHERE id IN (SELECT value FROM json_each(?))",
	graph.TChains:    "SELECT id FROM chains WHERE id IN (SELECT value FROM json_each(?))",
	graph.TLinks:     "SELECT id FROM links WHERE id IN (SELECT value FROM json_each(?))",
	graph.TCompanies: "SELECT id FROM companies WHERE id IN (SELECT value FROM json_each(?))",
	graph.TProjects:  "SELECT id FROM projects WHERE id IN (SELECT value FROM json_each(?))",
}

func (r reader) Existing(ctx context.Context, t graph.Table, ids []string) (map[string]bool, error) {
	query, ok := existingSQL[t]
	if !ok {
		return nil, fmt.Errorf("table %s has no single key", t)
	}
	found := make(map[string]bool)
	const chunk = 50000
	for start := 0; start < len(ids); start += chunk {
		arr, err := json.Marshal(ids[start:min(start+chunk, len(ids))])
		if err != nil {
			return nil, err
		}
		rows, err := r.q.QueryContext(ctx, query, string(arr))
		if err != nil {
			return nil, fmt.Errorf("looking up %s: %w", t, err)
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, err
			}
			found[id] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return found, nil
}

func (s *Store) reader() reader { return reader{s.db} }

func (s *Store) Regions(ctx context.Context) iter.Seq2[graph.Region, error] {
	return s.reader().Regions(ctx)
}
func (s *Store) RegionGroups(ctx context.Context) iter.Seq2[graph.RegionGroupMember, error] {
	return s.reader().RegionGroups(ctx)
}
func (s *Store) Clusters(ctx context.Context) iter.Seq2[graph.Cluster, error] {
	return s.reader().Clusters(ctx)
}
func (s *Store) Chains(ctx context.Context) iter.Seq2[graph.Chain, error] {
	return s.reader().Chains(ctx)
}
func (s *Store) Links(ctx context.Context) iter.Seq2[graph.Link, error] {
	return s.reader().Links(ctx)
}
func (s *Store) Feeds(ctx context.Context) iter.Seq2[graph.Feed, error] {
	return s.reader().Feeds(ctx)
}
func (s *Store) Companies(ctx context.Context) iter.Seq2[graph.Company, error] {
	return s.reader().Companies(ctx)
}
func (s *Store) CompanyLinks(ctx context.Context) iter.Seq2[graph.CompanyLink, error] {
	return s.reader().CompanyLinks(ctx)
}
func (s *Store) Leaders(ctx context.Context) iter.Seq2[graph.Leader, error] {
	return s.reader().Leaders(ctx)
}
func (s *Store) Supplies(ctx context.Context) iter.Seq2[graph.Supply, error] {
	return s.reader().Supplies(ctx)
}

// SuppliesBetween streams the supply ties whose supplier id is ≥ from and, unless to
// is "", < to, in key order; ranges can be read in parallel.
func (s *Store) SuppliesBetween(ctx context.Context, from, to string) iter.Seq2[graph.Supply, error] {
	return s.reader().SuppliesBetween(ctx, from, to)
}

func (s *Store) Projects(ctx context.Context) iter.Seq2[graph.Project, error] {
	return s.reader().Projects(ctx)
}
func (s *Store) ProjectEvents(ctx context.Context) iter.Seq2[graph.ProjectEvent, error] {
	return s.reader().ProjectEvents(ctx)
}

// StoredProjects returns the stored record and event count of each stored id.
func (s *Store) StoredProjects(ctx context.Context, ids []string) (map[string]graph.StoredProject, error) {
	return s.reader().StoredProjects(ctx, ids)
}

// Existing returns which of ids are stored keys of table t.
func (s *Store) Existing(ctx context.Context, t graph.Table, ids []string) (map[string]bool, error) {
	return s.reader().Existing(ctx, t, ids)
}

// countSQL counts a table's rows; table names come from graph.Tables, not from input.
func countSQL(t graph.Table) string { return "SELECT count(*) FROM " + string(t) }

// Counts returns the number of stored records per table.
func (s *Store) Counts(ctx context.Context) (graph.Counts, error) {
	return counts(ctx, s.db, graph.Tables)
}

func counts(ctx context.Context, q querier, tables []graph.Table) (graph.Counts, error) {
	c := graph.Counts{}
	for _, t := range tables {
		var n int
		if err := q.QueryRowContext(ctx, countSQL(t)).Scan(&n); err != nil {
			return nil, fmt.Errorf("counting %s: %w", t, err)
		}
		c[t] = n
	}
	return c, nil
}

// Import validates ds inside one IMMEDIATE transaction against the stored data and,
// if every record is valid, upserts it; see graph.Store.
func (s *Store) Import(ctx context.Context, ds *graph.Dataset, opts graph.ImportOptions) (graph.ImportResult, error) {
	res := graph.ImportResult{DryRun: opts.DryRun, Changes: map[graph.Table]graph.TableChange{}}
	tx, end, err := s.beginWrite(ctx)
	if err != nil {
		if graph.ErrorCode(err) == graph.EUNAVAILABLE || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return res, err
		}
		return res, fmt.Errorf("starting import: %w", err)
	}
	defer end()
	defer tx.Rollback() // no-op after Commit; runs before end
	problems, err := graph.Check(ctx, ds, reader{tx}, opts.Origin)
	if err != nil {
		return res, err
	}
	if len(problems) > 0 {
		return res, &graph.ValidationError{Problems: problems}
	}
	changes, events, err := graph.PlanImport(ctx, ds, reader{tx}, opts)
	if err != nil {
		return res, err
	}
	res.Projects = changes
	// Inserted rows are told from updated ones by the stored keys of a small
	// table's rows (upsert looks them up) and by counting a big one before and
	// after: counting costs a scan of the table, which a one-project write into
	// ten million rows must not pay, and key lookups cost more than the scan once
	// a table's rows are a sizeable share of it.
	var present, counted []graph.Table
	for _, t := range graph.Tables {
		n := ds.Len(t)
		if t == graph.TProjectLog {
			n = len(events)
		}
		if n > 0 {
			present = append(present, t)
			if n > smallWrite {
				counted = append(counted, t)
			}
		}
	}
	before, err := counts(ctx, tx, counted)
	if err != nil {
		return res, err
	}
	w := &writer{ctx: ctx, tx: tx, total: ds.Total(), progress: opts.Progress, inserted: map[graph.Table]int{}}
	written := map[graph.Table]int{}
	steps := []func() (int, error){
		func() (int, error) { return upsert(w, regions, ds.Regions) },
		func() (int, error) { return upsert(w, regionGroups, ds.RegionGroups) },
		func() (int, error) { return upsert(w, clusters, ds.Clusters) },
		func() (int, error) { return upsert(w, chains, ds.Chains) },
		func() (int, error) { return upsert(w, links, ds.Links) },
		func() (int, error) { return upsert(w, feeds, ds.Feeds) },
		func() (int, error) { return upsert(w, companies, ds.Companies) },
		func() (int, error) { return upsert(w, companyLinks, ds.CompanyLinks) },
		func() (int, error) { return upsert(w, leaders, ds.Leaders) },
		func() (int, error) { return upsert(w, supplies, ds.Supplies) },
		func() (int, error) { return upsert(w, projects, ds.Projects) },
		func() (int, error) { return upsert(w, projectEvents, events) },
	}
	for i, step := range steps {
		n, err := step()
		if err != nil {
			return res, err
		}
		written[graph.Tables[i]] = n
	}
	after, err := counts(ctx, tx, counted)
	if err != nil {
		return res, err
	}
	for _, t := range present {
		ins, ok := w.inserted[t]
		if !ok {
			ins = after[t] - before[t]
		}
		received := ds.Len(t)
		if t == graph.TProjectLog {
			received = len(events) // given events plus those the import generated
		}
		res.Changes[t] = graph.TableChange{Received: received, Inserted: ins, Updated: written[t] - ins}
	}
	if opts.DryRun {
		return res, nil // the deferred Rollback discards the writes
	}
	if res.Written() > 0 {
		if err := s.countWrite(ctx, tx); err != nil {
			return res, err
		}
	}
	if opts.Audit != nil {
		if err := keepAudit(ctx, tx, opts.Audit); err != nil {
			return res, err
		}
	}
	if err := tx.Commit(); err != nil {
		return res, fmt.Errorf("committing import: %w", err)
	}
	return res, nil
}

// writer carries an import's transaction and progress reporting.
type writer struct {
	ctx      context.Context
	tx       *sql.Tx
	done     int
	total    int
	progress func(done, total int)
	// inserted counts, per table of at most smallWrite rows, the rows that were
	// not stored before (upsert looks their keys up).
	inserted map[graph.Table]int
}

// smallWrite is the most rows of a table whose inserts are told by their keys.
const smallWrite = 512

// batchRows is how many rows go into one multi-row INSERT: fewer statements make
// the pure-Go driver several times faster, and SQLite allows 32766 parameters.
const batchRows = 128

// upsert writes recs in multi-row statements and returns how many rows were
// inserted or changed.
func upsert[T any](w *writer, t *table[T], recs []T) (int, error) {
	if len(recs) == 0 {
		return 0, nil
	}
	var stmt *sql.Stmt
	if len(recs) >= batchRows {
		var err error
		if stmt, err = w.tx.PrepareContext(w.ctx, t.upsertSQL(batchRows)); err != nil {
			return 0, fmt.Errorf("preparing %s: %w", t.name, err)
		}
		defer stmt.Close()
	}
	if len(recs) <= smallWrite {
		stored, err := storedKeys(w, t, recs)
		if err != nil {
			return 0, err
		}
		w.inserted[t.name] = len(recs) - stored
	}
	written := 0
	args := make([]any, 0, batchRows*len(t.cols))
	exec := func(s *sql.Stmt, query string, n int) error {
		var res sql.Result
		var err error
		if s != nil {
			res, err = s.ExecContext(w.ctx, args...)
		} else {
			res, err = w.tx.ExecContext(w.ctx, query, args...)
		}
		if err != nil {
			return fmt.Errorf("writing %s: %w", t.name, describe(err))
		}
		k, _ := res.RowsAffected()
		written += int(k)
		w.done += n
		if w.progress != nil {
			w.progress(w.done, w.total)
		}
		args = args[:0]
		return nil
	}
	i := 0
	for ; i+batchRows <= len(recs); i += batchRows {
		for j := i; j < i+batchRows; j++ {
			args = append(args, t.args(&recs[j])...)
		}
		if err := exec(stmt, "", batchRows); err != nil {
			return written, err
		}
	}
	if rest := len(recs) - i; rest > 0 {
		for j := i; j < len(recs); j++ {
			args = append(args, t.args(&recs[j])...)
		}
		if err := exec(nil, t.upsertSQL(rest), rest); err != nil {
			return written, err
		}
	}
	return written, nil
}

// storedKeys counts the records of recs (distinct keys, as Check ensures) whose
// key is already stored in t.
func storedKeys[T any](w *writer, t *table[T], recs []T) (int, error) {
	keys := t.cols[:t.keys]
	tuple := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(keys)), ", ") + ")"
	args := make([]any, 0, len(recs)*len(keys))
	var b strings.Builder
	b.WriteString("SELECT count(*) FROM " + string(t.name) + " WHERE (" + strings.Join(keys, ", ") + ") IN (VALUES ")
	for i := range recs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(tuple)
		args = append(args, t.args(&recs[i])[:len(keys)]...)
	}
	b.WriteString(")")
	var n int
	if err := w.tx.QueryRowContext(w.ctx, b.String(), args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("looking up stored %s: %w", t.name, err)
	}
	return n, nil
}

// describe turns SQLite constraint failures, which validation should have prevented,
// into a coded error rather than a driver message.
func describe(err error) error {
	if strings.Contains(err.Error(), "constraint failed") {
		return &graph.Error{Code: graph.ECONFLICT, Message: "stored data changed during the import; retry", Err: err}
	}
	return err
}
