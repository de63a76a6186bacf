package api

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"runtime/pprof"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chainmap/chainmap/api/auth"
	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/graph/sqlite"
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

// TestServerSeesOtherWriters (issue 15): after an import by another process into its
// database, a running server kept answering from its old snapshot — the new company
// 404, even after its own writes. A second Store on the same file stands for the
// other process (its writes count as another writer's).
func TestServerSeesOtherWriters(t *testing.T) {
	e := newEnv(t, false)
	ctx := context.Background()
	path := e.store.Path()
	if w := e.do(t, auth.Viewer, "GET", "/api/v1/companies/OTHER-1", nil); w.Code != 404 {
		t.Fatalf("before: %d", w.Code)
	}
	diagnosis := "/api/v1/analysis/diagnosis?region=321100&chain=CH_EV"
	before := e.do(t, auth.Viewer, "GET", diagnosis, nil).Body.String()
	// The server's own project write patches its snapshot rather than rebuilding it.
	p := graph.Project{ID: "OWN-1", Name: "本进程项目", RegionCode: "321181", InvestmentWan: 20000, Stage: graph.Signed,
		SignedOn: "2025-03-01", LinkID: "EV_M3"}
	if w := e.do(t, auth.Editor, "POST", "/api/v1/projects", p); w.Code != 201 {
		t.Fatalf("own write: %d %s", w.Code, truncate(w.Body.String()))
	}
	builds := e.srv.snaps.builds

	other, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	ds := &graph.Dataset{
		Companies:    []graph.Company{{ID: "OTHER-1", Name: "另一进程写入的企业", RegionCode: "321181", RevenueWan: 500000}},
		CompanyLinks: []graph.CompanyLink{{CompanyID: "OTHER-1", LinkID: "EV_M3"}},
	}
	if _, err := other.Import(ctx, ds, graph.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		w := e.do(t, auth.Viewer, "GET", "/api/v1/companies/OTHER-1", nil)
		if w.Code == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server never saw the other writer's company: %d", w.Code)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if after := e.do(t, auth.Viewer, "GET", diagnosis, nil).Body.String(); after == before {
		t.Error("the diagnosis did not change with the other writer's firm on EV_M3")
	}
	if w := e.do(t, auth.Viewer, "GET", "/api/v1/companies?q=另一进程", nil); !strings.Contains(w.Body.String(), "OTHER-1") {
		t.Errorf("search does not find the other writer's company: %s", truncate(w.Body.String()))
	}
	if w := e.do(t, auth.Viewer, "GET", "/api/v1/projects/OWN-1", nil); w.Code != 200 {
		t.Errorf("the server's own project after the rebuild: %d", w.Code)
	}
	// Own writes alone are not mistaken for another writer's: no rebuild.
	time.Sleep(2 * defaultCheckEvery)
	e.do(t, auth.Viewer, "GET", diagnosis, nil)
	n := e.srv.snaps.builds
	tr := TransitionRequest{To: graph.Started, On: "2025-04-01"}
	if w := e.do(t, auth.Editor, "POST", "/api/v1/projects/OWN-1/transitions", tr); w.Code != 200 {
		t.Fatalf("own transition: %d %s", w.Code, truncate(w.Body.String()))
	}
	time.Sleep(2 * defaultCheckEvery)
	e.do(t, auth.Viewer, "GET", diagnosis, nil)
	if e.srv.snaps.builds != n {
		t.Errorf("the server's own project write caused a full rebuild (%d → %d builds)", n, e.srv.snaps.builds)
	}
	t.Logf("builds: %d before the other writer, %d after", builds, n)
}

// TestWritesBehindALongImportGet503 (issue 15): during a 66 s CLI import every API
// write failed after 10 s with 500 "database is locked". A write now waits its
// bounded turn and then answers 503 problem+json with Retry-After, writing nothing;
// once the other writer is done, writes go through.
func TestWritesBehindALongImportGet503(t *testing.T) {
	e := newEnv(t, false)
	ctx := context.Background()
	e.store.SetWriteWait(300 * time.Millisecond)
	// Another process in the middle of a long import: it holds the write lock.
	raw, err := sql.Open("sqlite", "file:"+e.store.Path()+"?_pragma=busy_timeout(10000)&_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	tx, err := raw.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(`UPDATE companies SET name = name WHERE 0`); err != nil {
		t.Fatal(err)
	}
	p := graph.Project{ID: "WAIT-1", Name: "排队项目", RegionCode: "321181", Stage: graph.Negotiating}
	start := time.Now()
	var wg sync.WaitGroup
	codes := make([]*httptest.ResponseRecorder, 4)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			q := p
			q.ID = fmt.Sprintf("WAIT-%d", i)
			codes[i] = e.do(t, auth.Editor, "POST", "/api/v1/projects", q)
		}()
	}
	wg.Wait()
	took := time.Since(start)
	for i, w := range codes {
		var prob Problem
		json.Unmarshal(w.Body.Bytes(), &prob)
		if w.Code != 503 || w.Header().Get("Retry-After") == "" || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/problem+json") ||
			prob.Code != graph.EUNAVAILABLE {
			t.Errorf("write %d behind the lock: %d Retry-After %q %s", i, w.Code, w.Header().Get("Retry-After"), truncate(w.Body.String()))
		}
	}
	if took > 5*time.Second {
		t.Errorf("the writes waited %v, far beyond their 300 ms", took)
	}
	tx.Rollback()
	if got, err := e.store.Existing(ctx, graph.TProjects, []string{"WAIT-0", "WAIT-1", "WAIT-2", "WAIT-3"}); err != nil || len(got) != 0 {
		t.Errorf("a refused write was stored: %v %v", got, err)
	}
	if w := e.do(t, auth.Editor, "POST", "/api/v1/projects", p); w.Code != 201 {
		t.Errorf("after the other writer: %d %s", w.Code, truncate(w.Body.String()))
	}
}

// TestAuditOutboxDelivery: a write's audit entry is kept in the write's transaction
// and, once the server has recorded its own entry, forgotten; an entry left behind
// by a server that died after the commit is recorded by the next server, once
// however often it is delivered.
func TestAuditOutboxDelivery(t *testing.T) {
	e := newEnv(t, false)
	ctx := context.Background()
	p := graph.Project{ID: "AUD-1", Name: "审计项目", RegionCode: "321181", Stage: graph.Negotiating}
	if w := e.do(t, auth.Editor, "POST", "/api/v1/projects", p); w.Code != 201 {
		t.Fatalf("create: %d %s", w.Code, truncate(w.Body.String()))
	}
	if pending, err := e.store.PendingAudit(ctx); err != nil || len(pending) != 0 {
		t.Errorf("after a recorded write the outbox holds %d entries (%v)", len(pending), err)
	}
	entries, _ := e.srv.opts.Auth.AuditLog(ctx, auth.AuditFilter{Action: "登记项目 / create a project"})
	if len(entries) != 1 || entries[0].Ref == "" || entries[0].Status != 201 || entries[0].User != "u-editor" {
		t.Fatalf("the create's entry: %+v", entries)
	}
	// A server that died between the commit and its own audit entry: the entry
	// is only in the outbox.
	q := graph.Project{ID: "AUD-2", Name: "崩溃前的项目", RegionCode: "321181", Stage: graph.Negotiating}
	rec := &graph.AuditRecord{Ref: "crash-ref-1", Entry: []byte(`{"user":"u-editor","role":"editor","action":"登记项目 / create a project","method":"POST","path":"/api/v1/projects","status":201,"after":"{\"id\":\"AUD-2\"}"}`)}
	if _, err := e.store.Import(ctx, &graph.Dataset{Projects: []graph.Project{q}}, graph.ImportOptions{Audit: rec}); err != nil {
		t.Fatal(err)
	}
	// A refused write keeps nothing.
	bad := &graph.AuditRecord{Ref: "refused-ref", Entry: []byte(`{"action":"x"}`)}
	if _, err := e.store.Import(ctx, &graph.Dataset{Projects: []graph.Project{{ID: "AUD-3"}}}, graph.ImportOptions{Audit: bad}); err == nil {
		t.Fatal("an invalid project was stored")
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	for range 2 { // two restarts: recorded once
		New(e.store, Options{Version: "test", Auth: e.srv.opts.Auth, Logger: quiet})
	}
	entries, _ = e.srv.opts.Auth.AuditLog(ctx, auth.AuditFilter{Action: "登记项目 / create a project"})
	refs := map[string]int{}
	for _, x := range entries {
		refs[x.Ref]++
	}
	if len(entries) != 2 || refs["crash-ref-1"] != 1 || refs["refused-ref"] != 0 {
		t.Errorf("after the restarts: %+v", entries)
	}
	if pending, _ := e.store.PendingAudit(ctx); len(pending) != 0 {
		t.Errorf("the outbox still holds %d entries", len(pending))
	}
}
