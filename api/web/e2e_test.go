package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/chainmap/chainmap/api"
	"github.com/chainmap/chainmap/api/auth"
	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/graph/sqlite"
	"github.com/chainmap/chainmap/seed/zhenjiang"
)

// TestBrowser runs the end-to-end browser tests (e2e/run.mjs: Debian Chromium driven
// by playwright-core) against a real server over the Zhenjiang demo on loopback, and
// writes the screenshots to docs/screenshots. It skips, saying why, where Chromium,
// Node or the npm packages are missing; .ci/run installs them.
func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests skipped in -short mode")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not found: browser tests skipped")
	}
	if _, err := exec.LookPath("chromium"); err != nil {
		t.Skip("Debian chromium not found (apt-get install chromium fonts-wqy-microhei): browser tests skipped")
	}
	for _, pkg := range []string{"playwright-core", "axe-core"} {
		if _, err := os.Stat("node_modules/" + pkg); err != nil {
			t.Skip("npm packages missing (npm ci --prefix api/web): browser tests skipped")
		}
	}
	ctx := context.Background()
	dir := t.TempDir()
	store, err := sqlite.Open(ctx, filepath.Join(dir, "e2e.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if _, err := store.Import(ctx, zhenjiang.Dataset(), graph.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	// A spreadsheet may carry markup in a name; the UI must show it as text.
	hostile := graph.Company{ID: "ZZ-XSS", Name: `<img src=x onerror="window.__xss=1">恶意企业`, RegionCode: "321181"}
	if _, err := store.Import(ctx, &graph.Dataset{Companies: []graph.Company{hostile}}, graph.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	users, err := auth.Open(ctx, filepath.Join(dir, "auth.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer users.Close()
	for _, u := range []struct {
		name, pass string
		role       auth.Role
	}{{"editor1", "editor-pass-123", auth.Editor}, {"viewer1", "viewer-pass-123", auth.Viewer}} {
		if err := users.AddUser(ctx, u.name, u.pass, u.role); err != nil {
			t.Fatal(err)
		}
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := httptest.NewServer(api.New(store, api.Options{Version: "e2e", Auth: users, AnonymousViewer: true, Logger: quiet}).Handler())
	defer srv.Close()
	shots, _ := filepath.Abs("../../docs/screenshots")
	cmd := exec.CommandContext(ctx, node, "e2e/run.mjs", "--base", srv.URL, "--editor", "editor1:editor-pass-123",
		"--viewer", "viewer1:viewer-pass-123", "--shots", shots)
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatalf("browser tests failed: %v", err)
	}
}
