package choke

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/chainmap/chainmap/analysis"
	"github.com/chainmap/chainmap/analysis/snapshot"
	"github.com/chainmap/chainmap/analysis/snapshot/snapshottest"
	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/seed/zhenjiang"
)

// eco builds a small ecosystem: city 100 with district 101; outside city 200 (with
// district 201) in province 2; external region 300. Chain X has links U → M → D,
// chain Y links YU → YM.
type eco struct{ ds graph.Dataset }

func newEco() *eco {
	return &eco{ds: graph.Dataset{
		Regions: []graph.Region{{Code: "100", Name: "本市", Kind: graph.City}, {Code: "101", Name: "一区", ParentCode: "100", Kind: graph.District},
			{Code: "2", Name: "外省", Kind: graph.Province}, {Code: "200", Name: "外市", ParentCode: "2", Kind: graph.City},
			{Code: "201", Name: "外市一区", ParentCode: "200", Kind: graph.District}, {Code: "300", Name: "海外", Kind: graph.External}},
		Clusters: []graph.Cluster{{ID: "CL", Name: "集群"}},
		Chains:   []graph.Chain{{ID: "X", Name: "测试链", ClusterID: "CL", Key: true}, {ID: "Y", Name: "他链", ClusterID: "CL"}},
		Links: []graph.Link{{ID: "U", ChainID: "X", Name: "材料", Tier: graph.Upstream}, {ID: "M", ChainID: "X", Name: "部件", Tier: graph.Midstream},
			{ID: "D", ChainID: "X", Name: "整机", Tier: graph.Downstream},
			{ID: "YU", ChainID: "Y", Name: "他链材料", Tier: graph.Upstream}, {ID: "YM", ChainID: "Y", Name: "他链部件", Tier: graph.Midstream}},
		Feeds: []graph.Feed{{From: "U", To: "M"}, {From: "M", To: "D"}, {From: "YU", To: "YM"}},
	}}
}

func (e *eco) firm(id, region string, links ...string) *eco {
	e.ds.Companies = append(e.ds.Companies, graph.Company{ID: id, Name: "企业" + id, RegionCode: region, RevenueWan: 100})
	for _, l := range links {
		e.ds.CompanyLinks = append(e.ds.CompanyLinks, graph.CompanyLink{CompanyID: id, LinkID: l})
	}
	return e
}

// firms adds local firms (district 101) in link D.
func (e *eco) firms(ids ...string) *eco {
	for _, id := range ids {
		e.firm(id, "101", "D")
	}
	return e
}

// tie adds a tie of link from supplier to customer; until "" = current.
func (e *eco) tie(supplier, customer, link string, amount float64, until graph.Date) *eco {
	e.ds.Supplies = append(e.ds.Supplies, graph.Supply{SupplierID: supplier, CustomerID: customer, LinkID: link,
		AmountWan: amount, Evidence: graph.Observed, Confidence: 1, Since: "2019-01-01", Until: until})
	return e
}

// edges adds current ties "a>b" in link M.
func (e *eco) edges(pairs ...string) *eco {
	for _, p := range pairs {
		a, b, _ := strings.Cut(p, ">")
		e.tie(a, b, "M", 10, "")
	}
	return e
}

func (e *eco) snap(t testing.TB) *snapshot.Snapshot {
	t.Helper()
	s, err := snapshot.Build(context.Background(), graph.DatasetReader{Data: &e.ds})
	if err != nil {
		t.Fatal(err)
	}
	return s.At("2025-06-30")
}

func describe(r *Result) []string {
	var out []string
	for _, f := range r.SingleSources {
		var cs []string
		for _, c := range f.Customers {
			cs = append(cs, c.CompanyID)
		}
		s := fmt.Sprintf("%s %s %s@%s [%s] %.2f", f.Kind, f.LinkID, f.SupplierID, f.RegionCode, strings.Join(cs, ","), f.Share)
		if f.Kind == Concentrated {
			s += fmt.Sprintf(" hhi %.2f/%.2f", f.HHISuppliers, f.HHIRegions)
		}
		out = append(out, s)
	}
	return out
}

// spread: five local buyers each get M from a different outside city's supplier.
func spread() *eco {
	e := newEco()
	for i := 1; i <= 5; i++ {
		code := fmt.Sprintf("40%d", i)
		e.ds.Regions = append(e.ds.Regions, graph.Region{Code: code, Name: "城" + code, Kind: graph.City})
		c, x := fmt.Sprintf("c%d", i), fmt.Sprintf("x%d", i)
		e.firms(c).firm(x, code, "M").tie(x, c, "M", 10, "")
	}
	return e
}

func TestSingleSources(t *testing.T) {
	tests := []struct {
		name  string
		eco   *eco
		chain string
		want  []string
	}{
		{"single supplier detected, two local suppliers not",
			newEco().firms("c1", "c2").firm("x1", "201", "M").firm("u1", "101", "U").firm("u2", "101", "U").
				tie("x1", "c1", "M", 10, "").tie("x1", "c2", "M", 30, "").tie("u1", "c1", "U", 5, "").tie("u2", "c2", "U", 5, ""),
			"X", []string{"single_supplier M x1@200 [c1,c2] 1.00"}},
		{"two outside suppliers in two cities are concentrated (as if two equal ones)",
			newEco().firms("c1", "c2").firm("x1", "200", "M").firm("x3", "300", "M").
				tie("x1", "c1", "M", 10, "").tie("x3", "c2", "M", 10, ""),
			"X", []string{"concentrated M x1@200 [c1,c2] 1.00 hhi 0.50/0.50"}},
		{"one outside city, districts rolled up to it, is concentrated by region",
			newEco().firms("c1", "c2", "c3").firm("x1", "201", "M").firm("x2", "200", "M").firm("l1", "101", "M").
				tie("x1", "c1", "M", 10, "").tie("x2", "c2", "M", 20, "").tie("l1", "c3", "M", 10, ""),
			"", []string{"concentrated M x2@200 [c1,c2,c3] 0.75 hhi 0.56/1.00"}},
		{"outside supply spread over many suppliers and cities is not concentrated",
			spread(), "X", nil},
		{"single outside region below the share threshold is not reported",
			newEco().firms("c1", "c2", "c3").firm("x1", "201", "M").firm("l1", "101", "M").firm("l2", "101", "M").
				tie("x1", "c1", "M", 10, "").tie("l1", "c2", "M", 10, "").tie("l2", "c3", "M", 10, ""),
			"X", nil},
		{"history ties are not supply",
			newEco().firms("c1", "c2").firm("x1", "200", "M").firm("x2", "300", "M").
				tie("x1", "c1", "M", 10, "").tie("x1", "c2", "M", 10, "").tie("x2", "c1", "M", 10, "2020-06-30"),
			"X", []string{"single_supplier M x1@200 [c1,c2] 1.00"}},
		{"another chain's links are out of scope",
			newEco().firms("c1", "c2").firm("x1", "200", "YM").
				tie("x1", "c1", "YM", 10, "").tie("x1", "c2", "YM", 10, ""),
			"X", nil},
		{"one tie is too little evidence",
			newEco().firms("c1").firm("x1", "200", "M").tie("x1", "c1", "M", 10, ""),
			"X", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Find(tt.eco.snap(t), "100", tt.chain, Params{})
			if err != nil {
				t.Fatal(err)
			}
			checkReasons(t, r)
			if got := describe(r); !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			for _, f := range r.SingleSources {
				if len(f.Reasons) == 0 || f.Reasons[0].Code != f.Kind {
					t.Errorf("reasons %v", f.Reasons)
				}
			}
		})
	}
}

func TestStructure(t *testing.T) {
	tests := []struct {
		name    string
		eco     *eco
		points  []string // "id:cut:pieces"
		bridges []string // "a-b:cut" with a < b
	}{
		{"path a–b–c: b is an articulation point, both ties are bridges",
			newEco().firms("a", "b", "c").edges("a>b", "b>c"),
			[]string{"b:1:2"}, []string{"a-b:1", "b-c:1"}},
		{"triangle: none", newEco().firms("a", "b", "c").edges("a>b", "b>c", "c>a"), nil, nil},
		{"triangle with a pendant", newEco().firms("a", "b", "c", "d").edges("a>b", "b>c", "c>a", "c>d"),
			[]string{"c:1:2"}, []string{"c-d:1"}},
		{"two triangles joined by one relation (several ties) are split by it",
			newEco().firms("a", "b", "c", "d", "e", "f").edges("a>b", "b>c", "c>a", "d>e", "e>f", "f>d", "c>d", "d>c").
				tie("c", "d", "U", 5, ""),
			[]string{"c:2:2", "d:2:2"}, []string{"c-d:3"}}, // without c: {a,b} and {d,e,f}
		{"an ended tie does not close a triangle",
			newEco().firms("a", "b", "c").edges("a>b", "b>c").tie("c", "a", "M", 1, "2020-01-01"),
			[]string{"b:1:2"}, []string{"a-b:1", "b-c:1"}},
		{"outside firms are not part of the local network",
			newEco().firms("a", "c").firm("x", "200", "D").edges("a>x", "x>c"), nil, nil},
		{"star: the hub cuts three leaves off the largest remaining part",
			newEco().firms("h", "l1", "l2", "l3", "l4").edges("h>l1", "h>l2", "h>l3", "h>l4"),
			[]string{"h:3:4"}, []string{"h-l1:1", "h-l2:1", "h-l3:1", "h-l4:1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Find(tt.eco.snap(t), "100", "X", Params{})
			if err != nil {
				t.Fatal(err)
			}
			var points, bridges []string
			for _, p := range r.ArticulationPoints {
				points = append(points, fmt.Sprintf("%s:%d:%d", p.CompanyID, p.Cut, p.Pieces))
			}
			for _, b := range r.Bridges {
				x, y := b.A.CompanyID, b.B.CompanyID
				if x > y {
					x, y = y, x
				}
				bridges = append(bridges, fmt.Sprintf("%s-%s:%d", x, y, b.Cut))
			}
			slices.Sort(points)
			slices.Sort(bridges)
			if !slices.Equal(points, tt.points) || !slices.Equal(bridges, tt.bridges) {
				t.Errorf("points %v bridges %v, want %v %v", points, bridges, tt.points, tt.bridges)
			}
			if r.ArticulationTotal != len(tt.points) || r.BridgeTotal != len(tt.bridges) {
				t.Errorf("totals %d %d", r.ArticulationTotal, r.BridgeTotal)
			}
			head, rows := r.Table()
			if len(rows) != len(r.SingleSources)+len(points)+len(bridges) || head[3] != "企业 company" {
				t.Errorf("table %v %v", head, rows)
			}
		})
	}
}

// TestCutThresholds: a cut that separates one small firm from a large network is
// not a choke point; one that separates three firms, or a large share of the
// revenue, is.
func TestCutThresholds(t *testing.T) {
	// A ring of 20 firms (no cuts), with a pendant leaf "p" on r0, and a chain of
	// three "q1–q2–q3" hanging from r10.
	build := func(leafRevenue float64) *snapshot.Snapshot {
		e := newEco()
		for i := range 20 {
			e.firms(fmt.Sprintf("r%d", i))
		}
		for i := range 20 {
			e.edges(fmt.Sprintf("r%d>r%d", i, (i+1)%20))
		}
		e.firms("p", "q1", "q2", "q3").edges("r0>p", "r10>q1", "q1>q2", "q2>q3")
		for i := range e.ds.Companies {
			if e.ds.Companies[i].ID == "p" {
				e.ds.Companies[i].RevenueWan = leafRevenue
			}
		}
		return e.snap(t)
	}
	cutIDs := func(r *Result) []string {
		var out []string
		for _, p := range r.ArticulationPoints {
			out = append(out, fmt.Sprintf("%s:%d", p.CompanyID, p.Cut))
		}
		slices.Sort(out)
		return out
	}
	r, _ := Find(build(100), "100", "X", Params{})
	if got := cutIDs(r); !slices.Equal(got, []string{"r10:3"}) || r.ArticulationTotal != 4 {
		t.Errorf("small leaf: points %v (total %d), want only r10 cutting 3 (q1, q2 are small cuts)", got, r.ArticulationTotal)
	}
	r, _ = Find(build(50000), "100", "X", Params{})
	if got := cutIDs(r); !slices.Equal(got, []string{"r0:1", "r10:3"}) {
		t.Errorf("large leaf: points %v, want r0 (its leaf has most of the revenue) and r10", got)
	}
	for _, p := range r.ArticulationPoints {
		if p.CompanyID == "r0" && (p.CutRevenueShare < 0.9 || !strings.Contains(p.Reasons[0].ZH, "营收")) {
			t.Errorf("r0 %+v", p)
		}
	}
	if r, _ := Find(build(100), "100", "X", Params{MinCut: 1, MinCutRevenueShare: 1}); len(r.ArticulationPoints) != 4 {
		t.Errorf("MinCut 1 reports all four: %v", cutIDs(r))
	}
}

// TestCutsLongPath: the iterative search handles a path far deeper than a
// recursive one would comfortably go, and counts the smaller side of each bridge.
func TestCutsLongPath(t *testing.T) {
	const n = 200_000
	g := &ugraph{comp: make([]int32, n), rev: make([]float64, n), start: make([]int64, n+1)}
	for i := range n {
		g.comp[i] = int32(i)
		if i > 0 {
			g.adj = append(g.adj, int32(i-1))
		}
		if i < n-1 {
			g.adj = append(g.adj, int32(i+1))
		}
		g.start[i+1] = int64(len(g.adj))
	}
	points, bridges := cuts(g)
	if len(points) != n-2 || len(bridges) != n-1 {
		t.Fatalf("%d points %d bridges", len(points), len(bridges))
	}
	for _, b := range bridges {
		lo := min(b.parent, b.child)
		if want := min(lo+1, n-lo-1); b.cut != want {
			t.Fatalf("bridge %d-%d cut %d, want %d", b.parent, b.child, b.cut, want)
		}
	}
}

func TestRemove(t *testing.T) {
	e := newEco().firm("f", "101", "M", "D").firm("g", "101", "M").firm("c1", "101", "YM").firm("c2", "101", "YM").
		firm("c3", "100", "YM").firm("o", "200", "D").firm("u", "200", "U").
		tie("f", "c1", "M", 10, "").tie("f", "c2", "M", 20, "").tie("f", "c3", "M", 30, "").tie("f", "o", "M", 5, "").
		tie("g", "c2", "M", 5, "").                           // c2 keeps a supplier of M
		tie("g", "c3", "M", 5, "2020-01-01").                 // c3's other supplier is history
		tie("f", "c1", "U", 1, "").tie("u", "c1", "U", 1, "") // c1 keeps a supplier of U
	s := e.snap(t)
	tests := []struct {
		company  string
		stranded []string
		lost     []string
		anchor   []string // "supplier:share"
	}{
		{"f", []string{"c3:M", "c1:M"}, []string{"D"}, nil},
		{"g", nil, nil, nil},
		{"u", nil, nil, nil}, // outside firm: c1 still has f for U
		// c3 takes 30 of f's 66 万元 of current sales (45%); g's tie to c3 ended.
		{"c3", nil, nil, []string{"f:0.455"}},
	}
	for _, tt := range tests {
		m, err := Remove(s, "100", tt.company)
		if err != nil {
			t.Fatal(err)
		}
		var got, lost []string
		for _, x := range m.Stranded {
			got = append(got, x.CustomerID+":"+x.LinkID)
		}
		for _, x := range m.LostLinks {
			lost = append(lost, x.LinkID)
		}
		var anchor []string
		for _, x := range m.AnchorLost {
			anchor = append(anchor, fmt.Sprintf("%s:%g", x.SupplierID, x.Share))
			if x.Basis != "amount" || !strings.Contains(x.Reasons[0].ZH, "46%") && !strings.Contains(x.Reasons[0].ZH, "45%") {
				t.Errorf("anchor reason %+v", x)
			}
		}
		if !slices.Equal(got, tt.stranded) || !slices.Equal(lost, tt.lost) || !slices.Equal(anchor, tt.anchor) {
			t.Errorf("Remove(%s) stranded %v lost %v anchor %v, want %v %v %v", tt.company, got, lost, anchor, tt.stranded, tt.lost, tt.anchor)
		}
		if !strings.Contains(m.Reasons[0].ZH, fmt.Sprintf("%d 家本地供应商将失去主要客户", len(anchor))) {
			t.Errorf("summary %q", m.Reasons[0].ZH)
		}
		if _, rows := m.Table(); len(rows) != len(got)+len(lost)+len(anchor) {
			t.Errorf("table rows %d", len(rows))
		}
	}
}

func TestUnknownIDs(t *testing.T) {
	s := newEco().firms("a").snap(t)
	if _, err := Find(s, "999", "", Params{}); graph.ErrorCode(err) != graph.ENOTFOUND {
		t.Errorf("unknown region: %v", err)
	}
	if _, err := Find(s, "100", "nope", Params{}); graph.ErrorCode(err) != graph.ENOTFOUND {
		t.Errorf("unknown chain: %v", err)
	}
	if _, err := Remove(s, "100", "nope"); graph.ErrorCode(err) != graph.ENOTFOUND {
		t.Errorf("unknown company: %v", err)
	}
	if _, err := Remove(s, "999", "a"); graph.ErrorCode(err) != graph.ENOTFOUND {
		t.Errorf("unknown region: %v", err)
	}
	if _, err := Find(s, "100", "", Params{MinOutsideShare: 2}); graph.ErrorCode(err) != graph.EINVALID {
		t.Errorf("bad params: %v", err)
	}
}

func TestZhenjiangDemo(t *testing.T) {
	s, err := snapshot.Build(context.Background(), graph.DatasetReader{Data: zhenjiang.Dataset()})
	if err != nil {
		t.Fatal(err)
	}
	r, err := Find(s, "321100", "", Params{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.SingleSources) == 0 || len(r.ArticulationPoints) == 0 {
		t.Fatalf("no choke points: %d single sources, %d articulation points", len(r.SingleSources), len(r.ArticulationPoints))
	}
	checkReasons(t, r)
	t.Logf("镇江 local network: %d firms, %d relations; %d single sources, %d articulation points, %d bridges",
		r.LocalFirms, r.LocalRelations, len(r.SingleSources), r.ArticulationTotal, r.BridgeTotal)
	for i, f := range r.SingleSources {
		if i < 8 {
			t.Logf("  %s %s/%s: %s", f.Kind, f.ChainID, f.LinkID, f.Reasons[0].ZH)
		}
	}
	for i, f := range r.ArticulationPoints {
		if i < 5 {
			t.Logf("  articulation %s: %s", f.Name, f.Reasons[0].EN)
		}
	}
	for i, f := range r.Bridges {
		if i < 3 {
			t.Logf("  bridge %s: %s", f.Links, f.Reasons[0].ZH)
		}
	}
	md, err := Find(s, "321100", "CH_MD", Params{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("CH_MD: %d single sources, %d articulation points, %d bridges", len(md.SingleSources), md.ArticulationTotal, md.BridgeTotal)
	if len(r.ArticulationPoints) > 0 {
		top := r.ArticulationPoints[0]
		m, err := Remove(s, "321100", top.CompanyID)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("remove %s: %s", m.Name, m.Reasons[0].ZH)
	}
}

// bigSnapshot is the shared 100k-company / 1M-supply benchmark ecosystem.
func bigSnapshot(b *testing.B) *snapshot.Snapshot { return snapshottest.Bench(b) }

func BenchmarkFind100k(b *testing.B) {
	s := bigSnapshot(b)
	b.ResetTimer()
	var r *Result
	for b.Loop() {
		var err error
		if r, err = Find(s, "110100", "", Params{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(r.LocalFirms), "local_firms")
	b.ReportMetric(float64(r.LocalRelations), "local_relations")
	b.ReportMetric(float64(len(r.SingleSources)), "single_sources")
	b.ReportMetric(float64(r.ArticulationTotal), "articulation_points")
}

// checkReasons fails on a reason whose format went wrong.
func checkReasons(t *testing.T, r *Result) {
	t.Helper()
	var all []analysis.Reason
	for _, f := range r.SingleSources {
		all = append(all, f.Reasons...)
	}
	for _, f := range r.ArticulationPoints {
		all = append(all, f.Reasons...)
	}
	for _, f := range r.Bridges {
		all = append(all, f.Reasons...)
	}
	for _, x := range all {
		if strings.Contains(x.ZH+x.EN, "%!") {
			t.Errorf("bad reason format: %s / %s", x.ZH, x.EN)
		}
	}
}
