// Package choke finds 卡脖子 points of a region's current supply network: links its
// firms buy from a single supplier or a single outside city, firms and supply
// relations whose loss would split the local network (articulation points and
// bridges), and what a given firm's disappearance would leave without supply.
//
// Everything reads Active ties only (history is not today's supply) and "local"
// means located in the region or below it.
//
//  1. Single source and concentration. For each link L (of the chain, or of all
//     chains), local demand is the Active ties of L into local customers, each
//     weighed as evidence (snapshot.TieWeight). L is judged when that evidence is at
//     least MinDemandEvidence. It is reported when all of it comes from one supplier
//     (single_supplier), or when outside suppliers provide at least MinOutsideShare
//     of it and that outside supply is concentrated (concentrated): a
//     Herfindahl–Hirschman index (Σ share², shares of the outside supply) over
//     suppliers or over their cities of at least MinHHI (0.25, the level competition
//     authorities call highly concentrated). Shares are by amount (万元) when every
//     demand tie has one, otherwise by evidence weight. Reasons say it in words: the
//     outside supply is as concentrated as if it came from 1/HHI equal suppliers.
//  2. Structure. The local network is undirected: local firms (operating in the
//     chain's links, when a chain is given) joined when one supplies the other on an
//     Active tie. Articulation points and bridges come from one iterative
//     Hopcroft–Tarjan depth-first search. A point's Cut is the number of firms its
//     removal separates from the largest remaining part of its component; a
//     bridge's Cut is the size of the smaller side. Only cuts that separate at least
//     MinCut firms, or at least MinCutRevenueShare of the component's known revenue,
//     are reported: cutting off one small supplier is not a choke point.
//  3. Removal (Remove). If a firm disappeared: the (local customer, link) pairs whose
//     every Active supplier of that link was the firm, the local suppliers for whom
//     it was an anchor customer (at least MinSalesShare of their current sales), and
//     the links where no local firm would remain.
package choke

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/chainmap/chainmap/analysis"
	"github.com/chainmap/chainmap/analysis/snapshot"
	"github.com/chainmap/chainmap/graph"
)

// Params are the thresholds of Find. A zero field takes its default.
type Params struct {
	// MinDemandEvidence: a link is judged only when local firms' current purchases of
	// it weigh at least this much as evidence (default 1.5: two observed ties).
	MinDemandEvidence float64 `json:"min_demand_evidence"`
	// MinOutsideShare: a concentrated outside supply is reported only when it
	// provides at least this share of the link's local demand (default 0.5).
	MinOutsideShare float64 `json:"min_outside_share"`
	// MinHHI: outside supply is concentrated when its HHI over suppliers or over
	// cities reaches this (default 0.25).
	MinHHI float64 `json:"min_hhi"`
	// MinCut: articulation points and bridges are reported when they separate at
	// least this many firms (default 3) …
	MinCut int `json:"min_cut"`
	// MinCutRevenueShare: … or at least this share of the component's known revenue
	// (default 0.1).
	MinCutRevenueShare float64 `json:"min_cut_revenue_share"`
	// Limit bounds the articulation points and the bridges reported, largest Cut
	// first (default 50; negative: no limit). Totals are reported regardless.
	Limit int `json:"limit"`
}

// DefaultParams returns the defaults documented on Params.
func DefaultParams() Params {
	return Params{MinDemandEvidence: 1.5, MinOutsideShare: 0.5, MinHHI: 0.25, MinCut: 3, MinCutRevenueShare: 0.1, Limit: 50}
}

func (p Params) withDefaults() (Params, error) {
	d := DefaultParams()
	if p.MinDemandEvidence == 0 {
		p.MinDemandEvidence = d.MinDemandEvidence
	}
	if p.MinOutsideShare == 0 {
		p.MinOutsideShare = d.MinOutsideShare
	}
	if p.MinHHI == 0 {
		p.MinHHI = d.MinHHI
	}
	if p.MinCut == 0 {
		p.MinCut = d.MinCut
	}
	if p.MinCutRevenueShare == 0 {
		p.MinCutRevenueShare = d.MinCutRevenueShare
	}
	if p.Limit == 0 {
		p.Limit = d.Limit
	}
	if p.MinDemandEvidence < 0 || p.MinCut < 0 || p.MinOutsideShare < 0 || p.MinOutsideShare > 1 ||
		p.MinHHI < 0 || p.MinHHI > 1 || p.MinCutRevenueShare < 0 || p.MinCutRevenueShare > 1 {
		return p, graph.Errorf(graph.EINVALID, "参数超出范围 / parameters out of range: %+v", p)
	}
	return p, nil
}

// Finding kinds.
const (
	SingleSupplier = "single_supplier" // all local demand of a link from one supplier
	Concentrated   = "concentrated"    // outside supply of a link concentrated in few suppliers or cities
	Articulation   = "articulation"    // a firm whose loss splits the local network
	Bridge         = "bridge"          // a supply relation whose loss splits it
)

// Result is the choke-point analysis of a region.
type Result struct {
	Region     string     `json:"region"`
	RegionName string     `json:"region_name"`
	Chain      string     `json:"chain,omitempty"` // "" = all chains
	ChainName  string     `json:"chain_name,omitempty"`
	AsOf       graph.Date `json:"as_of"`
	Params     Params     `json:"params"`
	// LocalFirms and LocalRelations size the local network of step 2 (relations are
	// pairs of firms with at least one Active tie either way).
	LocalFirms     int `json:"local_firms"`
	LocalRelations int `json:"local_relations"`

	SingleSources      []SingleSource `json:"single_sources"`
	ArticulationPoints []CutFirm      `json:"articulation_points"`
	Bridges            []CutTie       `json:"bridges"`
	// Totals before MinCut and Limit.
	ArticulationTotal int `json:"articulation_total"`
	BridgeTotal       int `json:"bridge_total"`
}

// Firm names a company.
type Firm struct {
	CompanyID string `json:"company_id"`
	Name      string `json:"name"`
}

// SingleSource is a link whose local demand hangs on one supplier, or whose outside
// supply is concentrated in few suppliers or cities.
type SingleSource struct {
	Kind      string `json:"kind"` // SingleSupplier or Concentrated
	LinkID    string `json:"link_id"`
	LinkName  string `json:"link_name"`
	ChainID   string `json:"chain_id"`
	ChainName string `json:"chain_name"`
	// SupplierID/SupplierName: the one supplier (single_supplier), or the largest
	// outside supplier (concentrated).
	SupplierID    string `json:"supplier_id,omitempty"`
	SupplierName  string `json:"supplier_name,omitempty"`
	SupplierLocal bool   `json:"supplier_local"`
	// RegionCode/RegionName: the city-level region of the supplier (single_supplier)
	// or of the largest outside source city (concentrated).
	RegionCode string `json:"region_code"`
	RegionName string `json:"region_name"`
	// Suppliers is the number of distinct suppliers concerned (outside ones for
	// concentrated), Cities the number of outside source cities.
	Suppliers int `json:"suppliers"`
	Cities    int `json:"cities"`
	// Customers are the local firms buying the link.
	Customers      []Firm  `json:"customers"`
	DemandTies     int     `json:"demand_ties"`
	DemandEvidence float64 `json:"demand_evidence"`
	DemandWan      float64 `json:"demand_wan"`
	// Share of the local demand that depends on the supplier (single_supplier) or
	// comes from outside (concentrated); Basis says by "amount" or "evidence".
	Share float64 `json:"share"`
	Basis string  `json:"basis"`
	// HHISuppliers and HHIRegions are the concentration of the outside supply over
	// suppliers and over their cities (0–1; 1 = one source); TopSupplierShare and
	// TopRegionShare are the largest one's share of the outside supply.
	HHISuppliers     float64           `json:"hhi_suppliers"`
	HHIRegions       float64           `json:"hhi_regions"`
	TopSupplierShare float64           `json:"top_supplier_share"`
	TopRegionShare   float64           `json:"top_region_share"`
	Reasons          []analysis.Reason `json:"reasons"`
}

// CutFirm is an articulation point of the local network.
type CutFirm struct {
	CompanyID  string `json:"company_id"`
	Name       string `json:"name"`
	RegionCode string `json:"region_code"`
	RegionName string `json:"region_name"`
	Degree     int    `json:"degree"` // local firms it trades with
	// Pieces is how many parts its component falls into without it.
	Pieces int `json:"pieces"`
	// Cut is how many firms would be separated from the largest remaining part.
	Cut           int `json:"cut"`
	ComponentSize int `json:"component_size"`
	// CutRevenueWan is the known revenue of the separated firms, CutRevenueShare its
	// share of the component's known revenue.
	CutRevenueWan   float64           `json:"cut_revenue_wan"`
	CutRevenueShare float64           `json:"cut_revenue_share"`
	Reasons         []analysis.Reason `json:"reasons"`
}

// CutTie is a bridge of the local network: the supply relation between A and B
// (the Active ties either way, in any link) is the only path between two parts.
type CutTie struct {
	A               Firm              `json:"a"`
	B               Firm              `json:"b"`
	Links           []string          `json:"links"` // link ids of the Active ties between them ("" = no link)
	Cut             int               `json:"cut"`   // firms on the smaller side
	ComponentSize   int               `json:"component_size"`
	CutRevenueWan   float64           `json:"cut_revenue_wan"`
	CutRevenueShare float64           `json:"cut_revenue_share"`
	Reasons         []analysis.Reason `json:"reasons"`
}

// locality answers "is company c local to the region".
type locality struct {
	s      *snapshot.Snapshot
	within []bool
}

func (l locality) local(c int32) bool {
	g := l.s.Companies[c].Region
	return g != snapshot.None && l.within[g]
}

// city returns the city-level region of region r: the nearest ancestor-or-self of
// kind city, else r itself (an external place, a province).
func city(s *snapshot.Snapshot, r int32) int32 {
	for p := r; p != snapshot.None; p = s.Parent[p] {
		if s.Regions[p].Kind == graph.City {
			return p
		}
	}
	return r
}

// Find reports the choke points of region's current local supply network, for one
// chain or, when chain is "", for all chains.
func Find(s *snapshot.Snapshot, region, chain string, p Params) (*Result, error) {
	r := s.Region(region)
	if r == snapshot.None {
		return nil, graph.Errorf(graph.ENOTFOUND, "地区 %q 不存在 / region %q not found", region, region)
	}
	ch := int32(snapshot.None)
	if chain != "" {
		if ch = s.Chain(chain); ch == snapshot.None {
			return nil, graph.Errorf(graph.ENOTFOUND, "产业链 %q 不存在 / chain %q not found", chain, chain)
		}
	}
	p, err := p.withDefaults()
	if err != nil {
		return nil, err
	}
	loc := locality{s: s, within: s.Within(r)}
	res := &Result{Region: region, RegionName: s.Regions[r].Name, Chain: chain, AsOf: s.AsOf, Params: p,
		SingleSources: []SingleSource{}, ArticulationPoints: []CutFirm{}, Bridges: []CutTie{}}
	if ch != snapshot.None {
		res.ChainName = s.Chains[ch].Name
	}
	inScope := make([]bool, len(s.Links))
	for l := range s.Links {
		inScope[l] = ch == snapshot.None || s.LinkChain[l] == ch
	}
	res.SingleSources = singleSources(s, loc, inScope, p)

	// The firms of the structural analysis: local ones, in the chain when given.
	n := len(s.Companies)
	node := make([]bool, n)
	for c := range int32(n) {
		node[c] = loc.local(c)
	}
	if ch != snapshot.None {
		ops := make([]bool, n)
		for _, l := range s.ChainLinks[ch] {
			for _, c := range s.LinkCompanies[l] {
				ops[c] = true
			}
		}
		for c := range node {
			node[c] = node[c] && ops[c]
		}
	}
	structure(s, node, p, res)
	return res, nil
}

// singleSources is step 1.
func singleSources(s *snapshot.Snapshot, loc locality, inScope []bool, p Params) []SingleSource {
	demand := make([][]int32, len(s.Links)) // link → demand tie indices
	for c := range int32(len(s.Companies)) {
		if !loc.local(c) {
			continue
		}
		for _, ti := range s.In(c) {
			t := &s.Ties[ti]
			if t.Link != snapshot.None && inScope[t.Link] && t.Supplier != c && s.Active(t) {
				demand[t.Link] = append(demand[t.Link], ti)
			}
		}
	}
	out := []SingleSource{}
	for l, ties := range demand {
		if len(ties) == 0 {
			continue
		}
		if f, ok := judgeLink(s, loc, int32(l), ties, p); ok {
			out = append(out, f)
		}
	}
	slices.SortFunc(out, func(a, b SingleSource) int {
		return cmp.Or(cmp.Compare(kindOrder(a.Kind), kindOrder(b.Kind)), cmp.Compare(len(b.Customers), len(a.Customers)),
			cmp.Compare(b.Share, a.Share), cmp.Compare(a.LinkID, b.LinkID))
	})
	return out
}

func kindOrder(k string) int {
	if k == SingleSupplier {
		return 0
	}
	return 1
}

// hhi returns the Herfindahl–Hirschman index of the weights (Σ share²), the
// largest weight's key and its share.
func hhi(w map[int32]float64) (h float64, top int32, topShare float64) {
	var total float64
	for _, x := range w {
		total += x
	}
	top = snapshot.None
	if total <= 0 {
		return 0, top, 0
	}
	for k, x := range w {
		sh := x / total
		h += sh * sh
		if sh > topShare || sh == topShare && k < top {
			top, topShare = k, sh
		}
	}
	return round3(h), top, round3(topShare)
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

// judgeLink applies the single-source and concentration rules to link l's local
// demand ties.
func judgeLink(s *snapshot.Snapshot, loc locality, l int32, ties []int32, p Params) (SingleSource, bool) {
	byAmount := true
	var evidence, total float64
	for _, ti := range ties {
		t := &s.Ties[ti]
		evidence += snapshot.TieWeight(t)
		total += float64(t.AmountWan)
		if t.AmountWan <= 0 {
			byAmount = false
		}
	}
	link := &s.Links[l]
	f := SingleSource{LinkID: link.ID, LinkName: link.Name, DemandTies: len(ties), DemandEvidence: round3(evidence), DemandWan: total,
		Basis: "evidence"}
	if evidence < p.MinDemandEvidence {
		return f, false
	}
	if byAmount && total > 0 {
		f.Basis = "amount"
	}
	// weight is a tie's part of the demand: evidence × amount, or evidence alone.
	weight := func(t *snapshot.Tie) float64 {
		if f.Basis == "amount" {
			return snapshot.TieWeight(t) * float64(t.AmountWan)
		}
		return snapshot.TieWeight(t)
	}
	suppliers := map[int32]bool{}
	outSup, outCity := map[int32]float64{}, map[int32]float64{}
	custSet := map[int32]bool{}
	var all, outside float64
	for _, ti := range ties {
		t := &s.Ties[ti]
		w := weight(t)
		all += w
		suppliers[t.Supplier] = true
		custSet[t.Customer] = true
		if !loc.local(t.Supplier) {
			outside += w
			outSup[t.Supplier] += w
			outCity[city(s, s.Companies[t.Supplier].Region)] += w
		}
	}
	if ch := s.LinkChain[l]; ch != snapshot.None {
		f.ChainID, f.ChainName = s.Chains[ch].ID, s.Chains[ch].Name
	}
	for c := range custSet {
		f.Customers = append(f.Customers, Firm{CompanyID: s.Companies[c].ID, Name: s.Companies[c].Name})
	}
	slices.SortFunc(f.Customers, func(a, b Firm) int { return cmp.Compare(a.CompanyID, b.CompanyID) })
	setRegion := func(g int32) {
		if g != snapshot.None {
			f.RegionCode, f.RegionName = s.Regions[g].Code, s.Regions[g].Name
		}
	}
	basisZH, basisEN := "按证据加权的供应关系", "by evidence-weighted ties"
	if f.Basis == "amount" {
		basisZH, basisEN = "按金额", "by amount"
	}
	nc := len(f.Customers)
	if len(suppliers) == 1 {
		var sup int32
		for x := range suppliers {
			sup = x
		}
		co := &s.Companies[sup]
		f.Kind, f.SupplierID, f.SupplierName, f.SupplierLocal, f.Suppliers, f.Share = SingleSupplier, co.ID, co.Name, loc.local(sup), 1, 1
		if co.Region != snapshot.None {
			setRegion(city(s, co.Region))
		}
		where, whereEN := "外地", "outside the region"
		if f.SupplierLocal {
			where, whereEN = "本地", "local"
		}
		f.Reasons = append(f.Reasons, analysis.Because(SingleSupplier,
			"本地 %[1]d 家企业的「%[2]s」全部（%[3]d 条现行供货）来自同一家%[6]s供应商 %[4]s",
			"all local demand for %[5]s (%[3]d current ties, %[1]d local customers) comes from one %[7]s supplier, %[4]s",
			nc, link.Name, len(ties), co.Name, linkEN(link), where, whereEN).
			With("customers", float64(nc)).With("ties", float64(len(ties))).With("share", 1))
		return f, true
	}
	if all <= 0 || outside/all < p.MinOutsideShare {
		return f, false
	}
	f.Share = round3(outside / all)
	var topSup, topCity int32
	f.HHISuppliers, topSup, f.TopSupplierShare = hhi(outSup)
	f.HHIRegions, topCity, f.TopRegionShare = hhi(outCity)
	f.Suppliers, f.Cities = len(outSup), len(outCity)
	if f.HHISuppliers < p.MinHHI && f.HHIRegions < p.MinHHI {
		return f, false
	}
	f.Kind = Concentrated
	co := &s.Companies[topSup]
	f.SupplierID, f.SupplierName = co.ID, co.Name
	setRegion(topCity)
	f.Reasons = append(f.Reasons, analysis.Reason{Code: Concentrated,
		ZH: fmt.Sprintf("本地 %d 家企业采购的「%s」有 %.0f%% 来自外地（%s），且来源集中：%d 家外地供应商的集中程度相当于只有 %.1f 家（最大的 %s 占 %.0f%%），%d 个来源城市相当于 %.1f 个（%s 占 %.0f%%）",
			nc, link.Name, 100*f.Share, basisZH, f.Suppliers, 1/f.HHISuppliers, co.Name, 100*f.TopSupplierShare,
			f.Cities, 1/f.HHIRegions, f.RegionName, 100*f.TopRegionShare),
		EN: fmt.Sprintf("%.0f%% of %s bought by %d local firms comes from outside (%s), and that supply is concentrated: its %d outside suppliers are as concentrated as %.1f equal ones (the largest, %s, has %.0f%%), its %d source cities as %.1f (%s has %.0f%%)",
			100*f.Share, linkEN(link), nc, basisEN, f.Suppliers, 1/f.HHISuppliers, co.Name, 100*f.TopSupplierShare,
			f.Cities, 1/f.HHIRegions, f.RegionName, 100*f.TopRegionShare)}.
		With("share", f.Share).With("hhi_suppliers", f.HHISuppliers).With("hhi_regions", f.HHIRegions).
		With("suppliers", float64(f.Suppliers)).With("cities", float64(f.Cities)).With("customers", float64(nc)))
	return f, true
}

func linkEN(l *graph.Link) string {
	if l.NameEN != "" {
		return l.NameEN
	}
	return l.Name
}
