// Package neo4j stores the chain graph in Neo4j 5 through the official Go driver.
// It holds to the same contract as the embedded store (graph/storetest), so import,
// export, analyses, API and UI behave the same on either. The model, constraints and
// batching are described in docs/neo4j.md; every statement lives in cypher/*.cypher.
package neo4j

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"net"
	"time"

	"github.com/chainmap/chainmap/graph"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// Config says how to reach Neo4j.
type Config struct {
	URI      string // bolt://host:7687 or neo4j://…
	User     string
	Password string // never logged
	Database string // "" for the server's default database
	// MaxTxRecords is the most records an import writes in one transaction (default
	// 1,000,000); a larger one is staged: written in batches under staging labels and
	// published at the end, still all or nothing (staged.go). Negative: stage every
	// import.
	MaxTxRecords int

	// For tests: rows per staged batch (BatchRows), how old a staged import's
	// heartbeat may be before another process deletes it (20 s), how often it beats (2 s).
	batchRows             int
	staleAfter, beatEvery time.Duration
}

// BatchRows is how many rows one UNWIND statement carries: large enough to amortise a
// round trip, small enough to keep each statement's parameters a few MB.
const BatchRows = 5000

const defaultMaxTxRecords = 1_000_000

// Store is a graph.Store on Neo4j.
type Store struct {
	driver neo4j.DriverWithContext
	cfg    Config
	// hook, when set (by tests), is called at named points of a staged import
	// ("batch" after each staged batch, "publish" before the final commit; "beat" and
	// "beaten" before and after each heartbeat, from the heartbeat's goroutine); an
	// error it returns fails the import there (ignored for the heartbeat's).
	hook func(point string) error
	// writer is this Store's name among the database's writers (see ExternalWrites).
	writer string
}

var _ graph.Store = (*Store)(nil)

// Open connects to Neo4j, verifies connectivity, creates the constraints and
// indexes (idempotently) and deletes what staged imports whose process died left.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.MaxTxRecords == 0 {
		cfg.MaxTxRecords = defaultMaxTxRecords
	}
	if cfg.batchRows <= 0 {
		cfg.batchRows = BatchRows
	}
	if cfg.staleAfter <= 0 {
		cfg.staleAfter = defaultStaleAfter
	}
	if cfg.beatEvery <= 0 {
		cfg.beatEvery = defaultBeatEvery
	}
	d, err := neo4j.NewDriverWithContext(cfg.URI, neo4j.BasicAuth(cfg.User, cfg.Password, ""))
	if err != nil {
		return nil, fmt.Errorf("neo4j driver for %s: %w", cfg.URI, err)
	}
	if err := d.VerifyConnectivity(ctx); err != nil {
		d.Close(ctx)
		return nil, fmt.Errorf("connecting to neo4j at %s: %w", cfg.URI, err)
	}
	s := &Store{driver: d, cfg: cfg, writer: newWriterID()}
	if err := s.Migrate(ctx); err != nil {
		d.Close(ctx)
		return nil, err
	}
	if err := s.recover(ctx); err != nil {
		d.Close(ctx)
		return nil, err
	}
	return s, nil
}

// Migrate creates every constraint and index of cypher/schema.cypher that is missing
// and waits until all indexes are online, so that a failed index population is
// reported here rather than discovered by a slow query later.
func (s *Store) Migrate(ctx context.Context) error {
	sess := s.session(ctx, neo4j.AccessModeWrite)
	defer sess.Close(ctx)
	return migrate(ctx, sess)
}

// IndexWait bounds how long Migrate waits for indexes to come online.
const IndexWait = 5 * time.Minute

// autoCommit is what a session offers for auto-commit statements.
type autoCommit interface {
	Run(ctx context.Context, cypher string, params map[string]any, configurers ...func(*neo4j.TransactionConfig)) (neo4j.ResultWithContext, error)
}

// migrate runs each schema statement to completion. Schema commands cannot share a
// transaction with writes, so each runs alone; and each result is consumed, because
// the driver's Run waits only for the server's first reply and a failure reported
// after it stays in the result, where closing the session discards it.
func migrate(ctx context.Context, r autoCommit) error {
	run := func(key string, params map[string]any) error {
		res, err := r.Run(ctx, cypher(key), params)
		if err == nil {
			_, err = res.Consume(ctx)
		}
		if err != nil {
			return fmt.Errorf("neo4j migrate %s: %w", key, err)
		}
		return nil
	}
	for _, st := range Statements() {
		if st.File != "cypher/schema.cypher" {
			continue
		}
		if err := run(st.Key, nil); err != nil {
			return err
		}
	}
	// Index population runs in the background after CREATE INDEX commits.
	return run("admin.await_indexes", map[string]any{"seconds": int64(IndexWait / time.Second)})
}

func (s *Store) session(ctx context.Context, mode neo4j.AccessMode) neo4j.SessionWithContext {
	return s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.cfg.Database, AccessMode: mode})
}

// Close closes the driver.
func (s *Store) Close() error { return s.driver.Close(context.Background()) }

// Ping checks that the server answers.
func (s *Store) Ping(ctx context.Context) error { return s.driver.VerifyConnectivity(ctx) }

// runner is what both managed and explicit transactions offer.
type runner interface {
	Run(ctx context.Context, cypher string, params map[string]any) (neo4j.ResultWithContext, error)
}

// stream runs a read statement in its own read transaction and yields each record
// converted by conv.
func stream[T any](ctx context.Context, s *Store, key string, conv func(*neo4j.Record) (T, error)) iter.Seq2[T, error] {
	return streamParams(ctx, s, key, nil, conv)
}

// streamParams is stream with parameters. The session fetches all records at once
// rather than in batches of 1,000 (a round trip each): the server sends them as fast
// as the connection takes them, and they are decoded as the caller consumes them.
func streamParams[T any](ctx context.Context, s *Store, key string, params map[string]any, conv func(*neo4j.Record) (T, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		sess := s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.cfg.Database, AccessMode: neo4j.AccessModeRead,
			FetchSize: neo4j.FetchAll})
		defer sess.Close(ctx)
		tx, err := sess.BeginTransaction(ctx)
		if err != nil {
			yield(zero, fmt.Errorf("neo4j %s: %w", key, err))
			return
		}
		defer tx.Close(ctx)
		streamWith(ctx, tx, key, params, conv)(yield)
	}
}

// streamIn runs a read statement inside an existing transaction.
func streamIn[T any](ctx context.Context, r runner, key string, conv func(*neo4j.Record) (T, error)) iter.Seq2[T, error] {
	return streamWith(ctx, r, key, nil, conv)
}

// streamWith runs a read statement with params inside an existing transaction.
func streamWith[T any](ctx context.Context, r runner, key string, params map[string]any, conv func(*neo4j.Record) (T, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		res, err := r.Run(ctx, cypher(key), params)
		if err != nil {
			yield(zero, fmt.Errorf("neo4j %s: %w", key, err))
			return
		}
		for res.Next(ctx) {
			x, err := conv(res.Record())
			if err != nil {
				yield(zero, fmt.Errorf("neo4j %s: %w", key, err))
				return
			}
			if !yield(x, nil) {
				return
			}
		}
		if err := res.Err(); err != nil {
			yield(zero, fmt.Errorf("neo4j %s: %w", key, err))
		}
	}
}

func (s *Store) Regions(ctx context.Context) iter.Seq2[graph.Region, error] {
	return stream(ctx, s, "region.read", toRegion)
}
func (s *Store) RegionGroups(ctx context.Context) iter.Seq2[graph.RegionGroupMember, error] {
	return stream(ctx, s, "region.read_groups", toRegionGroup)
}
func (s *Store) Clusters(ctx context.Context) iter.Seq2[graph.Cluster, error] {
	return stream(ctx, s, "chain.read_clusters", toCluster)
}
func (s *Store) Chains(ctx context.Context) iter.Seq2[graph.Chain, error] {
	return stream(ctx, s, "chain.read_chains", toChain)
}
func (s *Store) Links(ctx context.Context) iter.Seq2[graph.Link, error] {
	return stream(ctx, s, "chain.read_links", toLink)
}
func (s *Store) Feeds(ctx context.Context) iter.Seq2[graph.Feed, error] {
	return stream(ctx, s, "chain.read_feeds", toFeed)
}
func (s *Store) Companies(ctx context.Context) iter.Seq2[graph.Company, error] {
	return flatten(stream(ctx, s, "company.read", companyRows))
}
func (s *Store) CompanyLinks(ctx context.Context) iter.Seq2[graph.CompanyLink, error] {
	return flatten(stream(ctx, s, "company.read_links", companyLinkRows))
}
func (s *Store) Leaders(ctx context.Context) iter.Seq2[graph.Leader, error] {
	return stream(ctx, s, "company.read_leaders", toLeader)
}
func (s *Store) Supplies(ctx context.Context) iter.Seq2[graph.Supply, error] {
	return flatten(stream(ctx, s, "supply.read", supplyRows))
}

// SuppliesBetween streams the ties of suppliers with ids from from up to but not
// including to ("": to the end), in key order, so that the snapshot build reads ranges
// in parallel.
func (s *Store) SuppliesBetween(ctx context.Context, from, to string) iter.Seq2[graph.Supply, error] {
	if to == "" {
		return flatten(streamParams(ctx, s, "supply.read_from", map[string]any{"from": from}, supplyRows))
	}
	return flatten(streamParams(ctx, s, "supply.read_between", map[string]any{"from": from, "to": to}, supplyRows))
}

// flatten yields the records of each row of seq in turn.
func flatten[T any](seq iter.Seq2[[]T, error]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		for xs, err := range seq {
			if err != nil {
				yield(zero, err)
				return
			}
			for _, x := range xs {
				if !yield(x, nil) {
					return
				}
			}
		}
	}
}
func (s *Store) Projects(ctx context.Context) iter.Seq2[graph.Project, error] {
	return stream(ctx, s, "project.read", toProject)
}
func (s *Store) ProjectEvents(ctx context.Context) iter.Seq2[graph.ProjectEvent, error] {
	return stream(ctx, s, "project.read_events", toProjectEvent)
}

// StoredProjects returns the stored record and event count of each stored id.
func (s *Store) StoredProjects(ctx context.Context, ids []string) (map[string]graph.StoredProject, error) {
	sess := s.session(ctx, neo4j.AccessModeRead)
	defer sess.Close(ctx)
	out, err := sess.ExecuteRead(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		m, err := storedProjectsIn(ctx, tx, ids)
		return m, txErr(err)
	})
	if err != nil {
		return nil, err
	}
	return out.(map[string]graph.StoredProject), nil
}

func storedProjectsIn(ctx context.Context, r runner, ids []string) (map[string]graph.StoredProject, error) {
	res, err := r.Run(ctx, cypher("project.stored"), map[string]any{"ids": ids})
	if err != nil {
		return nil, fmt.Errorf("neo4j project.stored: %w", err)
	}
	out := map[string]graph.StoredProject{}
	for res.Next(ctx) {
		p, _ := toProject(res.Record())
		out[p.ID] = graph.StoredProject{Project: p, Events: int(rec{res.Record()}.int("events"))}
	}
	return out, res.Err()
}

// existingKey names the statement that finds stored keys of a table.
var existingKey = map[graph.Table]string{
	graph.TRegions: "region.existing", graph.TClusters: "chain.existing_clusters",
	graph.TChains: "chain.existing_chains", graph.TLinks: "chain.existing_links",
	graph.TCompanies: "company.existing", graph.TProjects: "project.existing",
}

// countKey names the statement that counts a table.
var countKey = map[graph.Table]string{
	graph.TRegions: "region.count", graph.TRegionGroups: "region.count_groups",
	graph.TClusters: "chain.count_clusters", graph.TChains: "chain.count_chains",
	graph.TLinks: "chain.count_links", graph.TLinkFeeds: "chain.count_feeds",
	graph.TCompanies: "company.count", graph.TCompanyLinks: "company.count_links",
	graph.TLeaders: "company.count_leaders", graph.TSupplies: "supply.count",
	graph.TProjects: "project.count", graph.TProjectLog: "project.count_events",
}

// Existing returns which of ids are stored keys of table t.
func (s *Store) Existing(ctx context.Context, t graph.Table, ids []string) (map[string]bool, error) {
	sess := s.session(ctx, neo4j.AccessModeRead)
	defer sess.Close(ctx)
	out, err := sess.ExecuteRead(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		m, err := existingIn(ctx, tx, t, ids)
		return m, txErr(err)
	})
	if err != nil {
		return nil, err
	}
	return out.(map[string]bool), nil
}

func existingIn(ctx context.Context, r runner, t graph.Table, ids []string) (map[string]bool, error) {
	key, ok := existingKey[t]
	if !ok {
		return nil, fmt.Errorf("table %s has no single key", t)
	}
	found := map[string]bool{}
	for start := 0; start < len(ids); start += BatchRows * 10 {
		batch := ids[start:min(start+BatchRows*10, len(ids))]
		res, err := r.Run(ctx, cypher(key), map[string]any{"ids": batch})
		if err != nil {
			return nil, fmt.Errorf("neo4j %s: %w", key, err)
		}
		for res.Next(ctx) {
			id, _ := res.Record().Values[0].(string)
			found[id] = true
		}
		if err := res.Err(); err != nil {
			return nil, fmt.Errorf("neo4j %s: %w", key, err)
		}
	}
	return found, nil
}

// Counts returns the number of stored records per table.
func (s *Store) Counts(ctx context.Context) (graph.Counts, error) {
	sess := s.session(ctx, neo4j.AccessModeRead)
	defer sess.Close(ctx)
	out, err := sess.ExecuteRead(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		c := graph.Counts{}
		for _, t := range graph.Tables {
			res, err := tx.Run(ctx, cypher(countKey[t]), nil)
			if err != nil {
				return nil, txErr(fmt.Errorf("neo4j count %s: %w", t, err))
			}
			rec, err := res.Single(ctx)
			if err != nil {
				return nil, txErr(fmt.Errorf("neo4j count %s: %w", t, err))
			}
			n, _ := rec.Values[0].(int64)
			c[t] = int(n)
		}
		return c, nil
	})
	if err != nil {
		return nil, err
	}
	return out.(graph.Counts), nil
}

// txLookup answers graph.Lookup inside the import's write transaction, so validation
// sees exactly the data the writes will land on.
type txLookup struct{ tx runner }

func (l txLookup) Existing(ctx context.Context, t graph.Table, ids []string) (map[string]bool, error) {
	return existingIn(ctx, l.tx, t, ids)
}
func (l txLookup) Regions(ctx context.Context) iter.Seq2[graph.Region, error] {
	return streamIn(ctx, l.tx, "region.read", toRegion)
}
func (l txLookup) Links(ctx context.Context) iter.Seq2[graph.Link, error] {
	return streamIn(ctx, l.tx, "chain.read_links", toLink)
}
func (l txLookup) Feeds(ctx context.Context) iter.Seq2[graph.Feed, error] {
	return streamIn(ctx, l.tx, "chain.read_feeds", toFeed)
}
func (l txLookup) StoredProjects(ctx context.Context, ids []string) (map[string]graph.StoredProject, error) {
	return storedProjectsIn(ctx, l.tx, ids)
}

var _ graph.HistoryLookup = txLookup{}

// StoredHistory returns the stored events of each of ids that has any, in sequence
// order, so that imports hold project history append-only (graph.HistoryLookup).
func (l txLookup) StoredHistory(ctx context.Context, ids []string) (map[string][]graph.ProjectEvent, error) {
	out := map[string][]graph.ProjectEvent{}
	for start := 0; start < len(ids); start += BatchRows * 10 {
		res, err := l.tx.Run(ctx, cypher("project.stored_history"), map[string]any{"ids": ids[start:min(start+BatchRows*10, len(ids))]})
		if err != nil {
			return nil, fmt.Errorf("neo4j project.stored_history: %w", err)
		}
		for res.Next(ctx) {
			e, _ := toProjectEvent(res.Record())
			out[e.ProjectID] = append(out[e.ProjectID], e)
		}
		if err := res.Err(); err != nil {
			return nil, fmt.Errorf("neo4j project.stored_history: %w", err)
		}
	}
	return out, nil
}

// errDryRun rolls back a dry run's transaction; the driver does not retry it.
var errDryRun = errors.New("dry run: rolled back")

// Import validates and writes ds in one managed write transaction (retried by the
// driver on transient failures; the function recomputes everything each attempt), or,
// above MaxTxRecords records, through staging (importStaged). Imports queue on the
// import lock, and wait while a staged import runs.
func (s *Store) Import(ctx context.Context, ds *graph.Dataset, opts graph.ImportOptions) (graph.ImportResult, error) {
	if n := ds.Total(); s.cfg.MaxTxRecords < 0 || n > s.cfg.MaxTxRecords {
		return s.importStaged(ctx, ds, opts)
	}
	var res graph.ImportResult
	err := s.whenIdle(ctx, func(tx neo4j.ManagedTransaction) error {
		res = graph.ImportResult{DryRun: opts.DryRun, Changes: map[graph.Table]graph.TableChange{}}
		problems, err := graph.Check(ctx, ds, txLookup{tx}, opts.Origin)
		if err != nil {
			return txErr(err)
		}
		if len(problems) > 0 {
			return &graph.ValidationError{Problems: problems}
		}
		changes, events, err := graph.PlanImport(ctx, ds, txLookup{tx}, opts)
		if err != nil {
			return txErr(err)
		}
		res.Projects = changes
		w := &batchWriter{ctx: ctx, tx: tx, res: &res, total: ds.Total(), progress: opts.Progress, batch: s.cfg.batchRows}
		if err := writeAll(w, ds, events); err != nil {
			return txErr(err)
		}
		if opts.DryRun {
			return errDryRun
		}
		return txErr(s.recordWrite(ctx, tx, res.Written(), opts.Audit))
	})
	if errors.Is(err, errDryRun) {
		return res, nil
	}
	if err != nil {
		return res, fmt.Errorf("neo4j import: %w", err)
	}
	return res, nil
}

// txErr is what a transaction function returns for err. The driver retries a
// transaction function only on errors it recognises by type assertion (a
// *neo4j.ConnectivityError, io.EOF, a net.Error; see retry.IsRetryable and
// errorutil.WrapError in neo4j-go-driver v5), so a connection lost mid-transaction and
// wrapped with fmt.Errorf would end the import instead of retrying it; txErr hands the
// driver such an error bare. Server errors (*neo4j.Neo4jError) are found through
// wrapping and keep their context, as do all other errors.
//
// A server out of transaction memory reports a transient error, which the driver
// would retry — running the same transaction into the same limit for up to 30 s; txErr
// hands it over as a memoryError, which the driver does not retry.
func txErr(err error) error {
	var server *neo4j.Neo4jError
	if errors.As(err, &server) {
		if outOfMemory(server) {
			return &memoryError{msg: err.Error()}
		}
		return err
	}
	for e := err; e != nil; e = errors.Unwrap(e) {
		switch e.(type) {
		case *neo4j.ConnectivityError, net.Error:
			return e
		}
		if e == io.EOF {
			return e
		}
	}
	return err
}

// outOfMemory reports whether e says the transaction ran out of the server's
// transaction memory (db.memory.transaction.max, dbms.memory.transaction.total.max).
func outOfMemory(e *neo4j.Neo4jError) bool {
	switch e.Code {
	case "Neo.TransientError.General.MemoryPoolOutOfMemoryError", "Neo.TransientError.General.TransactionMemoryLimit",
		"Neo.TransientError.General.OutOfMemoryError":
		return true
	}
	return false
}

// memoryError is a transaction that ran out of the server's transaction memory. It
// keeps the server's message but not the *neo4j.Neo4jError, so that the driver does
// not retry it.
type memoryError struct{ msg string }

func (e *memoryError) Error() string {
	return e.msg + " — the transaction does not fit the server's transaction memory: lower MaxTxRecords so that imports of this size are staged (docs/neo4j.md), or raise the server's heap and db.memory.transaction.total.max"
}

// Wipe deletes all of chainmap's nodes and relationships from the database, in
// batches of their own transactions (one transaction would not fit the server's
// memory for a large graph). The conformance suite uses it on a dedicated test
// database; nothing else calls it.
func (s *Store) Wipe(ctx context.Context) error {
	sess := s.session(ctx, neo4j.AccessModeWrite)
	defer sess.Close(ctx)
	for {
		n, err := sess.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
			return single(ctx, tx, "admin.wipe", map[string]any{"limit": int64(publishBatch)})
		})
		if err != nil {
			return fmt.Errorf("neo4j wipe: %w", err)
		}
		if n.(int64) == 0 {
			return nil
		}
	}
}
