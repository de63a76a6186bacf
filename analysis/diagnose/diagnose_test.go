package diagnose

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chainmap/chainmap/analysis/snapshot"
	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/seed/zhenjiang"
)

// eco builds a small ecosystem: city 100 with district 101, an outside city 200, and
// chain X with links A → B → C → D and E → C (A, E upstream; D downstream).
type eco struct{ ds graph.Dataset }

func newEco() *eco {
	return &eco{ds: graph.Dataset{
		Regions: []graph.Region{{Code: "100", Name: "本市", Kind: graph.City}, {Code: "101", Name: "一区", ParentCode: "100", Kind: graph.District},
			{Code: "200", Name: "外市", Kind: graph.External}},
		Clusters: []graph.Cluster{{ID: "CL", Name: "集群"}},
		Chains:   []graph.Chain{{ID: "X", Name: "测试链", ClusterID: "CL", Key: true}},
		Links: []graph.Link{{ID: "A", ChainID: "X", Name: "材料", Tier: graph.Upstream}, {ID: "B", ChainID: "X", Name: "部件", Tier: graph.Midstream},
			{ID: "C", ChainID: "X", Name: "总成", Tier: graph.Midstream}, {ID: "D", ChainID: "X", Name: "应用", Tier: graph.Downstream},
			{ID: "E", ChainID: "X", Name: "芯片", Tier: graph.Upstream}},
		Feeds: []graph.Feed{{From: "A", To: "B"}, {From: "B", To: "C"}, {From: "C", To: "D"}, {From: "E", To: "C"}},
	}}
}

// firm adds a company in region operating in links.
func (e *eco) firm(id, region string, links ...string) *eco {
	e.ds.Companies = append(e.ds.Companies, graph.Company{ID: id, Name: "企业" + id, RegionCode: region, RevenueWan: 1000})
	for _, l := range links {
		e.ds.CompanyLinks = append(e.ds.CompanyLinks, graph.CompanyLink{CompanyID: id, LinkID: l})
	}
	return e
}

// tie adds a supply tie of link from supplier to customer; until "" = current.
func (e *eco) tie(supplier, customer, link string, amount float64, until graph.Date) *eco {
	e.ds.Supplies = append(e.ds.Supplies, graph.Supply{SupplierID: supplier, CustomerID: customer, LinkID: link,
		AmountWan: amount, Evidence: graph.Observed, Confidence: 1, Since: "2020-01-01", Until: until})
	return e
}

func (e *eco) snap(t *testing.T) *snapshot.Snapshot {
	t.Helper()
	s, err := snapshot.Build(context.Background(), graph.DatasetReader{Data: &e.ds})
	if err != nil {
		t.Fatal(err)
	}
	return s.At("2025-06-30")
}

func statuses(r *Result) string {
	var b strings.Builder
	for _, l := range r.Chains[0].Links {
		fmt.Fprintf(&b, "%s=%s ", l.LinkID, l.Status)
	}
	return strings.TrimSpace(b.String())
}

func TestStatusRules(t *testing.T) {
	tests := []struct {
		name   string
		eco    *eco
		region string
		want   string
	}{
		{"broken between present links, missing at the edge",
			newEco().firm("a1", "101", "A").firm("a2", "101", "A").firm("d1", "101", "D").firm("d2", "100", "D"),
			"100", "A=strong E=missing B=broken C=broken D=strong"},
		{"an absent link with nothing present downstream is missing, not broken",
			newEco().firm("a1", "101", "A").firm("a2", "101", "A"),
			"100", "A=strong E=missing B=missing C=missing D=missing"},
		{"one local firm is weak",
			newEco().firm("a1", "101", "A").firm("b1", "101", "B").firm("b2", "101", "B").firm("c1", "101", "C").firm("c2", "101", "C").
				firm("d1", "101", "D").firm("d2", "101", "D").firm("e1", "101", "E").firm("e2", "101", "E"),
			"100", "A=weak E=strong B=strong C=strong D=strong"},
		{"dependency above 60% by amount is weak",
			newEco().firm("a1", "101", "A").firm("a2", "101", "A").firm("b1", "101", "B").firm("b2", "101", "B").firm("x1", "200", "A").
				tie("x1", "b1", "A", 700, "").tie("a1", "b2", "A", 300, ""),
			"100", "A=weak E=missing B=strong C=missing D=missing"},
		{"dependency at 60% or below is not weak",
			newEco().firm("a1", "101", "A").firm("a2", "101", "A").firm("b1", "101", "B").firm("b2", "101", "B").firm("x1", "200", "A").
				tie("x1", "b1", "A", 600, "").tie("a1", "b2", "A", 400, ""),
			"100", "A=strong E=missing B=strong C=missing D=missing"},
		{"history ties are not dependency",
			newEco().firm("a1", "101", "A").firm("a2", "101", "A").firm("b1", "101", "B").firm("b2", "101", "B").firm("x1", "200", "A").
				tie("x1", "b1", "A", 700, "2019-12-31").tie("x1", "b2", "A", 700, "2019-12-31").tie("a1", "b2", "A", 300, ""),
			"100", "A=strong E=missing B=strong C=missing D=missing"},
		{"a district sees only its own firms",
			newEco().firm("a1", "101", "A").firm("a2", "100", "A").firm("d1", "100", "D"),
			"101", "A=weak E=missing B=missing C=missing D=missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Diagnose(tt.eco.snap(t), tt.region, "X", DefaultParams())
			if err != nil {
				t.Fatal(err)
			}
			if got := statuses(r); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestReasonsNameTheFacts(t *testing.T) {
	s := newEco().firm("a1", "101", "A").firm("a2", "101", "A").firm("d1", "101", "D").firm("d2", "101", "D").
		firm("x1", "200", "B").tie("x1", "a1", "B", 0, "").snap(t)
	r, _ := Diagnose(s, "100", "X", DefaultParams())
	b := r.Chains[0].Links[2] // A, E, B, …
	var codes []string
	for _, x := range b.Reasons {
		codes = append(codes, x.Code)
	}
	if b.Status != Broken || strings.Join(codes, ",") != "no_local_firm,bought_from_outside,cuts_local_chain" ||
		!strings.Contains(b.Reasons[2].ZH, "材料") || !strings.Contains(b.Reasons[2].ZH, "应用") || b.Reasons[2].EN == "" {
		t.Errorf("broken link reasons: %+v", b.Reasons)
	}
	if b.LocalDemandTies != 1 || b.ExternalDependency != 1 || b.DependencyBasis != "ties" {
		t.Errorf("demand of B: %+v", b)
	}
}

func TestImportanceAndCompleteness(t *testing.T) {
	s := newEco().firm("c1", "101", "C").firm("c2", "101", "C").snap(t)
	r, _ := Diagnose(s, "100", "X", DefaultParams())
	imp := map[string]float64{}
	for _, l := range r.Chains[0].Links {
		imp[l.LinkID] = l.Importance
	}
	// A feeds B, C, D; C is the most between (every route to D passes it); D feeds
	// nothing: 0.1 + 0.5·down/4 + 0.4·betweenness/max.
	want := map[string]float64{"A": 0.475, "B": 0.617, "C": 0.625, "D": 0.1, "E": 0.35}
	for id, w := range want {
		if imp[id] != w {
			t.Errorf("importance %s = %v, want %v", id, imp[id], w)
		}
	}
	total := imp["A"] + imp["B"] + imp["C"] + imp["D"] + imp["E"]
	if want := round3(imp["C"] / total); r.Chains[0].Completeness != want {
		t.Errorf("completeness %v, want %v", r.Chains[0].Completeness, want)
	}
	for _, l := range r.Chains[0].Links {
		if l.Status == Strong && l.Priority >= imp[l.LinkID]*0.1+1e-9 {
			t.Errorf("a strong link must have low priority: %+v", l)
		}
	}
}

func TestWhatIfLanding(t *testing.T) {
	e := newEco().firm("a1", "101", "A").firm("a2", "101", "A").firm("d1", "101", "D").firm("d2", "101", "D").
		firm("x1", "200", "B").tie("x1", "a1", "B", 0, "")
	s := e.snap(t)
	w, err := WhatIf(s, "100", Landing{CompanyID: "x1", Link: "B", District: "101"}, DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	if len(w.Changes) != 1 || w.Changes[0].LinkID != "B" || w.Changes[0].From != Broken || w.Changes[0].To != Weak {
		t.Errorf("changes %+v", w.Changes)
	}
	if !(w.CompletenessAfter > w.CompletenessBefore) {
		t.Errorf("completeness %v → %v", w.CompletenessBefore, w.CompletenessAfter)
	}
	// The moved firm's tie now counts as local supply of B.
	if w.After.Links[2].ExternalDependency != 0 {
		t.Errorf("dependency after landing: %v", w.After.Links[2].ExternalDependency)
	}
	nw, _ := WhatIf(s, "100", Landing{Link: "C", District: "101"}, DefaultParams())
	if len(nw.Changes) != 1 || nw.Changes[0].To != Weak {
		t.Errorf("a new firm in C: %+v", nw.Changes)
	}
	if _, err := WhatIf(s, "101", Landing{Link: "C", District: "100"}, DefaultParams()); graph.ErrorCode(err) != graph.EINVALID {
		t.Errorf("a district outside the region must be refused: %v", err)
	}
}

func TestErrors(t *testing.T) {
	s := newEco().snap(t)
	for _, c := range []struct{ region, chain string }{{"999", ""}, {"100", "NOPE"}} {
		if _, err := Diagnose(s, c.region, c.chain, DefaultParams()); graph.ErrorCode(err) != graph.ENOTFOUND {
			t.Errorf("%v: %v", c, err)
		}
	}
}

// TestZhenjiangDemo checks the demo's designed verdicts come out: each chain has
// both present and absent links, and the designed broken links are broken.
func TestZhenjiangDemo(t *testing.T) {
	s, err := snapshot.Build(context.Background(), graph.DatasetReader{Data: zhenjiang.Dataset()})
	if err != nil {
		t.Fatal(err)
	}
	r, err := Diagnose(s, "321100", "", DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Status{}
	for _, c := range r.Chains {
		t.Logf("%s completeness %.1f%% %v", c.ChainName, 100*c.Completeness, c.Counts)
		for _, l := range c.Links {
			got[l.LinkID] = l.Status
		}
	}
	for _, id := range []string{"PE_M5", "SH_M5", "AV_M3", "EV_M3", "HM_M4", "IT_M1", "BP_M1", "MD_M4"} {
		if got[id] != Broken {
			t.Errorf("%s = %s, designed broken", id, got[id])
		}
	}
	for _, id := range []string{"PE_D2", "EV_U1", "MD_D3"} {
		if got[id] != Missing {
			t.Errorf("%s = %s, designed missing", id, got[id])
		}
	}
	for _, id := range []string{"EV_M6", "MD_M1", "PE_M2"} {
		if got[id] != Strong {
			t.Errorf("%s = %s, designed strong", id, got[id])
		}
	}
}
