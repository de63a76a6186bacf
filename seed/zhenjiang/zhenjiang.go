// Package zhenjiang builds the 镇江 (Zhenjiang) demo dataset: the city's four
// clusters and eight key chains (四群八链 / 876) with their 86 researched links, the
// 41 real firms named in the sources, and a clearly labelled synthetic layer — local
// and outside firms, supply ties and 招商 projects — that makes every analysis show
// something.
//
// What is real and what is not:
//   - Regions, clusters, chains, links, feeds, the 41 real firms (ids ZJ-REAL-001…)
//     and their 链主 records carry the provenance of the research they come from.
//   - Every synthetic firm has provenance exactly "synthetic", an id SYN-L-… (local),
//     SYN-X-… (outside) or a minted 统一社会信用代码, and a name ending in （模拟）.
//   - Every supply tie is synthetic. Projects are synthetic but reproduce the
//     articles' aggregates exactly (see projects.go); their provenance says which.
//
// The local presence is designed per link (see plan in design.go) so that each
// chain shows strong, weak, missing and broken (断链) links for the city as a whole,
// with district specialities: 扬中 power equipment, 丹阳 medical devices, alloys and
// eyewear, 经开区 aviation and new energy, 高新区 ships and IT, 丹徒 vehicles.
//
// Dataset is deterministic: all randomness comes from fixed-seed generators and all
// dates are fixed (the reference day is 2025-11-01).
package zhenjiang

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/chainmap/chainmap/graph"
)

// asOf is the reference day: no stage date is on or after it.
const asOf graph.Date = "2025-11-01"

// synthetic is the provenance of every synthetic firm, company link and supply tie.
const synthetic = "synthetic"

// Dataset returns the Zhenjiang demo dataset. Each call builds a fresh copy.
func Dataset() *graph.Dataset {
	b := newBuilder()
	b.structure()
	b.realFirms()
	b.syntheticFirms(newRand(1))
	b.supplies(newRand(2))
	b.projects(newRand(3))
	return b.ds
}

// builder holds the dataset under construction and the indexes generators share.
type builder struct {
	ds       *graph.Dataset
	links    []linkFact // all links, key chains first, then 眼镜
	linkByID map[string]linkFact
	chainOf  map[string]string   // link id → chain id
	keyLink  map[string]bool     // link is on a key chain
	plan     map[string]linkPlan // link id → design
	feeders  map[string][]string // link id → links feeding it, in feed order
	local    map[string][]int    // link id → indexes in ds.Companies of local firms
	outside  map[string][]int    // link id → indexes in ds.Companies of outside firms
	leader   map[string]bool     // company id → is a chain leader
	anchor   map[string]bool     // company id → a chain leader or a named anchor firm (anchorFirms)
	names    map[string]bool     // firm names in use
	ids      map[string]bool     // firm ids in use
	nLocal   int                 // synthetic local firms minted so far
	nOut     int                 // synthetic outside firms minted so far
}

func newBuilder() *builder {
	b := &builder{
		ds:       &graph.Dataset{},
		linkByID: map[string]linkFact{},
		chainOf:  map[string]string{},
		keyLink:  map[string]bool{},
		plan:     map[string]linkPlan{},
		feeders:  map[string][]string{},
		local:    map[string][]int{},
		outside:  map[string][]int{},
		leader:   map[string]bool{},
		anchor:   map[string]bool{},
		names:    map[string]bool{},
		ids:      map[string]bool{},
	}
	b.links = append(append([]linkFact{}, linkFacts...), eyewearLinks...)
	for _, l := range b.links {
		b.linkByID[l.ID] = l
		b.chainOf[l.ID] = l.Chain
		b.keyLink[l.ID] = l.Chain != eyewearChain.ID
		for _, to := range l.Feeds {
			b.feeders[to] = append(b.feeders[to], l.ID)
		}
	}
	for _, p := range plan {
		b.plan[p.Link] = p
	}
	return b
}

// newRand returns the fixed-seed generator of one generation step, so that changing
// one step does not reshuffle the others.
func newRand(stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(0x5a68656e6a69616e, stream))
}

// structure adds regions, groups, clusters, chains, links and feeds.
func (b *builder) structure() {
	d := b.ds
	d.Regions = append(d.Regions, regions...)
	d.RegionGroups = regionGroups()
	d.Clusters = append(append(d.Clusters, clusters...), eyewearCluster)
	d.Chains = append(append(d.Chains, chains...), eyewearChain)
	for _, l := range b.links {
		prov := linkProv
		if !b.keyLink[l.ID] {
			prov = eyewearProv
		}
		d.Links = append(d.Links, graph.Link{ID: l.ID, ChainID: l.Chain, Name: l.Name, NameEN: l.NameEN, Tier: l.Tier,
			Role: l.Role, Provenance: prov + "; " + roleProv})
		for _, to := range l.Feeds {
			d.Feeds = append(d.Feeds, graph.Feed{From: l.ID, To: to, Provenance: prov})
		}
	}
}

// anchorFirms are the real firms the sources describe as the anchor (龙头) of their
// link without calling them 链主; the synthetic supply network makes them, like the
// declared leaders, hubs that many suppliers sell to.
var anchorFirms = map[string]string{
	"中船动力镇江有限公司":       "representative firm of 中速柴油机 (domestic market share 70%)",
	"孚能科技（镇江）有限公司":     "经开区新能源产业龙头企业 (source)",
	"大全集团":             "largest power-equipment firm in 扬中 (source: 输配电设备)",
	"航天海鹰（镇江）特种材料有限公司": "lead C919 composite supplier (50% of C919 composite structural parts)",
	"江苏天奈科技股份有限公司":     "listed (688116), carbon-nanotube conductive paste maker named for the 高性能材料 chain",
}

// anchorScale is the sourced scale of anchor firms, where a source gives one.
var anchorScale = map[string]struct {
	wan   float64
	basis string
}{
	"孚能科技（镇江）有限公司": {1280000, "2023 产值 128亿 (source: w54.net article on 经开区新能源产业), used as scale"},
}

// realFirms adds the firms named in the sources with their links and 链主 records.
func (b *builder) realFirms() {
	d := b.ds
	for i, f := range realFirms {
		id := fmt.Sprintf("ZJ-REAL-%03d", i+1)
		b.ids[id], b.names[f.Name] = true, true
		co := graph.Company{ID: id, Name: f.Name, RegionCode: f.Region, Tags: f.Tags, Provenance: f.Prov}
		if sc, ok := anchorScale[f.Name]; ok {
			co.RevenueWan, co.Provenance = sc.wan, co.Provenance+"; revenue: "+sc.basis
		}
		d.Companies = append(d.Companies, co)
		if _, ok := anchorFirms[f.Name]; ok || f.Leader {
			b.anchor[id] = true
		}
		if f.Link != "" {
			d.CompanyLinks = append(d.CompanyLinks, graph.CompanyLink{CompanyID: id, LinkID: f.Link, Products: f.Products, Provenance: f.LinkProv})
			b.local[f.Link] = append(b.local[f.Link], len(d.Companies)-1)
		}
		if f.Leader {
			d.Leaders = append(d.Leaders, graph.Leader{CompanyID: id, ChainID: f.Chain, Provenance: f.LeaderBasis})
			b.leader[id] = true
		}
	}
}

// syntheticFirms adds, per planned link, its local firms in the chain's favoured
// districts and its outside firms (more where the city is short).
func (b *builder) syntheticFirms(r *rand.Rand) {
	for _, p := range plan {
		chain := b.chainOf[p.Link]
		for range p.Local {
			b.addFirm(r, p, pick(r, chainDistricts[chain]), true)
		}
	}
	for _, p := range plan {
		for range outsideFirms[p.Status] {
			b.addFirm(r, p, pick(r, outsideFirmRegions), false)
		}
	}
}

// Name parts of synthetic firms: brand syllables and legal forms.
var (
	brand1 = []rune("瑞华恒中金宏新博天鼎汇盛联嘉远卓立拓科晨东润安信德永正海澳捷")
	brand2 = []rune("丰泰通源达辰合创鑫宇诚业邦力驰晟锐明升峰川航凯森祥盈越兴成")
	forms  = []string{"有限公司", "科技有限公司", "股份有限公司", "技术有限公司"}
)

// addFirm mints one synthetic firm of link p in region, with its company link.
func (b *builder) addFirm(r *rand.Rand, p linkPlan, region string, local bool) {
	place := placeName[region]
	form := forms[r.IntN(len(forms))]
	if region == codeGermany || region == codeJapan {
		form = "公司"
	}
	var name string
	for {
		name = place + string(brand1[r.IntN(len(brand1))]) + string(brand2[r.IntN(len(brand2))]) + p.Word + form + "（模拟）"
		if !b.names[name] {
			break
		}
	}
	b.names[name] = true

	tier := b.linkByID[p.Link].Tier
	median := map[graph.Tier]float64{graph.Upstream: 12000, graph.Midstream: 20000, graph.Downstream: 8000}[tier]
	if !local {
		median *= 3 // outside suppliers are the larger firms a city courts
	}
	// Revenue is log-normal around the median, in whole 万元.
	rev := math.Round(math.Min(5e6, math.Max(100, median*math.Exp(r.NormFloat64()*1.1))))
	c := graph.Company{
		Name:       name,
		RegionCode: region,
		RevenueWan: rev,
		Employees:  max(10, int(rev/(60+120*r.Float64()))),
		FoundedOn:  randDate(r, "1995-01-01", "2021-12-31"),
		Tags:       firmTags(r, rev, tier, region),
		Provenance: synthetic,
	}
	c.ID = b.firmID(r, region, local)
	b.ds.Companies = append(b.ds.Companies, c)
	b.ds.CompanyLinks = append(b.ds.CompanyLinks, graph.CompanyLink{CompanyID: c.ID, LinkID: p.Link, Products: p.Word, Provenance: synthetic})
	idx := len(b.ds.Companies) - 1
	if local {
		b.local[p.Link] = append(b.local[p.Link], idx)
	} else {
		b.outside[p.Link] = append(b.outside[p.Link], idx)
	}
}

// usccAlphabet is the character set of 统一社会信用代码.
const usccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// firmID returns a SYN- id, or for about a fifth of mainland firms a minted
// 统一社会信用代码 (91 + six-digit region + "MA" + 7 random characters + check), so
// imports see both kinds of id. Zone firms use the city's code.
func (b *builder) firmID(r *rand.Rand, region string, local bool) string {
	for {
		var id string
		gb := len(region) == 6 && region != codeHongKong
		if gb && r.Float64() < 0.2 {
			code := region
			if region == codeJKQ || region == codeGXQ {
				code = codeCity
			}
			first := "91" + code + "MA"
			for range 7 {
				first += string(usccAlphabet[r.IntN(len(usccAlphabet))])
			}
			id = first + string(graph.USCCCheckChar(first))
		} else if local {
			b.nLocal++
			id = fmt.Sprintf("SYN-L-%04d", b.nLocal)
		} else {
			b.nOut++
			id = fmt.Sprintf("SYN-X-%04d", b.nOut)
		}
		if !b.ids[id] {
			b.ids[id] = true
			return id
		}
	}
}

// firmTags draws a few plausible labels, in vocabulary order.
func firmTags(r *rand.Rand, rev float64, tier graph.Tier, region string) []graph.Tag {
	// Makers (upstream and midstream) earn the technology labels more often.
	pSME, pHighTech := 0.15, 0.4
	if tier == graph.Downstream {
		pSME, pHighTech = 0.05, 0.15
	}
	has := map[graph.Tag]bool{}
	if r.Float64() < pSME {
		has["专精特新"] = true
		has["小巨人"] = r.Float64() < 0.3
	}
	has["高新技术企业"] = r.Float64() < pHighTech
	has["上市"] = rev >= 300000 && r.Float64() < 0.4
	has["外资"] = isForeignSource(region)
	has["瞪羚"] = r.Float64() < 0.04
	has["规上"] = rev >= 2000 // 规上: revenue ≥ 2000万
	var tags []graph.Tag
	for _, v := range graph.TagVocabulary {
		if has[v.Tag] {
			tags = append(tags, v.Tag)
		}
	}
	return tags
}

// pick draws a code with probability proportional to its weight.
func pick(r *rand.Rand, ws []weighted) string {
	total := 0.0
	for _, w := range ws {
		total += w.w
	}
	x := r.Float64() * total
	for _, w := range ws {
		if x < w.w {
			return w.code
		}
		x -= w.w
	}
	return ws[len(ws)-1].code
}

// addDays returns d shifted by n days.
func addDays(d graph.Date, n int) graph.Date {
	return graph.DateOf(d.Time().AddDate(0, 0, n))
}

// randDate draws a day in [from, to].
func randDate(r *rand.Rand, from, to graph.Date) graph.Date {
	days := int(to.Time().Sub(from.Time()) / (24 * time.Hour))
	return addDays(from, r.IntN(days+1))
}

// maxDate returns the later of two dates.
func maxDate(a, b graph.Date) graph.Date {
	if a > b {
		return a
	}
	return b
}
