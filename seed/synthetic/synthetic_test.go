package synthetic

import (
	"context"
	"os"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chainmap/chainmap/graph"
)

var small = Config{Companies: 2000, Supplies: 20000, Regions: 30, Chains: 6, Seed: 1}

var (
	smallOnce sync.Once
	smallDS   *graph.Dataset
	smallErr  error
)

// smallDataset generates the small ecosystem once for the tests that only read it.
func smallDataset(t *testing.T) *graph.Dataset {
	t.Helper()
	smallOnce.Do(func() { smallDS, smallErr = generate(small) })
	if smallErr != nil {
		t.Fatal(smallErr)
	}
	return smallDS
}

func generate(cfg Config) (*graph.Dataset, error) {
	e, err := New(cfg)
	if err != nil {
		return nil, err
	}
	return graph.ReadAll(context.Background(), e)
}

func TestCheckPasses(t *testing.T) {
	for _, cfg := range []Config{
		small,
		{Companies: 50, Supplies: 300, Regions: 1, Chains: 1, Seed: 7},
		{Companies: 5000, Supplies: 40000, Regions: 200, Chains: 20, Projects: 300, Seed: 42},
	} {
		ds, err := generate(cfg)
		if err != nil {
			t.Fatal(err)
		}
		probs, err := graph.Check(context.Background(), ds, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		for i, p := range probs {
			if i == 20 {
				break
			}
			t.Errorf("%+v: %s #%d %s=%q: %s", cfg, p.Table, p.Index, p.Column, p.Value, p.Message("en"))
		}
		if len(probs) > 0 {
			t.Fatalf("%+v: %d problems", cfg, len(probs))
		}
	}
}

func TestDeterministic(t *testing.T) {
	a := smallDataset(t)
	b, err := generate(small)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two generations with the same seed differ")
	}
	// The same Ecosystem iterated twice.
	e, _ := New(small)
	x, _ := graph.ReadAll(context.Background(), e)
	y, _ := graph.ReadAll(context.Background(), e)
	if !reflect.DeepEqual(x, y) || !reflect.DeepEqual(x, a) {
		t.Fatal("iterating one ecosystem twice differs")
	}
	other := small
	other.Seed = 2
	c, err := generate(other)
	if err != nil {
		t.Fatal(err)
	}
	if reflect.DeepEqual(a.Companies, c.Companies) || reflect.DeepEqual(a.Supplies, c.Supplies) ||
		reflect.DeepEqual(a.Projects, c.Projects) || reflect.DeepEqual(a.Feeds, c.Feeds) {
		t.Fatal("different seeds give the same tables")
	}
}

// strictlyIncreasing checks that keys ascend without duplicates.
func strictlyIncreasing[T any](t *testing.T, table graph.Table, recs []T, key func(T) []string) {
	t.Helper()
	for i := 1; i < len(recs); i++ {
		prev, cur := strings.Join(key(recs[i-1]), "\x00"), strings.Join(key(recs[i]), "\x00")
		if prev >= cur {
			t.Fatalf("%s: record %d key %q not after %q", table, i, cur, prev)
		}
	}
}

func TestKeyOrder(t *testing.T) {
	ds := smallDataset(t)
	strictlyIncreasing(t, graph.TRegions, ds.Regions, func(x graph.Region) []string { return []string{x.Code} })
	strictlyIncreasing(t, graph.TRegionGroups, ds.RegionGroups, func(x graph.RegionGroupMember) []string {
		return []string{x.GroupCode, x.RegionCode}
	})
	strictlyIncreasing(t, graph.TClusters, ds.Clusters, func(x graph.Cluster) []string { return []string{x.ID} })
	strictlyIncreasing(t, graph.TChains, ds.Chains, func(x graph.Chain) []string { return []string{x.ID} })
	strictlyIncreasing(t, graph.TLinks, ds.Links, func(x graph.Link) []string { return []string{x.ID} })
	strictlyIncreasing(t, graph.TLinkFeeds, ds.Feeds, func(x graph.Feed) []string { return []string{x.From, x.To} })
	strictlyIncreasing(t, graph.TCompanies, ds.Companies, func(x graph.Company) []string { return []string{x.ID} })
	strictlyIncreasing(t, graph.TCompanyLinks, ds.CompanyLinks, func(x graph.CompanyLink) []string {
		return []string{x.CompanyID, x.LinkID}
	})
	strictlyIncreasing(t, graph.TLeaders, ds.Leaders, func(x graph.Leader) []string { return []string{x.CompanyID, x.ChainID} })
	strictlyIncreasing(t, graph.TSupplies, ds.Supplies, func(x graph.Supply) []string {
		return []string{x.SupplierID, x.CustomerID, x.LinkID}
	})
	strictlyIncreasing(t, graph.TProjects, ds.Projects, func(x graph.Project) []string { return []string{x.ID} })
}

func TestCounts(t *testing.T) {
	ds := smallDataset(t)
	if n := len(ds.Companies); n != small.Companies {
		t.Errorf("companies = %d, want %d", n, small.Companies)
	}
	if n := len(ds.Supplies); n != small.Supplies {
		t.Errorf("supplies = %d, want %d", n, small.Supplies)
	}
	if n := len(ds.Projects); n != small.Companies/100 {
		t.Errorf("projects = %d, want %d", n, small.Companies/100)
	}
	if n := len(ds.Chains); n != small.Chains {
		t.Errorf("chains = %d, want %d", n, small.Chains)
	}
	cities, provinces := 0, 0
	for _, r := range ds.Regions {
		switch r.Kind {
		case graph.City:
			cities++
		case graph.Province:
			provinces++
		}
	}
	if cities != small.Regions || provinces != (small.Regions+9)/10 {
		t.Errorf("cities, provinces = %d, %d", cities, provinces)
	}
	perChain := map[string]int{}
	for _, l := range ds.Links {
		perChain[l.ChainID]++
	}
	for c, n := range perChain {
		if n < 8 || n > 14 {
			t.Errorf("chain %s has %d links", c, n)
		}
	}
	perCompany := map[string]int{}
	for _, cl := range ds.CompanyLinks {
		perCompany[cl.CompanyID]++
	}
	two := 0
	for _, n := range perCompany {
		if n == 2 {
			two++
		}
	}
	if len(perCompany) != small.Companies || two < small.Companies/20 || two > small.Companies/6 {
		t.Errorf("%d companies with links, %d in two", len(perCompany), two)
	}
	leaders := map[string]int{}
	for _, l := range ds.Leaders {
		leaders[l.ChainID]++
	}
	for _, c := range ds.Chains {
		if n := leaders[c.ID]; n < 1 || n > 3 {
			t.Errorf("chain %s has %d leaders", c.ID, n)
		}
	}
	// Tags are present with plausible frequencies.
	tagCount := map[graph.Tag]int{}
	for _, c := range ds.Companies {
		for _, tg := range c.Tags {
			tagCount[tg]++
		}
		if c.Provenance != Provenance {
			t.Fatalf("company %s provenance %q", c.ID, c.Provenance)
		}
	}
	if n := tagCount["规上"]; n < small.Companies/5 || n > small.Companies*7/10 {
		t.Errorf("规上 on %d of %d companies", n, small.Companies)
	}
	if n := tagCount["高新技术企业"]; n < small.Companies/10 || n > small.Companies*3/10 {
		t.Errorf("高新技术企业 on %d of %d companies", n, small.Companies)
	}
	ended := 0
	for _, s := range ds.Supplies {
		if s.Until != "" && s.Until < "2024-06-30" {
			ended++
		}
	}
	if ended == 0 || ended > len(ds.Supplies)/3 {
		t.Errorf("%d of %d ties ended", ended, len(ds.Supplies))
	}
	stages := map[graph.Stage]int{}
	for _, p := range ds.Projects {
		stages[p.Stage]++
	}
	if len(stages) < 4 {
		t.Errorf("project stages %v", stages)
	}
}

func TestExactCountsAtOtherSizes(t *testing.T) {
	for _, cfg := range []Config{
		{Companies: 10000, Supplies: 100000, Regions: 50, Chains: 10, Seed: 3},
		{Companies: 300, Supplies: 3000, Regions: 5, Chains: 3, Seed: 9},
	} {
		e, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, err := range e.Supplies(context.Background()) {
			if err != nil {
				t.Fatal(err)
			}
			n++
		}
		if n != cfg.Supplies || e.PlannedSupplies() != cfg.Supplies {
			t.Errorf("%+v: %d supplies, %d planned", cfg, n, e.PlannedSupplies())
		}
	}
}

func TestHeavyTailedDegrees(t *testing.T) {
	ds := smallDataset(t)
	in, out := map[string]int{}, map[string]int{}
	for _, s := range ds.Supplies {
		in[s.CustomerID]++
		out[s.SupplierID]++
	}
	maxIn, maxOut := 0, 0
	for _, n := range in {
		maxIn = max(maxIn, n)
	}
	for _, n := range out {
		maxOut = max(maxOut, n)
	}
	mean := float64(len(ds.Supplies)) / float64(len(ds.Companies))
	t.Logf("mean degree %.1f, max in %d, max out %d, %d customers, %d suppliers", mean, maxIn, maxOut, len(in), len(out))
	if float64(maxIn) < 10*mean {
		t.Errorf("max in-degree %d is not ≫ mean %.1f", maxIn, mean)
	}
	if float64(maxOut) < 4*mean {
		t.Errorf("max out-degree %d is not ≫ mean %.1f", maxOut, mean)
	}
	// Leaders are among the biggest customers.
	top := 0
	for _, l := range ds.Leaders {
		top = max(top, in[l.CompanyID])
	}
	if float64(top) < 5*mean {
		t.Errorf("leaders' max in-degree %d", top)
	}
}

func TestGeographicPreference(t *testing.T) {
	ds := smallDataset(t)
	parent := map[string]string{}
	kind := map[string]graph.RegionKind{}
	for _, r := range ds.Regions {
		parent[r.Code], kind[r.Code] = r.ParentCode, r.Kind
	}
	province := func(code string) string {
		for code != "" && kind[code] != graph.Province {
			code = parent[code]
		}
		return code
	}
	region := map[string]string{}
	for _, c := range ds.Companies {
		region[c.ID] = c.RegionCode
	}
	same := 0
	for _, s := range ds.Supplies {
		a, b := region[s.SupplierID], region[s.CustomerID]
		if a == b || province(a) == province(b) {
			same++
		}
	}
	share := float64(same) / float64(len(ds.Supplies))
	t.Logf("%.1f%% of ties within one region or province", 100*share)
	if share < 0.5 {
		t.Errorf("only %.1f%% of ties within one region or province", 100*share)
	}
}

func TestSuppliesFollowFeeds(t *testing.T) {
	ds := smallDataset(t)
	feeds := map[[2]string]bool{}
	for _, f := range ds.Feeds {
		feeds[[2]string{f.From, f.To}] = true
	}
	links := map[string][]string{}
	for _, cl := range ds.CompanyLinks {
		links[cl.CompanyID] = append(links[cl.CompanyID], cl.LinkID)
	}
	for i, s := range ds.Supplies {
		if s.SupplierID == s.CustomerID {
			t.Fatalf("supply %d is a self-tie", i)
		}
		ok := false
		for _, b := range links[s.CustomerID] {
			ok = ok || feeds[[2]string{s.LinkID, b}]
		}
		if !ok || !contains(links[s.SupplierID], s.LinkID) {
			t.Fatalf("supply %d %+v does not follow a feed (supplier links %v, customer links %v)",
				i, s, links[s.SupplierID], links[s.CustomerID])
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestUSCCIds(t *testing.T) {
	e, err := New(small)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < small.Companies; i += 7 {
		id := e.companyID(i)
		if ok, code, _ := graph.CheckUSCC(id); !ok {
			t.Fatalf("company %d id %s: %s", i, id, code)
		}
		if c := graph.USCCCheckChar(id[:17]); c != id[17] {
			t.Fatalf("company %d id %s: check char %c", i, id, c)
		}
	}
}

// Company i's attributes can be computed without generating the companies before it.
func TestRandomAccess(t *testing.T) {
	ds := smallDataset(t)
	e, _ := New(small)
	r := newRNG(small.Seed)
	for _, i := range []int{1999, 3, 1000, 0} {
		var c core
		e.core(r, i, &c)
		got := e.company(r, i, e.hostOf(i), &c, nil)
		if !reflect.DeepEqual(got, ds.Companies[i]) {
			t.Fatalf("company %d: %+v, streamed %+v", i, got, ds.Companies[i])
		}
	}
}

func TestEarlyStopAndCancel(t *testing.T) {
	e, _ := New(small)
	n := 0
	for range e.Supplies(context.Background()) {
		if n++; n == 10 {
			break
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, err := range e.Companies(ctx) {
		if err == nil {
			t.Fatal("cancelled context yielded a record")
		}
		break
	}
}

func TestConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{Companies: 10, Supplies: 10, Regions: 5, Chains: 1}, "Companies"},
		{Config{Companies: 1000, Supplies: -1, Regions: 5, Chains: 1}, "Supplies"},
		{Config{Companies: 1000, Supplies: 1_000_000, Regions: 5, Chains: 1}, "Supplies"},
		{Config{Companies: 1000, Supplies: 10, Regions: 0, Chains: 1}, "Regions"},
		{Config{Companies: 1000, Supplies: 10, Regions: 9000, Chains: 1}, "Regions"},
		{Config{Companies: 1000, Supplies: 10, Regions: 5, Chains: 0}, "Chains"},
		{Config{Companies: 1000, Supplies: 10, Regions: 5, Chains: 1000}, "Chains"},
		{Config{Companies: 1000, Supplies: 10, Regions: 5, Chains: 60}, "20 per chain"},
		{Config{Companies: 1000, Supplies: 10, Regions: 5, Chains: 1, Projects: 20_000_000}, "Projects"},
	} {
		_, err := New(tc.cfg)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("New(%+v) = %v, want an error about %s", tc.cfg, err, tc.want)
		}
	}
	e, err := New(Config{Companies: 50, Supplies: 10_000, Regions: 1, Chains: 1, Projects: -1})
	if err != nil {
		t.Fatalf("minimal config: %v", err)
	}
	// Too dense to hold the target: the shortfall is announced by PlannedSupplies.
	if p := e.PlannedSupplies(); p >= 10_000 || p == 0 {
		t.Errorf("planned %d supplies for 50 companies", p)
	}
}

func benchSupplies(b *testing.B, cfg Config) {
	e, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	e.index() // built once per ecosystem; measured by BenchmarkIndex
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for b.Loop() {
		for _, err := range e.Supplies(ctx) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "supplies/s")
}

func BenchmarkSupplies100k(b *testing.B) {
	benchSupplies(b, Config{Companies: 10_000, Supplies: 100_000, Regions: 100, Chains: 10, Seed: 1})
}

func BenchmarkSupplies1M(b *testing.B) {
	benchSupplies(b, Config{Companies: 100_000, Supplies: 1_000_000, Regions: 300, Chains: 20, Seed: 1})
}

func BenchmarkIndex100kCompanies(b *testing.B) {
	cfg := Config{Companies: 100_000, Supplies: 1_000_000, Regions: 300, Chains: 20, Seed: 1}
	for b.Loop() {
		e, _ := New(cfg)
		e.index()
	}
}

func BenchmarkCompanies100k(b *testing.B) {
	e, _ := New(Config{Companies: 100_000, Supplies: 1_000_000, Regions: 300, Chains: 20, Seed: 1})
	ctx := context.Background()
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		for range e.Companies(ctx) {
			n++
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "companies/s")
}

// TestLarge streams a full-size ecosystem (CHAINMAP_SYNTHETIC_LARGE=1; sizes from
// CHAINMAP_SYNTHETIC_COMPANIES, default 1M companies with 10 supplies each) and reports
// throughput, heap and degree statistics.
func TestLarge(t *testing.T) {
	if os.Getenv("CHAINMAP_SYNTHETIC_LARGE") == "" {
		t.Skip("set CHAINMAP_SYNTHETIC_LARGE=1 to run")
	}
	n := 1_000_000
	if s := os.Getenv("CHAINMAP_SYNTHETIC_COMPANIES"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	cfg := Config{Companies: n, Supplies: 10 * n, Regions: 300, Chains: 30, Seed: 1}
	ctx := context.Background()
	start := time.Now()
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.index()
	t.Logf("New+index: %v", time.Since(start))
	start = time.Now()
	in := make([]int32, n)
	out := make([]int32, n)
	pos := map[string]int{}
	i := 0
	for c, err := range e.Companies(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		_ = c
		i++
	}
	t.Logf("companies: %d in %v", i, time.Since(start))
	for k := 0; k < n; k++ {
		pos[e.ix.ids[k*18:k*18+18]] = k
	}
	start = time.Now()
	count := 0
	var peak uint64
	var ms runtime.MemStats
	for s, err := range e.Supplies(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		count++
		in[pos[s.CustomerID]]++
		out[pos[s.SupplierID]]++
		if count%1_000_000 == 0 {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
		}
	}
	el := time.Since(start)
	maxIn, maxOut := int32(0), int32(0)
	for k := range n {
		maxIn, maxOut = max(maxIn, in[k]), max(maxOut, out[k])
	}
	t.Logf("supplies: %d in %v (%.2fM/s incl. test bookkeeping), heap in use ≤ %d MB, max in %d, max out %d, mean %.1f",
		count, el, float64(count)/el.Seconds()/1e6, peak>>20, maxIn, maxOut, float64(count)/float64(n))
	if count != cfg.Supplies {
		t.Errorf("supplies = %d, want %d", count, cfg.Supplies)
	}
}
