package api

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// soakReads are the reads of bench/soak.lua: the benchmark measures what one of them
// costs the server when nothing is cached (serve --no-result-cache, or right after a
// write), which is what the p99 of the soak is made of.
var soakReads = []string{
	"/api/v1/analysis/diagnosis?region=321100",
	"/api/v1/analysis/targets?region=321100&link=EV_M2&limit=20",
	"/api/v1/analysis/kpi?from=2025-01-01&to=2025-12-31",
	"/api/v1/companies?q=zj&page_size=20",
	"/api/v1/analysis/diagnosis?region=321100&chain=CH_EV",
	"/api/v1/analysis/leaders?region=321100&chain=CH_EV",
	"/api/v1/chains",
	"/api/v1/projects?page=1&page_size=50",
	"/api/v1/analysis/targets?region=321100&link=IT_M3&limit=20",
	"/api/v1/analysis/diagnosis?region=321100-GXQ",
	"/api/v1/companies?q=%E7%94%B5&page=2&page_size=20",
	"/api/v1/analysis/kpi?from=2024-01-01&to=2025-12-31&district=321100-GXQ",
	"/api/v1/analysis/leaders?region=321100&chain=CH_MD",
	"/api/v1/projects?stage=signed&page=3&page_size=50",
	"/api/v1/analysis/targets?region=321100&link=PE_M1&limit=10&in=310000",
	"/api/v1/leaders",
	"/api/v1/analysis/diagnosis?region=321181&chain=CH_MD",
	"/api/v1/companies?region=321100&chain=CH_EV",
	"/api/v1/analysis/targets?region=321100&link=BP_M2",
	"/api/v1/chains/CH_SH",
}

// BenchmarkUncachedReads serves each read of the soak mix with the result cache off.
//
//	go test -run XXX -bench UncachedReads -benchmem ./api/
func BenchmarkUncachedReads(b *testing.B) {
	e := newEnv(b, true)
	e.srv.snaps.noResults = true
	h := e.srv.Handler()
	for _, path := range soakReads {
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
		req.Header.Set("Authorization", "Bearer "+e.tokens["editor"])
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
