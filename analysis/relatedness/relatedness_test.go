package relatedness

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/chainmap/chainmap/analysis/snapshot"
	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/seed/zhenjiang"
)

// small is three peer units and three links of one chain L1 → L2 → L3:
//
//	unit      L1  L2  L3  total
//	A (city)   3   0   1    4   (district A1 holds one L1 and the L3 firm)
//	B (city)   2   2   0    4
//	C (ext.)   0   2   3    5
//	total      5   4   4   13
//
// plus a firm placed directly in province PV (no city-level unit, so not a peer) and
// an external place D without firms.
func small(t *testing.T) *snapshot.Snapshot {
	t.Helper()
	ds := graph.Dataset{
		Regions: []graph.Region{{Code: "PV", Name: "某省", Kind: graph.Province},
			{Code: "A", Name: "甲市", ParentCode: "PV", Kind: graph.City},
			{Code: "A1", Name: "甲一区", ParentCode: "A", Kind: graph.District},
			{Code: "B", Name: "乙市", ParentCode: "PV", Kind: graph.City},
			{Code: "C", Name: "丙市", Kind: graph.External}, {Code: "D", Name: "丁市", Kind: graph.External}},
		Clusters: []graph.Cluster{{ID: "CL", Name: "集群"}},
		Chains:   []graph.Chain{{ID: "X", Name: "测试链", ClusterID: "CL"}},
		Links: []graph.Link{{ID: "L1", ChainID: "X", Name: "材料", NameEN: "materials", Tier: graph.Upstream},
			{ID: "L2", ChainID: "X", Name: "部件", NameEN: "parts", Tier: graph.Midstream},
			{ID: "L3", ChainID: "X", Name: "整机", NameEN: "systems", Tier: graph.Downstream}},
		Feeds: []graph.Feed{{From: "L1", To: "L2"}, {From: "L2", To: "L3"}},
	}
	n := 0
	firm := func(region, link string, count int) {
		for range count {
			n++
			id := region + link + string(rune('a'+n))
			ds.Companies = append(ds.Companies, graph.Company{ID: id, Name: id, RegionCode: region, RevenueWan: 100})
			ds.CompanyLinks = append(ds.CompanyLinks, graph.CompanyLink{CompanyID: id, LinkID: link})
		}
	}
	firm("A", "L1", 2)
	firm("A1", "L1", 1)
	firm("A1", "L3", 1)
	firm("B", "L1", 2)
	firm("B", "L2", 2)
	firm("C", "L2", 2)
	firm("C", "L3", 3)
	firm("PV", "L1", 4)
	s, err := snapshot.Build(context.Background(), graph.DatasetReader{Data: &ds})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-12 }

func TestSpaceExact(t *testing.T) {
	s := small(t)
	sp := buildSpace(s, Firms)
	if len(sp.units) != 3 {
		t.Fatalf("peers %d, want 3 (A, B, C; PV has no city, D no firms)", len(sp.units))
	}
	wantRCA := map[string][3]float64{
		"A": {39.0 / 20, 0, 13.0 / 16},
		"B": {13.0 / 10, 13.0 / 8, 0},
		"C": {0, 13.0 / 10, 39.0 / 20},
	}
	for code, want := range wantRCA {
		row := sp.x[sp.row[s.Region(code)]]
		got := sp.rcaOf(row)
		for l := range want {
			if !near(got[l], want[l]) {
				t.Errorf("RCA %s,L%d = %v, want %v", code, l+1, got[l], want[l])
			}
		}
	}
	// M: A = {L1}, B = {L1, L2}, C = {L2, L3}; ubiquity 2, 2, 1; co-occurrence
	// L1L2 = 1 (B), L2L3 = 1 (C), L1L3 = 0.
	if got := sp.ubiq; got[0] != 2 || got[1] != 2 || got[2] != 1 {
		t.Errorf("ubiquity %v", got)
	}
	wantPhi := [3][3]float64{{0, 0.5, 0}, {0.5, 0, 0.5}, {0, 0.5, 0}}
	for a := range wantPhi {
		for b := range wantPhi[a] {
			if !near(sp.phi[a][b], wantPhi[a][b]) {
				t.Errorf("φ(L%d,L%d) = %v, want %v", a+1, b+1, sp.phi[a][b], wantPhi[a][b])
			}
		}
	}
	// Density is defined for every link, specialised or not: for B at L1,
	// φ12·M_B2 / (φ12 + φ13) = 1; for A at L3, φ32·M_A2 / φ32 = 0.
	wantDensity := map[string][3]float64{
		"A": {0, 0.5, 0},
		"B": {1, 0.5, 1},
		"C": {1, 0.5, 1},
	}
	for code, want := range wantDensity {
		got := sp.density(sp.m[sp.row[s.Region(code)]])
		for l := range want {
			if !near(got[l], want[l]) {
				t.Errorf("density %s,L%d = %v, want %v", code, l+1, got[l], want[l])
			}
		}
	}
}

func TestRevenueSplitsMultiLinkFirms(t *testing.T) {
	ds := graph.Dataset{
		Regions: []graph.Region{{Code: "A", Name: "甲", Kind: graph.City}},
		Chains:  []graph.Chain{{ID: "X", Name: "链"}},
		Links:   []graph.Link{{ID: "L1", ChainID: "X", Name: "一"}, {ID: "L2", ChainID: "X", Name: "二"}},
		Companies: []graph.Company{{ID: "c1", Name: "c1", RegionCode: "A", RevenueWan: 100},
			{ID: "c2", Name: "c2", RegionCode: "A", RevenueWan: 30}, {ID: "c3", Name: "c3", RegionCode: "A"}},
		CompanyLinks: []graph.CompanyLink{{CompanyID: "c1", LinkID: "L1"}, {CompanyID: "c1", LinkID: "L2"},
			{CompanyID: "c2", LinkID: "L2"}, {CompanyID: "c3", LinkID: "L1"}},
	}
	s, err := snapshot.Build(context.Background(), graph.DatasetReader{Data: &ds})
	if err != nil {
		t.Fatal(err)
	}
	rev := buildSpace(s, Revenue).x[0]
	if rev[0] != 50 || rev[1] != 80 {
		t.Errorf("revenue row %v, want [50 80]", rev)
	}
	firms := buildSpace(s, Firms).x[0]
	if firms[0] != 2 || firms[1] != 2 {
		t.Errorf("firm row %v, want [2 2]", firms)
	}
}

func ids(cs []Candidate) string {
	var out []string
	for _, c := range cs {
		out = append(out, c.LinkID)
	}
	return strings.Join(out, ",")
}

func TestExtendSmall(t *testing.T) {
	s := small(t)
	r, err := Extend(s, "A", DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	if r.Peers != 3 || r.Peer != "A" || r.Links != 3 || r.TotalCandidates != 2 {
		t.Errorf("peers %d peer %q links %d total %d", r.Peers, r.Peer, r.Links, r.TotalCandidates)
	}
	if len(r.Specialised) != 1 || r.Specialised[0].LinkID != "L1" || r.Specialised[0].RCA != 1.95 ||
		r.Specialised[0].Value != 3 || r.Specialised[0].Ubiquity != 2 {
		t.Errorf("specialised %+v", r.Specialised)
	}
	if got := ids(r.Candidates); got != "L2,L3" {
		t.Fatalf("candidates %s, want L2,L3 (by density)", got)
	}
	c2, c3 := r.Candidates[0], r.Candidates[1]
	// Importance from diagnose on L1 → L2 → L3: L2 = 0.1 + 0.5·1/2 + 0.4·1, L3 = 0.1.
	if c2.Density != 0.5 || c2.RCA != 0 || c2.Importance != 0.75 || c2.Attractiveness != 0.75 || c2.Quadrant != "high_high" ||
		c2.QuadrantZH != "高可行高吸引" {
		t.Errorf("L2 %+v", c2)
	}
	if c3.Density != 0 || c3.RCA != 0.813 || c3.Value != 1 || c3.Importance != 0.1 || c3.Quadrant != "low_low" {
		t.Errorf("L3 %+v", c3)
	}
	if len(c2.Related) != 1 || c2.Related[0].LinkID != "L1" || c2.Related[0].Phi != 0.5 {
		t.Errorf("L2 related %+v", c2.Related)
	}
	codes := func(c Candidate) string {
		var out []string
		for _, x := range c.Reasons {
			out = append(out, x.Code)
		}
		return strings.Join(out, ",")
	}
	if got := codes(c2); got != "related_to_strength,density,absent,importance,adjacent_to_strength" {
		t.Errorf("L2 reasons %s", got)
	}
	if c2.Reasons[0].ZH != "与本地已具优势的 材料 高度相关（φ=0.50）" ||
		c2.Reasons[0].EN != "closely related to materials, where the region already specialises (φ=0.50)" {
		t.Errorf("L2 reason %q / %q", c2.Reasons[0].ZH, c2.Reasons[0].EN)
	}
	if got := codes(c3); got != "no_related_strength,density,present_not_specialised,importance" {
		t.Errorf("L3 reasons %s", got)
	}
	if r.FeasibilityCut != 0.25 || r.AttractivenessCut != 0.425 {
		t.Errorf("cuts %v %v", r.FeasibilityCut, r.AttractivenessCut)
	}
	if _, err := json.Marshal(r); err != nil {
		t.Fatal(err)
	}
	head, rows := r.Table()
	if len(rows) != 3 || len(rows[0]) != len(head) || rows[0][1] != "部件" || rows[2][0] != "已具优势 specialised" {
		t.Errorf("table %v %v", head, rows)
	}
}

func TestExtendGrowthAndLimit(t *testing.T) {
	s := small(t)
	r, err := Extend(s, "A", Params{Growth: map[string]float64{"L3": 9}, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	// L3: 0.1 × (1 + 9) = 1 overtakes L2 (0.75) in attractiveness, but density still ranks.
	if len(r.Candidates) != 1 || r.TotalCandidates != 2 || r.Candidates[0].LinkID != "L2" {
		t.Fatalf("candidates %s of %d", ids(r.Candidates), r.TotalCandidates)
	}
	if c := r.Candidates[0]; c.Quadrant != "high_low" || r.AttractivenessCut != 0.875 {
		t.Errorf("quadrant %s cut %v", c.Quadrant, r.AttractivenessCut)
	}
	r, err = Extend(s, "A", Params{Growth: map[string]float64{"L3": 9}})
	if err != nil {
		t.Fatal(err)
	}
	c3 := r.Candidates[1]
	if c3.Attractiveness != 1 || c3.Growth != 9 || c3.Quadrant != "low_high" || c3.Reasons[3].Code != "importance_growth" {
		t.Errorf("L3 %+v", c3)
	}
}

func TestExtendDensityRanking(t *testing.T) {
	s := small(t)
	for _, tc := range []struct{ region, want string }{
		{"B", "L3"},     // density 1
		{"C", "L1"},     // density 1
		{"A1", "L2"},    // district: M = {L1, L3} against the city peers, density 1
		{"PV", "L2,L3"}, // province: its own firms and everything below
	} {
		r, err := Extend(s, tc.region, DefaultParams())
		if err != nil {
			t.Fatalf("%s: %v", tc.region, err)
		}
		if got := ids(r.Candidates); got != tc.want {
			t.Errorf("%s: candidates %s, want %s", tc.region, got, tc.want)
		}
		if tc.region != "PV" && r.Candidates[0].Density != 1 {
			t.Errorf("%s: density %v, want 1", tc.region, r.Candidates[0].Density)
		}
		if r.Peers != 3 {
			t.Errorf("%s: peers %d", tc.region, r.Peers)
		}
	}
	r, _ := Extend(s, "A1", DefaultParams())
	if r.Peer != "A" || len(r.Specialised) != 2 || r.Specialised[0].LinkID != "L3" || r.Specialised[0].RCA != 1.625 ||
		r.Specialised[1].RCA != 1.3 {
		t.Errorf("district: peer %q specialised %+v", r.Peer, r.Specialised)
	}
	if r.Candidates[0].Reasons[0].ZH != "与本地已具优势的 材料、整机 高度相关（φ=0.50）" {
		t.Errorf("district reason %q", r.Candidates[0].Reasons[0].ZH)
	}
}

func TestExtendErrors(t *testing.T) {
	s := small(t)
	for _, tc := range []struct {
		name, region string
		p            Params
		code         string
	}{
		{"unknown region", "ZZ", DefaultParams(), graph.ENOTFOUND},
		{"region without firms", "D", DefaultParams(), graph.EINVALID},
		{"unknown measure", "A", Params{Measure: "employees"}, graph.EINVALID},
		{"negative limit", "A", Params{Limit: -1}, graph.EINVALID},
		{"growth of unknown link", "A", Params{Growth: map[string]float64{"L9": 0.1}}, graph.ENOTFOUND},
		{"growth below -100%", "A", Params{Growth: map[string]float64{"L2": -2}}, graph.EINVALID},
	} {
		_, err := Extend(s, tc.region, tc.p)
		if graph.ErrorCode(err) != tc.code {
			t.Errorf("%s: error %v (code %q), want code %q", tc.name, err, graph.ErrorCode(err), tc.code)
		}
	}
}

func TestZhenjiang(t *testing.T) {
	s, err := snapshot.Build(context.Background(), graph.DatasetReader{Data: zhenjiang.Dataset()})
	if err != nil {
		t.Fatal(err)
	}
	for _, measure := range []string{Firms, Revenue} {
		r, err := Extend(s, "321100", Params{Measure: measure})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Candidates) == 0 || len(r.Specialised) == 0 || r.Peers < 5 {
			t.Fatalf("%s: %d candidates, %d specialised, %d peers", measure, len(r.Candidates), len(r.Specialised), r.Peers)
		}
		if len(r.Candidates)+len(r.Specialised) != r.Links {
			t.Errorf("%s: %d + %d links, want %d", measure, len(r.Candidates), len(r.Specialised), r.Links)
		}
		for i, c := range r.Candidates {
			if c.RCA >= 1 || c.Density < 0 || c.Density > 1 || (i > 0 && c.Density > r.Candidates[i-1].Density) {
				t.Errorf("%s: candidate %d %s rca %v density %v", measure, i, c.LinkID, c.RCA, c.Density)
			}
		}
		if len(r.Candidates[0].Related) == 0 {
			t.Errorf("%s: top candidate %s has no related strength", measure, r.Candidates[0].LinkID)
		}
		t.Logf("%s: 镇江 321100, %d peers, %d specialised, %d candidates, cuts feasibility %.3f attractiveness %.3f",
			measure, r.Peers, len(r.Specialised), len(r.Candidates), r.FeasibilityCut, r.AttractivenessCut)
		for _, x := range r.Specialised[:min(5, len(r.Specialised))] {
			t.Logf("  specialised %s %s (%s) RCA %.2f value %v", x.LinkID, x.LinkName, x.ChainName, x.RCA, x.Value)
		}
		for i, c := range r.Candidates[:min(5, len(r.Candidates))] {
			t.Logf("  %d. %s %s (%s) density %.3f attractiveness %.3f %s RCA %.2f — %s / %s", i+1, c.LinkID, c.LinkName,
				c.ChainName, c.Density, c.Attractiveness, c.QuadrantZH, c.RCA, c.Reasons[0].ZH, c.Reasons[0].EN)
		}
	}
	d, err := Extend(s, "321181", DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	if d.Peer != "321100" || len(d.Candidates) == 0 {
		t.Errorf("丹阳: peer %q, %d candidates", d.Peer, len(d.Candidates))
	}
	t.Logf("丹阳 321181: %d specialised, top candidate %s %s density %.3f", len(d.Specialised), d.Candidates[0].LinkID,
		d.Candidates[0].LinkName, d.Candidates[0].Density)
}
