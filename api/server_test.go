package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/graph/sqlite"
	"github.com/chainmap/chainmap/graph/storetest"
)

func newServer(t *testing.T) (*Server, *sqlite.Store) {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "api.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return New(s, Options{Version: "test"}), s
}

func get(t *testing.T, srv *Server, path string) *httptest.ResponseRecorder {
	t.Helper()
	w := httptest.NewRecorder()
	srv.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
	return w
}

func TestHealthAndReady(t *testing.T) {
	srv, store := newServer(t)
	w := get(t, srv, "/healthz")
	var body map[string]string
	if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &body) != nil || body["status"] != "ok" || body["version"] != "test" {
		t.Errorf("healthz: %d %s", w.Code, w.Body)
	}
	if w := get(t, srv, "/readyz"); w.Code != 200 {
		t.Errorf("readyz: %d", w.Code)
	}
	store.Close()
	if w := get(t, srv, "/readyz"); w.Code != http.StatusServiceUnavailable {
		t.Errorf("readyz on a closed store: %d, want 503", w.Code)
	}
}

func TestStatusPage(t *testing.T) {
	srv, store := newServer(t)
	if w := get(t, srv, "/"); w.Code != 200 || !strings.Contains(w.Body.String(), "chainmap seed") {
		t.Errorf("empty store should suggest loading data: %d", w.Code)
	}
	if _, err := store.Import(context.Background(), storetest.Fixture(), graph.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	body := get(t, srv, "/").Body.String()
	for _, want := range []string{"医疗器械", "★ 重点", "<td>companies</td><td class=\"n\">4</td>"} {
		if !strings.Contains(body, want) {
			t.Errorf("status page lacks %q", want)
		}
	}
}
