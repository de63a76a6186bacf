package api

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/chainmap/chainmap/api/auth"
	"github.com/chainmap/chainmap/graph"
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
	// Issue 15: dates, numbers and ids in the forms that were mangled or accepted.
	f.Add(`{"id":"F-4","name":"日期","region_code":"321181","investment_wan":10000,"stage":"signed","signed_on":"9999-12-31"}`)
	f.Add(`{"id":"F-5","name":"日期","region_code":"321181","investment_wan":10000,"stage":"signed","signed_on":"2024-01-31 garbage"}`)
	f.Add(`{"id":"F-6","name":"日期","region_code":"321181","investment_wan":10000,"stage":"signed","signed_on":"2024013"}`)
	f.Add(`{"id":"F-7","name":"计划","region_code":"321181","investment_wan":1e3,"stage":"negotiating","planned_start_on":"2199-01-01"}`)
	f.Add(`{"id":"F-8\u200b","name":"编号","region_code":"321181","investment_wan":1,"stage":"negotiating"}`)
	f.Add(`{"id":"\ufeffF-9","name":" \t名\u00a0\r\n","region_code":" 321181 ","investment_wan":1,"stage":" negotiating "}`)
	f.Add(`{"id":"F\u202e-10","name":"x","region_code":"321181","investment_wan":9223372036854775807,"stage":"negotiating"}`)
	f.Add(`{"id":"镇江鱼跃医疗","name":"x","region_code":"321181","investment_wan":1.5,"stage":"negotiating"}`)
	f.Fuzz(func(t *testing.T, body string) {
		w := e.do(t, auth.Editor, "POST", "/api/v1/projects", body)
		switch w.Code {
		case http.StatusCreated, http.StatusBadRequest, http.StatusConflict, http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity:
		default:
			t.Fatalf("status %d for body %q: %s", w.Code, body, truncate(w.Body.String()))
		}
		if w.Code != http.StatusCreated {
			return
		}
		// What was created is stored as answered, normalised, with valid dates.
		var p graph.Project
		json.Unmarshal(w.Body.Bytes(), &p)
		q := p
		q.Normalize()
		if q != p || !p.SignedOn.Valid() || !p.PlannedStartOn.Valid() || !p.PlannedProduceOn.Valid() {
			t.Fatalf("created %+v, normalised %+v", p, q)
		}
		if _, bad := graph.BadIDRune(p.ID); bad {
			t.Fatalf("created id %q", p.ID)
		}
	})
}

// FuzzAnalysisQuery: any query string to the analyses is answered without a
// server error.
func FuzzAnalysisQuery(f *testing.F) {
	e := newEnv(f, false)
	for _, q := range []string{"region=321100&chain=CH_EV", "region=321100&link=EV_M3&limit=3&tag=规上&min_revenue=10",
		"from=2025-01-01&to=2025-06-30&source=GBA&min_investment=0.5", "region=%00&chain=%ff", "as_of=99999999",
		// Issue 15: numbers, dates and pages that overflowed or were guessed at.
		"from=2025-01-01&to=2025-06-30&min_investment=NaN&plan=Inf", "from=2025-01-01&to=2025-06-30&min_investment=1,5&plan=0x1p4",
		"from=2024013&to=202401", "region=321100&as_of=2024-01-31+garbage", "region=321100&as_of=2024-01-31+%E8%87%B3+2024-12-31",
		"page=4611686018427387904&page_size=4", "page=2305843009213693953&page_size=8", "page=-1&page_size=0",
		"q=%E2%80%8BZJ&region=321100%C2%A0", "region=321100&link=EV_M3&min_revenue=1e400"} {
		f.Add(uint8(0), q)
	}
	paths := []string{"/api/v1/analysis/diagnosis", "/api/v1/analysis/targets", "/api/v1/analysis/kpi",
		"/api/v1/analysis/whatif", "/api/v1/analysis/extend", "/api/v1/companies", "/api/v1/supplies", "/api/v1/projects"}
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
