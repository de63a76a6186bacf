package zhenjiang

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/chainmap/chainmap/graph"
)

// The article figures the projects reproduce exactly (investment in 万元).
const (
	ceremonyDate    graph.Date = "2023-07-14"
	ceremonyCount              = 27 // projects signed at the 2023-07-14 ceremony
	ceremonyOnChain            = 21 // of them on 四群八链 (77.8%)

	h1y24Count = 221      // 2024 H1 亿元以上 projects
	h1y24Wan   = 10946000 // 1094.6亿
	h1y24Chain = 172      // on-chain by count: 77.8%

	h1y25Count      = 267      // 2025 H1 亿元以上 projects
	h1y25Wan        = 11588000 // 1158.8亿
	h1y25Chain      = 206      // on-chain by count: 77.2%
	h1y25GBACount   = 20       // from 大湾区
	h1y25GBAWan     = 1150000  // 115亿 (9.9%)
	h1y25ForeignWan = 962000   // 96.2亿 = 8.3% (> 8%), 香港 included

	yiWan = 10000 // 1亿元 in 万元
)

const (
	provCeremony = "synthetic: reproduces the 2023-07-14 signing ceremony (27 projects, 21 on 四群八链)"
	provH1y24    = "synthetic: reproduces 2024 H1 亿元以上 projects (221 projects, 1094.6亿)"
	provH1y25    = "synthetic: reproduces 2025 H1 亿元以上 projects (267 projects, 1158.8亿; 大湾区 20 projects 115亿; foreign > 8%)"
	provOther    = "synthetic: background project (no article figure)"
)

// sourceGroup is a block of projects with a fixed count and exact total whose
// sources come from one pool; blocks make group aggregates exact.
type sourceGroup struct {
	n    int
	wan  int64
	pool []weighted
}

// stageMix is the chance of each target stage: signed, started, producing,
// at_capacity, dropped. A target later than the calendar allows is cut back.
type stageMix [5]float64

var (
	mix2023   = stageMix{0.06, 0.24, 0.40, 0.24, 0.06}
	mixH1y24  = stageMix{0.12, 0.40, 0.36, 0.07, 0.05}
	mixH2y24  = stageMix{0.20, 0.45, 0.28, 0.02, 0.05}
	mixH1y25  = stageMix{0.42, 0.43, 0.12, 0, 0.03}
	mixH2y25  = stageMix{0.70, 0.30, 0, 0, 0}
	stageList = []graph.Stage{graph.Signed, graph.Started, graph.Producing, graph.AtCapacity, graph.Dropped}
)

// projects adds the article batches, background signings and the 在谈 pipeline.
func (b *builder) projects(r *rand.Rand) {
	b.ceremony(r)
	b.background(r, "P2023-%03d", 60, "2023-01-01", "2023-12-31", mix2023)
	b.halfYear(r, "P2024H1-%03d", "2024-01-01", "2024-06-30", h1y24Chain, mixH1y24, provH1y24, []sourceGroup{
		{2, 90000, hongKongSource},
		{16, 700000, gbaMainlandSources},
		{9, 620000, overseasSources},
		{h1y24Count - 27, h1y24Wan - 90000 - 700000 - 620000, domesticSources},
	})
	b.background(r, "P2024H2-%03d", 120, "2024-07-01", "2024-12-31", mixH2y24)
	b.halfYear(r, "P2025H1-%03d", "2025-01-01", "2025-06-30", h1y25Chain, mixH1y25, provH1y25, []sourceGroup{
		{3, 180000, hongKongSource}, // 大湾区 and foreign
		{h1y25GBACount - 3, h1y25GBAWan - 180000, gbaMainlandSources},
		{11, h1y25ForeignWan - 180000, overseasSources},
		{h1y25Count - h1y25GBACount - 11, h1y25Wan - h1y25GBAWan - (h1y25ForeignWan - 180000), domesticSources},
	})
	b.background(r, "P2025H2-%03d", 50, "2025-07-01", "2025-10-31", mixH2y25)
	b.pipeline(r, 40)
}

// ceremony adds the 27 projects signed on 2023-07-14, exactly 21 on a key chain.
func (b *builder) ceremony(r *rand.Rand) {
	onChain := exactFlags(r, ceremonyCount, ceremonyOnChain)
	for i := range ceremonyCount {
		inv := roundTo(math.Max(5000, 30000*math.Exp(r.NormFloat64())), 1000)
		b.addProject(r, fmt.Sprintf("P2023-0714-%02d", i+1), ceremonyDate, inv, anySource(r), onChain[i], mix2023, provCeremony)
	}
}

// halfYear adds one article half-year: every project ≥ 1亿, exact totals per source
// group, exactly chain projects on a key chain, signed on random days of the half.
func (b *builder) halfYear(r *rand.Rand, idf string, from, to graph.Date, chain int, mix stageMix, prov string, groups []sourceGroup) {
	type item struct {
		wan  int64
		pool []weighted
	}
	var items []item
	for _, g := range groups {
		for _, w := range splitExact(r, g.n, g.wan, yiWan, 1000) {
			items = append(items, item{w, g.pool})
		}
	}
	r.Shuffle(len(items), func(i, j int) { items[i], items[j] = items[j], items[i] })
	onChain := exactFlags(r, len(items), chain)
	for i, it := range items {
		b.addProject(r, fmt.Sprintf(idf, i+1), randDate(r, from, to), it.wan, it.pool, onChain[i], mix, prov)
	}
}

// background adds signings outside the article windows, of any size (some below
// 1亿), about 77% on a key chain. The ceremony day is left to the ceremony.
func (b *builder) background(r *rand.Rand, idf string, n int, from, to graph.Date, mix stageMix) {
	for i := range n {
		signed := randDate(r, from, to)
		for signed == ceremonyDate {
			signed = randDate(r, from, to)
		}
		inv := roundTo(math.Max(1000, 15000*math.Exp(r.NormFloat64())), 100)
		b.addProject(r, fmt.Sprintf(idf, i+1), signed, inv, anySource(r), r.Float64() < 0.77, mix, provOther)
	}
}

// pipeline adds 在谈 projects (no dates); like all projects they favour 补链 targets.
func (b *builder) pipeline(r *rand.Rand, n int) {
	for i := range n {
		inv := roundTo(math.Max(3000, 25000*math.Exp(r.NormFloat64())), 500)
		b.addProject(r, fmt.Sprintf("PNEG-%03d", i+1), "", inv, anySource(r), r.Float64() < 0.85, stageMix{}, provOther)
	}
}

// anySource draws a source pool the way background projects arrive: mostly
// mainland non-大湾区, some 大湾区, a few foreign.
func anySource(r *rand.Rand) []weighted {
	switch x := r.Float64(); {
	case x < 0.78:
		return domesticSources
	case x < 0.90:
		return gbaMainlandSources
	case x < 0.93:
		return hongKongSource
	default:
		return overseasSources
	}
}

// linkWeight favours 补链 and 强链 targets when drawing a project's link.
var linkWeight = map[Status]float64{Broken: 3, Missing: 2.5, Weak: 2, Moderate: 1.5, Strong: 1.5}

// Off-chain project themes; about a third of off-chain projects go to 眼镜 instead.
var offChainThemes = []string{"现代物流园", "商贸综合体", "文旅度假区", "食品加工", "新型建材", "精细化工", "纺织服装"}

var projectSuffixes = []string{"生产基地", "智能制造", "研发中心", "扩能", "产业园", "区域总部"}

// addProject draws the link, landing district, source, optional company, name and
// stage of one project and appends it. An empty signed date makes it 在谈.
func (b *builder) addProject(r *rand.Rand, id string, signed graph.Date, wan int64, pool []weighted, onChain bool, mix stageMix, prov string) {
	p := graph.Project{ID: id, InvestmentWan: wan, SignedOn: signed, Provenance: prov}
	theme, suffix := "", ""
	switch {
	case onChain:
		p.LinkID = b.pickLink(r, true, signed)
	case r.Float64() < 0.35:
		p.LinkID = b.pickLink(r, false, signed)
	default:
		theme = offChainThemes[r.IntN(len(offChainThemes))]
	}
	if p.LinkID != "" {
		p.RegionCode = pick(r, chainDistricts[b.chainOf[p.LinkID]])
		theme, suffix = b.plan[p.LinkID].Word, projectSuffixes[r.IntN(len(projectSuffixes))]
	} else {
		p.RegionCode = localUnits[r.IntN(len(localUnits))]
	}
	// Some projects are brought by a known outside firm of the link from the pool.
	if p.LinkID != "" && r.Float64() < 0.4 {
		var cands []int
		for _, ci := range b.outside[p.LinkID] {
			if slices.ContainsFunc(pool, func(w weighted) bool { return w.code == b.ds.Companies[ci].RegionCode }) {
				cands = append(cands, ci)
			}
		}
		if len(cands) > 0 {
			c := b.ds.Companies[cands[r.IntN(len(cands))]]
			p.CompanyID, p.SourceRegionCode = c.ID, c.RegionCode
		}
	}
	if p.SourceRegionCode == "" {
		p.SourceRegionCode = pick(r, pool)
	}
	p.Foreign = isForeignSource(p.SourceRegionCode)
	if p.CompanyID != "" { // the firm's short name already says what it makes
		p.Name = shortName(b.companyName(p.CompanyID)) + suffix + "项目（模拟）"
	} else {
		p.Name = placeName[p.SourceRegionCode] + theme + suffix + "项目（模拟）"
	}
	if signed == "" {
		p.Stage = graph.Negotiating
	} else {
		progress(r, &p, mix)
	}
	if st := b.plan[p.LinkID].Status; p.LinkID != "" && (st == Broken || st == Missing) {
		holdAtSigned(&p)
	}
	b.ds.Projects = append(b.ds.Projects, p)
}

// gapsFrom is when the demo's 补链 drive starts: projects signed earlier went to
// links the city already had (a project there that had broken ground would have
// closed the gap); those in talks or signed since favour the gaps.
const gapsFrom graph.Date = "2025-07-01"

// pickLink draws a link on a key chain (key) or on the non-key 眼镜 chain for a
// project signed on signed ("" = in talks).
func (b *builder) pickLink(r *rand.Rand, key bool, signed graph.Date) string {
	var ws []weighted
	for _, p := range plan {
		if b.keyLink[p.Link] == key {
			w := linkWeight[p.Status]
			if (p.Status == Broken || p.Status == Missing) && signed != "" && signed < gapsFrom {
				w = 0
			}
			ws = append(ws, weighted{p.Link, w})
		}
	}
	return pick(r, ws)
}

func (b *builder) companyName(id string) string {
	for _, c := range b.ds.Companies {
		if c.ID == id {
			return c.Name
		}
	}
	return ""
}

// shortName drops the legal form and the （模拟） mark from a synthetic firm name.
func shortName(name string) string {
	name = strings.TrimSuffix(name, "（模拟）")
	for _, f := range []string{"股份有限公司", "科技有限公司", "技术有限公司", "有限公司", "公司"} {
		if s, ok := strings.CutSuffix(name, f); ok {
			return s
		}
	}
	return name
}

// progress sets plans and the stage reached by asOf: started 3 weeks to 9 months
// after signing, producing 6–18 months later, at capacity 6–14 months after that.
// Projects still only signed whose planned start has passed are the lagging ones.
func progress(r *rand.Rand, p *graph.Project, mix stageMix) {
	p.PlannedStartOn = addDays(p.SignedOn, 30+r.IntN(150))
	p.PlannedProduceOn = addDays(p.PlannedStartOn, 240+r.IntN(360))
	target := drawStage(r, mix)
	steps := []struct {
		date *graph.Date
		gap  int
	}{
		{&p.StartedOn, 20 + r.IntN(250)},
		{&p.ProducingOn, 180 + r.IntN(360)},
		{&p.AtCapacityOn, 180 + r.IntN(240)},
	}
	p.Stage = graph.Signed
	if target == graph.Dropped {
		p.Stage = graph.Dropped
		if d := addDays(p.SignedOn, steps[0].gap); r.Float64() < 0.4 && d < asOf {
			p.StartedOn = d // dropped after breaking ground
		}
		return
	}
	prev := p.SignedOn
	for i, s := range steps {
		d := addDays(prev, s.gap)
		if graph.StageRank(target) < i+2 || d >= asOf {
			return
		}
		*s.date, prev, p.Stage = d, d, stageList[i+1]
	}
}

// holdAtSigned keeps a project in a designed gap at 签约: a project that had broken
// ground there would be local presence and the gap would be closed. 补链 projects in
// a gap are what the demo shows as work in progress (and, once their planned start
// has passed, as lagging).
func holdAtSigned(p *graph.Project) {
	switch p.Stage {
	case graph.Started, graph.Producing, graph.AtCapacity:
		p.Stage = graph.Signed
		p.StartedOn, p.ProducingOn, p.AtCapacityOn = "", "", ""
	case graph.Dropped:
		p.StartedOn = "" // dropped before breaking ground
	}
}

// drawStage draws a target stage from a mix.
func drawStage(r *rand.Rand, mix stageMix) graph.Stage {
	x := r.Float64()
	for i, w := range mix {
		if x < w {
			return stageList[i]
		}
		x -= w
	}
	return graph.Signed
}

// splitExact splits total into n amounts, each at least least and a multiple of
// step above it, with log-normal spread; the sum is exact.
func splitExact(r *rand.Rand, n int, total, least, step int64) []int64 {
	spare := total - int64(n)*least
	if spare < 0 || spare%step != 0 {
		panic(fmt.Sprintf("zhenjiang: cannot split %d into %d amounts ≥ %d in steps of %d", total, n, least, step))
	}
	units := spare / step
	w := make([]float64, n)
	sum := 0.0
	for i := range w {
		w[i] = math.Exp(r.NormFloat64())
		sum += w[i]
	}
	out := make([]int64, n)
	frac := make([]float64, n)
	var used int64
	for i := range w {
		x := w[i] / sum * float64(units)
		k := int64(math.Floor(x))
		out[i], frac[i], used = k, x-float64(k), used+k
	}
	// Largest remainders get the leftover units.
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case frac[a] > frac[b]:
			return -1
		case frac[a] < frac[b]:
			return 1
		}
		return 0
	})
	for i := int64(0); i < units-used; i++ {
		out[order[i%int64(n)]]++
	}
	for i := range out {
		out[i] = least + out[i]*step
	}
	return out
}

// exactFlags returns n flags of which exactly k are true, in random order.
func exactFlags(r *rand.Rand, n, k int) []bool {
	f := make([]bool, n)
	for i := range k {
		f[i] = true
	}
	r.Shuffle(n, func(i, j int) { f[i], f[j] = f[j], f[i] })
	return f
}

// roundTo rounds x to a multiple of step.
func roundTo(x float64, step int64) int64 {
	return int64(math.Round(x/float64(step))) * step
}
