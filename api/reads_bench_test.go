package api

import (
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chainmap/chainmap/api/auth"
)

// soakReads returns the reads of bench/soak.lua (its `local reads = { … }` table),
// so that the benchmark measures what one of them costs the server when nothing is
// cached (serve --no-result-cache, or right after a write) — what the soak's p99 is
// made of — and cannot drift from the soak's mix.
func soakReads(tb testing.TB) []string {
	src, err := os.ReadFile("../bench/soak.lua")
	if err != nil {
		tb.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(src), "local reads = {")
	block, _, ok2 := strings.Cut(rest, "}")
	if !ok || !ok2 {
		tb.Fatal("bench/soak.lua has no `local reads = { … }` table")
	}
	var out []string
	for _, m := range regexp.MustCompile(`"([^"]+)"`).FindAllStringSubmatch(block, -1) {
		out = append(out, m[1])
	}
	if len(out) == 0 {
		tb.Fatal("bench/soak.lua lists no reads")
	}
	return out
}

// BenchmarkUncachedReads serves each read of the soak mix with the result cache off.
//
//	go test -run XXX -bench UncachedReads -benchmem ./api/
func BenchmarkUncachedReads(b *testing.B) {
	e := newEnv(b, true)
	e.srv.snaps.noResults = true
	h := e.srv.Handler()
	for _, path := range soakReads(b) {
		name := strings.TrimPrefix(path, "/api/v1/")
		b.Run(name, func(b *testing.B) {
			req := httptest.NewRequest("GET", path, nil)
			req.RemoteAddr, req.Host = "127.0.0.1:50000", "127.0.0.1:8080"
			var size int
			for i := 0; i < b.N; i++ {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("%s: %d %s", path, w.Code, w.Body.String())
				}
				size = w.Body.Len()
			}
			b.ReportMetric(float64(size), "bytes/resp")
		})
	}
}

// BenchmarkProjectWrites measures the soak's writes: a create and its transition
// negotiating → signed, each one store transaction with its audit entry.
//
//	go test -run XXX -bench ProjectWrites -benchmem ./api/
func BenchmarkProjectWrites(b *testing.B) {
	e := newEnv(b, false)
	h := e.srv.Handler()
	send := func(method, path, body string) {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.RemoteAddr, req.Host = "127.0.0.1:50000", "127.0.0.1:8080"
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+e.tokens[auth.Editor])
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code/100 != 2 {
			b.Fatalf("%s %s: %d %s", method, path, w.Code, w.Body.String())
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		id := "BENCH-" + strconv.Itoa(i)
		send("POST", "/api/v1/projects", `{"id":"`+id+`","name":"基准项目`+strconv.Itoa(i)+`","link_id":"EV_M2","region_code":"321102","investment_wan":15000,"source_region_code":"310000","stage":"negotiating"}`)
		send("POST", "/api/v1/projects/"+id+"/transitions", `{"to":"signed","on":"2025-06-01"}`)
	}
}
