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

// tagged adds a company with tags in region operating in links.
func (e *eco) tagged(id, region string, tags []graph.Tag, links ...string) *eco {
	e.firm(id, region, links...)
	e.ds.Companies[len(e.ds.Companies)-1].Tags = tags
	return e
}

// rich adds a company with revenue (万元) in region operating in links.
func (e *eco) rich(id, region string, wan float64, links ...string) *eco {
	e.firm(id, region, links...)
	e.ds.Companies[len(e.ds.Companies)-1].RevenueWan = wan
	return e
}

// feed adds a feed between two links.
func (e *eco) feed(from, to string) *eco {
	e.ds.Feeds = append(e.ds.Feeds, graph.Feed{From: from, To: to})
	return e
}

// project adds a project of company in link, landing in region, at stage st.
func (e *eco) project(id, company, link, region string, st graph.Stage) *eco {
	p := graph.Project{ID: id, Name: "项目" + id, CompanyID: company, LinkID: link, RegionCode: region, InvestmentWan: 10000, Stage: st}
	for k, d := range []*graph.Date{&p.SignedOn, &p.StartedOn, &p.ProducingOn, &p.AtCapacityOn} {
		if k < map[graph.Stage]int{graph.Signed: 1, graph.Started: 2, graph.Producing: 3, graph.AtCapacity: 4}[st] {
			*d = graph.Date(fmt.Sprintf("202%d-03-01", k+1))
		}
	}
	e.ds.Projects = append(e.ds.Projects, p)
	return e
}

// inferred adds an inferred current tie.
func (e *eco) inferred(supplier, customer, link string) *eco {
	e.ds.Supplies = append(e.ds.Supplies, graph.Supply{SupplierID: supplier, CustomerID: customer, LinkID: link,
		Evidence: graph.Inferred, Confidence: 0.5, Since: "2020-01-01"})
	return e
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
	listed := []graph.Tag{"上市"}
	tests := []struct {
		name   string
		eco    *eco
		region string
		want   string
	}{
		{"broken between present links, missing at the edge",
			newEco().tagged("a1", "101", listed, "A").firm("a2", "101", "A").tagged("d1", "101", listed, "D").firm("d2", "100", "D"),
			"100", "A=strong E=missing B=broken C=broken D=strong"},
		{"an absent link with nothing present downstream is missing, not broken",
			newEco().tagged("a1", "101", listed, "A").firm("a2", "101", "A"),
			"100", "A=strong E=missing B=missing C=missing D=missing"},
		{"an absent link bypassed by a present one is missing, not broken",
			newEco().feed("A", "C").firm("a1", "101", "A").firm("c1", "101", "C").firm("d1", "101", "D"),
			"100", "A=weak E=missing B=missing C=weak D=weak"},
		{"one local firm is weak",
			newEco().tagged("a1", "101", listed, "A").tagged("b1", "101", listed, "B").firm("b2", "101", "B").
				tagged("c1", "101", listed, "C").firm("c2", "101", "C").tagged("d1", "101", listed, "D").firm("d2", "101", "D").
				tagged("e1", "101", listed, "E").firm("e2", "101", "E"),
			"100", "A=weak E=strong B=strong C=strong D=strong"},
		{"firms without an anchor, scale or demand data are not proven strong",
			newEco().firm("a1", "101", "A").firm("a2", "101", "A"),
			"100", "A=weak E=missing B=missing C=missing D=missing"},
		{"local revenue at scale makes a link strong",
			newEco().rich("a1", "101", 60000, "A").rich("a2", "101", 40000, "A"),
			"100", "A=strong E=missing B=missing C=missing D=missing"},
		{"dependency above 60% by amount is weak",
			newEco().firm("a1", "101", "A").firm("a2", "101", "A").firm("b1", "101", "B").firm("b2", "101", "B").firm("x1", "200", "A").
				tie("x1", "b1", "A", 700, "").tie("a1", "b2", "A", 300, ""),
			"100", "A=weak E=missing B=weak C=missing D=missing"},
		{"dependency at 60% or below is local supply: strong",
			newEco().firm("a1", "101", "A").firm("a2", "101", "A").firm("b1", "101", "B").firm("b2", "101", "B").firm("x1", "200", "A").
				tie("x1", "b1", "A", 600, "").tie("a1", "b2", "A", 400, ""),
			"100", "A=strong E=missing B=weak C=missing D=missing"},
		{"history ties are not dependency",
			newEco().firm("a1", "101", "A").firm("a2", "101", "A").firm("b1", "101", "B").firm("b2", "101", "B").firm("x1", "200", "A").
				tie("x1", "b1", "A", 700, "2019-12-31").tie("x1", "b2", "A", 700, "2019-12-31").tie("a1", "b2", "A", 300, "").
				tie("a2", "b1", "A", 300, ""),
			"100", "A=strong E=missing B=weak C=missing D=missing"},
		{"a district sees only its own firms",
			newEco().firm("a1", "101", "A").firm("a2", "100", "A").firm("d1", "100", "D"),
			"101", "A=weak E=missing B=missing C=missing D=missing"},
		{"a producing project makes its link present",
			newEco().tagged("a1", "101", listed, "A").firm("a2", "101", "A").tagged("d1", "101", listed, "D").firm("d2", "101", "D").
				firm("x1", "200", "B").project("P1", "x1", "B", "101", graph.Producing),
			"100", "A=strong E=missing B=weak C=broken D=strong"},
		{"a signed project is not presence",
			newEco().tagged("a1", "101", listed, "A").firm("a2", "101", "A").tagged("d1", "101", listed, "D").firm("d2", "101", "D").
				firm("x1", "200", "B").project("P1", "x1", "B", "101", graph.Signed),
			"100", "A=strong E=missing B=broken C=broken D=strong"},
		{"a dropped project is not presence",
			newEco().tagged("a1", "101", listed, "A").firm("a2", "101", "A").tagged("d1", "101", listed, "D").firm("d2", "101", "D").
				firm("x1", "200", "B").project("P1", "x1", "B", "101", graph.Dropped),
			"100", "A=strong E=missing B=broken C=broken D=strong"},
		{"a project elsewhere is not presence",
			newEco().tagged("a1", "101", listed, "A").firm("a2", "101", "A").tagged("d1", "101", listed, "D").firm("d2", "101", "D").
				firm("x1", "200", "B").project("P1", "x1", "B", "200", graph.Producing),
			"100", "A=strong E=missing B=broken C=broken D=strong"},
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
		!strings.Contains(b.Reasons[2].ZH, "材料 与 应用") || !strings.Contains(b.Reasons[2].EN, "材料 and 应用") {
		t.Errorf("broken link reasons: %+v", b.Reasons)
	}
	// One tie is too little evidence to judge a dependency: unknown, not a number.
	if b.LocalDemandTies != 1 || b.ExternalDependency != nil || b.DependencyBasis != "none" {
		t.Errorf("demand of B: %+v", b)
	}
}

// TestReasonsOfTheNewRules pins the facts each new rule's reason names.
func TestReasonsOfTheNewRules(t *testing.T) {
	link := func(r *Result, id string) LinkResult {
		for _, l := range r.Chains[0].Links {
			if l.LinkID == id {
				return l
			}
		}
		t.Fatalf("no link %s", id)
		return LinkResult{}
	}
	codes := func(l LinkResult) string {
		var cs []string
		for _, x := range l.Reasons {
			cs = append(cs, x.Code)
		}
		return strings.Join(cs, ",")
	}
	t.Run("bypass named", func(t *testing.T) {
		s := newEco().feed("A", "C").firm("a1", "101", "A").firm("c1", "101", "C").firm("d1", "101", "D").snap(t)
		r, _ := Diagnose(s, "100", "X", DefaultParams())
		b := link(r, "B")
		if b.Status != Missing || !strings.Contains(codes(b), "bypassed") || !strings.Contains(b.Reasons[len(b.Reasons)-1].ZH, "材料 → 总成") {
			t.Errorf("B: %+v", b.Reasons)
		}
	})
	t.Run("project named", func(t *testing.T) {
		s := newEco().firm("x1", "200", "B").project("P1", "x1", "B", "101", graph.Producing).snap(t)
		r, _ := Diagnose(s, "100", "X", DefaultParams())
		b := link(r, "B")
		if b.LocalCompanies != 1 || b.Projects != 1 || !strings.Contains(codes(b), "local_projects") ||
			!strings.Contains(b.Reasons[0].ZH, "P1") || !strings.Contains(b.Reasons[0].ZH, "投产") || b.Firms[0].ProjectID != "P1" {
			t.Errorf("B: %+v", b)
		}
		// The same project as of a day before it started is not presence.
		r, _ = Diagnose(s.At("2022-01-01"), "100", "X", DefaultParams())
		if b := link(r, "B"); b.LocalCompanies != 0 {
			t.Errorf("B before the project started: %+v", b)
		}
	})
	t.Run("a project without a company in the table counts", func(t *testing.T) {
		s := newEco().project("P2", "", "B", "101", graph.Started).snap(t)
		r, _ := Diagnose(s, "100", "X", DefaultParams())
		if b := link(r, "B"); b.LocalCompanies != 1 || b.Firms[0].ProjectID != "P2" {
			t.Errorf("B: %+v", b)
		}
	})
	t.Run("unknown dependency is not zero", func(t *testing.T) {
		s := newEco().firm("a1", "101", "A").firm("a2", "101", "A").snap(t)
		r, _ := Diagnose(s, "100", "X", DefaultParams())
		a := link(r, "A")
		if a.ExternalDependency != nil || !strings.Contains(codes(a), "little_demand_data") || !strings.Contains(codes(a), "unproven_strength") {
			t.Errorf("A: %+v", a)
		}
		_, rows := r.Table()
		if rows[0][6] != "数据不足" {
			t.Errorf("table shows dependency %q", rows[0][6])
		}
	})
	t.Run("a future tie does not count as of an earlier day", func(t *testing.T) {
		e := newEco().firm("a1", "101", "A").firm("a2", "101", "A").firm("b1", "101", "B").firm("x1", "200", "A").
			tie("x1", "b1", "A", 700, "").tie("a1", "b1", "A", 300, "")
		e.ds.Supplies[0].Since = "2024-06-01"
		s := e.snap(t)
		r, _ := Diagnose(s, "100", "X", DefaultParams())
		if a := link(r, "A"); a.LocalDemandTies != 2 || a.ExternalDependency == nil || *a.ExternalDependency != 0.7 {
			t.Errorf("A as of 2025: %+v", a)
		}
		r, _ = Diagnose(s.At("2024-01-01"), "100", "X", DefaultParams())
		if a := link(r, "A"); a.LocalDemandTies != 1 || a.ExternalDependency != nil {
			t.Errorf("A as of 2024-01-01 counts a tie first seen 2024-06-01: %+v", a)
		}
	})
	t.Run("inferred ties weigh less and are said to", func(t *testing.T) {
		// Two observed local ties against six inferred outside ones: by count the
		// outside is 75%, by evidence 6×0.25 / (6×0.25 + 2×1) = 43%.
		e := newEco().firm("a1", "101", "A").firm("a2", "101", "A").firm("b1", "101", "B").firm("b2", "101", "B").
			tie("a1", "b1", "A", 0, "").tie("a2", "b2", "A", 0, "")
		for i := range 6 {
			id := fmt.Sprintf("x%d", i)
			e.firm(id, "200", "A").inferred(id, "b1", "A")
		}
		r, _ := Diagnose(e.snap(t), "100", "X", DefaultParams())
		if a := link(r, "A"); a.ExternalDependency == nil || *a.ExternalDependency != 0.429 || a.Status != Strong {
			t.Errorf("A: %+v", a)
		}
		only := newEco().firm("a1", "101", "A").firm("a2", "101", "A").firm("b1", "101", "B")
		for i := range 8 {
			id := fmt.Sprintf("x%d", i)
			only.firm(id, "200", "A").inferred(id, "b1", "A")
		}
		r, _ = Diagnose(only.snap(t), "100", "X", DefaultParams())
		a := link(r, "A")
		if !a.InferredOnly || a.Status != Weak || !strings.Contains(a.Reasons[len(a.Reasons)-1].ZH, "推断") {
			t.Errorf("A on inferred ties only: %+v", a)
		}
	})
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
	// The moved firm's tie now counts as local supply of B (one tie: too little to
	// judge a dependency, so it stays unknown).
	if w.After.Links[2].LocalCompanies != 1 || w.After.Links[2].ExternalDependency != nil {
		t.Errorf("B after landing: %+v", w.After.Links[2])
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
	// The designed gaps are absent. Only IT_M1 cuts the local chain; the others are
	// bypassed (EV_M3: 汽车芯片 still reaches 整车制造 through 智能座舱, present).
	for _, id := range []string{"PE_M5", "SH_M5", "AV_M3", "EV_M3", "HM_M4", "BP_M1", "MD_M4", "PE_D2", "EV_U1", "MD_D3"} {
		if got[id] != Missing {
			t.Errorf("%s = %s, designed gap with a bypass: missing", id, got[id])
		}
	}
	if got["IT_M1"] != Broken {
		t.Errorf("IT_M1 = %s, designed broken", got["IT_M1"])
	}
	for _, id := range []string{"MD_M1", "PE_M2", "EV_M4"} {
		if got[id] != Strong {
			t.Errorf("%s = %s, designed strong", id, got[id])
		}
	}
	// No link with a started, producing or at-capacity project is called absent.
	for _, pl := range s.Plants {
		if st := got[s.Links[pl.Link].ID]; st == Missing || st == Broken {
			t.Errorf("%s has project %s (%s) but is %s", s.Links[pl.Link].ID, s.Projects[pl.Project].ID, pl.Stage, st)
		}
	}
	if len(s.Plants) < 100 {
		t.Errorf("only %d plants in the demo", len(s.Plants))
	}
}
