// Package diagnose decides, for a region and a chain, which links are strong, weak,
// missing or broken locally, with the numbers and reasons behind each verdict, how
// important each link is to the chain, how complete the chain is, and where 补链
// should start. It also answers "what if firm X opened a plant in district D in
// link L" as a diff of two diagnoses.
package diagnose

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/chainmap/chainmap/analysis"
	"github.com/chainmap/chainmap/analysis/snapshot"
	"github.com/chainmap/chainmap/graph"
	"gonum.org/v1/gonum/graph/network"
)

// Status is a link's verdict in a region.
type Status string

const (
	Strong  Status = "strong"  // 强链
	Weak    Status = "weak"    // 弱链
	Missing Status = "missing" // 缺链
	Broken  Status = "broken"  // 断链: missing, and cutting local upstream off from local downstream
)

// Params are the thresholds of the status rules.
type Params struct {
	// WeakBelowFirms: a present link with fewer local firms than this is weak.
	WeakBelowFirms int `json:"weak_below_firms"`
	// WeakAboveDependency: a present link whose local demand is supplied from outside
	// the region in a larger share than this is weak.
	WeakAboveDependency float64 `json:"weak_above_dependency"`
	// MinDemandTies: the dependency rule applies only when local firms buy the link
	// on at least this many current ties; fewer is too little evidence.
	MinDemandTies int `json:"min_demand_ties"`
}

// DefaultParams: one local firm is a single point of failure, so a link needs two to
// be more than weak; a link whose local buyers get most (60%+) of it from outside is
// weak however many firms it has; two ties are the least evidence of a dependency.
func DefaultParams() Params {
	return Params{WeakBelowFirms: 2, WeakAboveDependency: 0.6, MinDemandTies: 2}
}

// Result is a region's diagnosis across one or more chains.
type Result struct {
	Region     string        `json:"region"`
	RegionName string        `json:"region_name"`
	AsOf       graph.Date    `json:"as_of"`
	Params     Params        `json:"params"`
	Chains     []ChainResult `json:"chains"`
}

// ChainResult is one chain's diagnosis.
type ChainResult struct {
	ChainID   string `json:"chain_id"`
	ChainName string `json:"chain_name"`
	ChainEN   string `json:"chain_name_en,omitempty"`
	Key       bool   `json:"key"`
	// Completeness is the importance-weighted share of the chain's links present
	// locally (strong or weak), 0–1.
	Completeness float64        `json:"completeness"`
	Counts       map[Status]int `json:"counts"`
	// Leaders are the chain's declared leaders located in the region.
	Leaders []FirmRef    `json:"leaders"`
	Links   []LinkResult `json:"links"`
}

// FirmRef names a firm in a result.
type FirmRef struct {
	CompanyID  string  `json:"company_id"`
	Name       string  `json:"name"`
	RevenueWan float64 `json:"revenue_wan,omitempty"`
}

// LinkResult is one link's verdict and the numbers behind it.
type LinkResult struct {
	LinkID   string     `json:"link_id"`
	LinkName string     `json:"link_name"`
	LinkEN   string     `json:"link_name_en,omitempty"`
	Tier     graph.Tier `json:"tier"`
	Status   Status     `json:"status"`
	// LocalCompanies is the number of firms local to the region operating in the link.
	LocalCompanies  int     `json:"local_companies"`
	LocalRevenueWan float64 `json:"local_revenue_wan"`
	// LocalDemandTies is the number of current ties on which local firms buy the
	// link, and LocalDemandWan their known amount.
	LocalDemandTies int     `json:"local_demand_ties"`
	LocalDemandWan  float64 `json:"local_demand_wan"`
	// ExternalDependency is the share of that demand supplied from outside the
	// region: by amount when every tie's amount is known, else by number of ties.
	ExternalDependency float64 `json:"external_dependency"`
	DependencyBasis    string  `json:"dependency_basis"` // "amount", "ties" or "none"
	// UpstreamLinks and DownstreamLinks count the chain links that reach this one
	// and that it reaches along feeds; Betweenness is its gonum betweenness in the
	// chain's feed DAG.
	UpstreamLinks   int     `json:"upstream_links"`
	DownstreamLinks int     `json:"downstream_links"`
	Betweenness     float64 `json:"betweenness"`
	// Importance (0–1) weighs the link within its chain; Priority (0–1) ranks links
	// for 补链: important, absent or dependent links first.
	Importance float64           `json:"importance"`
	Priority   float64           `json:"priority"`
	Firms      []FirmRef         `json:"firms,omitempty"` // up to 10 local firms, largest first
	Reasons    []analysis.Reason `json:"reasons"`
}

// Landing is a hypothetical plant: company (an existing id, or "" for a new firm)
// operating in link, located in district.
type Landing struct {
	CompanyID string `json:"company_id,omitempty"`
	Link      string `json:"link"`
	District  string `json:"district"`
}

// Diagnose diagnoses every link of chain (all chains when chain is "") for region.
func Diagnose(s *snapshot.Snapshot, region, chain string, p Params) (*Result, error) {
	return diagnose(s, region, chain, p, nil)
}

// overlay adds hypothetical local presence for what-if questions.
type overlay struct {
	company  int32 // existing company moved into the region, or None
	link     int32
	district int32
}

func diagnose(s *snapshot.Snapshot, region, chain string, p Params, extra *overlay) (*Result, error) {
	r := s.Region(region)
	if r == snapshot.None {
		return nil, graph.Errorf(graph.ENOTFOUND, "地区 %q 不存在 / region %q not found", region, region)
	}
	chains := make([]int32, 0, len(s.Chains))
	if chain != "" {
		ch := s.Chain(chain)
		if ch == snapshot.None {
			return nil, graph.Errorf(graph.ENOTFOUND, "产业链 %q 不存在 / chain %q not found", chain, chain)
		}
		chains = append(chains, ch)
	} else {
		for i := range s.Chains {
			chains = append(chains, int32(i))
		}
	}
	d := &diagnoser{s: s, p: p, within: s.Within(r), extra: extra}
	dm := d.demands()
	res := &Result{Region: s.Regions[r].Code, RegionName: s.Regions[r].Name, AsOf: s.AsOf, Params: p}
	for _, ch := range chains {
		res.Chains = append(res.Chains, d.chain(ch, dm))
	}
	return res, nil
}

type diagnoser struct {
	s      *snapshot.Snapshot
	p      Params
	within []bool
	extra  *overlay
}

// local reports whether company c counts as in the region, including a what-if move.
func (d *diagnoser) local(c int32) bool {
	if d.extra != nil && d.extra.company == c {
		return d.within[d.extra.district]
	}
	return d.within[d.s.Companies[c].Region]
}

// presence counts local firms in link l and their revenue, and lists the largest.
func (d *diagnoser) presence(l int32) (int, float64, []FirmRef) {
	n, rev := 0, 0.0
	var firms []FirmRef
	add := func(c int32) {
		co := d.s.Companies[c]
		n++
		rev += co.RevenueWan
		firms = append(firms, FirmRef{CompanyID: co.ID, Name: co.Name, RevenueWan: co.RevenueWan})
	}
	for _, c := range d.s.LinkCompanies[l] {
		if d.local(c) {
			add(c)
		}
	}
	if x := d.extra; x != nil && x.link == l && d.within[x.district] {
		if x.company == snapshot.None {
			n++ // a new firm: no revenue known yet
			firms = append(firms, FirmRef{CompanyID: "", Name: "（拟落地企业 / proposed firm）"})
		} else if !slices.Contains(d.s.LinkCompanies[l], x.company) {
			add(x.company)
		}
	}
	sort.SliceStable(firms, func(i, j int) bool { return firms[i].RevenueWan > firms[j].RevenueWan })
	if len(firms) > 10 {
		firms = firms[:10]
	}
	return n, rev, firms
}

// demand is what local firms buy of one link on current ties.
type demand struct {
	ties, outsideTies int
	wan, outsideWan   float64
	unknownAmounts    int
}

// demands computes every link's local demand in one pass over the local firms'
// incoming ties, rather than a scan of all ties per link.
func (d *diagnoser) demands() []demand {
	dm := make([]demand, len(d.s.Links))
	for c := range d.s.Companies {
		if !d.local(int32(c)) {
			continue
		}
		for _, ti := range d.s.In(int32(c)) {
			t := &d.s.Ties[ti]
			if t.Link == snapshot.None || !d.s.Active(t) {
				continue
			}
			x := &dm[t.Link]
			x.ties++
			x.wan += float64(t.AmountWan)
			if t.AmountWan <= 0 {
				x.unknownAmounts++
			}
			if !d.local(t.Supplier) {
				x.outsideTies++
				x.outsideWan += float64(t.AmountWan)
			}
		}
	}
	return dm
}

// dependency returns the outside share of a link's demand and its basis.
func (x demand) dependency() (float64, string) {
	switch {
	case x.ties == 0:
		return 0, "none"
	case x.unknownAmounts == 0 && x.wan > 0:
		return x.outsideWan / x.wan, "amount"
	default:
		return float64(x.outsideTies) / float64(x.ties), "ties"
	}
}

// chainShape holds a chain's feed-DAG measures, independent of the region.
type chainShape struct {
	up, down map[int32][]int32 // link → ancestors / descendants within the chain
	btw      map[int32]float64
}

// shapeOf measures chain ch's feed DAG; it depends on no region.
func shapeOf(s *snapshot.Snapshot, ch int32) chainShape {
	g := s.ChainGraph(ch)
	sh := chainShape{up: map[int32][]int32{}, down: map[int32][]int32{}}
	for _, l := range s.ChainLinks[ch] {
		sh.down[l] = reach(l, func(x int32) []int32 { return sameChain(s, ch, s.FeedsOut[x]) })
		sh.up[l] = reach(l, func(x int32) []int32 { return sameChain(s, ch, s.FeedsIn[x]) })
	}
	sh.btw = map[int32]float64{}
	// Betweenness (Brandes 2001, in gonum) on the chain's feed DAG: how many
	// upstream→downstream routes pass through a link.
	for id, b := range network.Betweenness(g) {
		sh.btw[int32(id)] = b
	}
	return sh
}

func (sh chainShape) maxBetweenness() float64 {
	m := 0.0
	for _, b := range sh.btw {
		m = max(m, b)
	}
	return m
}

// Importance returns every link's importance in its chain (see importance), by
// link index; a link outside any chain gets the floor, 0.1. It depends on the chain
// structure only, not on any region.
func Importance(s *snapshot.Snapshot) []float64 {
	out := make([]float64, len(s.Links))
	for l := range out {
		out[l] = 0.1
	}
	for ch := range s.Chains {
		links := s.ChainLinks[ch]
		sh := shapeOf(s, int32(ch))
		maxBtw := sh.maxBetweenness()
		for _, l := range links {
			out[l] = importance(len(links), len(sh.down[l]), sh.btw[l], maxBtw)
		}
	}
	return out
}

func sameChain(s *snapshot.Snapshot, ch int32, ls []int32) []int32 {
	out := make([]int32, 0, len(ls))
	for _, l := range ls {
		if s.LinkChain[l] == ch {
			out = append(out, l)
		}
	}
	return out
}

// reach returns the links reachable from l by next, excluding l, nearest first
// (breadth-first), so reasons can name the closest links.
func reach(l int32, next func(int32) []int32) []int32 {
	seen := map[int32]bool{l: true}
	queue := []int32{l}
	var out []int32
	for len(queue) > 0 {
		x := queue[0]
		queue = queue[1:]
		for _, y := range next(x) {
			if !seen[y] {
				seen[y] = true
				out = append(out, y)
				queue = append(queue, y)
			}
		}
	}
	return out
}

// importance weighs a link within its chain, 0.1–1: a floor of 0.1 so every link
// counts toward completeness, plus half its downstream reach (the share of the
// chain's other links that depend on its output along feeds) and 0.4 × its
// betweenness relative to the chain's most between link (routes from upstream to
// downstream that pass through it). Upstream materials feeding everything and the
// assembly step every route crosses weigh most; terminal services least.
func importance(n, down int, btw, maxBtw float64) float64 {
	if n <= 1 {
		return 1
	}
	b := 0.0
	if maxBtw > 0 {
		b = btw / maxBtw
	}
	return round3(0.1 + 0.5*float64(down)/float64(n-1) + 0.4*b)
}

var tierRank = map[graph.Tier]int{graph.Upstream: 0, graph.Midstream: 1, graph.Downstream: 2}

// statusWeight orders the urgency of 补链 by status.
var statusWeight = map[Status]float64{Broken: 1, Missing: 0.8, Weak: 0.6, Strong: 0.1}

// priority combines importance, status and dependency: priority = importance ×
// statusWeight × (0.5 + 0.5 × dependency), where a link with no local firm counts
// as fully dependent.
func priority(imp float64, st Status, dep float64) float64 {
	if st == Missing || st == Broken {
		dep = 1
	}
	return round3(imp * statusWeight[st] * (0.5 + 0.5*dep))
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

func (d *diagnoser) chain(ch int32, dm []demand) ChainResult {
	s := d.s
	c := s.Chains[ch]
	out := ChainResult{ChainID: c.ID, ChainName: c.Name, ChainEN: c.NameEN, Key: c.Key,
		Counts: map[Status]int{Strong: 0, Weak: 0, Missing: 0, Broken: 0}, Leaders: []FirmRef{}}
	for _, l := range s.ChainLeaders[ch] {
		if d.local(l) {
			co := s.Companies[l]
			out.Leaders = append(out.Leaders, FirmRef{CompanyID: co.ID, Name: co.Name, RevenueWan: co.RevenueWan})
		}
	}
	links := slices.Clone(s.ChainLinks[ch])
	// Upstream to downstream, then by id: the order planners read a chain in.
	slices.SortStableFunc(links, func(a, b int32) int { return tierRank[s.Links[a].Tier] - tierRank[s.Links[b].Tier] })
	sh := shapeOf(s, ch)
	maxBtw := sh.maxBetweenness()
	present := map[int32]bool{}
	results := make([]LinkResult, len(links))
	for i, l := range links {
		lk := s.Links[l]
		n, rev, firms := d.presence(l)
		present[l] = n > 0
		dep, basis := dm[l].dependency()
		results[i] = LinkResult{LinkID: lk.ID, LinkName: lk.Name, LinkEN: lk.NameEN, Tier: lk.Tier,
			LocalCompanies: n, LocalRevenueWan: rev, LocalDemandTies: dm[l].ties, LocalDemandWan: dm[l].wan,
			ExternalDependency: round3(dep), DependencyBasis: basis, UpstreamLinks: len(sh.up[l]),
			DownstreamLinks: len(sh.down[l]), Betweenness: round3(sh.btw[l]), Firms: firms,
			Importance: importance(len(links), len(sh.down[l]), sh.btw[l], maxBtw)}
	}
	totalImp, presentImp := 0.0, 0.0
	for i, l := range links {
		lr := &results[i]
		lr.Status, lr.Reasons = d.verdict(l, lr, dm[l], sh, present)
		lr.Priority = priority(lr.Importance, lr.Status, lr.ExternalDependency)
		out.Counts[lr.Status]++
		totalImp += lr.Importance
		if present[l] {
			presentImp += lr.Importance
		}
	}
	switch {
	case totalImp > 0:
		out.Completeness = round3(presentImp / totalImp)
	case len(links) > 0:
		out.Completeness = round3(float64(len(present)) / float64(len(links)))
	}
	out.Links = results
	return out
}

// verdict applies the status rules to one link and says why.
func (d *diagnoser) verdict(l int32, lr *LinkResult, dm demand, sh chainShape, present map[int32]bool) (Status, []analysis.Reason) {
	s := d.s
	names := func(ls []int32, en bool) string {
		var out []string
		for _, x := range ls {
			if n := s.Links[x].NameEN; en && n != "" {
				out = append(out, n)
			} else {
				out = append(out, s.Links[x].Name)
			}
		}
		return joinNames(out, en)
	}
	var presentUp, presentDown []int32
	for _, x := range sh.up[l] {
		if present[x] {
			presentUp = append(presentUp, x)
		}
	}
	for _, x := range sh.down[l] {
		if present[x] {
			presentDown = append(presentDown, x)
		}
	}
	if lr.LocalCompanies == 0 {
		rs := []analysis.Reason{analysis.Because("no_local_firm", "本地没有企业从事该环节", "no local company operates in this link")}
		if dm.ties > 0 {
			rs = append(rs, analysis.Because("bought_from_outside",
				"本地企业通过 %d 条供应关系从区外采购该环节产品", "local firms buy it from outside on %d supply ties", dm.ties).
				With("local_demand_ties", float64(dm.ties)))
		}
		if len(presentUp) > 0 && len(presentDown) > 0 {
			rs = append(rs, analysis.Reason{Code: "cuts_local_chain",
				ZH: fmt.Sprintf("上游（%s）与下游（%s）在本地都有企业，该环节缺失使本地链条断开",
					names(presentUp, false), names(presentDown, false)),
				EN: fmt.Sprintf("local upstream (%s) and downstream (%s) are both present: the gap cuts the local chain",
					names(presentUp, true), names(presentDown, true))}.
				With("present_upstream_links", float64(len(presentUp))).With("present_downstream_links", float64(len(presentDown))))
			return Broken, rs
		}
		return Missing, rs
	}
	var rs []analysis.Reason
	weak := false
	if lr.LocalCompanies < d.p.WeakBelowFirms {
		weak = true
		rs = append(rs, analysis.Because("few_local_firms", "本地仅 %d 家企业（少于 %d 家即为弱链）",
			"only %d local firm(s) (fewer than %d makes a link weak)", lr.LocalCompanies, d.p.WeakBelowFirms).
			With("local_companies", float64(lr.LocalCompanies)))
	}
	if dm.ties >= d.p.MinDemandTies && lr.ExternalDependency > d.p.WeakAboveDependency {
		weak = true
		basis := map[string][2]string{"amount": {"按金额", "by amount"}, "ties": {"按供应关系数", "by number of ties"}}[lr.DependencyBasis]
		rs = append(rs, analysis.Reason{Code: "external_dependency",
			ZH: fmt.Sprintf("本地企业对该环节的采购有 %.0f%% 来自区外（%s；高于 %.0f%% 即为弱链）",
				100*lr.ExternalDependency, basis[0], 100*d.p.WeakAboveDependency),
			EN: fmt.Sprintf("%.0f%% of local purchases of this link come from outside (%s; above %.0f%% is weak)",
				100*lr.ExternalDependency, basis[1], 100*d.p.WeakAboveDependency)}.
			With("external_dependency", lr.ExternalDependency).With("local_demand_ties", float64(dm.ties)))
	}
	if weak {
		return Weak, rs
	}
	rs = append(rs, analysis.Because("enough_local_firms", "本地有 %d 家企业", "%d local firms", lr.LocalCompanies).
		With("local_companies", float64(lr.LocalCompanies)))
	if dm.ties >= d.p.MinDemandTies {
		rs = append(rs, analysis.Because("local_supply", "本地采购中 %.0f%% 由本地企业供应", "%.0f%% of local purchases are supplied locally",
			100*(1-lr.ExternalDependency)).With("external_dependency", lr.ExternalDependency))
	} else {
		rs = append(rs, analysis.Because("little_demand_data", "本地采购数据不足（%d 条），未评估外部依赖",
			"too few local purchases on record (%d) to judge dependency", dm.ties).With("local_demand_ties", float64(dm.ties)))
	}
	return Strong, rs
}

// joinNames lists link names for a reason, the nearest three then "等"/"etc.".
func joinNames(names []string, en bool) string {
	sep, more := "、", " 等"
	if en {
		sep, more = "; ", "; etc."
	}
	if len(names) > 3 {
		return strings.Join(names[:3], sep) + more
	}
	return strings.Join(names, sep)
}
