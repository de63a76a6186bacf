// Package relatedness answers 延链 (extend the chain into adjacent links) with the
// product-space method of Hidalgo, Klinger, Barabási & Hausmann (2007, "The Product
// Space Conditions the Development of Nations"), as Metroverse applies it to cities:
// which links a region does not yet specialise in are most related to those it does.
//
// Regions are city-level units (a company's city is the nearest ancestor of its
// region, itself included, of kind city or external); activities are chain links;
// the measure x is a unit's firm count or revenue in a link. Revealed comparative
// advantage (RCA) marks what each unit specialises in; proximity between two links is
// how often units specialise in both; the density of a region around a link is the
// share of the link's proximity that falls on links the region already specialises
// in. Density is the feasibility of a candidate link, and its importance in its chain
// (from diagnose), optionally scaled by a growth rate, is its attractiveness.
package relatedness

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/chainmap/chainmap/analysis"
	"github.com/chainmap/chainmap/analysis/diagnose"
	"github.com/chainmap/chainmap/analysis/snapshot"
	"github.com/chainmap/chainmap/graph"
)

// Measures of a region's activity in a link.
const (
	// Firms counts the firms operating in the link (a firm in several links counts
	// in each).
	Firms = "firms"
	// Revenue sums the firms' revenue (万元), each firm's revenue split equally over
	// the links it operates in so a multi-link firm is not counted several times.
	Revenue = "revenue"
)

// Params steer Extend.
type Params struct {
	// Measure is Firms (the default when empty) or Revenue.
	Measure string `json:"measure"`
	// Growth maps link id → expected growth of the link's market as a fraction per
	// year (0.2 = +20%); links not listed grow 0. Attractiveness = importance ×
	// (1 + growth), so with no growth given it is the importance alone.
	Growth map[string]float64 `json:"growth,omitempty"`
	// Limit caps the candidates returned (0 = all). Quadrant cut-offs are computed
	// over all candidates, so the limit never changes a candidate's quadrant.
	Limit int `json:"limit"`
}

// DefaultParams counts firms, assumes no growth and returns every candidate.
func DefaultParams() Params { return Params{Measure: Firms} }

// Result is a region's specialisations and its 延链 candidates.
type Result struct {
	Region     string `json:"region"`
	RegionName string `json:"region_name"`
	Measure    string `json:"measure"`
	// PeerLevel says which units form the peer set: always "city" (cities and
	// external places); Peer is the unit the region belongs to ("" when none).
	PeerLevel string `json:"peer_level"`
	Peer      string `json:"peer,omitempty"`
	// Peers is the number of city-level units with activity in some link: the
	// sample RCA and proximity are computed over.
	Peers int `json:"peers"`
	// Links is the number of links in the product space.
	Links int `json:"links"`
	// FeasibilityCut and AttractivenessCut are the medians over all candidates that
	// split them into quadrants (at or above the median is high).
	FeasibilityCut    float64 `json:"feasibility_cut"`
	AttractivenessCut float64 `json:"attractiveness_cut"`
	// TotalCandidates counts every candidate before Limit.
	TotalCandidates int         `json:"total_candidates"`
	Specialised     []LinkRCA   `json:"specialised"`
	Candidates      []Candidate `json:"candidates"`
}

// LinkRCA is a region's position in one link.
type LinkRCA struct {
	LinkID    string     `json:"link_id"`
	LinkName  string     `json:"link_name"`
	LinkEN    string     `json:"link_name_en,omitempty"`
	ChainID   string     `json:"chain_id"`
	ChainName string     `json:"chain_name"`
	Tier      graph.Tier `json:"tier"`
	// Value is the region's measure in the link: firms, or revenue in 万元.
	Value float64 `json:"value"`
	// RCA is (x_{R,l} / Σ_k x_{R,k}) / (Σ_r x_{r,l} / Σ_{r,k} x_{r,k}); ≥ 1 means the
	// region specialises in the link.
	RCA float64 `json:"rca"`
	// Ubiquity is the number of peer units that specialise in the link.
	Ubiquity int `json:"ubiquity"`
}

// Candidate is a link the region does not specialise in (RCA < 1).
type Candidate struct {
	LinkRCA
	// Density (feasibility, 0–1) = Σ_k M_{R,k} φ_{l,k} / Σ_k φ_{l,k} over k ≠ l.
	Density float64 `json:"density"`
	// Importance (0.1–1) is the link's weight in its chain from diagnose; Growth the
	// rate from Params; Attractiveness = Importance × (1 + Growth).
	Importance     float64 `json:"importance"`
	Growth         float64 `json:"growth"`
	Attractiveness float64 `json:"attractiveness"`
	// Quadrant is high_high, high_low, low_high or low_low (feasibility first);
	// QuadrantZH its label, e.g. 高可行高吸引.
	Quadrant   string `json:"quadrant"`
	QuadrantZH string `json:"quadrant_zh"`
	// Related are the region's specialised links closest to this one (φ > 0), up to
	// five, closest first.
	Related []Related         `json:"related"`
	Reasons []analysis.Reason `json:"reasons"`
}

// Related is a specialised link near a candidate.
type Related struct {
	LinkID   string  `json:"link_id"`
	LinkName string  `json:"link_name"`
	LinkEN   string  `json:"link_name_en,omitempty"`
	Phi      float64 `json:"phi"`
}

// maxRelated caps Candidate.Related.
const maxRelated = 5

// Extend lists the links region does not specialise in, most feasible first, with
// their attractiveness and quadrant, and the links it does specialise in.
//
// A city or external place is its own peer unit. Any other region (a district, a
// zone, a province) is compared with the same city-level peer set: its own row is
// built from the firms located in it or below it, but it is not added to the peers
// (its firms already count in their city), so proximities are the same whichever
// region asks.
func Extend(s *snapshot.Snapshot, region string, p Params) (*Result, error) {
	r := s.Region(region)
	if r == snapshot.None {
		return nil, graph.Errorf(graph.ENOTFOUND, "地区 %q 不存在 / region %q not found", region, region)
	}
	if p.Measure == "" {
		p.Measure = Firms
	}
	if p.Measure != Firms && p.Measure != Revenue {
		return nil, graph.Errorf(graph.EINVALID, "度量 %q 无效（应为 firms 或 revenue）/ measure %q must be firms or revenue", p.Measure, p.Measure)
	}
	if p.Limit < 0 {
		return nil, graph.Errorf(graph.EINVALID, "limit 不能为负 / limit must not be negative: %d", p.Limit)
	}
	for id, g := range p.Growth {
		if s.Link(id) == snapshot.None {
			return nil, graph.Errorf(graph.ENOTFOUND, "增长率中的环节 %q 不存在 / growth given for unknown link %q", id, id)
		}
		if g < -1 || math.IsNaN(g) || math.IsInf(g, 0) {
			return nil, graph.Errorf(graph.EINVALID, "环节 %q 的增长率 %v 无效（应 ≥ -1）/ growth %v of link %q must be ≥ -1", id, g, g, id)
		}
	}
	sp := buildSpace(s, p.Measure)
	xr, unit := sp.regionRow(s, r)
	total := 0.0
	for _, v := range xr {
		total += v
	}
	res := &Result{Region: s.Regions[r].Code, RegionName: s.Regions[r].Name, Measure: p.Measure, PeerLevel: "city",
		Peers: len(sp.units), Links: len(s.Links), Specialised: []LinkRCA{}, Candidates: []Candidate{}}
	if unit != snapshot.None {
		res.Peer = s.Regions[unit].Code
	}
	if total == 0 {
		what := map[string][2]string{Firms: {"企业", "firms"}, Revenue: {"有营收记录的企业", "firms with known revenue"}}[p.Measure]
		return nil, graph.Errorf(graph.EINVALID, "地区 %q 在任何环节都没有%s，无法计算比较优势 / region %q has no %s in any link, so it has no comparative advantage to build on",
			region, what[0], region, what[1])
	}
	rca := sp.rcaOf(xr)
	m := make([]bool, len(rca))
	for l, v := range rca {
		m[l] = v >= 1
	}
	density := sp.density(m)

	importance := diagnose.Importance(s)

	var spec []int32
	for l := range s.Links {
		if m[l] {
			spec = append(spec, int32(l))
		}
	}
	slices.SortStableFunc(spec, func(a, b int32) int {
		return cmp.Or(cmp.Compare(rca[b], rca[a]), cmp.Compare(s.Links[a].ID, s.Links[b].ID))
	})
	for _, l := range spec {
		res.Specialised = append(res.Specialised, sp.linkRCA(s, l, xr[l], rca[l]))
	}

	type cand struct {
		l              int32
		density, attr  float64
		importance, gr float64
	}
	var cs []cand
	for l := range s.Links {
		if m[l] {
			continue
		}
		g := p.Growth[s.Links[l].ID]
		cs = append(cs, cand{l: int32(l), density: density[l], importance: importance[l], gr: g,
			attr: importance[l] * (1 + g)})
	}
	// Most feasible first; among equally feasible, most attractive; then by id.
	slices.SortFunc(cs, func(a, b cand) int {
		return cmp.Or(cmp.Compare(b.density, a.density), cmp.Compare(b.attr, a.attr),
			cmp.Compare(s.Links[a.l].ID, s.Links[b.l].ID))
	})
	res.TotalCandidates = len(cs)
	fs, as := make([]float64, len(cs)), make([]float64, len(cs))
	for i, c := range cs {
		fs[i], as[i] = c.density, c.attr
	}
	fcut, acut := median(fs), median(as)
	res.FeasibilityCut, res.AttractivenessCut = round3(fcut), round3(acut)
	if p.Limit > 0 && len(cs) > p.Limit {
		cs = cs[:p.Limit]
	}
	for _, c := range cs {
		l := c.l
		cd := Candidate{LinkRCA: sp.linkRCA(s, l, xr[l], rca[l]), Density: round3(c.density),
			Importance: round3(c.importance), Growth: c.gr, Attractiveness: round3(c.attr)}
		cd.Quadrant, cd.QuadrantZH = quadrant(c.density >= fcut, c.attr >= acut)
		cd.Related = sp.related(s, l, spec)
		cd.Reasons = sp.reasons(s, &cd, l, m, p.Measure)
		res.Candidates = append(res.Candidates, cd)
	}
	return res, nil
}

// quadrant labels a candidate by high/low feasibility and attractiveness.
func quadrant(feasible, attractive bool) (string, string) {
	switch {
	case feasible && attractive:
		return "high_high", "高可行高吸引"
	case feasible:
		return "high_low", "高可行低吸引"
	case attractive:
		return "low_high", "低可行高吸引"
	default:
		return "low_low", "低可行低吸引"
	}
}

// space is the region × link matrix of the city-level peer units and the link
// proximities derived from it.
type space struct {
	units   []int32       // peer row → unit region index
	row     map[int32]int // unit region index → peer row
	unitOf  []int32       // region index → its unit, or None
	x       [][]float64   // peer row × link
	linkTot []float64     // Σ_r x_{r,l}
	tot     float64       // Σ_{r,l} x_{r,l}
	m       [][]bool      // peer row × link: RCA ≥ 1
	ubiq    []int         // Σ_r M_{r,l}
	phi     [][]float64   // link × link proximity, 0 on the diagonal
	measure func(c, l int32) float64
}

// unitOf returns the nearest ancestor of r (r included) of kind city or external,
// or None: a firm placed directly in a province has no city-level unit.
func unitOf(s *snapshot.Snapshot, r int32) int32 {
	for p := r; p != snapshot.None; p = s.Parent[p] {
		if k := s.Regions[p].Kind; k == graph.City || k == graph.External {
			return p
		}
	}
	return snapshot.None
}

// buildSpace computes the peer matrix, RCA, specialisation and proximity.
func buildSpace(s *snapshot.Snapshot, measure string) *space {
	nl := len(s.Links)
	sp := &space{row: map[int32]int{}, unitOf: make([]int32, len(s.Regions)), linkTot: make([]float64, nl)}
	for r := range s.Regions {
		sp.unitOf[r] = unitOf(s, int32(r))
	}
	sp.measure = func(int32, int32) float64 { return 1 }
	if measure == Revenue {
		sp.measure = func(c, _ int32) float64 {
			if n := len(s.CompanyLinks[c]); n > 0 && s.Companies[c].RevenueWan > 0 {
				return s.Companies[c].RevenueWan / float64(n)
			}
			return 0
		}
	}
	var units []int32
	var x [][]float64
	at := map[int32]int{}
	for l := range s.Links {
		for _, c := range s.LinkCompanies[l] {
			reg := s.Companies[c].Region
			if reg == snapshot.None {
				continue
			}
			u := sp.unitOf[reg]
			if u == snapshot.None {
				continue
			}
			w := sp.measure(c, int32(l))
			if w == 0 {
				continue
			}
			i, ok := at[u]
			if !ok {
				i = len(units)
				at[u] = i
				units = append(units, u)
				x = append(x, make([]float64, nl))
			}
			x[i][l] += w
		}
	}
	// Peers in region order, so results never depend on map or link order.
	order := make([]int, len(units))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return units[order[a]] < units[order[b]] })
	for _, i := range order {
		sp.row[units[i]] = len(sp.units)
		sp.units = append(sp.units, units[i])
		sp.x = append(sp.x, x[i])
		for l, v := range x[i] {
			sp.linkTot[l] += v
			sp.tot += v
		}
	}
	sp.ubiq = make([]int, nl)
	co := make([][]int, nl)
	for l := range co {
		co[l] = make([]int, nl)
	}
	for _, xr := range sp.x {
		rca := sp.rcaOf(xr)
		m := make([]bool, nl)
		var on []int
		for l, v := range rca {
			if v >= 1 {
				m[l] = true
				on = append(on, l)
				sp.ubiq[l]++
			}
		}
		sp.m = append(sp.m, m)
		for _, a := range on {
			for _, b := range on {
				co[a][b]++
			}
		}
	}
	sp.phi = make([][]float64, nl)
	for a := range sp.phi {
		sp.phi[a] = make([]float64, nl)
		for b := range sp.phi[a] {
			// min(P(M_a | M_b), P(M_b | M_a)) = co / max(ubiquity_a, ubiquity_b).
			if a != b && co[a][b] > 0 {
				sp.phi[a][b] = float64(co[a][b]) / float64(max(sp.ubiq[a], sp.ubiq[b]))
			}
		}
	}
	return sp
}

// regionRow returns region r's row of the measure and its peer unit (None when it
// has none). A unit's row is its peer row; any other region's row counts the firms
// located in it or below it.
func (sp *space) regionRow(s *snapshot.Snapshot, r int32) ([]float64, int32) {
	unit := sp.unitOf[r]
	if unit == r {
		if i, ok := sp.row[r]; ok {
			return sp.x[i], unit
		}
		return make([]float64, len(s.Links)), unit
	}
	within := s.Within(r)
	xr := make([]float64, len(s.Links))
	for l := range s.Links {
		for _, c := range s.LinkCompanies[l] {
			if reg := s.Companies[c].Region; reg != snapshot.None && within[reg] {
				xr[l] += sp.measure(c, int32(l))
			}
		}
	}
	return xr, unit
}

// rcaOf returns the RCA of a row against the peer totals (0 where the link or the
// row has no activity).
func (sp *space) rcaOf(xr []float64) []float64 {
	total := 0.0
	for _, v := range xr {
		total += v
	}
	out := make([]float64, len(xr))
	if total == 0 || sp.tot == 0 {
		return out
	}
	for l, v := range xr {
		if sp.linkTot[l] > 0 {
			out[l] = (v / total) / (sp.linkTot[l] / sp.tot)
		}
	}
	return out
}

// density returns, for every link, Σ_{k≠l} m_k φ_{l,k} / Σ_{k≠l} φ_{l,k} (0 when the
// link is related to nothing).
func (sp *space) density(m []bool) []float64 {
	out := make([]float64, len(m))
	for l, row := range sp.phi {
		num, den := 0.0, 0.0
		for k, f := range row {
			den += f
			if m[k] {
				num += f
			}
		}
		if den > 0 {
			out[l] = num / den
		}
	}
	return out
}

func (sp *space) linkRCA(s *snapshot.Snapshot, l int32, v, rca float64) LinkRCA {
	lk := s.Links[l]
	out := LinkRCA{LinkID: lk.ID, LinkName: lk.Name, LinkEN: lk.NameEN, Tier: lk.Tier, Value: round3(v),
		RCA: round3(rca), Ubiquity: sp.ubiq[l]}
	if ch := s.LinkChain[l]; ch != snapshot.None {
		out.ChainID, out.ChainName = s.Chains[ch].ID, s.Chains[ch].Name
	}
	return out
}

// related returns the specialised links with φ > 0 to l, closest first.
func (sp *space) related(s *snapshot.Snapshot, l int32, spec []int32) []Related {
	var ks []int32
	for _, k := range spec {
		if sp.phi[l][k] > 0 {
			ks = append(ks, k)
		}
	}
	slices.SortStableFunc(ks, func(a, b int32) int {
		return cmp.Or(cmp.Compare(sp.phi[l][b], sp.phi[l][a]), cmp.Compare(s.Links[a].ID, s.Links[b].ID))
	})
	out := []Related{}
	for _, k := range ks {
		if len(out) == maxRelated {
			break
		}
		lk := s.Links[k]
		out = append(out, Related{LinkID: lk.ID, LinkName: lk.Name, LinkEN: lk.NameEN, Phi: round3(sp.phi[l][k])})
	}
	return out
}

// reasons explains a candidate: its relatedness to what the region has, its density,
// the local presence, its importance (and growth) and direct feeds to strengths.
func (sp *space) reasons(s *snapshot.Snapshot, c *Candidate, l int32, m []bool, measure string) []analysis.Reason {
	var rs []analysis.Reason
	phiSum := 0.0
	for _, f := range sp.phi[l] {
		phiSum += f
	}
	switch {
	case len(c.Related) > 0:
		top := c.Related[0].Phi
		zh, en := "弱相关", "weakly related"
		switch {
		case top >= 0.5:
			zh, en = "高度相关", "closely related"
		case top >= 0.25:
			zh, en = "较为相关", "moderately related"
		}
		var zhs, ens []string
		for _, x := range c.Related {
			zhs = append(zhs, x.LinkName)
			ens = append(ens, cmp.Or(x.LinkEN, x.LinkName))
		}
		rs = append(rs, analysis.Reason{Code: "related_to_strength",
			ZH: fmt.Sprintf("与本地已具优势的 %s %s（φ=%.2f）", joinNames(zhs, false), zh, top),
			EN: fmt.Sprintf("%s to %s, where the region already specialises (φ=%.2f)", en, joinNames(ens, true), top)}.
			With("phi", top).With("related_links", float64(len(c.Related))))
	case phiSum == 0:
		rs = append(rs, analysis.Reason{Code: "no_peer_evidence",
			ZH: fmt.Sprintf("%d 个城市级地区中没有地区同时在该环节和其他环节具有比较优势，关联度无法估计", len(sp.units)),
			EN: fmt.Sprintf("none of the %d city-level peers specialises in both this link and another, so its relatedness cannot be estimated", len(sp.units))}.
			With("peers", float64(len(sp.units))).With("ubiquity", float64(c.Ubiquity)))
	default:
		rs = append(rs, analysis.Because("no_related_strength", "本地已具优势的环节都与之不相关（φ=0），缺少承接基础",
			"none of the region's specialised links is related to it (φ=0): no base to build on"))
	}
	rs = append(rs, analysis.Because("density", "关联密度 %.2f：该环节的关联强度中 %.0f%% 落在本地已具优势的环节上",
		"density %.2f: %.0f%% of the link's relatedness (weighted by φ) falls on links the region specialises in",
		c.Density, 100*c.Density).With("density", c.Density))
	switch {
	case c.Value > 0 && measure == Revenue:
		rs = append(rs, analysis.Because("present_not_specialised", "本地该环节企业营收 %.0f 万元，但未形成比较优势（RCA=%.2f < 1）",
			"local firms have %.0f 万元 (¥10k) of revenue in the link, but no comparative advantage (RCA=%.2f < 1)", c.Value, c.RCA).
			With("value", c.Value).With("rca", c.RCA))
	case c.Value > 0:
		rs = append(rs, analysis.Because("present_not_specialised", "本地已有 %.0f 家企业，但未形成比较优势（RCA=%.2f < 1）",
			"%.0f local firm(s), but no comparative advantage (RCA=%.2f < 1)", c.Value, c.RCA).
			With("value", c.Value).With("rca", c.RCA))
	default:
		rs = append(rs, analysis.Because("absent", "本地尚无该环节企业（RCA=0）", "no local activity in the link (RCA=0)").
			With("rca", 0))
	}
	chain := cmp.Or(c.ChainName, "—")
	if c.Growth != 0 {
		rs = append(rs, analysis.Reason{Code: "importance_growth",
			ZH: fmt.Sprintf("在「%s」链中的重要性 %.2f，增长率 %+.0f%%，吸引力 = 重要性 × (1 + 增长率) = %.2f",
				chain, c.Importance, 100*c.Growth, c.Attractiveness),
			EN: fmt.Sprintf("importance %.2f in the %s chain, growth %+.0f%%: attractiveness = importance × (1 + growth) = %.2f",
				c.Importance, chain, 100*c.Growth, c.Attractiveness)}.
			With("importance", c.Importance).With("growth", c.Growth).With("attractiveness", c.Attractiveness))
	} else {
		rs = append(rs, analysis.Reason{Code: "importance",
			ZH: fmt.Sprintf("在「%s」链中的重要性 %.2f（吸引力）", chain, c.Importance),
			EN: fmt.Sprintf("importance %.2f in the %s chain (attractiveness)", c.Importance, chain)}.
			With("importance", c.Importance))
	}
	var ups, downs []int32
	for _, k := range s.FeedsIn[l] {
		if m[k] {
			ups = append(ups, k)
		}
	}
	for _, k := range s.FeedsOut[l] {
		if m[k] {
			downs = append(downs, k)
		}
	}
	if len(ups)+len(downs) > 0 {
		names := func(ls []int32, en bool) string {
			var out []string
			for _, k := range ls {
				if en {
					out = append(out, cmp.Or(s.Links[k].NameEN, s.Links[k].Name))
				} else {
					out = append(out, s.Links[k].Name)
				}
			}
			return joinNames(out, en)
		}
		var zh, en []string
		if len(ups) > 0 {
			zh = append(zh, "上游 "+names(ups, false))
			en = append(en, "upstream "+names(ups, true))
		}
		if len(downs) > 0 {
			zh = append(zh, "下游 "+names(downs, false))
			en = append(en, "downstream "+names(downs, true))
		}
		rs = append(rs, analysis.Reason{Code: "adjacent_to_strength",
			ZH: "与本地优势环节直接衔接（延链）：" + strings.Join(zh, "；"),
			EN: "directly linked to specialised links (extends the chain): " + strings.Join(en, "; ")}.
			With("specialised_upstream", float64(len(ups))).With("specialised_downstream", float64(len(downs))))
	}
	return rs
}

// joinNames lists link names for a reason, the first three then "等"/"etc.".
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

// median returns the median of xs (0 for none), without reordering xs.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	ys := slices.Clone(xs)
	slices.Sort(ys)
	n := len(ys)
	if n%2 == 1 {
		return ys[n/2]
	}
	return (ys[n/2-1] + ys[n/2]) / 2
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }
