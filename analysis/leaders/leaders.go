// Package leaders ranks a region's firms by their role in a chain's supply network,
// to confirm declared chain leaders (链主) and suggest undeclared ones, and lists each
// leader's suppliers outside the region as 以商引商 / 招商大使 leads.
//
// The network is the chain's current supply: Active ties whose link belongs to the
// chain, plus link-less ties between two firms that both operate in the chain. It
// includes outside firms (their sales lift a local customer's rank), but only LOCAL
// firms (located in the region or below it) operating in the chain's links, and the
// region's declared leaders of the chain, are ranked. A declared leader located
// outside the region is not reported.
//
// Score: every feature is normalised to [0,1] over the ranked firms, then averaged
// with the weights; a firm whose revenue is unknown (0) is scored on the other
// features, its revenue weight left out of both sums:
//
//	score = Σ w_f · x_f / Σ w_f
//	x_pagerank   = PR(v) / max PR          PageRank (damping 0.85, deterministic power iteration) on supplier→customer edges
//	x_authority  = A(v) / max A            HITS authority on the same edges
//	x_suppliers  = LS(v) / max LS          distinct local firms selling to v on chain ties
//	x_upstream   = UR(v) / max UR          local chain firms that reach v along local ties
//	x_downstream = DR(v) / max DR          local chain firms v reaches along local ties
//	x_revenue    = ln(1+rev) / ln(1+max rev)
//
// Default weights: pagerank 0.30, authority 0.10, local suppliers 0.20, upstream
// reach 0.15, downstream reach 0.05, revenue 0.20. Rank flows supplier → customer
// because a chain leader is the firm many suppliers sell to: its purchases are what
// pulls a chain's firms into a place.
//
// Reach is a breadth-first search per firm, so it is computed for the
// ReachCandidates best firms by the other features (and every declared leader);
// other firms score 0 on it. With the default 500 this is exact for any chain with
// at most 500 local firms and only affects firms far below the reported top.
package leaders

import (
	"cmp"
	"math"
	"slices"

	"github.com/chainmap/chainmap/analysis"
	"github.com/chainmap/chainmap/analysis/snapshot"
	"github.com/chainmap/chainmap/graph"
	"gonum.org/v1/gonum/graph/network"
)

// Weights weigh the normalised features in the score. They need not sum to 1.
type Weights struct {
	PageRank        float64 `json:"pagerank"`
	Authority       float64 `json:"authority"`
	LocalSuppliers  float64 `json:"local_suppliers"`
	UpstreamReach   float64 `json:"upstream_reach"`
	DownstreamReach float64 `json:"downstream_reach"`
	Revenue         float64 `json:"revenue"`
}

// Params tune the ranking. A zero field takes its default (all-zero Weights take the
// default weights).
type Params struct {
	// Damping is PageRank's damping factor (default 0.85).
	Damping float64 `json:"damping"`
	Weights Weights `json:"weights"`
	// Suggest is how many undeclared firms with the best scores are suggested as
	// candidate leaders (default 3).
	Suggest int `json:"suggest"`
	// Top is how many of the best-ranked firms are reported besides declared leaders
	// (default 10).
	Top int `json:"top"`
	// ReachCandidates bounds the firms whose up/downstream reach is computed (default 500).
	ReachCandidates int `json:"reach_candidates"`
}

// DefaultWeights: PageRank (being bought from by well-supplied firms, transitively)
// carries most; the count of local suppliers and revenue anchor it in plain facts an
// official can check; reach adds the depth of the local chain behind a firm.
func DefaultWeights() Weights {
	return Weights{PageRank: 0.30, Authority: 0.10, LocalSuppliers: 0.20, UpstreamReach: 0.15,
		DownstreamReach: 0.05, Revenue: 0.20}
}

// DefaultParams returns the defaults documented on Params.
func DefaultParams() Params {
	return Params{Damping: 0.85, Weights: DefaultWeights(), Suggest: 3, Top: 10, ReachCandidates: 500}
}

func (p Params) withDefaults() (Params, error) {
	d := DefaultParams()
	if p.Damping == 0 {
		p.Damping = d.Damping
	}
	if p.Weights == (Weights{}) {
		p.Weights = d.Weights
	}
	if p.Suggest == 0 {
		p.Suggest = d.Suggest
	}
	if p.Top == 0 {
		p.Top = d.Top
	}
	if p.ReachCandidates == 0 {
		p.ReachCandidates = d.ReachCandidates
	}
	w := p.Weights
	switch {
	case p.Damping <= 0 || p.Damping >= 1:
		return p, graph.Errorf(graph.EINVALID, "阻尼系数须在 0 与 1 之间 / damping must be between 0 and 1, got %g", p.Damping)
	case w.PageRank < 0 || w.Authority < 0 || w.LocalSuppliers < 0 || w.UpstreamReach < 0 || w.DownstreamReach < 0 || w.Revenue < 0:
		return p, graph.Errorf(graph.EINVALID, "权重不能为负 / weights must not be negative")
	case p.Suggest < 0 || p.Top < 0 || p.ReachCandidates < 0:
		return p, graph.Errorf(graph.EINVALID, "数量参数不能为负 / counts must not be negative")
	}
	return p, nil
}

// Result is the ranking of a region's firms in one chain.
type Result struct {
	Region     string     `json:"region"`
	RegionName string     `json:"region_name"`
	Chain      string     `json:"chain"`
	ChainName  string     `json:"chain_name"`
	AsOf       graph.Date `json:"as_of"`
	Params     Params     `json:"params"`
	// LocalFirms is how many local firms were ranked.
	LocalFirms int      `json:"local_firms"`
	Leaders    []Leader `json:"leaders"`
}

// Leader is one ranked local firm: the Top best, the suggested ones and every
// declared leader, best first.
type Leader struct {
	Rank      int                `json:"rank"` // 1 = best score among the local firms
	CompanyID string             `json:"company_id"`
	Name      string             `json:"name"`
	Declared  bool               `json:"declared"`  // a declared 链主 of this chain
	Suggested bool               `json:"suggested"` // not declared but among the Suggest best: a candidate 链主
	Score     float64            `json:"score"`
	Features  map[string]float64 `json:"features"`
	Reasons   []analysis.Reason  `json:"reasons"`
	// OutsideSuppliers (declared and suggested leaders only) are its suppliers not
	// local to the region, current and past, by link then amount: 以商引商 leads.
	OutsideSuppliers []SupplierLead `json:"outside_suppliers"`
}

// SupplierLead is a supplier outside the region selling to a leader: a firm the
// leader, as 招商大使, could bring into the region.
type SupplierLead struct {
	LinkID     string     `json:"link_id"`
	LinkName   string     `json:"link_name"`
	CompanyID  string     `json:"company_id"`
	Name       string     `json:"name"`
	RegionCode string     `json:"region_code"`
	RegionName string     `json:"region_name"`
	AmountWan  float64    `json:"amount_wan"`
	Active     bool       `json:"active"` // false: the tie ended (history, still a contact)
	Since      graph.Date `json:"since,omitempty"`
	Until      graph.Date `json:"until,omitempty"`
}

// Feature names in Leader.Features.
const (
	FPageRank        = "pagerank"
	FAuthority       = "authority"
	FLocalSuppliers  = "local_suppliers"
	FLocalCustomers  = "local_customers"
	FUpstreamReach   = "upstream_reach"
	FDownstreamReach = "downstream_reach"
	FRevenue         = "revenue_wan"
	FOutside         = "outside_suppliers"
)

// firm is the working state of one ranked firm.
type firm struct {
	c                 int32
	lidx              int32 // index in the local network
	declared          bool
	pr, auth          float64
	ls, lc            int
	ties              int // kept ties, either way
	up, down          int
	reach             bool // up/down computed
	rev               float64
	prelim, score     float64
	prRank, scoreRank int
}

// Rank ranks the firms local to region that operate in chain's links (and the
// region's declared leaders of the chain) by their role in the chain's supply network.
func Rank(s *snapshot.Snapshot, region, chain string, p Params) (*Result, error) {
	r := s.Region(region)
	if r == snapshot.None {
		return nil, graph.Errorf(graph.ENOTFOUND, "地区 %q 不存在 / region %q not found", region, region)
	}
	ch := s.Chain(chain)
	if ch == snapshot.None {
		return nil, graph.Errorf(graph.ENOTFOUND, "产业链 %q 不存在 / chain %q not found", chain, chain)
	}
	p, err := p.withDefaults()
	if err != nil {
		return nil, err
	}
	within := s.Within(r)
	n := len(s.Companies)
	local := func(c int32) bool { g := s.Companies[c].Region; return g != snapshot.None && within[g] }

	ops := make([]bool, n) // operates in one of the chain's links
	for _, l := range s.ChainLinks[ch] {
		for _, c := range s.LinkCompanies[l] {
			ops[c] = true
		}
	}
	declared := map[int32]bool{}
	for _, c := range s.ChainLeaders[ch] {
		declared[c] = true
	}
	keep := func(t *snapshot.Tie) bool {
		if t.Supplier == t.Customer || !s.Active(t) {
			return false
		}
		if t.Link != snapshot.None {
			return s.LinkChain[t.Link] == ch
		}
		return ops[t.Supplier] && ops[t.Customer]
	}

	// The ranked firms, the view's members and the local network (kept ties between
	// two local firms) in one pass over the ties.
	v := &chainView{s: s, member: make([]bool, n), keep: keep}
	lidx := make([]int32, n)
	for i := range lidx {
		lidx[i] = snapshot.None
	}
	var locals []int32 // local network nodes by local index
	addLocal := func(c int32) int32 {
		if lidx[c] == snapshot.None {
			lidx[c] = int32(len(locals))
			locals = append(locals, c)
		}
		return lidx[c]
	}
	var firms []*firm
	for c := range int32(n) {
		if local(c) && (ops[c] || declared[c]) {
			v.member[c] = true
			firms = append(firms, &firm{c: c, lidx: addLocal(c), declared: declared[c], rev: s.Companies[c].RevenueWan})
		}
	}
	var pairs [][2]int32
	edges := 0
	for i := range s.Ties {
		t := &s.Ties[i]
		if !keep(t) {
			continue
		}
		edges++
		v.member[t.Supplier], v.member[t.Customer] = true, true
		if local(t.Supplier) && local(t.Customer) {
			pairs = append(pairs, [2]int32{addLocal(t.Supplier), addLocal(t.Customer)})
		}
	}
	for c, m := range v.member {
		if m {
			v.nodes = append(v.nodes, int32(c))
		}
	}
	net := newCSR(len(locals), pairs)

	if len(v.nodes) > 0 {
		pr := v.pageRank(p.Damping, 1e-10)
		var hits map[int64]network.HubAuthority
		if edges > 0 && p.Weights.Authority > 0 {
			hits = network.HITS(v, 1e-8)
		}
		for _, f := range firms {
			f.pr = pr[f.c]
			f.auth = hits[int64(f.c)].Authority
		}
	}
	for _, f := range firms {
		f.ls, f.lc = net.inDeg(f.lidx), net.outDeg(f.lidx)
		for i := range s.Out(f.c) {
			if keep(&s.Out(f.c)[i]) {
				f.ties++
			}
		}
		for _, ti := range s.In(f.c) {
			if keep(&s.Ties[ti]) {
				f.ties++
			}
		}
	}

	// Preliminary score without reach, to pick the firms whose reach is computed.
	var mx struct{ pr, auth, ls, up, down, rev float64 }
	for _, f := range firms {
		mx.pr, mx.auth = max(mx.pr, f.pr), max(mx.auth, f.auth)
		mx.ls, mx.rev = max(mx.ls, float64(f.ls)), max(mx.rev, f.rev)
	}
	w := p.Weights
	norm := func(x, m float64) float64 {
		if m <= 0 {
			return 0
		}
		return x / m
	}
	// weights returns the weight total for f: an unknown revenue (0) is left out
	// rather than counted as none.
	weights := func(f *firm, reach bool) float64 {
		t := w.PageRank + w.Authority + w.LocalSuppliers
		if reach {
			t += w.UpstreamReach + w.DownstreamReach
		}
		if f.rev > 0 {
			t += w.Revenue
		}
		return t
	}
	base := func(f *firm) float64 {
		return w.PageRank*norm(f.pr, mx.pr) + w.Authority*norm(f.auth, mx.auth) +
			w.LocalSuppliers*norm(float64(f.ls), mx.ls) + w.Revenue*norm(math.Log1p(f.rev), math.Log1p(mx.rev))
	}
	for _, f := range firms {
		if t := weights(f, false); t > 0 {
			f.prelim = base(f) / t
		}
	}
	order := slices.Clone(firms)
	slices.SortFunc(order, func(a, b *firm) int {
		return cmp.Or(cmp.Compare(b.prelim, a.prelim), cmp.Compare(s.Companies[a.c].ID, s.Companies[b.c].ID))
	})
	ranked := make([]bool, len(locals)) // local network nodes that count towards reach
	for _, f := range firms {
		ranked[f.lidx] = true
	}
	bfs := newSearch(len(locals))
	for i, f := range order {
		if i < p.ReachCandidates || f.declared {
			f.up = bfs.reach(f.lidx, net.inStart, net.inAdj, ranked)
			f.down = bfs.reach(f.lidx, net.outStart, net.outAdj, ranked)
			f.reach = true
			mx.up, mx.down = max(mx.up, float64(f.up)), max(mx.down, float64(f.down))
		}
	}
	for _, f := range firms {
		x := base(f) + w.UpstreamReach*norm(float64(f.up), mx.up) + w.DownstreamReach*norm(float64(f.down), mx.down)
		if t := weights(f, true); t > 0 {
			f.score = math.Round(x/t*1e6) / 1e6 // rounded so PageRank's last digits do not reorder ties
		}
	}
	slices.SortFunc(order, func(a, b *firm) int {
		return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(s.Companies[a.c].ID, s.Companies[b.c].ID))
	})
	for i, f := range order {
		f.scoreRank = i + 1
	}
	byPR := slices.Clone(firms)
	slices.SortFunc(byPR, func(a, b *firm) int {
		return cmp.Or(cmp.Compare(b.pr, a.pr), cmp.Compare(s.Companies[a.c].ID, s.Companies[b.c].ID))
	})
	for i, f := range byPR {
		f.prRank = i + 1
	}

	res := &Result{Region: region, RegionName: s.Regions[r].Name, Chain: chain, ChainName: s.Chains[ch].Name,
		AsOf: s.AsOf, Params: p, LocalFirms: len(firms), Leaders: []Leader{}}
	suggested := 0
	for _, f := range order {
		sug := !f.declared && suggested < p.Suggest && f.score > 0 && f.ties > 0
		if sug {
			suggested++
		}
		if !(f.scoreRank <= p.Top || f.declared || sug) {
			continue
		}
		res.Leaders = append(res.Leaders, leader(s, f, sug, len(firms), p.Top, local))
	}
	return res, nil
}

// leader builds the reported record of f.
// A declared leader ranking below top is reported as ranking low.
func leader(s *snapshot.Snapshot, f *firm, suggested bool, total, top int, local func(int32) bool) Leader {
	co := &s.Companies[f.c]
	l := Leader{Rank: f.scoreRank, CompanyID: co.ID, Name: co.Name, Declared: f.declared, Suggested: suggested,
		Score: f.score, OutsideSuppliers: []SupplierLead{}}
	l.Features = map[string]float64{FPageRank: f.pr, FAuthority: f.auth, FLocalSuppliers: float64(f.ls),
		FLocalCustomers: float64(f.lc), FRevenue: f.rev}
	if f.reach {
		l.Features[FUpstreamReach], l.Features[FDownstreamReach] = float64(f.up), float64(f.down)
	}
	var why []analysis.Reason
	rank := float64(f.scoreRank)
	switch {
	case f.declared && f.scoreRank <= top:
		why = append(why, analysis.Because("declared_leader", "已声明链主，综合排名第 %d（共 %d 家本地链上企业）",
			"declared chain leader, ranked %d of %d local chain firms", f.scoreRank, total).With("rank", rank))
	case f.declared:
		why = append(why, analysis.Because("declared_low_rank", "已声明链主，但在供应网络中综合排名仅第 %d（共 %d 家本地链上企业）",
			"declared chain leader, but ranks only %d of %d local chain firms by its role in the supply network",
			f.scoreRank, total).With("rank", rank))
	case suggested:
		why = append(why, analysis.Because("suggested_leader", "未声明为链主，但综合排名第 %d（共 %d 家本地链上企业），可作候选链主",
			"not a declared chain leader but ranked %d of %d local chain firms: a candidate chain leader",
			f.scoreRank, total).With("rank", rank))
	}
	if f.ls > 0 {
		why = append(why, analysis.Because("local_suppliers", "本地 %d 家链上企业向其供货", "buys from %d local chain firms",
			f.ls).With(FLocalSuppliers, float64(f.ls)))
	}
	if f.reach && f.up > f.ls {
		why = append(why, analysis.Because("upstream_reach", "上游直接或间接带动本地链上企业 %d 家",
			"%d local chain firms are upstream of it, directly or indirectly", f.up).With(FUpstreamReach, float64(f.up)))
	}
	if f.reach && f.down > 0 {
		why = append(why, analysis.Because("downstream_reach", "向下游直接或间接供应本地链上企业 %d 家",
			"supplies %d local chain firms downstream, directly or indirectly", f.down).With(FDownstreamReach, float64(f.down)))
	}
	if f.pr > 0 {
		why = append(why, analysis.Because("pagerank", "链上供应网络 PageRank 在本地企业中排名第 %d",
			"ranks %d among local firms by PageRank of the chain's supply network", f.prRank).
			With("pagerank_rank", float64(f.prRank)).With(FPageRank, f.pr))
	}
	if f.ties == 0 {
		why = append(why, analysis.Because("no_ties", "链上无现行供货关系记录", "no current supply ties in the chain"))
	}
	if f.rev > 0 {
		why = append(why, analysis.Because("revenue", "年营收 %.0f 万元", "annual revenue %.0f 万元 (10k RMB)", f.rev).With(FRevenue, f.rev))
	}
	if f.declared || suggested {
		l.OutsideSuppliers = outsideSuppliers(s, f.c, local)
		firms, links := map[string]bool{}, map[string]bool{}
		for _, o := range l.OutsideSuppliers {
			if o.Active {
				firms[o.CompanyID], links[o.LinkID] = true, true
			}
		}
		l.Features[FOutside] = float64(len(firms))
		if len(firms) > 0 {
			why = append(why, analysis.Because("outside_suppliers", "现有外地供应商 %d 家（%d 个环节），可请其作为招商大使以商引商",
				"%d current suppliers outside the region in %d links: leads for 以商引商 with it as promotion ambassador",
				len(firms), len(links)).With(FOutside, float64(len(firms))).With("links", float64(len(links))))
		}
	}
	l.Reasons = why
	return l
}

// outsideSuppliers lists c's ties from suppliers not local to the region, in any
// link, current and ended, by link id (no link last) then amount descending.
func outsideSuppliers(s *snapshot.Snapshot, c int32, local func(int32) bool) []SupplierLead {
	out := []SupplierLead{}
	for _, ti := range s.In(c) {
		t := &s.Ties[ti]
		if t.Supplier == c || local(t.Supplier) {
			continue
		}
		sup := &s.Companies[t.Supplier]
		x := SupplierLead{CompanyID: sup.ID, Name: sup.Name, AmountWan: float64(t.AmountWan), Active: s.Active(t),
			Since: t.Since, Until: t.Until}
		if t.Link != snapshot.None {
			x.LinkID, x.LinkName = s.Links[t.Link].ID, s.Links[t.Link].Name
		}
		if sup.Region != snapshot.None {
			x.RegionCode, x.RegionName = s.Regions[sup.Region].Code, s.Regions[sup.Region].Name
		}
		out = append(out, x)
	}
	slices.SortFunc(out, func(a, b SupplierLead) int {
		return cmp.Or(cmp.Compare(boolInt(a.LinkID == ""), boolInt(b.LinkID == "")), cmp.Compare(a.LinkID, b.LinkID),
			cmp.Compare(b.AmountWan, a.AmountWan), cmp.Compare(a.CompanyID, b.CompanyID))
	})
	return out
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
