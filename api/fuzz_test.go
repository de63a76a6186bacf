package api

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/chainmap/chainmap/api/auth"
)

// FuzzProjectBody: any request body to project creation is answered with a client
// error or success, never a server error, and never leaves a half-written project.
func FuzzProjectBody(f *testing.F) {
	e := newEnv(f, false)
	f.Add(`{"id":"F-1","name":"项目","region_code":"321181","investment_wan":10000,"stage":"negotiating"}`)
	f.Add(`{"id":"F-2","name":"x","region_code":"999","stage":"started","started_on":"2024-13-40"}`)
	f.Add(`{"id":1}`)
	f.Add(`[]`)
	f.Add(`{"id":"F-3","name":"\u0000","region_code":"321181","investment_wan":-5,"stage":"signed"}`)
	f.Fuzz(func(t *testing.T, body string) {
		w := e.do(t, auth.Editor, "POST", "/api/v1/projects", body)
		switch w.Code {
		case http.StatusCreated, http.StatusBadRequest, http.StatusConflict, http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity:
		default:
			t.Fatalf("status %d for body %q: %s", w.Code, body, truncate(w.Body.String()))
		}
	})
}

// FuzzAnalysisQuery: any query string to the analyses is answered without a
// server error.
func FuzzAnalysisQuery(f *testing.F) {
	e := newEnv(f, false)
	for _, q := range []string{"region=321100&chain=CH_EV", "region=321100&link=EV_M3&limit=3&tag=规上&min_revenue=10",
		"from=2025-01-01&to=2025-06-30&source=GBA&min_investment=0.5", "region=%00&chain=%ff", "as_of=99999999"} {
		f.Add(uint8(0), q)
	}
	paths := []string{"/api/v1/analysis/diagnosis", "/api/v1/analysis/targets", "/api/v1/analysis/kpi",
		"/api/v1/analysis/whatif", "/api/v1/analysis/extend", "/api/v1/companies"}
	f.Fuzz(func(t *testing.T, which uint8, query string) {
		v, err := url.ParseQuery(query)
		if err != nil {
			return // not a query string a client could send
		}
		query = v.Encode() // as a client sends it
		w := e.do(t, auth.Viewer, "GET", paths[int(which)%len(paths)]+"?"+query, nil)
		if w.Code >= 500 {
			t.Fatalf("status %d for %s?%s: %s", w.Code, paths[int(which)%len(paths)], query, truncate(w.Body.String()))
		}
	})
}
