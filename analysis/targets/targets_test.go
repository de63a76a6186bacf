package targets

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/chainmap/chainmap/analysis/snapshot"
	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/seed/synthetic"
	"github.com/chainmap/chainmap/seed/zhenjiang"
)

// base is a tiny ecosystem: 镇江 (with district 丹阳) in 江苏, 苏州 in 江苏, 上海 and
// 深圳 outside; 长三角 = 上海, 苏州, 镇江. Chain CH: U1 → M1 → D1; chain CH2: X1.
// Local firms: LEAD (链主 of CH, 丹阳, D1), LOC2 (镇江, D1), LOCM (丹阳, M1).
// AsOf is 2025-06-30 (the until of LOC2's own current tie).
func base() *graph.Dataset {
	return &graph.Dataset{
		Regions: []graph.Region{
			{Code: "320000", Name: "江苏省", Kind: graph.Province},
			{Code: "321100", Name: "镇江市", ParentCode: "320000", Kind: graph.City},
			{Code: "321181", Name: "丹阳市", ParentCode: "321100", Kind: graph.District},
			{Code: "320500", Name: "苏州", ParentCode: "320000", Kind: graph.External},
			{Code: "310000", Name: "上海", Kind: graph.External},
			{Code: "440300", Name: "深圳", Kind: graph.External},
		},
		RegionGroups: []graph.RegionGroupMember{
			{GroupCode: "YRD", GroupName: "长三角", RegionCode: "310000"},
			{GroupCode: "YRD", GroupName: "长三角", RegionCode: "320500"},
			{GroupCode: "YRD", GroupName: "长三角", RegionCode: "321100"},
		},
		Clusters: []graph.Cluster{{ID: "CL", Name: "集群"}},
		Chains: []graph.Chain{
			{ID: "CH", Name: "医疗器械", ClusterID: "CL", Key: true},
			{ID: "CH2", Name: "其他", ClusterID: "CL"},
		},
		Links: []graph.Link{
			{ID: "U1", ChainID: "CH", Name: "材料", Tier: graph.Upstream},
			{ID: "M1", ChainID: "CH", Name: "部件", Tier: graph.Midstream},
			{ID: "D1", ChainID: "CH", Name: "整机", Tier: graph.Downstream},
			{ID: "X1", ChainID: "CH2", Name: "别的", Tier: graph.Midstream},
		},
		Feeds: []graph.Feed{{From: "U1", To: "M1"}, {From: "M1", To: "D1"}},
		Companies: []graph.Company{
			{ID: "LEAD", Name: "鱼跃", RegionCode: "321181", RevenueWan: 500000},
			{ID: "LOC2", Name: "本地二", RegionCode: "321100", RevenueWan: 500000},
			{ID: "LOCM", Name: "本地部件", RegionCode: "321181", RevenueWan: 1000},
		},
		CompanyLinks: []graph.CompanyLink{
			{CompanyID: "LEAD", LinkID: "D1"}, {CompanyID: "LOC2", LinkID: "D1"}, {CompanyID: "LOCM", LinkID: "M1"},
		},
		Leaders: []graph.Leader{{CompanyID: "LEAD", ChainID: "CH"}},
		Supplies: []graph.Supply{
			{SupplierID: "LOCM", CustomerID: "LOC2", LinkID: "M1", Evidence: graph.Observed, Confidence: 1,
				Since: "2024-01-01", Until: "2025-06-30"},
		},
	}
}

// outside adds an outside firm operating in links.
func outside(ds *graph.Dataset, id, region string, rev float64, tags []graph.Tag, links ...string) {
	ds.Companies = append(ds.Companies, graph.Company{ID: id, Name: "企业" + id, RegionCode: region, RevenueWan: rev, Tags: tags})
	for _, l := range links {
		ds.CompanyLinks = append(ds.CompanyLinks, graph.CompanyLink{CompanyID: id, LinkID: l})
	}
}

// tie adds a supply tie; until "" is current, an old until is history.
func tie(ds *graph.Dataset, from, to, link, since, until string) {
	ds.Supplies = append(ds.Supplies, graph.Supply{SupplierID: from, CustomerID: to, LinkID: link,
		Evidence: graph.Observed, Confidence: 1, Since: graph.Date(since), Until: graph.Date(until)})
}

func build(t testing.TB, ds *graph.Dataset) *snapshot.Snapshot {
	t.Helper()
	s, err := snapshot.Build(context.Background(), graph.DatasetReader{Data: ds})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func rank(t testing.TB, s *snapshot.Snapshot, region, link string, p Params) *Result {
	t.Helper()
	res, err := Rank(s, region, link, p)
	if err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, res)
	return res
}

func ids(res *Result) []string {
	var out []string
	for _, x := range res.Targets {
		out = append(out, x.CompanyID)
	}
	return out
}

func find(res *Result, id string) (int, *Target) {
	for i := range res.Targets {
		if res.Targets[i].CompanyID == id {
			return i, &res.Targets[i]
		}
	}
	return -1, nil
}

// checkInvariants: scores in [0,1], sorted (ties by id), contributions sum to the
// score, a reason in both languages for every non-zero feature and none for zero ones.
func checkInvariants(t testing.TB, res *Result) {
	t.Helper()
	for i, x := range res.Targets {
		if x.Score < 0 || x.Score > 1 || math.IsNaN(x.Score) {
			t.Errorf("%s: score %v out of [0,1]", x.CompanyID, x.Score)
		}
		if i > 0 {
			p := res.Targets[i-1]
			if p.Score < x.Score || p.Score == x.Score && p.CompanyID >= x.CompanyID {
				t.Errorf("order: %s (%v) before %s (%v)", p.CompanyID, p.Score, x.CompanyID, x.Score)
			}
		}
		var sum float64
		for _, c := range x.Contributions {
			sum += c
		}
		if math.Abs(sum-x.Score) > 1e-9 {
			t.Errorf("%s: contributions sum to %v, score %v", x.CompanyID, sum, x.Score)
		}
		if len(x.Features) != nFeatures || len(x.Contributions) != nFeatures {
			t.Errorf("%s: %d features, %d contributions", x.CompanyID, len(x.Features), len(x.Contributions))
		}
		codes := map[string]zhEN{}
		for _, r := range x.Reasons {
			codes[r.Code] = zhEN{r.ZH, r.EN}
			if !hasHan(r.ZH) || r.EN == "" || hasHanOnly(r.EN) {
				t.Errorf("%s: reason %s not bilingual: %q / %q", x.CompanyID, r.Code, r.ZH, r.EN)
			}
			if len(r.Facts) == 0 {
				t.Errorf("%s: reason %s carries no facts", x.CompanyID, r.Code)
			}
		}
		want := map[string]bool{}
		for f, v := range x.Features {
			if v != 0 {
				want[ReasonCode[f]] = true
				if _, ok := codes[ReasonCode[f]]; !ok {
					t.Errorf("%s: feature %s = %v but no reason %s", x.CompanyID, f, v, ReasonCode[f])
				}
			}
		}
		for c := range codes {
			if !want[c] && c != "same_city_transfer" { // a label, not a feature
				t.Errorf("%s: reason %s for a zero feature", x.CompanyID, c)
			}
		}
	}
}

type zhEN struct{ zh, en string }

func hasHan(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
}

// hasHanOnly reports an English text with no Latin letter at all.
func hasHanOnly(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return r < unicode.MaxASCII && unicode.IsLetter(r) }) < 0
}

func TestLeaderTiesRankHigher(t *testing.T) {
	// WITH and WITHOUT are identical outside firms (same place, revenue, tags, links);
	// WITHOUT's id sorts first, so only the score can put WITH ahead.
	cases := []struct {
		name     string
		with     func(ds *graph.Dataset) // ties of WITH
		without  func(ds *graph.Dataset) // ties of WITHOUT
		regionID string
	}{
		{"current tie to leader vs none", func(ds *graph.Dataset) { tie(ds, "WITH", "LEAD", "M1", "2023-01-01", "") },
			func(*graph.Dataset) {}, "321100"},
		{"leader vs non-leader local customer", func(ds *graph.Dataset) { tie(ds, "WITH", "LEAD", "M1", "2023-01-01", "") },
			func(ds *graph.Dataset) { tie(ds, "WITHOUT", "LOC2", "M1", "2023-01-01", "") }, "321100"},
		{"past tie to leader vs past tie to non-leader",
			func(ds *graph.Dataset) { tie(ds, "WITH", "LEAD", "M1", "2019-01-01", "2020-12-31") },
			func(ds *graph.Dataset) { tie(ds, "WITHOUT", "LOC2", "M1", "2019-01-01", "2020-12-31") }, "321100"},
		{"leader in another chain's link", func(ds *graph.Dataset) { tie(ds, "WITH", "LEAD", "X1", "2023-01-01", "") },
			func(ds *graph.Dataset) { tie(ds, "WITHOUT", "LOC2", "X1", "2023-01-01", "") }, "321100"},
		{"rival's leader tie does not lift the other through a shared customer", func(ds *graph.Dataset) {
			tie(ds, "WITH", "LEAD", "M1", "2023-01-01", "")
			tie(ds, "WITH", "SHARED", "M1", "2023-01-01", "")
		}, func(ds *graph.Dataset) { tie(ds, "WITHOUT", "SHARED", "M1", "2023-01-01", "") }, "321100"},
		{"district as target region", func(ds *graph.Dataset) { tie(ds, "WITH", "LEAD", "M1", "2023-01-01", "") },
			func(*graph.Dataset) {}, "321181"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ds := base()
			outside(ds, "WITH", "310000", 20000, []graph.Tag{"上市"}, "M1")
			outside(ds, "WITHOUT", "310000", 20000, []graph.Tag{"上市"}, "M1")
			outside(ds, "SHARED", "440300", 0, nil, "D1")
			c.with(ds)
			c.without(ds)
			res := rank(t, build(t, ds), c.regionID, "M1", DefaultParams())
			iw, w := find(res, "WITH")
			io, o := find(res, "WITHOUT")
			if w == nil || o == nil {
				t.Fatalf("targets %v", ids(res))
			}
			if iw > io || w.Score <= o.Score {
				t.Errorf("WITH #%d %.4f, WITHOUT #%d %.4f", iw, w.Score, io, o.Score)
			}
			if w.Features[TiesToLeaders] != 1 || o.Features[TiesToLeaders] != 0 {
				t.Errorf("ties_to_leaders %v / %v", w.Features[TiesToLeaders], o.Features[TiesToLeaders])
			}
			for _, f := range []string{ThreePaths, CommonNeighbours, AdamicAdar, ResourceAllocation} {
				if o.Features[f] > w.Features[f] {
					t.Errorf("WITHOUT has more %s (%v) than WITH (%v)", f, o.Features[f], w.Features[f])
				}
			}
		})
	}
}

func TestPastTies(t *testing.T) {
	ds := base()
	for _, id := range []string{"A-NONE", "B-HIST", "C-REV", "D-BOTH", "E-CUR"} {
		outside(ds, id, "440300", 5000, nil, "M1")
	}
	tie(ds, "B-HIST", "LOC2", "M1", "2019-03-01", "2021-12-31") // ended: history
	tie(ds, "C-REV", "LOC2", "M1", "2022-01-01", "2022-12-31")  // history
	tie(ds, "LOCM", "C-REV", "M1", "2024-01-01", "")            // reverse, current
	tie(ds, "D-BOTH", "LOC2", "M1", "2018-01-01", "2019-06-30") // history with LOC2
	tie(ds, "LOC2", "D-BOTH", "D1", "2020-01-01", "2020-12-31") // and LOC2 supplied it: one firm
	tie(ds, "E-CUR", "LOC2", "M1", "2024-01-01", "2025-03-01")  // current (within 2 years)
	res := rank(t, build(t, ds), "321100", "M1", DefaultParams())
	want := map[string][3]float64{ // ties_to_local, ties_to_leaders, past_ties
		"A-NONE": {0, 0, 0}, "B-HIST": {0, 0, 1}, "C-REV": {0, 0, 2}, "D-BOTH": {0, 0, 1}, "E-CUR": {1, 0, 0},
	}
	for id, w := range want {
		_, x := find(res, id)
		if x == nil {
			t.Fatalf("%s missing from %v", id, ids(res))
		}
		got := [3]float64{x.Features[TiesToLocal], x.Features[TiesToLeaders], x.Features[PastTies]}
		if got != w {
			t.Errorf("%s: features %v, want %v", id, got, w)
		}
	}
	ia, _ := find(res, "A-NONE")
	for _, id := range []string{"B-HIST", "C-REV", "D-BOTH"} {
		if i, _ := find(res, id); i > ia {
			t.Errorf("%s (#%d) ranks below A-NONE (#%d)", id, i, ia)
		}
	}
	_, b := find(res, "B-HIST")
	r := reasonOf(b, RPastRelation)
	if r == nil || !strings.Contains(r.EN, "past supplier of 1 local firm (2019–2021)") ||
		!strings.Contains(r.ZH, "2019–2021 年曾向本地 1 家企业供货") || r.Facts["from_year"] != 2019 {
		t.Errorf("past reason %+v", r)
	}
	_, c := find(res, "C-REV")
	if r := reasonOf(c, RPastRelation); r == nil || !strings.Contains(r.EN, "buys from 1 local firm (本地部件)") {
		t.Errorf("reverse reason %+v", r)
	}
}

func reasonOf(x *Target, code string) *struct {
	ZH, EN string
	Facts  map[string]float64
} {
	for _, r := range x.Reasons {
		if r.Code == code {
			return &struct {
				ZH, EN string
				Facts  map[string]float64
			}{r.ZH, r.EN, r.Facts}
		}
	}
	return nil
}

func TestCandidates(t *testing.T) {
	ds := base()
	outside(ds, "SZ", "320500", 100, nil, "M1")      // 苏州: same province
	outside(ds, "SH", "310000", 100, nil, "M1")      // 上海: 长三角
	outside(ds, "SZN", "440300", 100, nil, "M1")     // 深圳: neither
	outside(ds, "OTHER", "310000", 9e6, nil, "X1")   // not in M1, despite a tie to the leader
	outside(ds, "CITY", "321100", 100, nil, "M1")    // local to 镇江, outside 丹阳
	tie(ds, "OTHER", "LEAD", "X1", "2024-01-01", "") //
	s := build(t, ds)

	cases := []struct {
		region     string
		want       []string
		candidates int
	}{
		{"321100", []string{"SZ", "SH", "SZN"}, 3},
		{"321181", []string{"SZ", "SH", "SZN"}, 4}, // 丹阳: the rest of the city is outside, but not a target
		{"320000", []string{"SH", "SZN"}, 2},
	}
	for _, c := range cases {
		res := rank(t, s, c.region, "M1", DefaultParams())
		got := ids(res)
		if !sameSet(got, c.want) || res.Candidates != c.candidates {
			t.Errorf("%s: targets %v (candidates %d), want %v (%d)", c.region, got, res.Candidates, c.want, c.candidates)
		}
	}
	// A district's same-city firms are left out, and counted; asked for, they come
	// back labelled as a transfer within the city.
	if res := rank(t, s, "321181", "M1", DefaultParams()); res.SameCityLeftOut != 1 {
		t.Errorf("same-city left out: %d", res.SameCityLeftOut)
	}
	p := DefaultParams()
	p.IncludeSameCity = true
	res := rank(t, s, "321181", "M1", p)
	if _, c := find(res, "CITY"); c == nil || !c.Transfer || c.Reasons[0].Code != "same_city_transfer" ||
		!strings.Contains(c.Reasons[0].ZH, "市内转移") {
		t.Errorf("same-city firm with include_same_city: %+v", c)
	}
	for _, x := range res.Targets {
		if x.Transfer != (x.CompanyID == "CITY") {
			t.Errorf("%s transfer = %v", x.CompanyID, x.Transfer)
		}
	}
	res = rank(t, s, "321100", "M1", DefaultParams())
	aff := map[string]float64{}
	for _, x := range res.Targets {
		aff[x.CompanyID] = x.Features[Affinity]
	}
	if aff["SZ"] != 1 || aff["SH"] != 0.5 || aff["SZN"] != 0 {
		t.Errorf("affinity %v", aff)
	}
	_, sh := find(res, "SH")
	if r := reasonOf(sh, RNearby); r == nil || r.ZH != "位于上海，与本地同属长三角" {
		t.Errorf("nearby reason %+v", r)
	}
	if res.RegionName != "镇江市" || res.LinkName != "部件" || res.Chain != "CH" || res.ChainName != "医疗器械" ||
		res.Demand != 2 {
		t.Errorf("header %+v", res)
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func TestFilters(t *testing.T) {
	ds := base()
	outside(ds, "F1", "320500", 50000, []graph.Tag{"专精特新", "小巨人"}, "M1")
	outside(ds, "F2", "310000", 8000, []graph.Tag{"专精特新"}, "M1")
	outside(ds, "F3", "440300", 0, []graph.Tag{"上市", "小巨人"}, "M1")
	outside(ds, "F4", "310000", 300000, nil, "M1")
	s := build(t, ds)
	cases := []struct {
		name string
		p    Params
		want []string
	}{
		{"none", Params{}, []string{"F1", "F2", "F3", "F4"}},
		{"tag", Params{Tags: []graph.Tag{"小巨人"}}, []string{"F1", "F3"}},
		{"two tags", Params{Tags: []graph.Tag{"专精特新", "小巨人"}}, []string{"F1"}},
		{"region", Params{Regions: []string{"310000"}}, []string{"F2", "F4"}},
		{"province includes cities below", Params{Regions: []string{"320000", "440300"}}, []string{"F1", "F3"}},
		{"min revenue drops unknown", Params{MinRevenueWan: 8000}, []string{"F1", "F2", "F4"}},
		{"limit", Params{Limit: 2}, nil},
		{"combined", Params{Tags: []graph.Tag{"专精特新"}, Regions: []string{"310000"}, MinRevenueWan: 1}, []string{"F2"}},
	}
	all := rank(t, s, "321100", "M1", Params{})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := rank(t, s, "321100", "M1", c.p)
			if res.Candidates != 4 {
				t.Errorf("candidates %d", res.Candidates)
			}
			if c.name == "limit" {
				if !slices.Equal(ids(res), ids(all)[:2]) {
					t.Errorf("limit 2: %v, all %v", ids(res), ids(all))
				}
				return
			}
			if !sameSet(ids(res), c.want) {
				t.Errorf("got %v, want %v", ids(res), c.want)
			}
			// Filters do not change scores: normalisation runs over all candidates.
			for _, x := range res.Targets {
				if _, y := find(all, x.CompanyID); y.Score != x.Score {
					t.Errorf("%s: score %v filtered, %v unfiltered", x.CompanyID, x.Score, y.Score)
				}
			}
		})
	}
	if res := rank(t, s, "321100", "M1", Params{}); res.Weights != DefaultWeights() {
		t.Errorf("zero weights should mean the defaults, got %+v", res.Weights)
	}
	_, f1 := find(all, "F1")
	if r := reasonOf(f1, RCredentials); r == nil || r.ZH != "国家级专精特新“小巨人”" || r.Facts["points"] != 5 {
		t.Errorf("credentials %+v", r)
	}
}

func TestErrors(t *testing.T) {
	s := build(t, base())
	cases := []struct {
		region, link string
		p            Params
		code, msg    string
	}{
		{"999999", "M1", Params{}, graph.ENOTFOUND, `no region with code "999999"`},
		{"321100", "NOPE", Params{}, graph.ENOTFOUND, `no link with id "NOPE"`},
		{"321100", "M1", Params{Regions: []string{"000"}}, graph.ENOTFOUND, `"000" to filter by`},
		{"321100", "M1", Params{Tags: []graph.Tag{"大厂"}}, graph.EINVALID, `unknown tag "大厂"`},
		{"321100", "M1", Params{Weights: Weights{Revenue: -1}}, graph.EINVALID, "weight revenue is -1"},
		{"321100", "M1", Params{Weights: Weights{Revenue: math.NaN()}}, graph.EINVALID, "weight revenue"},
	}
	for _, c := range cases {
		_, err := Rank(s, c.region, c.link, c.p)
		if graph.ErrorCode(err) != c.code || err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("Rank(%s, %s, %+v) = %v, want %s containing %q", c.region, c.link, c.p, err, c.code, c.msg)
		}
	}
}

// TestNetworkFeatures checks three_paths and CN/AA/RA on a hand-computed graph, with
// both 3-path strategies. Ties: C → X, Y → X, Y → LOC2, X → LEAD, and the rival R
// (also a candidate in M1): R → X, R → LEAD. The demand firms are LEAD and LOC2
// (they operate D1, which M1 feeds).
//   - three_paths(C): C → X ← Y → LOC2 is the one path; C → X ← R → LEAD runs
//     through a rival and does not count.
//   - CN(C): N(C) = {X}, and X is adjacent to LEAD: 1; deg(X) = |{C, Y, R, LEAD}| = 4,
//     so AA = 1/ln 4 and RA = 1/4.
//   - three_paths(R): R → X ← Y → LOC2 = 1; R → LEAD has no other non-candidate
//     supplier. CN(R): N(R) = {X, LEAD}; X is adjacent to LEAD: 1.
func TestNetworkFeatures(t *testing.T) {
	defer func() { pathMode = 0 }()
	for _, mode := range []int{1, 2} {
		pathMode = mode
		ds := base()
		outside(ds, "C", "310000", 100, nil, "M1")
		outside(ds, "R", "310000", 100, nil, "M1")
		outside(ds, "X", "310000", 100, nil, "D1")
		outside(ds, "Y", "310000", 100, nil, "U1")
		tie(ds, "C", "X", "M1", "2024-01-01", "")
		tie(ds, "Y", "X", "M1", "2024-01-01", "")
		tie(ds, "Y", "LOC2", "M1", "2024-01-01", "")
		tie(ds, "X", "LEAD", "D1", "2024-01-01", "")
		tie(ds, "R", "X", "M1", "2024-01-01", "")
		tie(ds, "R", "LEAD", "M1", "2024-01-01", "")
		res := rank(t, build(t, ds), "321100", "M1", DefaultParams())
		want := map[string]map[string]float64{
			"C": {ThreePaths: 1, CommonNeighbours: 1, AdamicAdar: 1 / math.Log(4), ResourceAllocation: 0.25,
				PreferentialAttachment: math.Log1p(1), TiesToLocal: 0},
			"R": {ThreePaths: 1, CommonNeighbours: 1, AdamicAdar: 1 / math.Log(4), ResourceAllocation: 0.25,
				PreferentialAttachment: math.Log1p(2), TiesToLocal: 1, TiesToLeaders: 1},
		}
		for id, fs := range want {
			_, x := find(res, id)
			for f, v := range fs {
				if math.Abs(x.Features[f]-v) > 1e-12 {
					t.Errorf("mode %d: %s %s = %v, want %v", mode, id, f, x.Features[f], v)
				}
			}
		}
		if _, y := find(res, "Y"); y != nil {
			t.Error("Y is not in M1 and must not be a target")
		}
	}
}

func TestDeterministicAndJSON(t *testing.T) {
	s := build(t, zhenjiang.Dataset())
	a := rank(t, s, "321100", "MD_M4", DefaultParams())
	b := rank(t, s, "321100", "MD_M4", DefaultParams())
	if !reflect.DeepEqual(a, b) {
		t.Error("two runs differ")
	}
	js, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{`"region":`, `"region_name":`, `"link_name":`, `"chain_name":`, `"candidates":`,
		`"targets":`, `"company_id":`, `"region_code":`, `"contributions":`, `"ties_to_leaders":`, `"revenue_wan":`} {
		if !strings.Contains(string(js), k) {
			t.Errorf("json lacks %s", k)
		}
	}
	h, rows := a.Table()
	if len(rows) != len(a.Targets) || len(rows) == 0 || len(rows[0]) != len(h) || h[1] != "企业 company" {
		t.Errorf("table %v %d rows", h, len(rows))
	}
}

func TestZhenjiang(t *testing.T) {
	s := build(t, zhenjiang.Dataset())
	within := s.Within(s.Region("321100"))
	for _, link := range []string{"EV_M3", "MD_M4"} {
		res := rank(t, s, "321100", link, DefaultParams())
		if len(res.Targets) == 0 || res.Candidates == 0 {
			t.Fatalf("%s: no targets", link)
		}
		t.Logf("%s %s (%s): %d candidates, %d local demand firms", link, res.LinkName, res.ChainName, res.Candidates, res.Demand)
		for i, x := range res.Targets[:min(5, len(res.Targets))] {
			var zh []string
			for _, r := range x.Reasons {
				zh = append(zh, r.ZH)
			}
			t.Logf("  %d. %.3f %s [%s] %s", i+1, x.Score, x.Name, x.RegionName, strings.Join(zh, "；"))
		}
		top := res.Targets[0]
		if top.Features[TiesToLocal]+top.Features[TiesToLeaders]+top.Features[PastTies] == 0 {
			t.Errorf("%s: top target %s has no relation to local firms", link, top.Name)
		}
		l := s.Link(link)
		for _, x := range res.Targets {
			c := s.Company(x.CompanyID)
			if within[s.Companies[c].Region] || !slices.Contains(s.CompanyLinks[c], l) {
				t.Errorf("%s: %s is local or not in the link", link, x.Name)
			}
		}
	}
}

// BenchmarkRank ranks the biggest link for the home city of a synthetic ecosystem of
// 100k companies and 1M supplies. BenchmarkRankLarge does the same at 1M companies and
// 10M supplies when CHAINMAP_BENCH_LARGE=1 (building that snapshot takes a few GB and
// about a minute).
func BenchmarkRank(b *testing.B) { benchRank(b, 100_000, 1_000_000) }

func BenchmarkRankLarge(b *testing.B) {
	if os.Getenv("CHAINMAP_BENCH_LARGE") == "" {
		b.Skip("set CHAINMAP_BENCH_LARGE=1 to run")
	}
	benchRank(b, 1_000_000, 10_000_000)
}

func benchRank(b *testing.B, companies, supplies int) {
	eco, err := synthetic.New(synthetic.Config{Companies: companies, Supplies: supplies, Regions: 60, Chains: 8, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	s, err := snapshot.Build(context.Background(), eco)
	if err != nil {
		b.Fatal(err)
	}
	best := 0
	for l := range s.Links {
		if len(s.LinkCompanies[l]) > len(s.LinkCompanies[best]) {
			best = l
		}
	}
	link := s.Links[best].ID
	res, err := Rank(s, "110100", link, DefaultParams())
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("link %s: %d companies, %d candidates, %d demand firms, %d ties", link, len(s.LinkCompanies[best]),
		res.Candidates, res.Demand, len(s.Ties))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Rank(s, "110100", link, DefaultParams()); err != nil {
			b.Fatal(err)
		}
	}
}

var modelNumber = regexp.MustCompile(`[+-]\d+\.\d|\d\.\d\d`)

// TestPipelineFirmsAreNotTargets: a firm with a live project in the home city is
// listed apart with the project; a dropped project does not count, nor does one
// in another city.
func TestPipelineFirmsAreNotTargets(t *testing.T) {
	for _, tt := range []struct {
		stage    graph.Stage
		region   string
		pipeline bool
	}{
		{graph.Negotiating, "321181", true},
		{graph.Signed, "321181", true},
		{graph.Started, "321100", true},
		{graph.Producing, "321181", true},
		{graph.AtCapacity, "321181", true},
		{graph.Dropped, "321181", false},
		{graph.Signed, "320500", false}, // a project in 苏州 is not the home city's
	} {
		ds := base()
		outside(ds, "SZ", "320500", 100, nil, "M1")
		outside(ds, "SH", "310000", 100, nil, "M1")
		ds.Regions = append(ds.Regions, graph.Region{Code: "320599", Name: "苏州某区", ParentCode: "320500", Kind: graph.District})
		p := graph.Project{ID: "P1", Name: "某项目", CompanyID: "SH", LinkID: "M1", RegionCode: tt.region, InvestmentWan: 10000,
			Stage: tt.stage, SignedOn: "2024-01-01"}
		if tt.stage == graph.Negotiating {
			p.SignedOn = ""
		}
		if tt.stage == graph.Started || tt.stage == graph.Producing || tt.stage == graph.AtCapacity {
			p.StartedOn = "2024-03-01"
		}
		if tt.stage == graph.Producing || tt.stage == graph.AtCapacity {
			p.ProducingOn = "2024-09-01"
		}
		if tt.stage == graph.AtCapacity {
			p.AtCapacityOn = "2025-03-01"
		}
		ds.Projects = []graph.Project{p}
		for _, region := range []string{"321100", "321181"} {
			res := rank(t, build(t, ds), region, "M1", DefaultParams())
			_, target := find(res, "SH")
			inPipe := len(res.InPipeline) == 1 && res.InPipeline[0].CompanyID == "SH"
			if inPipe != tt.pipeline || (target != nil) == tt.pipeline {
				t.Errorf("%s in %s, ranked for %s: pipeline %v, target %v", tt.stage, tt.region, region, res.InPipeline, target != nil)
			}
			if inPipe {
				pf := res.InPipeline[0]
				if len(pf.Projects) != 1 || pf.Projects[0].ID != "P1" || pf.Projects[0].Stage != tt.stage ||
					!strings.Contains(pf.Reasons[0].ZH, "P1") || !strings.Contains(pf.Reasons[0].ZH, stageZH[tt.stage]) {
					t.Errorf("pipeline record %+v", pf)
				}
			}
		}
	}
}

// TestInferredTiesWeighLess: a supplier known from an inferred tie scores below one
// known from an observed tie, and never above it whatever the confidence.
func TestInferredTiesWeighLess(t *testing.T) {
	ds := base()
	outside(ds, "OBS", "310000", 100, nil, "M1")
	outside(ds, "INF", "310000", 100, nil, "M1")
	tie(ds, "OBS", "LOC2", "M1", "2024-01-01", "")
	ds.Supplies = append(ds.Supplies, graph.Supply{SupplierID: "INF", CustomerID: "LOC2", LinkID: "M1",
		Evidence: graph.Inferred, Confidence: 1, Since: "2024-01-01"})
	res := rank(t, build(t, ds), "321100", "M1", DefaultParams())
	io, obs := find(res, "OBS")
	ii, inf := find(res, "INF")
	if obs == nil || inf == nil || !(obs.Features[TiesToLocal] > inf.Features[TiesToLocal]) || ii < io {
		t.Errorf("observed %+v (#%d) vs inferred %+v (#%d)", obs, io, inf, ii)
	}
	if r := reasonOf(inf, RSuppliesLocal); r == nil || !strings.Contains(r.ZH, "推断") || r.Facts["inferred_only"] != 1 {
		t.Errorf("inferred-only reason %+v", r)
	}
	if r := reasonOf(obs, RSuppliesLocal); r == nil || strings.Contains(r.ZH, "推断") {
		t.Errorf("observed reason %+v", r)
	}
}

// TestLinkPrediction: the frozen model scores a prior relation and network reach
// above nothing, and explains itself in both languages.
func TestLinkPrediction(t *testing.T) {
	ds := base()
	outside(ds, "A-NONE", "440300", 5000, nil, "M1")
	outside(ds, "B-HIST", "440300", 5000, nil, "M1")
	tie(ds, "B-HIST", "LOC2", "M1", "2019-03-01", "2021-12-31")
	res := rank(t, build(t, ds), "321100", "M1", DefaultParams())
	ia, a := find(res, "A-NONE")
	ib, b := find(res, "B-HIST")
	if b.Features[LinkPrediction] <= a.Features[LinkPrediction] || ib > ia {
		t.Errorf("link prediction %v (#%d) vs %v (#%d)", b.Features[LinkPrediction], ib, a.Features[LinkPrediction], ia)
	}
	r := reasonOf(b, RLikelyCustomer)
	if r == nil || !strings.Contains(r.ZH, "本地二") || !strings.Contains(r.ZH, "有过合作") || !strings.Contains(r.ZH, "新供应商") ||
		!strings.Contains(r.EN, "prior relation") || r.Facts["past_tie"] != 1 || r.Facts["probability"] <= 0 {
		t.Errorf("link reason %+v", r)
	}
	// No model numbers (probabilities, log-odds) in the text an official reads.
	if modelNumber.MatchString(r.ZH) || modelNumber.MatchString(r.EN) || strings.Contains(r.ZH, "概率") {
		t.Errorf("model numbers in %q / %q", r.ZH, r.EN)
	}
	t.Logf("%s / %s", r.ZH, r.EN)
}
