// Package leaders ranks a region's firms by what makes a chain leader (链主), to
// confirm declared leaders and suggest undeclared ones, and lists each leader's
// suppliers outside the region as 以商引商 / 招商大使 leads.
//
// A 链主 is a firm with the scale and standing to pull a chain into a place: a large
// producer that many local suppliers, in several links, sell to, and that supplies
// local firms downstream. Buying alone is not leadership (a hospital or a
// distributor buys a great deal and leads no manufacturing chain), so only firms in a
// production link of the chain (graph.Link.Role) can be suggested, and a suggestion
// also needs evidence of scale or standing (revenue, employees or a credential tag).
//
// The network is the chain's current supply: Active ties whose link belongs to the
// chain, plus link-less ties between two firms that both operate in the chain. Only
// LOCAL firms (in the region or below it) operating in the chain's production links, and the
// region's declared leaders of the chain, are ranked; of those, only firms in a
// production link or declared leaders: a service, trade, institution or
// construction firm is part of the network (its purchases count) but never ranked.
//
// Every feature is normalised to [0,1] over the ranked firms and averaged with the
// weights; a feature the data cannot give for a firm (no revenue and no headcount;
// no purchases on record) is left out of both sums for that firm and its reason says
// 数据不足, so missing data never reads as a low rank:
//
//	scale      mean of revenue/max and employees/max, of those known: a leader is
//	           typically an order of magnitude larger than the firms around it
//	standing   credential points (CredentialPoints), capped at 5 (a 500强), / 5
//	links      distinct chain links its local suppliers sell it / max
//	suppliers  Σ evidence weight (snapshot.TieWeight) of its distinct local suppliers / max
//	share      local suppliers' share of its chain purchases, by evidence weight (0–1)
//	downstream local chain firms it reaches along local ties / max
//	pagerank   PageRank (damping 0.85, deterministic power iteration) on supplier→customer / max
//
// Default weights: scale 0.25, standing 0.20, downstream 0.15, links 0.15,
// suppliers 0.10, share 0.05, pagerank 0.10 — what it buys locally (links,
// suppliers, share, pagerank) is 40%, never enough on its own.
//
// Downstream reach is a breadth-first search per firm, computed for the
// ReachCandidates best firms by the other features (and every declared leader).
package leaders

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/chainmap/chainmap/analysis"
	"github.com/chainmap/chainmap/analysis/snapshot"
	"github.com/chainmap/chainmap/graph"
)

// Weights weigh the normalised features in the score. They need not sum to 1.
type Weights struct {
	Scale           float64 `json:"scale"`
	Standing        float64 `json:"standing"`
	SupplierLinks   float64 `json:"supplier_links"`
	LocalSuppliers  float64 `json:"local_suppliers"`
	LocalShare      float64 `json:"local_share"`
	DownstreamReach float64 `json:"downstream_reach"`
	PageRank        float64 `json:"pagerank"`
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
	// ReachCandidates bounds the firms whose downstream reach is computed (default 500).
	ReachCandidates int `json:"reach_candidates"`
}

// DefaultWeights: scale and standing first (what a leader is), then what it anchors
// locally (supplier links, suppliers, their share of its purchases), what it
// supplies downstream, and its place in the supply network.
func DefaultWeights() Weights {
	return Weights{Scale: 0.25, Standing: 0.20, DownstreamReach: 0.15, SupplierLinks: 0.15, LocalSuppliers: 0.10,
		LocalShare: 0.05, PageRank: 0.10}
}

// maxStanding is the standing of a 500强: more credentials add nothing.
const maxStanding = 5

// CredentialPoints are the points each tag adds to standing.
var CredentialPoints = map[graph.Tag]float64{"500强": 5, "央企": 4, "单项冠军": 4, "上市": 3, "小巨人": 3, "独角兽": 3,
	"国企": 2, "专精特新": 2, "瞪羚": 1, "外资": 1, "高新技术企业": 0.5, "规上": 0.5}

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
	case w.Scale < 0 || w.Standing < 0 || w.SupplierLinks < 0 || w.LocalSuppliers < 0 || w.LocalShare < 0 ||
		w.DownstreamReach < 0 || w.PageRank < 0:
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
	Rank      int    `json:"rank"` // 1 = best score among the local firms
	CompanyID string `json:"company_id"`
	Name      string `json:"name"`
	Declared  bool   `json:"declared"`  // a declared 链主 of this chain
	Suggested bool   `json:"suggested"` // not declared but among the Suggest best eligible: a candidate 链主
	// Production says the firm operates in a production link of the chain; only such
	// firms can be suggested.
	Production bool `json:"production"`
	// Unknown lists the features the data cannot give for this firm (数据不足).
	Unknown  []string           `json:"unknown,omitempty"`
	Score    float64            `json:"score"`
	Features map[string]float64 `json:"features"`
	Reasons  []analysis.Reason  `json:"reasons"`
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
	FScale           = "scale"
	FStanding        = "standing"
	FSupplierLinks   = "supplier_links"
	FLocalSuppliers  = "local_suppliers"
	FLocalShare      = "local_share"
	FDownstreamReach = "downstream_reach"
	FPageRank        = "pagerank"
	FLocalCustomers  = "local_customers"
	FRevenue         = "revenue_wan"
	FEmployees       = "employees"
	FOutside         = "outside_suppliers"
)

// firm is the working state of one ranked firm.
type firm struct {
	c                 int32
	lidx              int32 // index in the local network
	declared, product bool
	pr                float64
	ls, lc            int     // distinct local suppliers / customers on chain ties
	lsWeight          float64 // Σ max TieWeight over distinct local suppliers
	inWeight          float64 // Σ TieWeight of all its chain purchases
	localInWeight     float64 // … of those from local suppliers
	supLinks          int     // distinct links its local suppliers sell it
	ties              int     // kept ties, either way
	down              int
	reach             bool
	rev, emp, stand   float64
	scaleKnown        bool
	prelim, score     float64
	prRank, scoreRank int
}

// Rank ranks the firms local to region that operate in chain's links (and the
// region's declared leaders of the chain) by what makes a chain leader.
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

	ops := make([]bool, n)     // operates in one of the chain's links
	product := make([]bool, n) // … in a production one
	for _, l := range s.ChainLinks[ch] {
		prod := s.Links[l].RoleOrDefault() == graph.Production
		for _, c := range s.LinkCompanies[l] {
			ops[c] = true
			product[c] = product[c] || prod
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

	v := &chainView{s: s, member: make([]bool, n), keep: keep}
	lidx := make([]int32, n)
	for i := range lidx {
		lidx[i] = snapshot.None
	}
	var locals []int32
	addLocal := func(c int32) int32 {
		if lidx[c] == snapshot.None {
			lidx[c] = int32(len(locals))
			locals = append(locals, c)
		}
		return lidx[c]
	}
	points := credentialPoints()
	var firms []*firm
	for c := range int32(n) {
		// Only producers can lead a chain; a declared leader is reported whatever it does.
		if local(c) && (product[c] || declared[c]) {
			v.member[c] = true
			co := &s.Companies[c]
			firms = append(firms, &firm{c: c, lidx: addLocal(c), declared: declared[c], product: product[c],
				rev: max(co.RevenueWan, 0), emp: float64(max(co.Employees, 0)), stand: standing(co.Tags, points),
				scaleKnown: co.RevenueWan > 0 || co.Employees > 0})
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

	if len(v.nodes) > 0 && edges > 0 {
		pr := v.pageRank(p.Damping, 1e-10)
		for _, f := range firms {
			f.pr = pr[f.c]
		}
	}
	for _, f := range firms {
		f.ls, f.lc = net.inDeg(f.lidx), net.outDeg(f.lidx)
		for i := range s.Out(f.c) {
			if keep(&s.Out(f.c)[i]) {
				f.ties++
			}
		}
		links := map[int32]bool{}
		supW := map[int32]float64{}
		for _, ti := range s.In(f.c) {
			t := &s.Ties[ti]
			if !keep(t) {
				continue
			}
			f.ties++
			w := snapshot.TieWeight(t)
			f.inWeight += w
			if local(t.Supplier) {
				f.localInWeight += w
				supW[t.Supplier] = max(supW[t.Supplier], w)
				if t.Link != snapshot.None {
					links[t.Link] = true
				}
			}
		}
		for _, w := range supW {
			f.lsWeight += w
		}
		f.supLinks = len(links)
	}

	var mx struct{ rev, emp, stand, links, sup, down, pr float64 }
	for _, f := range firms {
		mx.rev, mx.emp, mx.stand = max(mx.rev, f.rev), max(mx.emp, f.emp), max(mx.stand, f.stand)
		mx.links, mx.sup, mx.pr = max(mx.links, float64(f.supLinks)), max(mx.sup, f.lsWeight), max(mx.pr, f.pr)
	}
	w := p.Weights
	norm := func(x, m float64) float64 {
		if m <= 0 {
			return 0
		}
		return x / m
	}
	scale := func(f *firm) float64 {
		var sum, k float64
		if f.rev > 0 {
			sum, k = sum+norm(f.rev, mx.rev), k+1
		}
		if f.emp > 0 {
			sum, k = sum+norm(f.emp, mx.emp), k+1
		}
		if k == 0 {
			return 0
		}
		return sum / k
	}
	share := func(f *firm) float64 { return norm(f.localInWeight, f.inWeight) }
	// total and sum leave out what the data cannot give: unknown scale, no purchases.
	score := func(f *firm, withReach bool) float64 {
		x := w.Standing*min(f.stand, maxStanding)/maxStanding + w.SupplierLinks*norm(float64(f.supLinks), mx.links) +
			w.LocalSuppliers*norm(f.lsWeight, mx.sup) + w.PageRank*norm(f.pr, mx.pr)
		t := w.Standing + w.SupplierLinks + w.LocalSuppliers + w.PageRank
		if f.scaleKnown {
			x, t = x+w.Scale*scale(f), t+w.Scale
		}
		if f.inWeight > 0 {
			x, t = x+w.LocalShare*share(f), t+w.LocalShare
		}
		if withReach {
			x, t = x+w.DownstreamReach*norm(float64(f.down), mx.down), t+w.DownstreamReach
		}
		if t <= 0 {
			return 0
		}
		return x / t
	}
	for _, f := range firms {
		f.prelim = score(f, false)
	}
	order := slices.Clone(firms)
	slices.SortFunc(order, func(a, b *firm) int {
		return cmp.Or(cmp.Compare(b.prelim, a.prelim), cmp.Compare(s.Companies[a.c].ID, s.Companies[b.c].ID))
	})
	ranked := make([]bool, len(locals))
	for _, f := range firms {
		ranked[f.lidx] = true
	}
	bfs := newSearch(len(locals))
	for i, f := range order {
		if i < p.ReachCandidates || f.declared {
			f.down = bfs.reach(f.lidx, net.outStart, net.outAdj, ranked)
			f.reach = true
			mx.down = max(mx.down, float64(f.down))
		}
	}
	for _, f := range firms {
		// Rounded so PageRank's last digits do not reorder ties.
		f.score = math.Round(score(f, f.reach)*1e6) / 1e6
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
		sug := !f.declared && suggested < p.Suggest && eligible(f)
		if sug {
			suggested++
		}
		if !(f.scoreRank <= p.Top || f.declared || sug) {
			continue
		}
		l := leader(s, f, sug, len(firms), p.Top, local)
		l.Features[FScale], l.Features[FLocalShare] = round3(scale(f)), round3(share(f))
		res.Leaders = append(res.Leaders, l)
	}
	return res, nil
}

// eligible reports whether f can be suggested as a 链主: a producer in the chain with
// current chain ties and evidence of scale or standing, not buying alone.
func eligible(f *firm) bool {
	return f.product && f.ties > 0 && f.score > 0 && (f.scaleKnown || f.stand > 0)
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

// credentialPoints returns CredentialPoints by vocabulary index (bit of snapshot.TagSet).
func credentialPoints() []float64 {
	p := make([]float64, len(graph.TagVocabulary))
	for i, v := range graph.TagVocabulary {
		p[i] = CredentialPoints[v.Tag]
	}
	return p
}

func standing(t snapshot.TagSet, points []float64) float64 {
	var sum float64
	for i, p := range points {
		if t&(1<<i) != 0 {
			sum += p
		}
	}
	return sum
}

var credentialZH = map[graph.Tag]string{"500强": "500强企业", "央企": "中央企业", "单项冠军": "制造业单项冠军",
	"上市": "上市公司", "小巨人": "专精特新“小巨人”", "独角兽": "独角兽企业", "国企": "地方国企", "专精特新": "专精特新企业",
	"瞪羚": "瞪羚企业", "外资": "外资企业", "高新技术企业": "高新技术企业", "规上": "规上企业"}

// leader builds the reported record of f.
func leader(s *snapshot.Snapshot, f *firm, suggested bool, total, top int, local func(int32) bool) Leader {
	co := &s.Companies[f.c]
	l := Leader{Rank: f.scoreRank, CompanyID: co.ID, Name: co.Name, Declared: f.declared, Suggested: suggested,
		Production: f.product, Score: f.score, OutsideSuppliers: []SupplierLead{}}
	l.Features = map[string]float64{FPageRank: f.pr, FStanding: f.stand, FSupplierLinks: float64(f.supLinks),
		FLocalSuppliers: float64(f.ls), FLocalCustomers: float64(f.lc), FRevenue: f.rev, FEmployees: f.emp}
	if f.reach {
		l.Features[FDownstreamReach] = float64(f.down)
	}
	var why []analysis.Reason
	rank := float64(f.scoreRank)
	switch {
	case f.declared && f.scoreRank <= top:
		why = append(why, analysis.Because("declared_leader", "已声明链主，在本地 %[2]d 家链上企业中综合排名第 %[1]d",
			"declared chain leader, ranked %d of %d local chain firms", f.scoreRank, total).With("rank", rank))
	case f.declared:
		why = append(why, analysis.Because("declared_low_rank", "已声明链主，但在本地 %[2]d 家链上企业中综合排名仅第 %[1]d",
			"declared chain leader, but ranks only %d of %d local chain firms", f.scoreRank, total).With("rank", rank))
	case suggested:
		why = append(why, analysis.Because("suggested_leader", "未声明为链主，但在本地 %[2]d 家链上生产企业中综合排名第 %[1]d，且规模或资质有据，可作候选链主",
			"not a declared chain leader but ranked %d of %d local chain producers, with scale or standing on record: a candidate chain leader",
			f.scoreRank, total).With("rank", rank))
	case !f.product:
		why = append(why, analysis.Because("not_production", "不从事本链的生产环节（服务、贸易、机构或工程），不作为候选链主",
			"not in a production link of this chain (service, trade, institution or construction): not a candidate leader"))
	}
	// Scale.
	switch {
	case f.rev > 0 && f.emp > 0:
		why = append(why, analysis.Reason{Code: "scale", ZH: fmt.Sprintf("年营收 %.1f 亿元，员工 %.0f 人", f.rev/10000, f.emp),
			EN: fmt.Sprintf("annual revenue ¥%.2f bn, %.0f employees", f.rev/100000, f.emp)}.With(FRevenue, f.rev).With(FEmployees, f.emp))
	case f.rev > 0:
		why = append(why, analysis.Reason{Code: "scale", ZH: fmt.Sprintf("年营收 %.1f 亿元", f.rev/10000),
			EN: fmt.Sprintf("annual revenue ¥%.2f bn", f.rev/100000)}.With(FRevenue, f.rev))
	case f.emp > 0:
		why = append(why, analysis.Because("scale", "员工 %.0f 人", "%.0f employees", f.emp).With(FEmployees, f.emp))
	default:
		l.Unknown = append(l.Unknown, FScale)
		why = append(why, analysis.Because("scale_unknown", "规模：数据不足（无营收、员工数据），未计入排名",
			"scale: unknown (no revenue or headcount on record), left out of the ranking"))
	}
	if tags := co.Tags.Tags(); f.stand > 0 {
		var zh, en []string
		for _, t := range tags {
			if CredentialPoints[t] > 0 {
				zh = append(zh, credentialZH[t])
				en = append(en, tagEN(t))
			}
		}
		why = append(why, analysis.Reason{Code: "standing", ZH: strings.Join(zh, "、"), EN: strings.Join(en, ", ")}.With(FStanding, f.stand))
	}
	if f.ls > 0 {
		why = append(why, analysis.Because("local_suppliers", "本地 %d 家链上企业（%d 个环节）向其供货", "buys from %d local chain firms in %d links",
			f.ls, f.supLinks).With(FLocalSuppliers, float64(f.ls)).With(FSupplierLinks, float64(f.supLinks)))
	}
	if f.inWeight > 0 {
		sh := f.localInWeight / f.inWeight
		why = append(why, analysis.Because("local_share", "其链上采购的 %.0f%% 来自本地企业（按证据加权）",
			"%.0f%% of its chain purchases come from local firms (weighted by evidence)", 100*sh).With(FLocalShare, round3(sh)))
	} else {
		l.Unknown = append(l.Unknown, FLocalShare)
		why = append(why, analysis.Because("purchases_unknown", "本地采购：数据不足（无链上采购记录）",
			"local purchases: unknown (no chain purchases on record)"))
	}
	if f.reach && f.down > 0 {
		why = append(why, analysis.Because("downstream_reach", "向下游直接或间接供应本地链上企业 %d 家",
			"supplies %d local chain firms downstream, directly or indirectly", f.down).With(FDownstreamReach, float64(f.down)))
	}
	if f.pr > 0 {
		why = append(why, analysis.Because("pagerank", "在链上供应网络中的地位排名第 %d（PageRank）",
			"ranks %d among local firms by its place in the chain's supply network (PageRank)", f.prRank).
			With("pagerank_rank", float64(f.prRank)).With(FPageRank, f.pr))
	}
	if f.ties == 0 {
		why = append(why, analysis.Because("no_ties", "链上无现行供货关系记录", "no current supply ties in the chain"))
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

func tagEN(t graph.Tag) string {
	for _, v := range graph.TagVocabulary {
		if v.Tag == t {
			return v.EN
		}
	}
	return string(t)
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
