package api

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/pprof"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chainmap/chainmap/api/auth"
	"github.com/chainmap/chainmap/graph"
)

// concurrentReads are the analyses and lists that readers hammer while writers import.
var concurrentReads = []string{
	"/api/v1/analysis/diagnosis?region=321100&chain=CH_EV",
	"/api/v1/analysis/targets?region=321100&link=EV_M3&limit=10",
	"/api/v1/analysis/kpi?from=2025-01-01&to=2025-12-31&min_investment=0",
	"/api/v1/analysis/leaders?region=321100&chain=CH_MD",
	"/api/v1/analysis/chokepoints?region=321100",
	"/api/v1/companies?q=并发",
	"/api/v1/projects?page_size=500",
}

// TestConcurrentImportsAndAnalyses runs file imports (valid and invalid), project
// writes and analyses at once against one server — under -race in CI — and then
// checks that nothing deadlocked, every valid write is there and every invalid one
// absent, the store file is sound, and the server's (cached, patched) answers equal
// those of a fresh server over the same store.
func TestConcurrentImportsAndAnalyses(t *testing.T) {
	e := newEnv(t, false)
	ctx := context.Background()
	before, err := e.store.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	const importers, imports, projectWriters, projectsEach, readers = 2, 6, 2, 8, 3
	var wg sync.WaitGroup
	var writersLeft atomic.Int32
	writersLeft.Store(importers + projectWriters)
	var reads atomic.Int64

	for w := range importers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer writersLeft.Add(-1)
			for i := range imports {
				id := fmt.Sprintf("CC-%d-%d", w, i)
				good := fmt.Sprintf("id,name,region_code\n%s,并发企业%d%d,321181\n", id, w, i)
				if w := upload(t, e, auth.Editor, "companies.csv", []byte(good), "?table=companies"); w.Code != 200 {
					t.Errorf("import %s: %d %s", id, w.Code, truncate(w.Body.String()))
				}
				// Half valid, half not: the import must be refused whole.
				bad := fmt.Sprintf("id,name,region_code\nBAD-%d-%d,坏数据,321181\nBAD2-%d-%d,,999\n", w, i, w, i)
				if w := upload(t, e, auth.Editor, "companies.csv", []byte(bad), "?table=companies"); w.Code != 422 {
					t.Errorf("invalid import %d: %d, want 422", i, w.Code)
				}
			}
		}()
	}
	for w := range projectWriters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer writersLeft.Add(-1)
			for i := range projectsEach {
				p := graph.Project{ID: fmt.Sprintf("CP-%d-%d", w, i), Name: "并发项目", RegionCode: "321181",
					InvestmentWan: 20000, Stage: graph.Signed, SignedOn: "2025-03-01", LinkID: "EV_M3"}
				if r := e.do(t, auth.Editor, "POST", "/api/v1/projects", p); r.Code != 201 {
					t.Errorf("create %s: %d %s", p.ID, r.Code, truncate(r.Body.String()))
					continue
				}
				if i%2 == 0 {
					tr := TransitionRequest{To: graph.Started, On: "2025-04-01"}
					if r := e.do(t, auth.Editor, "POST", "/api/v1/projects/"+p.ID+"/transitions", tr); r.Code != 200 {
						t.Errorf("advance %s: %d %s", p.ID, r.Code, truncate(r.Body.String()))
					}
				}
			}
		}()
	}
	for r := range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := r; writersLeft.Load() > 0; i++ {
				path := concurrentReads[i%len(concurrentReads)]
				if w := e.do(t, auth.Viewer, "GET", path, nil); w.Code != 200 {
					t.Errorf("GET %s: %d %s", path, w.Code, truncate(w.Body.String()))
				}
				reads.Add(1)
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(3 * time.Minute):
		pprof.Lookup("goroutine").WriteTo(os.Stderr, 1)
		t.Fatal("deadlock: the workers did not finish in 3 minutes (goroutines above)")
	}
	t.Logf("%d imports, %d project writes, %d reads", importers*imports*2, projectWriters*projectsEach*3/2, reads.Load())

	after, err := e.store.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := after[graph.TCompanies], before[graph.TCompanies]+importers*imports; got != want {
		t.Errorf("companies: %d, want %d", got, want)
	}
	if got, want := after[graph.TProjects], before[graph.TProjects]+projectWriters*projectsEach; got != want {
		t.Errorf("projects: %d, want %d", got, want)
	}
	if w := e.do(t, auth.Viewer, "GET", "/api/v1/companies?q=坏数据", nil); !strings.Contains(w.Body.String(), `"total":0`) {
		t.Errorf("a row of a refused import was stored: %s", truncate(w.Body.String()))
	}
	if err := e.store.Verify(ctx); err != nil {
		t.Errorf("store after concurrent writes: %v", err)
	}
	// The long-running server's caches and patched snapshot must agree with a server
	// that reads the store afresh.
	fresh := New(e.store, Options{Version: "test", Auth: e.srv.opts.Auth, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	for _, path := range concurrentReads {
		live := e.do(t, auth.Viewer, "GET", path, nil)
		e2 := &env{srv: fresh, store: e.store, tokens: e.tokens}
		again := e2.do(t, auth.Viewer, "GET", path, nil)
		if live.Code != 200 || live.Body.String() != again.Body.String() {
			t.Errorf("%s: the live server answers differently from a fresh one:\nlive  %s\nfresh %s",
				path, truncate(live.Body.String()), truncate(again.Body.String()))
		}
	}
}
