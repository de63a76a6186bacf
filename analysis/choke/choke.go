// Package choke finds 卡脖子 points of a region's current supply network: links its
// firms buy from a single supplier or a single outside city, firms and supply
// relations whose loss would split the local network (articulation points and
// bridges), and what a given firm's disappearance would leave without supply.
//
// Everything reads Active ties only (history is not today's supply) and "local"
// means located in the region or below it.
//
//  1. Single source. For each link L (of the chain, or of all chains), local demand
//     is the Active ties of L into local customers. L is reported when it has at
//     least MinDemandTies such ties and either all come from one supplier
//     (single_supplier), or the outside suppliers all sit in one city-level region
//     and supply at least MinOutsideShare of the demand (single_region). Shares are
//     by amount (万元) when every demand tie has one, otherwise by number of ties.
//  2. Structure. The local network is undirected: local firms (operating in the
//     chain's links, when a chain is given) joined when one supplies the other on an
//     Active tie. Articulation points and bridges come from one iterative
//     Hopcroft–Tarjan depth-first search. A point's Cut is the number of firms its
//     removal separates from the largest remaining part of its component; a
//     bridge's Cut is the size of the smaller side.
//  3. Removal (Remove). If a firm disappeared, the (local customer, link) pairs whose
//     every Active supplier of that link was the firm, and the links where no local
//     firm would remain.
package choke

import (
	"cmp"
	"slices"

	"github.com/chainmap/chainmap/analysis"
	"github.com/chainmap/chainmap/analysis/snapshot"
	"github.com/chainmap/chainmap/graph"
)

// Params are the thresholds of Find. A zero field takes its default.
type Params struct {
	// MinDemandTies: a link is judged only when local firms buy it on at least this
	// many Active ties (default 2: one tie is too little evidence of a dependency).
	MinDemandTies int `json:"min_demand_ties"`
	// MinOutsideShare: a single outside region is reported only when its suppliers
	// provide at least this share of the link's local demand (default 0.5).
	MinOutsideShare float64 `json:"min_outside_share"`
	// MinCut: articulation points and bridges separating fewer firms are left out
	// (default 1).
	MinCut int `json:"min_cut"`
	// Limit bounds the articulation points and the bridges reported, largest Cut
	// first (default 50; negative: no limit). Totals are reported regardless.
	Limit int `json:"limit"`
}

// DefaultParams returns the defaults documented on Params.
func DefaultParams() Params {
	return Params{MinDemandTies: 2, MinOutsideShare: 0.5, MinCut: 1, Limit: 50}
}

func (p Params) withDefaults() (Params, error) {
	d := DefaultParams()
	if p.MinDemandTies == 0 {
		p.MinDemandTies = d.MinDemandTies
	}
	if p.MinOutsideShare == 0 {
		p.MinOutsideShare = d.MinOutsideShare
	}
	if p.MinCut == 0 {
		p.MinCut = d.MinCut
	}
	if p.Limit == 0 {
		p.Limit = d.Limit
	}
	if p.MinDemandTies < 0 || p.MinCut < 0 || p.MinOutsideShare < 0 || p.MinOutsideShare > 1 {
		return p, graph.Errorf(graph.EINVALID, "参数超出范围 / parameters out of range: %+v", p)
	}
	return p, nil
}

// Finding kinds.
const (
	SingleSupplier = "single_supplier" // all local demand of a link from one supplier
	SingleRegion   = "single_region"   // all outside supply of a link from one city
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

// SingleSource is a link whose local demand hangs on one supplier or one outside city.
type SingleSource struct {
	Kind      string `json:"kind"` // SingleSupplier or SingleRegion
	LinkID    string `json:"link_id"`
	LinkName  string `json:"link_name"`
	ChainID   string `json:"chain_id"`
	ChainName string `json:"chain_name"`
	// SupplierID/SupplierName: the one supplier (single_supplier only).
	SupplierID    string `json:"supplier_id,omitempty"`
	SupplierName  string `json:"supplier_name,omitempty"`
	SupplierLocal bool   `json:"supplier_local"`
	// RegionCode/RegionName: the city-level region of the supplier (single_supplier)
	// or of all outside suppliers (single_region).
	RegionCode string `json:"region_code"`
	RegionName string `json:"region_name"`
	// Suppliers is the number of distinct suppliers concerned (outside ones for
	// single_region).
	Suppliers int `json:"suppliers"`
	// Customers are the local firms buying the link.
	Customers  []Firm  `json:"customers"`
	DemandTies int     `json:"demand_ties"`
	DemandWan  float64 `json:"demand_wan"`
	// Share of the local demand that depends on the supplier or the region.
	Share   float64           `json:"share"`
	Reasons []analysis.Reason `json:"reasons"`
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
	Cut           int               `json:"cut"`
	ComponentSize int               `json:"component_size"`
	Reasons       []analysis.Reason `json:"reasons"`
}

// CutTie is a bridge of the local network: the supply relation between A and B
// (the Active ties either way, in any link) is the only path between two parts.
type CutTie struct {
	A             Firm              `json:"a"`
	B             Firm              `json:"b"`
	Links         []string          `json:"links"` // link ids of the Active ties between them ("" = no link)
	Cut           int               `json:"cut"`   // firms on the smaller side
	ComponentSize int               `json:"component_size"`
	Reasons       []analysis.Reason `json:"reasons"`
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
		if len(ties) == 0 || len(ties) < p.MinDemandTies {
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

// judgeLink applies the single-source rules to link l's local demand ties.
func judgeLink(s *snapshot.Snapshot, loc locality, l int32, ties []int32, p Params) (SingleSource, bool) {
	byAmount := true
	var total float64
	suppliers := map[int32]bool{}
	outside := map[int32]bool{}
	cities := map[int32]bool{}
	var outTies int
	var outAmt float64
	custSet := map[int32]bool{}
	for _, ti := range ties {
		t := &s.Ties[ti]
		if t.AmountWan <= 0 {
			byAmount = false
		}
		total += float64(t.AmountWan)
		suppliers[t.Supplier] = true
		custSet[t.Customer] = true
		if !loc.local(t.Supplier) {
			outside[t.Supplier] = true
			outTies++
			outAmt += float64(t.AmountWan)
			cities[city(s, s.Companies[t.Supplier].Region)] = true
		}
	}
	link := &s.Links[l]
	f := SingleSource{LinkID: link.ID, LinkName: link.Name, DemandTies: len(ties), DemandWan: total}
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
	nc := len(f.Customers)
	switch {
	case len(suppliers) == 1:
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
	case len(cities) == 1:
		share := float64(outTies) / float64(len(ties))
		if byAmount && total > 0 {
			share = outAmt / total
		}
		if share < p.MinOutsideShare {
			return f, false
		}
		var g int32
		for x := range cities {
			g = x
		}
		f.Kind, f.Suppliers, f.Share = SingleRegion, len(outside), share
		setRegion(g)
		f.Reasons = append(f.Reasons, analysis.Because(SingleRegion,
			"本地企业「%[1]s」的外购全部来自%[2]s（%[3]d 家供应商），占本地需求的 %.0[4]f%%，涉及本地企业 %[5]d 家",
			"all outside supply of %[6]s comes from %[2]s (%[3]d suppliers), %.0[4]f%% of local demand, for %[5]d local customers",
			link.Name, f.RegionName, len(outside), share*100, nc, linkEN(link)).
			With("share", share).With("suppliers", float64(len(outside))).With("customers", float64(nc)))
		return f, true
	}
	return f, false
}

func linkEN(l *graph.Link) string {
	if l.NameEN != "" {
		return l.NameEN
	}
	return l.Name
}
