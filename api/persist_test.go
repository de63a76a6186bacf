package api

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/chainmap/chainmap/api/auth"
	"github.com/chainmap/chainmap/graph"
)

// TestPersistedSnapshot: a server saves its built snapshot beside the store; the next
// server on the same data loads it instead of building and answers the same; after a
// change to the data, or with a corrupted file, it builds again.
func TestPersistedSnapshot(t *testing.T) {
	e := newEnv(t, false)
	path := filepath.Join(t.TempDir(), "api.db.snapshot")
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	serve := func() *env {
		f := *e
		f.srv = New(e.store, Options{Version: "test", Auth: e.srv.opts.Auth, Logger: quiet, SnapshotFile: path})
		return &f
	}
	diagnosis := "/api/v1/analysis/diagnosis?region=321100&chain=CH_EV"
	a := serve()
	first := a.do(t, auth.Viewer, "GET", diagnosis, nil).Body.String()
	a.srv.snaps.saving.Wait()
	if a.srv.snaps.loaded != 0 || a.srv.snaps.builds != 1 {
		t.Fatalf("first server: loaded %d, builds %d", a.srv.snaps.loaded, a.srv.snaps.builds)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("no snapshot saved: %v", err)
	}
	b := serve()
	if got := b.do(t, auth.Viewer, "GET", diagnosis, nil).Body.String(); got != first || b.srv.snaps.loaded != 1 {
		t.Fatalf("second server: loaded %d, same answer %v", b.srv.snaps.loaded, got == first)
	}
	// A change to the data makes the file stale.
	ds := &graph.Dataset{Companies: []graph.Company{{ID: "PERSIST-1", Name: "新企业", RegionCode: "321181"}}}
	if _, err := e.store.Import(context.Background(), ds, graph.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	c := serve()
	if w := c.do(t, auth.Viewer, "GET", "/api/v1/companies/PERSIST-1", nil); w.Code != 200 || c.srv.snaps.loaded != 0 {
		t.Fatalf("after a change: %d, loaded %d", w.Code, c.srv.snaps.loaded)
	}
	c.srv.snaps.saving.Wait()
	// A corrupted file is rebuilt, never trusted.
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	raw[len(raw)/2] ^= 1
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	d := serve()
	if w := d.do(t, auth.Viewer, "GET", "/api/v1/companies/PERSIST-1", nil); w.Code != 200 || d.srv.snaps.loaded != 0 || d.srv.snaps.builds != 1 {
		t.Fatalf("corrupted file: %d, loaded %d, builds %d", w.Code, d.srv.snaps.loaded, d.srv.snaps.builds)
	}
}
