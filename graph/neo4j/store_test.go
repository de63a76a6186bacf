package neo4j

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/graph/storetest"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// liveConfig returns how to reach the Neo4j named by NEO4J_URI, NEO4J_USER,
// NEO4J_PASSWORD and NEO4J_DATABASE. Without NEO4J_URI the test is skipped, unless
// CHAINMAP_REQUIRE_NEO4J=1 says a server was meant to be up (CI starts one), when it
// fails instead.
func liveConfig(t *testing.T) Config {
	t.Helper()
	uri := os.Getenv("NEO4J_URI")
	if uri == "" {
		if os.Getenv("CHAINMAP_REQUIRE_NEO4J") == "1" {
			t.Fatal("CHAINMAP_REQUIRE_NEO4J=1 but NEO4J_URI is not set: the Neo4j tests must run here")
		}
		t.Skip("NEO4J_URI not set: skipping the tests against a live Neo4j (see docs/neo4j.md to run them against Neo4j 5)")
	}
	return Config{URI: uri, User: os.Getenv("NEO4J_USER"), Password: os.Getenv("NEO4J_PASSWORD"), Database: os.Getenv("NEO4J_DATABASE")}
}

// liveStore opens the live Neo4j of liveConfig and empties it; it is closed when
// the test ends.
func liveStore(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), liveConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Wipe(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestConformance runs the store conformance suite against a real Neo4j 5 when
// NEO4J_URI is set. It EMPTIES the target database before each test: point it at a
// database used only for testing (docs/neo4j.md shows how to start a throwaway one).
func TestConformance(t *testing.T) {
	cfg := liveConfig(t)
	storetest.Run(t, func(t *testing.T) graph.Store {
		s, err := Open(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Wipe(context.Background()); err != nil {
			t.Fatal(err)
		}
		return s
	})
}

// TestConformanceShared: two Stores on one Neo4j database, as a server and a CLI
// import (EMPTIES the database, as TestConformance).
func TestConformanceShared(t *testing.T) {
	cfg := liveConfig(t)
	storetest.RunShared(t, sharedStores(cfg))
}

// sharedStores opens two Stores on cfg's database, emptied first.
func sharedStores(cfg Config) storetest.SharedOpener {
	return func(t *testing.T) (graph.Store, graph.Store) {
		a, err := Open(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		if err := a.Wipe(context.Background()); err != nil {
			t.Fatal(err)
		}
		b, err := Open(context.Background(), cfg)
		if err != nil {
			a.Close()
			t.Fatal(err)
		}
		return a, b
	}
}

// cutProxy forwards TCP connections to a server and can cut every open one, as a
// restarting server or a broken network would.
type cutProxy struct {
	ln    net.Listener
	mu    sync.Mutex
	conns []net.Conn
}

// newCutProxy listens on a loopback port and forwards to target (host:port).
func newCutProxy(t *testing.T, target string) *cutProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &cutProxy{ln: ln}
	t.Cleanup(func() { ln.Close(); p.cut() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, s)
			p.mu.Unlock()
			go func() { io.Copy(s, c); s.Close() }()
			go func() { io.Copy(c, s); c.Close() }()
		}
	}()
	return p
}

// cut closes every connection made so far; new ones are still forwarded.
func (p *cutProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// TestImportRetriesADroppedConnection: a connection lost in the middle of an import
// is a transient failure the driver retries, so the import lands. The driver decides
// by type assertion, so this fails if the store hands it a wrapped error.
func TestImportRetriesADroppedConnection(t *testing.T) {
	cfg := liveConfig(t)
	u, err := url.Parse(cfg.URI)
	if err != nil {
		t.Fatal(err)
	}
	proxy := newCutProxy(t, u.Host)
	u.Host = proxy.ln.Addr().String()
	cfg.URI = u.String()
	s, err := Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Wipe(context.Background()); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	cuts := 0
	opts := graph.ImportOptions{Progress: func(done, total int) {
		once.Do(func() { proxy.cut(); cuts++ })
	}}
	if _, err := s.Import(context.Background(), storetest.Fixture(), opts); err != nil {
		t.Fatalf("import across a dropped connection: %v", err)
	}
	if cuts != 1 {
		t.Fatalf("the connection was cut %d times, want 1", cuts)
	}
	got, err := graph.ReadAll(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	if ok, table := storetest.Equal(got, storetest.Fixture()); !ok {
		t.Errorf("after the retried import, %s differs", table)
	}
}

// TestTxErrHandsTheDriverItsOwnError: wrapped, a connectivity error is not retryable
// to the driver; txErr unwraps it, and leaves server errors (found through wrapping)
// and everything else as they are.
func TestTxErrHandsTheDriverItsOwnError(t *testing.T) {
	conn := &neo4j.ConnectivityError{Inner: io.EOF}
	wrapped := fmt.Errorf("neo4j writing companies: %w", conn)
	if neo4j.IsRetryable(wrapped) {
		t.Fatal("the driver now sees through wrapping; txErr may be unnecessary")
	}
	if got := txErr(wrapped); got != error(conn) || !neo4j.IsRetryable(got) {
		t.Errorf("txErr(wrapped connectivity error) = %v, want the bare error", got)
	}
	if got := txErr(fmt.Errorf("x: %w", io.EOF)); got != io.EOF {
		t.Errorf("txErr(wrapped EOF) = %v", got)
	}
	server := fmt.Errorf("neo4j writing companies: %w", &neo4j.Neo4jError{Code: "Neo.TransientError.Transaction.DeadlockDetected"})
	if got := txErr(server); got != server || !neo4j.IsRetryable(got) {
		t.Errorf("txErr(server error) = %v, want it unchanged and retryable", got)
	}
	// Out of transaction memory: transient to the server, but the same transaction
	// would only run into the same limit again.
	oom := fmt.Errorf("neo4j writing supplies: %w", &neo4j.Neo4jError{Code: "Neo.TransientError.General.MemoryPoolOutOfMemoryError",
		Msg: "The allocation of an extra 2.0 MiB would use more than the limit 2.1 GiB."})
	if !neo4j.IsRetryable(oom) {
		t.Fatal("the driver no longer retries running out of memory; txErr's memoryError may be unnecessary")
	}
	if got := txErr(oom); neo4j.IsRetryable(got) || !strings.Contains(got.Error(), "2.1 GiB") || !strings.Contains(got.Error(), "MaxTxRecords") {
		t.Errorf("txErr(out of memory) = %v, retryable %v; want it not retried, with the server's message and advice", got, neo4j.IsRetryable(got))
	}
	other := errors.New("validation failed")
	if got := txErr(other); got != other {
		t.Errorf("txErr(other) = %v", got)
	}
	if txErr(nil) != nil {
		t.Error("txErr(nil) != nil")
	}
}

// lateFailure is a result whose statement failed after the server's first reply.
type lateFailure struct {
	neo4j.ResultWithContext
	err error
}

func (r lateFailure) Consume(context.Context) (neo4j.ResultSummary, error) { return nil, r.err }

// lateFailing runs every statement "successfully" but fails the one named in failOn
// when its result is consumed, as the driver reports errors that follow the RUN reply.
type lateFailing struct {
	failOn string
	ran    []string
}

func (r *lateFailing) Run(_ context.Context, q string, _ map[string]any, _ ...func(*neo4j.TransactionConfig)) (neo4j.ResultWithContext, error) {
	r.ran = append(r.ran, q)
	if q == r.failOn {
		return lateFailure{err: &neo4j.Neo4jError{Code: "Neo.DatabaseError.Schema.IndexPopulationFailed"}}, nil
	}
	return lateFailure{}, nil
}

// TestMigrateConsumesEveryResult: a schema statement whose failure arrives after the
// first reply fails Migrate, and Migrate ends by waiting for the indexes.
func TestMigrateConsumesEveryResult(t *testing.T) {
	r := &lateFailing{failOn: cypher("schema.company_region")}
	if err := migrate(context.Background(), r); err == nil || !strings.Contains(err.Error(), "company_region") {
		t.Errorf("migrate with a late failure = %v, want an error naming company_region", err)
	}
	r = &lateFailing{}
	if err := migrate(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	if last := r.ran[len(r.ran)-1]; last != cypher("admin.await_indexes") {
		t.Errorf("migrate ended with %q, want it to wait for the indexes", last)
	}
}

// TestMigrateWaitsForIndexes: an index created over existing data is populated in the
// background; Migrate returns only once it is online.
func TestMigrateWaitsForIndexes(t *testing.T) {
	s := liveStore(t)
	ctx := context.Background()
	t.Cleanup(func() { s.Wipe(ctx) })
	// Enough companies that populating an index over them takes a while.
	exec(t, s, "UNWIND range(1, 100000) AS i CREATE (:Company {id: 'IDX-' + i, region_code: 'R' + (i % 100)})")
	exec(t, s, "DROP INDEX company_region")
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	r := exec(t, s, "SHOW INDEXES YIELD name, state WHERE state <> 'ONLINE' RETURN name, state")
	for _, rec := range r.Records {
		t.Errorf("after Migrate, index %v is %v", rec.Values[0], rec.Values[1])
	}
}

// TestOpenRefusesAWrongPassword: the server checks credentials (as a test server
// must, or the tests prove nothing about them), and the error does not echo the
// password.
func TestOpenRefusesAWrongPassword(t *testing.T) {
	cfg := liveConfig(t)
	cfg.Password = "not-" + cfg.Password + "-really"
	s, err := Open(context.Background(), cfg)
	if err == nil {
		s.Close()
		t.Fatal("Open with a wrong password succeeded: is authentication off on the server?")
	}
	if !strings.Contains(err.Error(), "Unauthorized") {
		t.Errorf("Open with a wrong password: %v, want the server's Unauthorized", err)
	}
	if strings.Contains(err.Error(), cfg.Password) {
		t.Errorf("the error shows the password: %v", err)
	}
}
