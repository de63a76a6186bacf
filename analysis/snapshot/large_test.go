package snapshot_test

// Issue 9's size check: 1M companies / 10M supplies. Run with
//
//	CHAINMAP_BENCH_LARGE=1 CHAINMAP_BENCH_DB=/tmp/chainmap-1m10m.db \
//	  go test -count=1 -run TestLargeImport -v -timeout 60m ./analysis/snapshot/
//	CHAINMAP_BENCH_LARGE=1 CHAINMAP_BENCH_DB=/tmp/chainmap-1m10m.db \
//	  go test -count=1 -run TestLargeBuild -v -timeout 60m ./analysis/snapshot/
//
// TestLargeImport writes the generated ecosystem into an embedded store (skipped when
// the file already holds it); TestLargeBuild times snapshot.Build from that store and
// from the generator, the district diagnosis and the targets for the biggest link,
// and reports peak RSS (VmHWM) per phase.

import (
	"context"
	"iter"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chainmap/chainmap/analysis/diagnose"
	"github.com/chainmap/chainmap/analysis/snapshot"
	"github.com/chainmap/chainmap/analysis/targets"
	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/graph/sqlite"
	"github.com/chainmap/chainmap/seed/synthetic"
)

var largeConfig = synthetic.Config{Companies: 1_000_000, Supplies: 10_000_000, Regions: 200, Chains: 20, Seed: 1}

func largeEnv(t *testing.T) (string, *synthetic.Ecosystem) {
	if os.Getenv("CHAINMAP_BENCH_LARGE") == "" {
		t.Skip("set CHAINMAP_BENCH_LARGE=1 to run")
	}
	path := os.Getenv("CHAINMAP_BENCH_DB")
	if path == "" {
		path = filepath.Join(os.TempDir(), "chainmap-1m10m.db")
	}
	eco, err := synthetic.New(largeConfig)
	if err != nil {
		t.Fatal(err)
	}
	return path, eco
}

// vmHWM returns the process's peak resident set size in bytes (0 if unknown).
func vmHWM() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// resetHWM returns freed memory to the OS and resets the peak RSS to the current RSS
// (Linux ≥ 4.0), so the next phase's peak can be read on its own.
func resetHWM() {
	runtime.GC()
	debug.FreeOSMemory()
	os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

func gb(n int64) string { return strconv.FormatFloat(float64(n)/1e9, 'f', 2, 64) + " GB" }

func TestLargeImport(t *testing.T) {
	path, eco := largeEnv(t)
	ctx := context.Background()
	if _, err := os.Stat(path); err == nil {
		t.Skipf("%s exists; remove it to re-import", path)
	}
	store, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	start := time.Now()
	imp := func(ds *graph.Dataset) {
		t0 := time.Now()
		res, err := store.Import(ctx, ds, graph.ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("imported %d rows in %v", res.Written(), time.Since(t0).Round(time.Millisecond))
	}
	// The reference tables and the companies in one import, then the supplies in
	// chunks of 1M (each validated against the stored companies), then the projects.
	ds, err := graph.ReadAll(ctx, onlyReference{eco})
	if err != nil {
		t.Fatal(err)
	}
	imp(ds)
	const chunk = 1_000_000
	ds = &graph.Dataset{Supplies: make([]graph.Supply, 0, chunk)}
	for x, err := range eco.Supplies(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		ds.Supplies = append(ds.Supplies, x)
		if len(ds.Supplies) == chunk {
			imp(ds)
			ds.Supplies = ds.Supplies[:0]
		}
	}
	if len(ds.Supplies) > 0 {
		imp(ds)
	}
	ds = &graph.Dataset{}
	for x, err := range eco.Projects(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		ds.Projects = append(ds.Projects, x)
	}
	for x, err := range eco.ProjectEvents(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		ds.ProjectEvents = append(ds.ProjectEvents, x)
	}
	imp(ds)
	counts, err := store.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, n := range counts {
		total += n
	}
	el := time.Since(start)
	t.Logf("import of %d rows into %s: %v (%.0f rows/s), peak RSS %s; counts %v", total, path,
		el.Round(time.Millisecond), float64(total)/el.Seconds(), gb(vmHWM()), counts)
}

// onlyReference serves the reference tables and companies of a Reader, with no
// supplies or projects.
type onlyReference struct{ *synthetic.Ecosystem }

func (onlyReference) Supplies(ctx context.Context) iter.Seq2[graph.Supply, error] {
	return func(func(graph.Supply, error) bool) {}
}
func (onlyReference) Projects(ctx context.Context) iter.Seq2[graph.Project, error] {
	return func(func(graph.Project, error) bool) {}
}
func (onlyReference) ProjectEvents(ctx context.Context) iter.Seq2[graph.ProjectEvent, error] {
	return func(func(graph.ProjectEvent, error) bool) {}
}

func TestLargeBuild(t *testing.T) {
	path, eco := largeEnv(t)
	ctx := context.Background()
	if _, err := os.Stat(path); err != nil {
		t.Skipf("%s missing: run TestLargeImport first", path)
	}
	store, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	t.Logf("GOMAXPROCS %d, start RSS peak %s", runtime.GOMAXPROCS(0), gb(vmHWM()))

	resetHWM()
	t0 := time.Now()
	s, err := snapshot.Build(ctx, store)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("build from store: %v (%d companies, %d ties, %d projects), peak RSS %s",
		time.Since(t0).Round(time.Millisecond), len(s.Companies), len(s.Ties), len(s.Projects), gb(vmHWM()))
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	t.Logf("snapshot live heap after GC: %s", gb(int64(ms.HeapAlloc)))

	// Analyses on the store's snapshot.
	var diagT, rankT time.Duration
	for range 3 {
		t1 := time.Now()
		if _, err := diagnose.Diagnose(s, "110102", "", diagnose.DefaultParams()); err != nil {
			t.Fatal(err)
		}
		t2 := time.Now()
		best := 0
		for l := range s.Links {
			if len(s.LinkCompanies[l]) > len(s.LinkCompanies[best]) {
				best = l
			}
		}
		t3 := time.Now()
		res, err := targets.Rank(s, "110102", s.Links[best].ID, targets.DefaultParams())
		if err != nil {
			t.Fatal(err)
		}
		t4 := time.Now()
		if diagT == 0 || t2.Sub(t1) < diagT {
			diagT = t2.Sub(t1)
		}
		if rankT == 0 || t4.Sub(t3) < rankT {
			rankT = t4.Sub(t3)
		}
		t.Logf("diagnose 110102 all chains %v; targets 110102 %s (%d firms, %d candidates, %d demand) %v; together %v",
			t2.Sub(t1).Round(time.Millisecond), s.Links[best].ID, len(s.LinkCompanies[best]), res.Candidates, res.Demand,
			t4.Sub(t3).Round(time.Millisecond), (t2.Sub(t1) + t4.Sub(t3)).Round(time.Millisecond))
	}
	t.Logf("best: diagnose %v + targets %v = %v; peak RSS so far %s", diagT.Round(time.Millisecond),
		rankT.Round(time.Millisecond), (diagT + rankT).Round(time.Millisecond), gb(vmHWM()))
	s = nil

	resetHWM()
	t0 = time.Now()
	s, err = snapshot.Build(ctx, eco)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("build from generator: %v (%d companies, %d ties), peak RSS %s",
		time.Since(t0).Round(time.Millisecond), len(s.Companies), len(s.Ties), gb(vmHWM()))
	t0 = time.Now()
	s, err = snapshot.Build(ctx, eco)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("build from generator (index warm): %v, peak RSS %s", time.Since(t0).Round(time.Millisecond), gb(vmHWM()))
	runtime.KeepAlive(s)
	t.Logf("process peak RSS %s", gb(vmHWM()))
}
