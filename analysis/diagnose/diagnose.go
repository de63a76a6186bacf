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
	// MinDemandEvidence: the dependency is judged only when the local purchases of
	// the link on record weigh at least this much as evidence (each current tie
	// weighs snapshot.TieWeight: 0.5–1 observed, 0–0.5 inferred); less leaves the
	// dependency unknown (数据不足), never 0.
	MinDemandEvidence float64 `json:"min_demand_evidence"`
	// StrongFirms: a present link with at least this many local firms is a cluster
	// (集聚), one kind of capacity a strong link needs.
	StrongFirms int `json:"strong_firms"`
	// StrongRevenueWan: local revenue in the link (万元) at or above which the link
	// has the scale of a strong link without an anchor firm.
	StrongRevenueWan float64 `json:"strong_revenue_wan"`
}

// DefaultParams: one local firm is a single point of failure, so a link needs two to
// be more than weak; a link whose local buyers get most (60%+) of it from outside is
// weak however many firms it has; two observed ties (evidence ≥ 1.5) are the least
// evidence of a dependency, while six inferred ties at the default confidence only
// just reach it. A strong link needs capacity: five local firms (a cluster), an
// anchor firm, or 10亿元 of local revenue; two small firms and no purchase data are
// not evidence of strength.
func DefaultParams() Params {
	return Params{WeakBelowFirms: 2, WeakAboveDependency: 0.6, MinDemandEvidence: 1.5, StrongFirms: 5, StrongRevenueWan: 100000}
}

// AnchorTags are the credentials that make a local firm an anchor (龙头) of its
// link: the scale or specialisation a strong link is built on.
var AnchorTags = []graph.Tag{"500强", "央企", "上市", "单项冠军", "小巨人", "专精特新", "独角兽"}

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

// FirmRef names a firm in a result. A firm present through a project (see
// snapshot.Plant) carries the project's id, name, stage and start date.
type FirmRef struct {
	CompanyID   string      `json:"company_id"`
	Name        string      `json:"name"`
	RevenueWan  float64     `json:"revenue_wan,omitempty"`
	Tags        []graph.Tag `json:"tags,omitempty"`
	ProjectID   string      `json:"project_id,omitempty"`
	ProjectName string      `json:"project_name,omitempty"`
	Stage       graph.Stage `json:"stage,omitempty"`
	Since       graph.Date  `json:"since,omitempty"`
}

// LinkResult is one link's verdict and the numbers behind it.
type LinkResult struct {
	LinkID   string     `json:"link_id"`
	LinkName string     `json:"link_name"`
	LinkEN   string     `json:"link_name_en,omitempty"`
	Tier     graph.Tier `json:"tier"`
	Status   Status     `json:"status"`
	// LocalCompanies is the number of firms local to the region operating in the
	// link, counting a firm present only through a started, producing or
	// at-capacity project (Projects of them) once.
	LocalCompanies  int     `json:"local_companies"`
	Projects        int     `json:"projects"`
	LocalRevenueWan float64 `json:"local_revenue_wan"`
	// Anchors are the local firms with an AnchorTag or a declared leadership.
	Anchors int `json:"anchors"`
	// LocalDemandTies is the number of current ties on which local firms buy the
	// link, LocalDemandEvidence their weight as evidence (Σ snapshot.TieWeight),
	// LocalDemandWan their known amount, and InferredOnly says none is observed.
	LocalDemandTies     int     `json:"local_demand_ties"`
	LocalDemandEvidence float64 `json:"local_demand_evidence"`
	LocalDemandWan      float64 `json:"local_demand_wan"`
	InferredOnly        bool    `json:"inferred_only,omitempty"`
	// ExternalDependency is the share of that demand supplied from outside the
	// region, weighted by evidence: by amount when every tie's amount is known, else
	// by ties. It is null (unknown, 数据不足) when the evidence is below
	// Params.MinDemandEvidence.
	ExternalDependency *float64 `json:"external_dependency"`
	DependencyBasis    string   `json:"dependency_basis"` // "amount", "ties" or "none"
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
	d := &diagnoser{s: s, p: p, within: s.Within(r), extra: extra, leader: map[int32]bool{}, anchorTags: tagMask(AnchorTags)}
	for _, ls := range s.ChainLeaders {
		for _, c := range ls {
			d.leader[c] = true
		}
	}
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
	leader map[int32]bool // declared leaders of any chain
	// anchorTags is AnchorTags as a snapshot.TagSet.
	anchorTags snapshot.TagSet
}

// tagMask turns tags into a snapshot.TagSet (bit i = graph.TagVocabulary[i]).
func tagMask(tags []graph.Tag) snapshot.TagSet {
	var m snapshot.TagSet
	for i, v := range graph.TagVocabulary {
		if slices.Contains(tags, v.Tag) {
			m |= 1 << i
		}
	}
	return m
}

// local reports whether company c counts as in the region, including a what-if move.
func (d *diagnoser) local(c int32) bool {
	if d.extra != nil && d.extra.company == c {
		return d.within[d.extra.district]
	}
	return d.within[d.s.Companies[c].Region]
}

// presence is what the region has in one link.
type presence struct {
	firms, projects, anchors int
	revenue                  float64
	list                     []FirmRef // largest first, at most 10
	plants                   []FirmRef // firms present through a project, all
	anchorList               []FirmRef
}

// isAnchor reports whether company c anchors a link: an AnchorTag or a declared
// leadership of any chain.
func (d *diagnoser) isAnchor(c int32) bool {
	return d.s.Companies[c].Tags&d.anchorTags != 0 || d.leader[c]
}

// maxFirmsListed bounds LinkResult.Firms.
const maxFirmsListed = 10

// presence counts the local firms in link l (those located in the region, and those
// with a started, producing or at-capacity project in it), their revenue and
// anchors, and lists the largest.
func (d *diagnoser) presence(l int32) presence {
	var pr presence
	located := d.s.LinkCompanies[l] // sorted
	// top keeps the largest located firms, revenue descending, ties by index.
	var top []int32
	keep := func(c int32) {
		rev := d.s.Companies[c].RevenueWan
		i := len(top)
		for i > 0 && d.s.Companies[top[i-1]].RevenueWan < rev {
			i--
		}
		if i < maxFirmsListed {
			top = slices.Insert(top, i, c)
			if len(top) > maxFirmsListed {
				top = top[:maxFirmsListed]
			}
		}
	}
	ref := func(c int32) FirmRef {
		co := &d.s.Companies[c]
		return FirmRef{CompanyID: co.ID, Name: co.Name, Tags: co.Tags.Tags()}
	}
	anchor := func(c int32) {
		if d.isAnchor(c) {
			pr.anchors++
			if len(pr.anchorList) < 3 {
				pr.anchorList = append(pr.anchorList, ref(c))
			}
		}
	}
	for _, c := range located {
		if d.local(c) {
			pr.firms++
			pr.revenue += d.s.Companies[c].RevenueWan
			anchor(c)
			keep(c)
		}
	}
	for _, c := range top {
		r := ref(c)
		r.RevenueWan = d.s.Companies[c].RevenueWan
		pr.list = append(pr.list, r)
	}
	var viaPlant []int32 // companies already counted through a plant
	for _, pi := range d.s.PlantsIn(l) {
		pl := &d.s.Plants[pi]
		if !d.within[pl.Region] {
			continue
		}
		pj := &d.s.Projects[pl.Project]
		r := FirmRef{Name: pj.Name, ProjectID: pj.ID, ProjectName: pj.Name, Stage: pl.Stage, Since: pl.Since}
		pr.projects++
		if c := pl.Company; c != snapshot.None {
			co := &d.s.Companies[c]
			r.CompanyID, r.Name, r.Tags = co.ID, co.Name, co.Tags.Tags()
			_, isLocated := slices.BinarySearch(located, c)
			if !(isLocated && d.local(c)) && !slices.Contains(viaPlant, c) {
				// Present only through its project: a firm of its own, without its
				// group's revenue.
				viaPlant = append(viaPlant, c)
				pr.firms++
				anchor(c)
				pr.list = append(pr.list, r)
			}
		} else {
			pr.firms++ // the project's own firm, not in the company table
			pr.list = append(pr.list, r)
		}
		pr.plants = append(pr.plants, r)
	}
	if x := d.extra; x != nil && x.link == l && d.within[x.district] {
		if x.company == snapshot.None {
			pr.firms++ // a new firm: no revenue known yet
			pr.list = append(pr.list, FirmRef{CompanyID: "", Name: "（拟落地企业 / proposed firm）"})
		} else if _, isLocated := slices.BinarySearch(located, x.company); !(isLocated && d.local(x.company)) &&
			!slices.Contains(viaPlant, x.company) {
			pr.firms++
			pr.revenue += d.s.Companies[x.company].RevenueWan
			anchor(x.company)
			r := ref(x.company)
			r.RevenueWan = d.s.Companies[x.company].RevenueWan
			pr.list = append(pr.list, r)
		}
	}
	sort.SliceStable(pr.list, func(i, j int) bool { return pr.list[i].RevenueWan > pr.list[j].RevenueWan })
	if len(pr.list) > maxFirmsListed {
		pr.list = pr.list[:maxFirmsListed]
	}
	return pr
}

// demand is what local firms buy of one link on current ties.
type demand struct {
	ties, observed        int
	weight, outsideWeight float64 // Σ TieWeight
	wan                   float64
	wWan, outsideWWan     float64 // Σ TieWeight × amount
	unknownAmounts        int
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
			w := snapshot.TieWeight(t)
			x := &dm[t.Link]
			x.ties++
			if t.Evidence != graph.Inferred {
				x.observed++
			}
			x.weight += w
			x.wan += float64(t.AmountWan)
			x.wWan += w * float64(t.AmountWan)
			if t.AmountWan <= 0 {
				x.unknownAmounts++
			}
			if !d.local(t.Supplier) {
				x.outsideWeight += w
				x.outsideWWan += w * float64(t.AmountWan)
			}
		}
	}
	return dm
}

// dependency returns the evidence-weighted outside share of a link's demand and its
// basis, or nil when the evidence is below min (unknown, not 0).
func (x demand) dependency(min float64) (*float64, string) {
	var v float64
	switch {
	case x.ties == 0 || x.weight < min || x.weight == 0:
		return nil, "none"
	case x.unknownAmounts == 0 && x.wWan > 0:
		v = round3(x.outsideWWan / x.wWan)
		return &v, "amount"
	default:
		v = round3(x.outsideWeight / x.weight)
		return &v, "ties"
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
// as fully dependent and an unknown dependency as half.
func priority(imp float64, st Status, dep *float64) float64 {
	x := 0.5
	switch {
	case st == Missing || st == Broken:
		x = 1
	case dep != nil:
		x = *dep
	}
	return round3(imp * statusWeight[st] * (0.5 + 0.5*x))
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
	pres := make([]presence, len(links))
	results := make([]LinkResult, len(links))
	for i, l := range links {
		lk := s.Links[l]
		pres[i] = d.presence(l)
		present[l] = pres[i].firms > 0
		dep, basis := dm[l].dependency(d.p.MinDemandEvidence)
		results[i] = LinkResult{LinkID: lk.ID, LinkName: lk.Name, LinkEN: lk.NameEN, Tier: lk.Tier,
			LocalCompanies: pres[i].firms, Projects: pres[i].projects, LocalRevenueWan: pres[i].revenue,
			Anchors: pres[i].anchors, LocalDemandTies: dm[l].ties, LocalDemandEvidence: round3(dm[l].weight),
			LocalDemandWan: dm[l].wan, InferredOnly: dm[l].ties > 0 && dm[l].observed == 0,
			ExternalDependency: dep, DependencyBasis: basis, UpstreamLinks: len(sh.up[l]),
			DownstreamLinks: len(sh.down[l]), Betweenness: round3(sh.btw[l]), Firms: pres[i].list,
			Importance: importance(len(links), len(sh.down[l]), sh.btw[l], maxBtw)}
	}
	totalImp, presentImp := 0.0, 0.0
	for i, l := range links {
		lr := &results[i]
		lr.Status, lr.Reasons = d.verdict(l, lr, &pres[i], dm[l], sh, present)
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

// linkNames names links for reasons in Chinese or English.
func (d *diagnoser) linkNames(ls []int32, en bool) string {
	var out []string
	for _, x := range ls {
		if n := d.s.Links[x].NameEN; en && n != "" {
			out = append(out, n)
		} else {
			out = append(out, d.s.Links[x].Name)
		}
	}
	return joinNames(out, en)
}

// path names the links of a path in order, joined by arrows.
func (d *diagnoser) path(ls []int32, en bool) string {
	var out []string
	for _, x := range ls {
		out = append(out, d.linkNames([]int32{x}, en))
	}
	return strings.Join(out, " → ")
}

// cut finds, for the absent link l, the present upstream links that can no longer
// reach a present downstream link through present links of the chain (pairs, nearest
// upstream first), and otherwise one bypass: a present path from a present upstream
// link to a present downstream one that avoids l.
func (d *diagnoser) cut(l int32, ch int32, up, down []int32, present map[int32]bool) (pairs [][2]int32, bypass []int32) {
	s := d.s
	for _, u := range up {
		// Breadth-first over present links only, remembering the way back.
		prev := map[int32]int32{u: snapshot.None}
		queue := []int32{u}
		for len(queue) > 0 {
			x := queue[0]
			queue = queue[1:]
			for _, y := range s.FeedsOut[x] {
				if _, ok := prev[y]; ok || y == l || s.LinkChain[y] != ch || !present[y] {
					continue
				}
				prev[y] = x
				queue = append(queue, y)
			}
		}
		for _, v := range down {
			if _, ok := prev[v]; !ok {
				pairs = append(pairs, [2]int32{u, v})
			} else if bypass == nil {
				for x := v; x != snapshot.None; x = prev[x] {
					bypass = append(bypass, x)
				}
				slices.Reverse(bypass)
			}
		}
	}
	return pairs, bypass
}

// verdict applies the status rules to one link and says why.
func (d *diagnoser) verdict(l int32, lr *LinkResult, pr *presence, dm demand, sh chainShape, present map[int32]bool) (Status, []analysis.Reason) {
	var rs []analysis.Reason
	inferredNote := func(r analysis.Reason) analysis.Reason {
		if lr.InferredOnly {
			r.ZH += "（依据均为推断的供应关系，未经观察证实）"
			r.EN += " (based on inferred ties only, none observed)"
			r = r.With("inferred_only", 1)
		}
		return r
	}
	if lr.LocalCompanies == 0 {
		rs = append(rs, analysis.Because("no_local_firm", "本地没有企业从事该环节，也没有已开工、投产或达效的项目",
			"no local company operates in this link and no project in it has started, is producing or at capacity"))
		if dm.ties > 0 {
			rs = append(rs, inferredNote(analysis.Because("bought_from_outside",
				"本地企业通过 %d 条供应关系从区外采购该环节产品", "local firms buy it from outside on %d supply ties", dm.ties).
				With("local_demand_ties", float64(dm.ties))))
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
		if len(presentUp) == 0 || len(presentDown) == 0 {
			return Missing, rs
		}
		ch := d.s.LinkChain[l]
		pairs, bypass := d.cut(l, ch, presentUp, presentDown, present)
		if len(pairs) == 0 {
			rs = append(rs, analysis.Reason{Code: "bypassed",
				ZH: fmt.Sprintf("该环节缺失未使本地链条断开：本地上游与下游仍经其他环节相连（%s）", d.path(bypass, false)),
				EN: fmt.Sprintf("the gap does not cut the local chain: local upstream and downstream are still joined (%s)",
					d.path(bypass, true))}.
				With("bypass_links", float64(len(bypass))))
			return Missing, rs
		}
		// Grouped by upstream link: "U 与 D1、D2 之间".
		var zh, en []string
		var ups []int32
		downs := map[int32][]int32{}
		for _, p := range pairs {
			if downs[p[0]] == nil {
				ups = append(ups, p[0])
			}
			downs[p[0]] = append(downs[p[0]], p[1])
		}
		for _, u := range ups[:min(2, len(ups))] {
			zh = append(zh, d.linkNames([]int32{u}, false)+" 与 "+d.linkNames(downs[u], false))
			en = append(en, d.linkNames([]int32{u}, true)+" and "+d.linkNames(downs[u], true))
		}
		more, moreEN := "", ""
		if len(ups) > 2 {
			more, moreEN = fmt.Sprintf("等（共 %d 对）", len(pairs)), fmt.Sprintf(" (%d pairs in all)", len(pairs))
		}
		rs = append(rs, analysis.Reason{Code: "cuts_local_chain",
			ZH: fmt.Sprintf("该环节缺失使本地链条断开：%s%s 之间再无经本地环节的通路", strings.Join(zh, "；"), more),
			EN: fmt.Sprintf("the gap cuts the local chain: %s%s are no longer joined through local links",
				strings.Join(en, "; "), moreEN)}.
			With("cut_pairs", float64(len(pairs))))
		return Broken, rs
	}

	if pr.projects > 0 {
		var zh, en []string
		for _, x := range pr.plants[:min(3, len(pr.plants))] {
			since, sinceEN := "", ""
			if x.Since != "" {
				since, sinceEN = "，"+string(x.Since)+" 开工", ", started "+string(x.Since)
			}
			zh = append(zh, fmt.Sprintf("%s（%s，%s%s）", x.ProjectName, x.ProjectID, stageZH[x.Stage], since))
			en = append(en, fmt.Sprintf("%s (%s, %s%s)", x.ProjectName, x.ProjectID, stageEN[x.Stage], sinceEN))
		}
		rs = append(rs, analysis.Reason{Code: "local_projects",
			ZH: fmt.Sprintf("本地有 %d 个已开工/投产/达效的项目在该环节：%s", pr.projects, strings.Join(zh, "；")),
			EN: fmt.Sprintf("%d project(s) in this link have started or are producing locally: %s", pr.projects, strings.Join(en, "; "))}.
			With("projects", float64(pr.projects)))
	}
	weak := false
	if lr.LocalCompanies < d.p.WeakBelowFirms {
		weak = true
		rs = append(rs, analysis.Because("few_local_firms", "本地仅 %d 家企业（少于 %d 家即为弱链）",
			"only %d local firm(s) (fewer than %d makes a link weak)", lr.LocalCompanies, d.p.WeakBelowFirms).
			With("local_companies", float64(lr.LocalCompanies)))
	}
	basis := map[string][2]string{"amount": {"按金额", "by amount"}, "ties": {"按供应关系数", "by number of ties"}}[lr.DependencyBasis]
	dep := lr.ExternalDependency
	if dep != nil && *dep > d.p.WeakAboveDependency {
		weak = true
		rs = append(rs, inferredNote(analysis.Reason{Code: "external_dependency",
			ZH: fmt.Sprintf("本地企业对该环节的采购有 %.0f%% 来自区外（%s，%d 条现行供应关系；高于 %.0f%% 即为弱链）",
				100**dep, basis[0], dm.ties, 100*d.p.WeakAboveDependency),
			EN: fmt.Sprintf("%.0f%% of local purchases of this link come from outside (%s, %d current ties; above %.0f%% is weak)",
				100**dep, basis[1], dm.ties, 100*d.p.WeakAboveDependency)}.
			With("external_dependency", *dep).With("local_demand_ties", float64(dm.ties))))
	}
	if weak {
		return Weak, rs
	}
	if d.p.StrongFirms <= 0 || lr.LocalCompanies < d.p.StrongFirms {
		rs = append(rs, analysis.Because("enough_local_firms", "本地有 %d 家企业", "%d local firms", lr.LocalCompanies).
			With("local_companies", float64(lr.LocalCompanies)))
	}
	// Strength needs evidence of capacity or of local supply: two firms and no data
	// prove nothing.
	evidence := false
	if d.p.StrongFirms > 0 && lr.LocalCompanies >= d.p.StrongFirms {
		evidence = true
		rs = append(rs, analysis.Because("local_cluster", "本地 %d 家企业形成集聚（达到 %d 家）",
			"%d local firms form a cluster (%d or more)", lr.LocalCompanies, d.p.StrongFirms).
			With("local_companies", float64(lr.LocalCompanies)))
	}
	if pr.anchors > 0 {
		evidence = true
		var names []string
		for _, x := range pr.anchorList[:min(3, len(pr.anchorList))] {
			names = append(names, x.Name)
		}
		rs = append(rs, analysis.Because("anchor_firms", "有 %d 家龙头、上市或专精特新企业（%s）",
			"%d anchor firm(s): leading, listed or specialised (%s)", pr.anchors, strings.Join(names, "、")).
			With("anchors", float64(pr.anchors)))
	}
	if pr.revenue >= d.p.StrongRevenueWan && d.p.StrongRevenueWan > 0 {
		evidence = true
		rs = append(rs, analysis.Because("local_scale", "本地企业该环节合计年营收 %.1f 亿元（达到 %.0f 亿元即具规模）",
			"local firms' annual revenue ¥%.2f bn (¥%.1f bn or more is scale)", pr.revenue/10000, d.p.StrongRevenueWan/10000).
			With("local_revenue_wan", pr.revenue))
	}
	if dep != nil {
		evidence = true
		rs = append(rs, inferredNote(analysis.Reason{Code: "local_supply",
			ZH: fmt.Sprintf("本地采购中 %.0f%% 由本地企业供应（%s，%d 条现行供应关系）", 100*(1-*dep), basis[0], dm.ties),
			EN: fmt.Sprintf("%.0f%% of local purchases are supplied locally (%s, %d current ties)", 100*(1-*dep), basis[1], dm.ties)}.
			With("external_dependency", *dep)))
	} else {
		rs = append(rs, analysis.Because("little_demand_data", "外部依赖：数据不足（本地采购记录 %d 条，不足以评估）",
			"external dependency: unknown (%d local purchases on record, too few to judge)", dm.ties).
			With("local_demand_ties", float64(dm.ties)))
	}
	if !evidence {
		rs = append(rs, analysis.Because("unproven_strength",
			"无龙头或专精特新企业、未成集聚、营收未达规模且采购数据不足：数据不足以认定为强链，按弱链对待",
			"no anchor firm, fewer firms than a cluster, revenue below scale and too little purchase data: not enough evidence to call it strong, so it counts as weak"))
		return Weak, rs
	}
	return Strong, rs
}

var stageZH = map[graph.Stage]string{graph.Started: "开工", graph.Producing: "投产", graph.AtCapacity: "达效"}
var stageEN = map[graph.Stage]string{graph.Started: "started", graph.Producing: "producing", graph.AtCapacity: "at capacity"}

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
