package zhenjiang

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/chainmap/chainmap/graph"
)

func TestCheckClean(t *testing.T) {
	ds := Dataset()
	ps, err := graph.Check(context.Background(), ds, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range ps {
		if i == 20 {
			t.Errorf("… %d problems in all", len(ps))
			break
		}
		t.Error(p)
	}
}

func TestDeterministic(t *testing.T) {
	if a, b := Dataset(), Dataset(); !reflect.DeepEqual(a, b) {
		t.Fatal("two calls of Dataset differ")
	}
}

func TestSize(t *testing.T) {
	ds := Dataset()
	for _, c := range []struct {
		table    graph.Table
		min, max int
	}{
		{graph.TLinks, 90, 90},
		{graph.TCompanies, 300, 800},
		{graph.TSupplies, 1000, 3000},
		{graph.TLeaders, 3, 3},
	} {
		if n := ds.Len(c.table); n < c.min || n > c.max {
			t.Errorf("%s: %d records, want %d–%d", c.table, n, c.min, c.max)
		}
	}
}

// period is a set of projects selected by signing date.
type period struct {
	name     string
	from, to graph.Date
}

func (p period) of(ds *graph.Dataset) []graph.Project {
	var out []graph.Project
	for _, x := range ds.Projects {
		if x.SignedOn != "" && x.SignedOn >= p.from && x.SignedOn <= p.to {
			out = append(out, x)
		}
	}
	return out
}

var (
	ceremony = period{"2023-07-14", "2023-07-14", "2023-07-14"}
	h1y24    = period{"2024 H1", "2024-01-01", "2024-06-30"}
	h1y25    = period{"2025 H1", "2025-01-01", "2025-06-30"}
)

// onChain counts projects whose link is on a key chain.
func onChain(ds *graph.Dataset, ps []graph.Project) int {
	key := map[string]bool{}
	for _, c := range ds.Chains {
		key[c.ID] = c.Key
	}
	chainOf := map[string]string{}
	for _, l := range ds.Links {
		chainOf[l.ID] = l.ChainID
	}
	n := 0
	for _, p := range ps {
		if p.LinkID != "" && key[chainOf[p.LinkID]] {
			n++
		}
	}
	return n
}

func sumWan(ps []graph.Project) int64 {
	var s int64
	for _, p := range ps {
		s += p.InvestmentWan
	}
	return s
}

func TestArticleAggregates(t *testing.T) {
	ds := Dataset()
	for _, c := range []struct {
		p       period
		count   int
		wan     int64 // 0: not checked
		onChain int   // exact when >0
		atLeast int64 // every project's minimum investment
	}{
		{ceremony, 27, 0, 21, 0},
		{h1y24, 221, 10946000, 0, 10000},
		{h1y25, 267, 11588000, 0, 10000},
	} {
		ps := c.p.of(ds)
		if len(ps) != c.count {
			t.Errorf("%s: %d projects, want %d", c.p.name, len(ps), c.count)
		}
		if s := sumWan(ps); c.wan != 0 && s != c.wan {
			t.Errorf("%s: total %s亿, want %s亿", c.p.name, graph.FormatYi(s), graph.FormatYi(c.wan))
		}
		n := onChain(ds, ps)
		if c.onChain > 0 && n != c.onChain {
			t.Errorf("%s: %d on-chain, want %d", c.p.name, n, c.onChain)
		}
		if share := float64(n) / float64(len(ps)); share < 0.75 || share > 0.80 {
			t.Errorf("%s: on-chain share %.3f, want 0.75–0.80", c.p.name, share)
		}
		for _, p := range ps {
			if p.InvestmentWan < c.atLeast {
				t.Errorf("%s: project %s invests %d万, below %d万", c.p.name, p.ID, p.InvestmentWan, c.atLeast)
			}
		}
	}
}

func TestH1y25Sources(t *testing.T) {
	ds := Dataset()
	gba := map[string]bool{}
	for _, g := range ds.RegionGroups {
		if g.GroupName == "大湾区" {
			gba[g.RegionCode] = true
		}
	}
	ps := h1y25.of(ds)
	var nGBA int
	var gbaWan, foreignWan int64
	for _, p := range ps {
		if gba[p.SourceRegionCode] {
			nGBA++
			gbaWan += p.InvestmentWan
		}
		if p.Foreign {
			foreignWan += p.InvestmentWan
		}
	}
	if nGBA != 20 || gbaWan != 1150000 {
		t.Errorf("大湾区: %d projects %s亿, want 20 and 115亿", nGBA, graph.FormatYi(gbaWan))
	}
	if share := float64(foreignWan) / float64(sumWan(ps)); share <= 0.08 || share > 0.09 {
		t.Errorf("foreign share %.4f, want a bit above 8%%", share)
	}
}

func TestStages(t *testing.T) {
	ds := Dataset()
	count := map[string]int{}
	for _, p := range ds.Projects {
		count[string(p.Stage)]++
		if p.Stage == graph.Signed && p.PlannedStartOn != "" && p.PlannedStartOn < asOf {
			count["lagging"]++
		}
		for _, d := range []graph.Date{p.StartedOn, p.ProducingOn, p.AtCapacityOn} {
			if d >= asOf {
				t.Errorf("project %s: stage date %s not before %s", p.ID, d, asOf)
			}
		}
	}
	for _, k := range append(graph.Stages, "lagging") {
		if count[k] == 0 {
			t.Errorf("no %s project", k)
		}
	}
}

func TestProvenance(t *testing.T) {
	ds := Dataset()
	type rec struct {
		table string
		i     int
		prov  string
	}
	var recs []rec
	add := func(table string, i int, prov string) { recs = append(recs, rec{table, i, prov}) }
	for i, x := range ds.Regions {
		add("regions", i, x.Provenance)
	}
	for i, x := range ds.RegionGroups {
		add("region_groups", i, x.Provenance)
	}
	for i, x := range ds.Clusters {
		add("clusters", i, x.Provenance)
	}
	for i, x := range ds.Chains {
		add("chains", i, x.Provenance)
	}
	for i, x := range ds.Links {
		add("links", i, x.Provenance)
	}
	for i, x := range ds.Feeds {
		add("feeds", i, x.Provenance)
	}
	for i, x := range ds.Companies {
		add("companies", i, x.Provenance)
	}
	for i, x := range ds.CompanyLinks {
		add("company_links", i, x.Provenance)
	}
	for i, x := range ds.Leaders {
		add("leaders", i, x.Provenance)
	}
	for i, x := range ds.Supplies {
		add("supplies", i, x.Provenance)
		if x.Provenance != synthetic {
			t.Errorf("supply %d: provenance %q, want %q", i, x.Provenance, synthetic)
		}
	}
	for i, x := range ds.Projects {
		add("projects", i, x.Provenance)
		if !strings.HasPrefix(x.Provenance, "synthetic: ") {
			t.Errorf("project %s: provenance %q does not say synthetic", x.ID, x.Provenance)
		}
	}
	for _, r := range recs {
		if strings.TrimSpace(r.prov) == "" {
			t.Errorf("%s record %d has no provenance", r.table, r.i)
		}
	}
	for _, c := range ds.Companies {
		real := strings.HasPrefix(c.ID, "ZJ-REAL-")
		if real == (c.Provenance == synthetic) {
			t.Errorf("company %s %s: provenance %q", c.ID, c.Name, c.Provenance)
		}
		if !real && !strings.HasSuffix(c.Name, "（模拟）") {
			t.Errorf("synthetic company %s: name %q lacks （模拟）", c.ID, c.Name)
		}
	}
}

// TestFidelity checks every researched link, tier and feed is in the dataset.
func TestFidelity(t *testing.T) {
	raw, err := os.ReadFile("../../../shared/reference/zhenjiang/chains.json")
	if errors.Is(err, fs.ErrNotExist) {
		t.Skip("reference chains.json absent")
	}
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Clusters []struct {
			ID     string
			Chains []struct {
				ID    string
				Links []struct {
					ID    string
					Tier  string
					Feeds []string
				}
			}
		}
	}
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	ds := Dataset()
	links := map[string]graph.Link{}
	for _, l := range ds.Links {
		links[l.ID] = l
	}
	feeds := map[[2]string]bool{}
	for _, f := range ds.Feeds {
		feeds[[2]string{f.From, f.To}] = true
	}
	chains := map[string]graph.Chain{}
	for _, c := range ds.Chains {
		chains[c.ID] = c
	}
	n := 0
	for _, cl := range ref.Clusters {
		for _, ch := range cl.Chains {
			if c, ok := chains[ch.ID]; !ok || c.ClusterID != cl.ID || !c.Key {
				t.Errorf("chain %s: got %+v, want a key chain of %s", ch.ID, c, cl.ID)
			}
			for _, l := range ch.Links {
				n++
				got, ok := links[l.ID]
				if !ok || got.ChainID != ch.ID || string(got.Tier) != l.Tier {
					t.Errorf("link %s: got %+v, want chain %s tier %s", l.ID, got, ch.ID, l.Tier)
				}
				for _, to := range l.Feeds {
					if !feeds[[2]string{l.ID, to}] {
						t.Errorf("feed %s → %s missing", l.ID, to)
					}
				}
			}
		}
	}
	if n != 86 {
		t.Errorf("reference has %d links, expected 86", n)
	}
}

// localFirms says, per company id, whether it sits in 镇江市 or a region below it.
func localFirms(ds *graph.Dataset) map[string]bool {
	parent := map[string]string{}
	for _, r := range ds.Regions {
		parent[r.Code] = r.ParentCode
	}
	isLocal := func(code string) bool {
		for ; code != ""; code = parent[code] {
			if code == codeCity {
				return true
			}
		}
		return false
	}
	local := map[string]bool{}
	for _, c := range ds.Companies {
		local[c.ID] = isLocal(c.RegionCode)
	}
	return local
}

// localCounts counts, per link, the firms local to 镇江市.
func localCounts(ds *graph.Dataset) map[string]int {
	local := localFirms(ds)
	n := map[string]int{}
	for _, cl := range ds.CompanyLinks {
		if local[cl.CompanyID] {
			n[cl.LinkID]++
		}
	}
	return n
}

func TestIntendedStatus(t *testing.T) {
	ds := Dataset()
	n := localCounts(ds)
	intent := Intents()
	byChain := map[string][]string{}
	for _, l := range ds.Links {
		byChain[l.ChainID] = append(byChain[l.ChainID], l.ID)
		if _, ok := intent[l.ID]; !ok {
			t.Errorf("link %s has no designed status", l.ID)
		}
	}
	// Every chain shows a strong link and an empty one.
	for chain, links := range byChain {
		var strong, empty bool
		for _, l := range links {
			strong = strong || n[l] >= 3
			empty = empty || n[l] == 0
		}
		if !strong || (!empty && chain != "CH_EY") {
			t.Errorf("chain %s: strong link %v, empty link %v", chain, strong, empty)
		}
	}
	// Local counts agree with the design.
	for l, s := range intent {
		switch {
		case s == Strong && n[l] < 3,
			s == Moderate && (n[l] < 2 || n[l] > 3),
			s == Weak && n[l] != 1 && n[l] != 2,
			(s == Missing || s == Broken) && n[l] != 0:
			t.Errorf("link %s: %d local firms, designed %s", l, n[l], s)
		}
	}
	// A broken link has local firms upstream and downstream of it along feeds; a
	// missing one does not.
	next, prev := map[string][]string{}, map[string][]string{}
	for _, f := range ds.Feeds {
		next[f.From] = append(next[f.From], f.To)
		prev[f.To] = append(prev[f.To], f.From)
	}
	reaches := func(start string, adj map[string][]string) bool {
		seen := map[string]bool{}
		stack := append([]string{}, adj[start]...)
		for len(stack) > 0 {
			l := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if seen[l] {
				continue
			}
			seen[l] = true
			if n[l] > 0 {
				return true
			}
			stack = append(stack, adj[l]...)
		}
		return false
	}
	broken := 0
	for l, s := range intent {
		up, down := reaches(l, prev), reaches(l, next)
		if s == Broken {
			broken++
		}
		if (s == Broken) != (up && down) && (s == Broken || s == Missing) {
			t.Errorf("link %s designed %s: local upstream %v, downstream %v", l, s, up, down)
		}
	}
	if broken < 8 {
		t.Errorf("%d broken links, want one per key chain", broken)
	}
}

// TestLocalShare checks strong links are mostly bought locally and weak ones mostly
// from outside, by amount over current local purchases.
func TestLocalShare(t *testing.T) {
	ds := Dataset()
	isLocal := localFirms(ds)
	local, total := map[string]float64{}, map[string]float64{}
	for _, s := range ds.Supplies {
		if !isLocal[s.CustomerID] || (s.Until != "" && s.Until < "2025-01-01") {
			continue
		}
		total[s.LinkID] += s.AmountWan
		if isLocal[s.SupplierID] {
			local[s.LinkID] += s.AmountWan
		}
	}
	var strongOK, weakOK, strongN, weakN int
	for l, s := range Intents() {
		if total[l] == 0 {
			continue
		}
		share := local[l] / total[l]
		switch s {
		case Strong:
			strongN++
			if share >= 0.5 {
				strongOK++
			}
		case Weak:
			weakN++
			if share < 0.5 {
				weakOK++
			}
		}
	}
	// Random draws may upset a few links; most must follow the design.
	if strongOK*4 < strongN*3 || weakOK*4 < weakN*3 {
		t.Errorf("strong links bought mostly locally: %d of %d; weak mostly outside: %d of %d", strongOK, strongN, weakOK, weakN)
	}
	t.Logf("strong links bought mostly locally: %d of %d; weak mostly outside: %d of %d", strongOK, strongN, weakOK, weakN)
}

// TestLinkRoles: every demo link has a valid role, set explicitly (not left to the
// production default); the links the roles exist for have the obvious one; and
// every role is used, so the demo shows each.
func TestLinkRoles(t *testing.T) {
	ds := Dataset()
	used := map[graph.Role]int{}
	for _, l := range ds.Links {
		if l.Role == "" {
			t.Errorf("link %s %s has no role", l.ID, l.Name)
			continue
		}
		if err := l.Validate(); err != nil {
			t.Errorf("link %s: %v", l.ID, err)
		}
		used[l.Role]++
	}
	for _, r := range graph.Roles {
		if used[graph.Role(r)] == 0 {
			t.Errorf("no demo link has role %s", r)
		}
	}
	want := map[string]graph.Role{
		"MD_D1": graph.Institution,  // 医院与医疗机构
		"BP_D2": graph.Institution,  // 医院、诊所、养老
		"BP_D1": graph.Trade,        // 医药流通与零售
		"MD_D2": graph.Trade,        // 零售药房、电商
		"EV_D1": graph.Trade,        // 销售（4S）
		"EY_D1": graph.Trade,        // 眼镜批发零售
		"PE_D1": graph.Construction, // 电网工程
		"SH_D1": graph.Service,      // 航运、港口运营
		"BP_D3": graph.Service,      // 第三方医学检验
		"IT_M5": graph.Service,      // 软件、算力与数据服务
		"MD_D3": graph.Service,      // 设备维保与数字健康平台
		"BP_U1": graph.Service,      // CRO/CDMO
		"MD_M1": graph.Production,   // 家用医疗器械（链主鱼跃）
		"EV_M6": graph.Production,   // 整车制造
		"SH_M4": graph.Production,   // 整船建造 is manufacturing, not construction
	}
	for _, l := range ds.Links {
		if r, ok := want[l.ID]; ok && l.Role != r {
			t.Errorf("link %s %s: role %s, want %s", l.ID, l.Name, l.Role, r)
		}
		delete(want, l.ID)
	}
	for id := range want {
		t.Errorf("link %s not in the demo", id)
	}
	// Every chain leader operates in a production link of its chain.
	roleOf := map[string]graph.Role{}
	chainOf := map[string]string{}
	for _, l := range ds.Links {
		roleOf[l.ID], chainOf[l.ID] = l.Role, l.ChainID
	}
	for _, ld := range ds.Leaders {
		ok := false
		for _, cl := range ds.CompanyLinks {
			if cl.CompanyID == ld.CompanyID && chainOf[cl.LinkID] == ld.ChainID && roleOf[cl.LinkID] == graph.Production {
				ok = true
			}
		}
		if !ok {
			t.Errorf("leader %s of %s is in no production link of the chain", ld.CompanyID, ld.ChainID)
		}
	}
}
