package neo4j

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	osexec "os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/graph/storetest"
	"github.com/chainmap/chainmap/seed/synthetic"
)

// stagedConfig is liveConfig with every import staged, in batches of a few rows so
// that even the fixture takes several transactions, and quick heartbeats.
func stagedConfig(t *testing.T) Config {
	cfg := liveConfig(t)
	cfg.MaxTxRecords, cfg.batchRows = -1, 3
	cfg.staleAfter, cfg.beatEvery = 2*time.Second, 200*time.Millisecond
	return cfg
}

// openStaged opens the live Neo4j with stagedConfig and empties it.
func openStaged(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), stagedConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Wipe(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestConformanceStaged runs the whole conformance suite with every import staged:
// the staged path keeps the store's contract (counts, upserts, validation, dry runs,
// history, concurrent writers).
func TestConformanceStaged(t *testing.T) {
	cfg := stagedConfig(t)
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

// TestConformanceSharedStaged: other writers and the audit outbox with every import
// staged (the count and the entry are written by the publishing transaction).
func TestConformanceSharedStaged(t *testing.T) {
	cfg := stagedConfig(t)
	storetest.RunShared(t, sharedStores(cfg))
}

// stagedLeft counts the staged nodes and registered imports in the database.
func stagedLeft(t *testing.T, s *Store) (nodes, imports int64) {
	t.Helper()
	r := exec(t, s, "MATCH (n:Staged) WITH count(n) AS nodes OPTIONAL MATCH (i:ChainmapImport) RETURN nodes, count(i) AS imports")
	return r.Records[0].Values[0].(int64), r.Records[0].Values[1].(int64)
}

// generatedConfig is a synthetic ecosystem of a few thousand records.
var generatedConfig = synthetic.Config{Companies: 400, Supplies: 2000, Regions: 6, Chains: 2, Seed: 7}

// generated returns the ecosystem of generatedConfig.
func generated(t *testing.T) *graph.Dataset {
	t.Helper()
	eco, err := synthetic.New(generatedConfig)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := graph.ReadAll(context.Background(), eco)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// TestStagedImportFailingMidwayLeavesNothing: a staged import that fails while staging,
// or in its final transaction, leaves the store exactly as it was and no staging.
func TestStagedImportFailingMidwayLeavesNothing(t *testing.T) {
	s := openStaged(t)
	s.cfg.batchRows = 200
	ctx := context.Background()
	base := storetest.Fixture()
	if _, err := s.Import(ctx, base, graph.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	before, err := graph.ReadAll(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	injected := errors.New("injected failure")
	for _, point := range []string{"batch", "publish"} {
		t.Run(point, func(t *testing.T) {
			batches := 0
			s.hook = func(p string) error {
				if p == "batch" {
					batches++
				}
				if p == point && (p == "publish" || batches == 5) {
					// What is staged so far is invisible to every read.
					if now, err := graph.ReadAll(ctx, s); err != nil || !storeEqual(now, before) {
						t.Errorf("staged records are visible (err %v)", err)
					}
					if n, _ := stagedLeft(t, s); n == 0 {
						t.Error("nothing was staged before the failure")
					}
					return injected
				}
				return nil
			}
			defer func() { s.hook = nil }()
			_, err := s.Import(ctx, generated(t), graph.ImportOptions{})
			if !errors.Is(err, injected) {
				t.Fatalf("import = %v, want the injected failure", err)
			}
			after, err := graph.ReadAll(ctx, s)
			if err != nil {
				t.Fatal(err)
			}
			if ok, table := storetest.Equal(before, after); !ok {
				t.Errorf("a failed staged import changed %s", table)
			}
			if n, i := stagedLeft(t, s); n != 0 || i != 0 {
				t.Errorf("%d staged nodes and %d registrations left", n, i)
			}
		})
	}
	// And the same import, not interrupted, lands whole.
	ds := generated(t)
	res, err := s.Import(ctx, ds, graph.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Changes[graph.TSupplies].Inserted != len(ds.Supplies) {
		t.Errorf("supplies: %+v, want %d inserted", res.Changes[graph.TSupplies], len(ds.Supplies))
	}
	counts, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if counts[graph.TCompanies] != len(base.Companies)+len(ds.Companies) || counts[graph.TSupplies] != len(base.Supplies)+len(ds.Supplies) {
		t.Errorf("counts after the staged import: %v", counts)
	}
}

// TestStagedPublishOutlastsTheHeartbeat: the final transaction may take longer than
// the heartbeat's period (at scale it takes minutes). The heartbeat has stopped by
// then: a beat waiting for the registration's lock, which the final transaction holds,
// would see the registration gone at commit and cancel an import that had landed (a
// 100k/1M import was reported failed that way).
func TestStagedPublishOutlastsTheHeartbeat(t *testing.T) {
	s := openStaged(t)
	var beats, inFlight, during atomic.Int32
	s.hook = func(p string) error {
		switch p {
		case "beat":
			beats.Add(1)
			inFlight.Add(1)
		case "beaten":
			inFlight.Add(-1)
		case "publish":
			before := beats.Load()
			time.Sleep(5 * s.cfg.beatEvery)
			during.Store(inFlight.Load() + beats.Load() - before)
		}
		return nil
	}
	ds := generated(t)
	if _, err := s.Import(context.Background(), ds, graph.ImportOptions{}); err != nil {
		t.Fatalf("import: %v", err)
	}
	if n := during.Load(); n != 0 {
		t.Errorf("%d heartbeats waiting or started during the final transaction", n)
	}
	if beats.Load() == 0 {
		t.Error("no heartbeat while staging: the test proves nothing")
	}
	if counts, err := s.Counts(context.Background()); err != nil || counts[graph.TSupplies] != len(ds.Supplies) {
		t.Errorf("supplies stored: %d (%v), want %d", counts[graph.TSupplies], err, len(ds.Supplies))
	}
}

// storeEqual reports whether two datasets hold the same records.
func storeEqual(a, b *graph.Dataset) bool {
	ok, _ := storetest.Equal(a, b)
	return ok
}

// TestStagedImportWaitsForAnother: while a staged import is registered and alive,
// another import waits, and runs once it is gone.
func TestStagedImportWaitsForAnother(t *testing.T) {
	s := openStaged(t)
	ctx := context.Background()
	exec(t, s, "CREATE (:ChainmapImport {id: 'other', started: '', beat: timestamp()})")
	c := storetest.Fixture()
	small := &graph.Dataset{Regions: c.Regions}
	short, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	single := *s
	single.cfg.MaxTxRecords = 1000
	if _, err := single.Import(short, small, graph.ImportOptions{}); err == nil || !strings.Contains(err.Error(), "waiting for a staged import") {
		t.Fatalf("an import during a live staged import = %v, want it to wait", err)
	}
	// Once the other import's heartbeat is stale, it is cleared away and imports run.
	start := time.Now()
	if _, err := s.Import(ctx, small, graph.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if waited := time.Since(start); waited < s.cfg.staleAfter/2 {
		t.Errorf("the import waited %v, less than the other import's heartbeat lasts", waited)
	}
	if _, i := stagedLeft(t, s); i != 0 {
		t.Errorf("%d registrations left", i)
	}
}

// killedChild is set in the environment of the process TestKilledStagedImportIsCleanedUp
// starts: it runs a staged import that stops after a few batches and waits to be killed.
const killedChild = "CHAINMAP_TEST_STAGED_CHILD"

// TestMain runs this binary as that child when killedChild is set.
func TestMain(m *testing.M) {
	if os.Getenv(killedChild) == "1" {
		stagedChild()
		return
	}
	os.Exit(m.Run())
}

// stagedChild is the child's side: it prints STAGED after its third staged batch and
// blocks there.
func stagedChild() {
	cfg := Config{URI: os.Getenv("NEO4J_URI"), User: os.Getenv("NEO4J_USER"), Password: os.Getenv("NEO4J_PASSWORD"),
		Database: os.Getenv("NEO4J_DATABASE"), MaxTxRecords: -1, batchRows: 200, beatEvery: 200 * time.Millisecond}
	s, err := Open(context.Background(), cfg)
	if err != nil {
		fmt.Println("child:", err)
		os.Exit(1)
	}
	batches := 0
	s.hook = func(p string) error {
		if p != "batch" {
			return nil
		}
		if batches++; batches == 3 {
			fmt.Println("STAGED")
			select {} // wait for the kill
		}
		return nil
	}
	eco, err := synthetic.New(generatedConfig)
	if err == nil {
		var ds *graph.Dataset
		if ds, err = graph.ReadAll(context.Background(), eco); err == nil {
			_, err = s.Import(context.Background(), ds, graph.ImportOptions{})
		}
	}
	fmt.Println("child: the import ended; it should have been killed:", err)
	os.Exit(1)
}

// TestKilledStagedImportIsCleanedUp: a process killed in the middle of a staged import
// leaves staged records no read sees; once its heartbeat is stale, the next Open
// deletes them.
func TestKilledStagedImportIsCleanedUp(t *testing.T) {
	s := openStaged(t)
	ctx := context.Background()
	if _, err := s.Import(ctx, storetest.Fixture(), graph.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	before, err := graph.ReadAll(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	child := childCommand()
	out, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(out)
	for lines.Scan() && lines.Text() != "STAGED" {
	}
	if lines.Text() != "STAGED" {
		child.Process.Kill()
		child.Wait()
		t.Fatal("the child ended before staging anything")
	}
	if err := child.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	child.Wait()
	if n, i := stagedLeft(t, s); n == 0 || i != 1 {
		t.Fatalf("after the kill: %d staged nodes, %d registrations; want some and 1", n, i)
	}
	now, err := graph.ReadAll(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if ok, table := storetest.Equal(before, now); !ok {
		t.Errorf("the killed import's staging shows in %s", table)
	}
	// Opened before the heartbeat is stale, the import still counts as running.
	s2, err := Open(ctx, stagedConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	s2.Close()
	if n, _ := stagedLeft(t, s); n == 0 {
		t.Fatal("Open deleted the staging of an import whose heartbeat was fresh")
	}
	time.Sleep(s.cfg.staleAfter + 500*time.Millisecond)
	s3, err := Open(ctx, stagedConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	s3.Close()
	if n, i := stagedLeft(t, s); n != 0 || i != 0 {
		t.Errorf("after the next Open: %d staged nodes and %d registrations left", n, i)
	}
	after, err := graph.ReadAll(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if ok, table := storetest.Equal(before, after); !ok {
		t.Errorf("cleaning up changed %s", table)
	}
}

// childCommand returns the command that runs this test binary as the killed child.
func childCommand() *osexec.Cmd {
	cmd := osexec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), killedChild+"=1")
	cmd.Stderr = os.Stderr
	return cmd
}
