package leaders

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/chainmap/chainmap/analysis"
	"github.com/chainmap/chainmap/analysis/snapshot"
	"github.com/chainmap/chainmap/analysis/snapshot/snapshottest"
	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/seed/zhenjiang"
)

// eco builds a small ecosystem: city 100 with district 101, an outside city 200 in
// province 2 and an external region 300; chain X with links U → M → D and chain Y
// with links YU → YM.
type eco struct{ ds graph.Dataset }

func newEco() *eco {
	return &eco{ds: graph.Dataset{
		Regions: []graph.Region{{Code: "100", Name: "本市", Kind: graph.City}, {Code: "101", Name: "一区", ParentCode: "100", Kind: graph.District},
			{Code: "2", Name: "外省", Kind: graph.Province}, {Code: "200", Name: "外市", ParentCode: "2", Kind: graph.City},
			{Code: "300", Name: "海外", Kind: graph.External}},
		Clusters: []graph.Cluster{{ID: "CL", Name: "集群"}},
		Chains:   []graph.Chain{{ID: "X", Name: "测试链", ClusterID: "CL", Key: true}, {ID: "Y", Name: "他链", ClusterID: "CL"}},
		Links: []graph.Link{{ID: "U", ChainID: "X", Name: "材料", Tier: graph.Upstream}, {ID: "M", ChainID: "X", Name: "部件", Tier: graph.Midstream},
			{ID: "D", ChainID: "X", Name: "整机", Tier: graph.Downstream},
			{ID: "YU", ChainID: "Y", Name: "他链材料", Tier: graph.Upstream}, {ID: "YM", ChainID: "Y", Name: "他链部件", Tier: graph.Midstream}},
		Feeds: []graph.Feed{{From: "U", To: "M"}, {From: "M", To: "D"}, {From: "YU", To: "YM"}},
	}}
}

func (e *eco) firm(id, region string, revenue float64, links ...string) *eco {
	e.ds.Companies = append(e.ds.Companies, graph.Company{ID: id, Name: "企业" + id, RegionCode: region, RevenueWan: revenue})
	for _, l := range links {
		e.ds.CompanyLinks = append(e.ds.CompanyLinks, graph.CompanyLink{CompanyID: id, LinkID: l})
	}
	return e
}

// tie adds a tie of link from supplier to customer; until "" = current.
func (e *eco) tie(supplier, customer, link string, amount float64, until graph.Date) *eco {
	e.ds.Supplies = append(e.ds.Supplies, graph.Supply{SupplierID: supplier, CustomerID: customer, LinkID: link,
		AmountWan: amount, Evidence: graph.Observed, Confidence: 1, Since: "2019-01-01", Until: until})
	return e
}

func (e *eco) leader(id, chain string) *eco {
	e.ds.Leaders = append(e.ds.Leaders, graph.Leader{CompanyID: id, ChainID: chain})
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

// base: hub H buys parts from five local firms s1..s5, peripheral P buys from s1
// only; s1..s5 buy material from local u1. All in chain X.
func base() *eco {
	e := newEco().firm("H", "101", 1000, "D").firm("P", "101", 1000, "D").firm("u1", "100", 100, "U")
	for i := 1; i <= 5; i++ {
		id := fmt.Sprintf("s%d", i)
		e.firm(id, "101", 100, "M").tie(id, "H", "M", 10, "").tie("u1", id, "U", 5, "")
	}
	return e.tie("s1", "P", "M", 10, "")
}

func find(r *Result, id string) *Leader {
	for i := range r.Leaders {
		if r.Leaders[i].CompanyID == id {
			return &r.Leaders[i]
		}
	}
	return nil
}

func hasReason(l *Leader, code string) bool {
	return slices.ContainsFunc(l.Reasons, func(x analysis.Reason) bool { return x.Code == code })
}

func TestRank(t *testing.T) {
	tests := []struct {
		name  string
		eco   *eco
		p     Params
		check func(t *testing.T, r *Result)
	}{
		{"hub bought from by many local chain firms outranks a peripheral firm", base(), Params{Top: 100},
			func(t *testing.T, r *Result) {
				h, p := find(r, "H"), find(r, "P")
				if h == nil || p == nil || h.Rank >= p.Rank || h.Score <= p.Score {
					t.Fatalf("H %+v should outrank P %+v", h, p)
				}
				if h.Rank != 1 || h.Features[FLocalSuppliers] != 5 || h.Features[FSupplierLinks] != 1 || h.Features[FLocalShare] != 1 {
					t.Errorf("H rank %d features %v, want rank 1, 5 local suppliers in 1 link, all local", h.Rank, h.Features)
				}
				if !hasReason(h, "local_suppliers") || !strings.Contains(reasonsZH(h), "本地 5 家链上企业（1 个环节）向其供货") {
					t.Errorf("H reasons %v", reasonsZH(h))
				}
			}},
		{"declared leader flagged and listed even when it ranks low", base().leader("P", "X"), Params{Top: 1, Suggest: 1},
			func(t *testing.T, r *Result) {
				p := find(r, "P")
				if p == nil || !p.Declared || p.Suggested || !hasReason(p, "declared_low_rank") {
					t.Fatalf("declared P = %+v", p)
				}
				if got := ids(r); !slices.Equal(got, []string{"H", "P"}) {
					t.Errorf("Top 1, Suggest 1 lists %v, want [H P]", got)
				}
			}},
		{"undeclared hub suggested", base().leader("P", "X"), Params{Suggest: 1},
			func(t *testing.T, r *Result) {
				h := find(r, "H")
				if h == nil || !h.Suggested || h.Declared || !hasReason(h, "suggested_leader") {
					t.Fatalf("H = %+v", h)
				}
				n := 0
				for _, l := range r.Leaders {
					if l.Suggested {
						n++
					}
				}
				if n != 1 {
					t.Errorf("%d suggested, want 1", n)
				}
			}},
		{"outside suppliers listed by link, non-local only",
			base().leader("H", "X").firm("x1", "200", 0, "M").firm("x2", "200", 0, "U").firm("x3", "300", 0, "M").
				tie("x1", "H", "M", 100, "").tie("x2", "H", "U", 50, "").tie("x3", "H", "M", 300, "2020-01-01"),
			Params{},
			func(t *testing.T, r *Result) {
				h := find(r, "H")
				var got []string
				for _, o := range h.OutsideSuppliers {
					got = append(got, fmt.Sprintf("%s:%s:%g:%v", o.LinkID, o.CompanyID, o.AmountWan, o.Active))
				}
				want := []string{"M:x3:300:false", "M:x1:100:true", "U:x2:50:true"}
				if !slices.Equal(got, want) {
					t.Errorf("outside suppliers %v, want %v", got, want)
				}
				if h.Features[FOutside] != 2 || !hasReason(h, "outside_suppliers") {
					t.Errorf("outside count %v reasons %v", h.Features[FOutside], reasonsZH(h))
				}
				if h.OutsideSuppliers[0].RegionName != "海外" {
					t.Errorf("region %q", h.OutsideSuppliers[0].RegionName)
				}
			}},
		{"ties in another chain's links are ignored",
			chainNoise(), Params{Top: 100},
			func(t *testing.T, r *Result) {
				h, p := find(r, "H"), find(r, "P")
				if p.Features[FLocalSuppliers] != 1 || h.Rank >= p.Rank {
					t.Errorf("P (buys from 6 firms in chain Y) rank %d features %v; H rank %d", p.Rank, p.Features, h.Rank)
				}
				if find(r, "y1") != nil {
					t.Error("firms of chain Y only must not be ranked")
				}
			}},
		{"history ties are ignored",
			history(), Params{Top: 100},
			func(t *testing.T, r *Result) {
				h, p := find(r, "H"), find(r, "P")
				if p.Features[FLocalSuppliers] != 1 || h.Rank >= p.Rank {
					t.Errorf("P (6 ended ties) rank %d features %v; H rank %d", p.Rank, p.Features, h.Rank)
				}
			}},
		{"a buyer in a service link is never ranked or suggested; a producer is",
			serviceHub(), Params{Suggest: 1, Top: 100},
			func(t *testing.T, r *Result) {
				if find(r, "HOSP") != nil {
					t.Errorf("the hospital is ranked: %v", ids(r))
				}
				if h := find(r, "H"); h == nil || !h.Suggested || !h.Production {
					t.Errorf("producer H: %+v", h)
				}
			}},
		{"a declared leader in a service link is reported, not as a producer",
			serviceHub().leader("HOSP", "X"), Params{Top: 100},
			func(t *testing.T, r *Result) {
				if h := find(r, "HOSP"); h == nil || !h.Declared || h.Production || h.Suggested {
					t.Errorf("declared hospital: %+v", h)
				}
			}},
		{"buying alone is never enough to be suggested",
			noData(), Params{Suggest: 3, Top: 100},
			func(t *testing.T, r *Result) {
				b, sm := find(r, "BUYER"), find(r, "SMALL")
				if b == nil || b.Suggested || !slices.Contains(b.Unknown, FScale) || !hasReason(b, "scale_unknown") {
					t.Errorf("a buyer with no scale or standing on record: %+v", b)
				}
				if sm == nil || !sm.Suggested {
					t.Errorf("a producer with revenue on record: %+v", sm)
				}
			}},
		{"missing scale is left out, not read as small",
			noData(), Params{Top: 100},
			func(t *testing.T, r *Result) {
				b, tw := find(r, "BUYER"), find(r, "TWIN")
				if b == nil || tw == nil || b.Score <= tw.Score {
					t.Errorf("unknown scale %+v should score above the same firm with a tiny known revenue %+v", b, tw)
				}
			}},
		{"scale and standing lead: a large listed producer outranks a bigger buyer",
			scaled(), Params{Top: 100},
			func(t *testing.T, r *Result) {
				big, h := find(r, "BIG"), find(r, "H")
				if big == nil || h == nil || big.Rank >= h.Rank || !hasReason(big, "standing") || !hasReason(big, "scale") {
					t.Errorf("BIG %+v vs H %+v", big, h)
				}
			}},
		{"outside firms are not ranked",
			base().firm("O", "200", 1e6, "D").tie("s1", "O", "M", 10, "").tie("s2", "O", "M", 10, "").tie("s3", "O", "M", 10, ""),
			Params{Top: 100},
			func(t *testing.T, r *Result) {
				if find(r, "O") != nil || r.LocalFirms != 8 {
					t.Errorf("ranked %v (local firms %d)", ids(r), r.LocalFirms)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Rank(tt.eco.snap(t), "100", "X", tt.p)
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, r)
			head, rows := r.Table()
			if len(rows) != len(r.Leaders) || len(rows[0]) != len(head) || head[1] != "企业 company" {
				t.Errorf("table %v %d rows", head, len(rows))
			}
		})
	}
}

// serviceHub: the base, plus a hospital HOSP (link S, role institution) buying from
// all five part makers and more.
func serviceHub() *eco {
	e := base()
	e.ds.Links = append(e.ds.Links, graph.Link{ID: "S", ChainID: "X", Name: "医院", Tier: graph.Downstream, Role: graph.Institution})
	e.ds.Feeds = append(e.ds.Feeds, graph.Feed{From: "M", To: "S"})
	e.firm("HOSP", "101", 90000, "S")
	for i := 1; i <= 5; i++ {
		e.tie(fmt.Sprintf("s%d", i), "HOSP", "M", 50, "")
	}
	return e.tie("u1", "HOSP", "U", 10, "")
}

// noData: BUYER (no revenue, employees or tags) buys from all five part makers;
// TWIN is the same with a revenue of 1 万元; SMALL has a revenue and one supplier.
func noData() *eco {
	e := base().firm("BUYER", "101", 0, "D").firm("TWIN", "101", 1, "D").firm("SMALL", "101", 5000, "D")
	for i := 1; i <= 5; i++ {
		id := fmt.Sprintf("s%d", i)
		e.tie(id, "BUYER", "M", 10, "").tie(id, "TWIN", "M", 10, "")
	}
	return e.tie("s2", "SMALL", "M", 10, "")
}

// scaled: BIG, a listed producer ten times H's size, buys from two part makers.
func scaled() *eco {
	e := base().firm("BIG", "101", 500000, "D").tie("s1", "BIG", "M", 10, "").tie("s2", "BIG", "M", 10, "")
	e.ds.Companies[len(e.ds.Companies)-1].Tags = []graph.Tag{"上市"}
	return e
}

// chainNoise: P also buys from six local firms in chain Y's link YM.
func chainNoise() *eco {
	e := base()
	for i := 1; i <= 6; i++ {
		id := fmt.Sprintf("y%d", i)
		e.firm(id, "101", 100, "YM").tie(id, "P", "YM", 10, "")
	}
	return e
}

// history: P bought parts from six more local firms, but those ties ended in 2020.
func history() *eco {
	e := base()
	for i := 1; i <= 6; i++ {
		id := fmt.Sprintf("h%d", i)
		e.firm(id, "101", 100, "M").tie(id, "P", "M", 10, "2020-12-31")
	}
	return e
}

func TestRankErrors(t *testing.T) {
	s := base().snap(t)
	for _, tt := range []struct{ region, chain, code string }{
		{"999", "X", graph.ENOTFOUND}, {"100", "nope", graph.ENOTFOUND},
	} {
		_, err := Rank(s, tt.region, tt.chain, Params{})
		if graph.ErrorCode(err) != tt.code {
			t.Errorf("Rank(%s, %s) = %v, want %s", tt.region, tt.chain, err, tt.code)
		}
	}
	if _, err := Rank(s, "100", "X", Params{Damping: 2}); graph.ErrorCode(err) != graph.EINVALID {
		t.Errorf("damping 2: %v", err)
	}
}

// TestZhenjiangAnchors: the firms the sources call the anchors of their chains rank
// among the first two of their chain's producers; 大全 and 天奈, of whom the demo holds
// no scale or credential beyond a listing, are logged, not asserted (docs/analysis.md).
func TestZhenjiangAnchors(t *testing.T) {
	s, err := snapshot.Build(context.Background(), graph.DatasetReader{Data: zhenjiang.Dataset()})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		chain, name string
		within      int // 0: log only
	}{{"CH_MD", "鱼跃", 2}, {"CH_EV", "孚能", 2}, {"CH_SH", "中船动力", 2}, {"CH_AV", "航天海鹰", 2},
		{"CH_PE", "大全", 0}, {"CH_HM", "天奈", 0}} {
		r, err := Rank(s, "321100", tt.chain, Params{Top: 100})
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(r.Leaders, func(l Leader) bool { return strings.Contains(l.Name, tt.name) })
		if i < 0 {
			t.Fatalf("%s: %s not ranked", tt.chain, tt.name)
		}
		l := r.Leaders[i]
		t.Logf("%s %s: rank %d of %d, score %.3f", tt.chain, tt.name, l.Rank, r.LocalFirms, l.Score)
		if tt.within > 0 && l.Rank > tt.within {
			t.Errorf("%s: %s ranks %d, want within the first %d", tt.chain, tt.name, l.Rank, tt.within)
		}
		if !l.Production || !l.Declared && l.Rank <= p3(r) && !l.Suggested {
			t.Errorf("%s: %s production %v suggested %v", tt.chain, tt.name, l.Production, l.Suggested)
		}
	}
}

// p3 is the rank of the last suggested firm.
func p3(r *Result) int {
	last := 0
	for _, l := range r.Leaders {
		if l.Suggested {
			last = l.Rank
		}
	}
	return last
}

func TestZhenjiangDemo(t *testing.T) {
	s, err := snapshot.Build(context.Background(), graph.DatasetReader{Data: zhenjiang.Dataset()})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		chain    string
		declared []string // name fragments
	}{{"CH_MD", []string{"鱼跃", "国药"}}, {"CH_EV", []string{"北汽蓝谷麦格纳"}}} {
		r, err := Rank(s, "321100", tt.chain, Params{})
		if err != nil {
			t.Fatal(err)
		}
		for _, frag := range tt.declared {
			i := slices.IndexFunc(r.Leaders, func(l Leader) bool { return strings.Contains(l.Name, frag) })
			if i < 0 {
				t.Errorf("%s: %s not listed", tt.chain, frag)
				continue
			}
			l := r.Leaders[i]
			active := 0
			for _, o := range l.OutsideSuppliers {
				if o.Active {
					active++
				}
			}
			if !l.Declared || active < 2 {
				t.Errorf("%s: %s declared %v with %d current outside suppliers", tt.chain, frag, l.Declared, active)
			}
		}
		for _, l := range r.Leaders {
			if s := reasonsZH(&l) + reasonsEN(&l); strings.Contains(s, "%!") {
				t.Errorf("bad reason format: %s", s)
			}
			if l.Suggested && !l.Production {
				t.Errorf("%s: suggested %s is in no production link", tt.chain, l.Name)
			}
		}
		t.Logf("%s %s: %d local firms", r.Chain, r.ChainName, r.LocalFirms)
		for i, l := range r.Leaders {
			if i >= 6 && !l.Declared {
				continue
			}
			t.Logf("  #%d %s score %.3f declared=%v suggested=%v outside=%d: %s", l.Rank, l.Name, l.Score, l.Declared,
				l.Suggested, len(l.OutsideSuppliers), reasonsEN(&l))
		}
	}
}

// bigSnapshot is the shared 100k-company / 1M-supply benchmark ecosystem.
func bigSnapshot(b *testing.B) *snapshot.Snapshot { return snapshottest.Bench(b) }

func BenchmarkRank100k(b *testing.B) {
	s := bigSnapshot(b)
	chain := s.Chains[0].ID
	b.ResetTimer()
	var r *Result
	for b.Loop() {
		var err error
		if r, err = Rank(s, "110100", chain, Params{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(r.LocalFirms), "local_firms")
}

func reasonsZH(l *Leader) string {
	var s []string
	for _, r := range l.Reasons {
		s = append(s, r.ZH)
	}
	return strings.Join(s, "；")
}

func reasonsEN(l *Leader) string {
	var s []string
	for _, r := range l.Reasons {
		s = append(s, r.EN)
	}
	return strings.Join(s, "; ")
}

func ids(r *Result) []string {
	var s []string
	for _, l := range r.Leaders {
		s = append(s, l.CompanyID)
	}
	return s
}

// TestDeterministic: the same snapshot gives the same ranking to the last digit, run
// after run (gonum's PageRank starts from a random vector and did not).
func TestDeterministic(t *testing.T) {
	s, err := snapshot.Build(context.Background(), graph.DatasetReader{Data: zhenjiang.Dataset()})
	if err != nil {
		t.Fatal(err)
	}
	first, err := Rank(s, "321100", "CH_MD", Params{})
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		again, _ := Rank(s, "321100", "CH_MD", Params{})
		if !reflect.DeepEqual(first, again) {
			t.Fatal("two runs over one snapshot differ")
		}
	}
}
