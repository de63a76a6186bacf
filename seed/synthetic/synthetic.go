// Package synthetic generates a deterministic, realistic synthetic industrial-chain
// ecosystem of any size and serves it as a graph.Reader.
//
// Every table is regenerated from the seed each time it is read, in key order, so a
// million companies and ten million supply ties stream in O(companies) memory: the
// small tables (regions, chains, links, feeds, leaders) are built by New, company i's
// attributes are a pure function of (seed, i), and the supply generator keeps a few
// per-company arrays (links, size, founding day, out-degree quota, ids) built once on
// first use.
package synthetic

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"iter"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"sync"

	"github.com/chainmap/chainmap/graph"
)

// Provenance is written on every generated record.
const Provenance = "synthetic"

// Limits on the configuration.
const (
	MaxCompanies = 50_000_000
	MaxRegions   = 8000
	MaxChains    = 999
	// MaxSuppliesPerCompany bounds Supplies/Companies; beyond it ties get implausibly dense.
	MaxSuppliesPerCompany = 200
)

// Config sizes the ecosystem.
type Config struct {
	Companies int // number of companies, ≥ 50 and ≥ 20 per chain
	Supplies  int // number of supply ties; met exactly unless the graph cannot hold them
	// Regions is the number of city-level regions, besides one province per ~10 cities.
	// The first city is the home city (the administration using chainmap); it also gets
	// districts and a development zone, where its companies and projects are.
	Regions int
	// Chains is the number of chains, each of 8–14 links in three tiers whose feeds
	// run from upstream to downstream.
	Chains int
	// Projects is the number of investment projects; 0 means Companies/100 and a
	// negative number means none.
	Projects int
	Seed     uint64
}

// Ecosystem is a generated ecosystem. It implements graph.Reader; every method returns
// a fresh iterator that regenerates its table, so iterating twice yields identical
// records. It is safe for concurrent use.
type Ecosystem struct {
	cfg      Config
	projects int

	regions  []graph.Region
	groups   []graph.RegionGroupMember
	clusters []graph.Cluster
	chains   []graph.Chain
	links    []graph.Link
	feeds    []graph.Feed

	linkChain []int
	linkCum   []float64 // cumulative weight of links for a company's primary link
	chainLink [][]int   // links of each chain
	targets   [][]uint16

	hosts     []host // regions holding companies, in code order
	hostStart []int  // first company of each host; len(hosts)+1 entries
	homeHosts []int  // hosts of the home city (districts and zone)
	extCodes  []string

	leaders    map[int]int // company index → chain index
	leaderRecs []graph.Leader
	idStride   uint64

	once sync.Once
	ix   *index
}

// host is a region that companies are registered in, with the company-index ranges
// of its locality (the home city for its districts) and of its province.
type host struct {
	code  string
	place string // short place name used in company names
	local [2]int
	prov  [2]int
}

// New validates cfg and builds the small tables of the ecosystem.
func New(cfg Config) (*Ecosystem, error) {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf("synthetic: "+format, a...)) }
	switch {
	case cfg.Companies < 50:
		bad("Companies is %d, want at least 50", cfg.Companies)
	case cfg.Companies > MaxCompanies:
		bad("Companies is %d, want at most %d", cfg.Companies, MaxCompanies)
	}
	switch {
	case cfg.Chains < 1:
		bad("Chains is %d, want at least 1", cfg.Chains)
	case cfg.Chains > MaxChains:
		bad("Chains is %d, want at most %d", cfg.Chains, MaxChains)
	case cfg.Companies >= 50 && cfg.Companies < 20*cfg.Chains:
		bad("Companies is %d, want at least 20 per chain (%d for %d chains)", cfg.Companies, 20*cfg.Chains, cfg.Chains)
	}
	switch {
	case cfg.Regions < 1:
		bad("Regions is %d, want at least 1", cfg.Regions)
	case cfg.Regions > MaxRegions:
		bad("Regions is %d, want at most %d", cfg.Regions, MaxRegions)
	}
	switch {
	case cfg.Supplies < 0:
		bad("Supplies is %d, want at least 0", cfg.Supplies)
	case cfg.Companies > 0 && cfg.Supplies/MaxSuppliesPerCompany > cfg.Companies:
		bad("Supplies is %d, want at most %d per company (%d)", cfg.Supplies, MaxSuppliesPerCompany,
			MaxSuppliesPerCompany*max(cfg.Companies, 0))
	}
	projects := cfg.Projects
	switch {
	case projects == 0:
		projects = cfg.Companies / 100
	case projects < 0:
		projects = 0
	case projects > 10_000_000:
		bad("Projects is %d, want at most 10000000", cfg.Projects)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	e := &Ecosystem{cfg: cfg, projects: projects}
	e.buildRegions()
	e.buildChains()
	e.placeCompanies()
	e.pickLeaders()
	return e, nil
}

// Config returns the configuration the ecosystem was built with.
func (e *Ecosystem) Config() Config { return e.cfg }

// Table salts keep the random streams of different tables apart.
const (
	saltRegions uint64 = iota + 1
	saltChains
	saltPlace
	saltLeaders
	saltCompany
	saltSupply
	saltProject
	saltID
)

// mix is the splitmix64 finaliser.
func mix(x uint64) uint64 {
	x += 0x9E3779B97F4A7C15
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9
	x = (x ^ (x >> 27)) * 0x94D049BB133111EB
	return x ^ (x >> 31)
}

// rng is a reseedable PCG stream: reset(salt, i) positions it at the start of the
// stream of record i of a table, so records can be regenerated independently.
type rng struct {
	pcg rand.PCG
	*rand.Rand
	seed uint64
}

func newRNG(seed uint64) *rng {
	r := &rng{seed: seed}
	r.Rand = rand.New(&r.pcg)
	return r
}

func (r *rng) reset(salt uint64, i uint64) {
	r.pcg.Seed(mix(r.seed^mix(salt)), mix(i^salt<<56))
}

// lognormal draws exp(mu + sigma·N(0,1)).
func (r *rng) lognormal(mu, sigma float64) float64 { return math.Exp(mu + sigma*r.NormFloat64()) }

// between returns a uniform int in [lo, hi].
func (r *rng) between(lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + r.IntN(hi-lo+1)
}

func pad(n, width int) string {
	s := strconv.Itoa(n)
	for len(s) < width {
		s = "0" + s
	}
	return s
}

func placeName(r *rng) string {
	return placeFirst[r.IntN(len(placeFirst))] + placeSecond[r.IntN(len(placeSecond))]
}

// buildRegions makes provinces, cities, the home city's districts and zone, external
// regions and region groups.
func (e *Ecosystem) buildRegions() {
	r := newRNG(e.cfg.Seed)
	r.reset(saltRegions, 0)
	nCities := e.cfg.Regions
	nProv := min(89, (nCities+9)/10)
	perProv := (nCities + nProv - 1) / nProv
	var regs []graph.Region
	provCode := func(p int) string { return strconv.Itoa(11 + p) }
	city := 0
	for p := 0; p < nProv; p++ {
		pname := placeName(r)
		pc := provCode(p)
		regs = append(regs, graph.Region{Code: pc + "0000", Name: pname + "省", Kind: graph.Province, Provenance: Provenance})
		for c := 0; c < perProv && city < nCities; c++ {
			cname := placeName(r)
			if city == 0 {
				cname = "海州" // the home city
			}
			code := pc + pad(c+1, 2) + "00"
			regs = append(regs, graph.Region{Code: code, Name: cname + "市", ParentCode: pc + "0000", Kind: graph.City, Provenance: Provenance})
			if city == 0 {
				for d, dn := range homeDistricts {
					regs = append(regs, graph.Region{Code: pc + "01" + pad(d+1, 2), Name: dn, ParentCode: code, Kind: graph.District, Provenance: Provenance})
				}
				regs = append(regs, graph.Region{Code: pc + "0171", Name: cname + "经济技术开发区", ParentCode: code, Kind: graph.Zone, Provenance: Provenance})
			}
			city++
		}
	}
	for _, x := range externalRegions {
		regs = append(regs, graph.Region{Code: x.code, Name: x.name, Kind: graph.External, Provenance: Provenance})
		e.extCodes = append(e.extCodes, x.code)
	}
	slices.SortFunc(regs, func(a, b graph.Region) int { return cmp.Compare(a.Code, b.Code) })
	e.regions = regs

	// Groups: economic zones of ~3 provinces each, and the home metropolitan area.
	var groups []graph.RegionGroupMember
	for p := 0; p < nProv; p++ {
		g := p / 3
		groups = append(groups, graph.RegionGroupMember{GroupCode: "G" + pad(g+1, 2), GroupName: "经济协作区" + pad(g+1, 2),
			RegionCode: provCode(p) + "0000", Provenance: Provenance})
	}
	for _, x := range regs {
		if x.Kind == graph.City && x.ParentCode == "110000" && len(groups) < nProv+8 {
			groups = append(groups, graph.RegionGroupMember{GroupCode: "M01", GroupName: "海州都市圈", RegionCode: x.Code, Provenance: Provenance})
		}
	}
	slices.SortFunc(groups, func(a, b graph.RegionGroupMember) int {
		return cmp.Or(cmp.Compare(a.GroupCode, b.GroupCode), cmp.Compare(a.RegionCode, b.RegionCode))
	})
	e.groups = groups
}

// buildChains makes clusters, chains, links and feeds. Within a chain feeds only go
// from a lower tier to a higher one, so each chain's feeds form a DAG.
func (e *Ecosystem) buildChains() {
	r := newRNG(e.cfg.Seed)
	r.reset(saltChains, 0)
	order := r.Perm(len(chainTemplates))
	usedCluster := map[int]bool{}
	type tmplUse struct{ t, round int }
	uses := make([]tmplUse, e.cfg.Chains)
	for c := range uses {
		uses[c] = tmplUse{order[c%len(order)], c / len(order)}
		usedCluster[chainTemplates[uses[c].t].cluster] = true
	}
	clusterID := map[int]string{}
	for k := range clusterNames {
		if usedCluster[k] {
			id := "K" + pad(k+1, 2)
			clusterID[k] = id
			e.clusters = append(e.clusters, graph.Cluster{ID: id, Name: clusterNames[k].name + "产业集群",
				NameEN: clusterNames[k].en + " cluster", Provenance: Provenance})
		}
	}
	type feedKey struct{ from, to int }
	feedSet := map[feedKey]bool{}
	addFeed := func(a, b int) { feedSet[feedKey{a, b}] = true }
	var chainW []float64
	var linkW []float64
	e.chainLink = make([][]int, e.cfg.Chains)
	for c, u := range uses {
		t := chainTemplates[u.t]
		cid := "C" + pad(c+1, 3)
		name, en := t.name, t.en
		if u.round > 0 {
			name += "（" + strconv.Itoa(u.round+1) + "）"
			en += " " + strconv.Itoa(u.round+1)
		}
		e.chains = append(e.chains, graph.Chain{ID: cid, Name: name + "产业链", NameEN: en + " chain",
			ClusterID: clusterID[t.cluster], Key: c < (e.cfg.Chains*2+2)/3, Provenance: Provenance})
		chainW = append(chainW, r.lognormal(0, 0.6))
		var byTier [3][]int
		for k, lt := range t.links {
			li := len(e.links)
			e.links = append(e.links, graph.Link{ID: cid + "-" + pad(k+1, 2), ChainID: cid, Name: lt.name, NameEN: lt.en,
				Tier: lt.tier, Provenance: Provenance})
			e.linkChain = append(e.linkChain, c)
			e.chainLink[c] = append(e.chainLink[c], li)
			tier := slices.Index(graph.Tiers, string(lt.tier))
			byTier[tier] = append(byTier[tier], li)
			linkW = append(linkW, r.lognormal(0, 0.5)*[3]float64{1.2, 1, 0.8}[tier])
		}
		// Each link of tier t+1 takes 1–3 inputs from tier t; every link of tier t
		// feeds at least one link of tier t+1.
		for tier := 0; tier < 2; tier++ {
			from, to := byTier[tier], byTier[tier+1]
			fed := make([]bool, len(from))
			for _, b := range to {
				for n := r.between(1, min(3, len(from))); n > 0; n-- {
					k := r.IntN(len(from))
					fed[k] = true
					addFeed(from[k], b)
				}
			}
			for k, a := range from {
				if !fed[k] {
					addFeed(a, to[r.IntN(len(to))])
				}
			}
		}
		for _, a := range byTier[0] {
			if r.Float64() < 0.15 {
				addFeed(a, byTier[2][r.IntN(len(byTier[2]))])
			}
		}
	}
	// Cross-chain feeds: some upstream/midstream links supply a midstream link of
	// another chain (e.g. chips into vehicles).
	if e.cfg.Chains > 1 {
		for c := range e.cfg.Chains {
			for n := r.IntN(3); n > 0; n-- {
				d := r.IntN(e.cfg.Chains - 1)
				if d >= c {
					d++
				}
				a := e.chainLink[c][r.IntN(len(e.chainLink[c])*2/3)]
				var mids []int
				for _, l := range e.chainLink[d] {
					if e.links[l].Tier == graph.Midstream {
						mids = append(mids, l)
					}
				}
				addFeed(a, mids[r.IntN(len(mids))])
			}
		}
	}
	keys := make([]feedKey, 0, len(feedSet))
	for k := range feedSet {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b feedKey) int { return cmp.Or(cmp.Compare(a.from, b.from), cmp.Compare(a.to, b.to)) })
	e.targets = make([][]uint16, len(e.links))
	for _, k := range keys {
		e.feeds = append(e.feeds, graph.Feed{From: e.links[k.from].ID, To: e.links[k.to].ID, Provenance: Provenance})
		e.targets[k.from] = append(e.targets[k.from], uint16(k.to))
	}
	// Primary-link weights: chain weight spread over its links.
	e.linkCum = make([]float64, len(e.links))
	sum := 0.0
	for c, ls := range e.chainLink {
		lsum := 0.0
		for _, l := range ls {
			lsum += linkW[l]
		}
		for _, l := range ls {
			sum += chainW[c] * linkW[l] / lsum
			e.linkCum[l] = sum
		}
	}
}

// placeCompanies splits the company index range into contiguous blocks, one per
// host region in code order, so company ids (which start with the region code)
// sort like company indices. The home city holds ~45% of the companies.
func (e *Ecosystem) placeCompanies() {
	r := newRNG(e.cfg.Seed)
	r.reset(saltPlace, 0)
	names := map[string]string{}
	for _, x := range e.regions {
		names[x.Code] = x.Name
	}
	var w []float64
	others := 0
	for _, x := range e.regions {
		if x.Kind == graph.City && x.Code != "110100" {
			others++
		}
	}
	// Other cities get Zipf-like weights in random rank order, more in the home province.
	ranks := r.Perm(max(others, 1))
	oi := 0
	homeShare := 0.45
	if others == 0 {
		homeShare = 1
	}
	for _, x := range e.regions {
		switch {
		case x.Code == "110100", x.Kind == graph.Province, x.Kind == graph.External:
			continue
		case x.Kind == graph.District || x.Kind == graph.Zone:
			e.homeHosts = append(e.homeHosts, len(e.hosts))
			e.hosts = append(e.hosts, host{code: x.Code, place: "海州"})
			w = append(w, r.lognormal(0, 0.4))
		default:
			e.hosts = append(e.hosts, host{code: x.Code, place: rune2(names[x.Code])})
			zw := 1 / float64(ranks[oi]+1)
			if x.ParentCode == "110000" {
				zw *= 3
			}
			oi++
			w = append(w, zw)
		}
	}
	var homeW, otherW float64
	for i, h := range e.hosts {
		if h.code[:4] == "1101" {
			homeW += w[i]
		} else {
			otherW += w[i]
		}
	}
	for i, h := range e.hosts {
		if h.code[:4] == "1101" {
			w[i] *= homeShare / homeW
		} else {
			w[i] *= (1 - homeShare) / otherW
		}
	}
	n := e.cfg.Companies
	e.hostStart = make([]int, len(e.hosts)+1)
	cum := 0.0
	for i := range e.hosts {
		cum += w[i]
		e.hostStart[i+1] = min(n, int(math.Round(float64(n)*cum)))
	}
	e.hostStart[len(e.hosts)] = n
	for i := range e.hosts {
		h := &e.hosts[i]
		lo, hi := i, i+1
		if h.code[:4] == "1101" {
			lo, hi = e.homeHosts[0], e.homeHosts[len(e.homeHosts)-1]+1
		}
		h.local = [2]int{e.hostStart[lo], e.hostStart[hi]}
		plo, phi := i, i+1
		for plo > 0 && e.hosts[plo-1].code[:2] == h.code[:2] {
			plo--
		}
		for phi < len(e.hosts) && e.hosts[phi].code[:2] == h.code[:2] {
			phi++
		}
		h.prov = [2]int{e.hostStart[plo], e.hostStart[phi]}
	}
	// Ids: body = i·stride + jitter, strictly increasing in i.
	const space = 26439622160671 // 31^9
	e.idStride = space / uint64(n+1)
}

// rune2 returns the first two runes of a place name (its name without 市).
func rune2(s string) string {
	r := []rune(s)
	return string(r[:min(2, len(r))])
}

// hostOf returns the host region of company i.
func (e *Ecosystem) hostOf(i int) int {
	h, _ := slices.BinarySearch(e.hostStart, i+1)
	return h - 1
}

// pickLeaders chooses 1–3 big firms per chain, mostly in the home city.
func (e *Ecosystem) pickLeaders() {
	r := newRNG(e.cfg.Seed)
	r.reset(saltLeaders, 0)
	e.leaders = map[int]int{}
	home := [2]int{e.hostStart[e.homeHosts[0]], e.hostStart[e.homeHosts[len(e.homeHosts)-1]+1]}
	for c := range e.chains {
		k := 1 + r.IntN(3)
		for range k {
			for tries := 0; tries < 100; tries++ {
				var i int
				if r.Float64() < 0.7 && home[1] > home[0] {
					i = home[0] + r.IntN(home[1]-home[0])
				} else {
					i = r.IntN(e.cfg.Companies)
				}
				if _, taken := e.leaders[i]; !taken {
					e.leaders[i] = c
					break
				}
			}
		}
	}
	for i, c := range e.leaders {
		e.leaderRecs = append(e.leaderRecs, graph.Leader{CompanyID: e.companyID(i), ChainID: e.chains[c].ID, Provenance: Provenance})
	}
	slices.SortFunc(e.leaderRecs, func(a, b graph.Leader) int {
		return cmp.Or(cmp.Compare(a.CompanyID, b.CompanyID), cmp.Compare(a.ChainID, b.ChainID))
	})
}

// usccAlphabet and usccWeights follow GB 32100-2015 (as graph/uscc.go).
const usccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// appendID appends company i's 统一社会信用代码: "91", its region code, a 9-character
// body increasing with i, and the check character.
func (e *Ecosystem) appendID(dst []byte, i int, regionCode string) []byte {
	var b [18]byte
	b[0], b[1] = '9', '1'
	copy(b[2:8], regionCode)
	body := uint64(i)*e.idStride + mix(e.cfg.Seed^saltID<<40^uint64(i))%e.idStride
	for k := 16; k >= 8; k-- {
		b[k] = usccAlphabet[body%31]
		body /= 31
	}
	sum := 0
	for k := 0; k < 17; k++ {
		c := b[k]
		v := int(c - '0')
		if c > '9' {
			v = alphaValue[c]
		}
		sum += v * usccWeights[k]
	}
	b[17] = usccAlphabet[(31-sum%31)%31]
	return append(dst, b[:]...)
}

var alphaValue = func() (t [256]int) {
	for i := 0; i < len(usccAlphabet); i++ {
		t[usccAlphabet[i]] = i
	}
	return
}()

// companyID returns company i's id.
func (e *Ecosystem) companyID(i int) string {
	return string(e.appendID(make([]byte, 0, 18), i, e.hosts[e.hostOf(i)].code))
}

// ---- small tables ----

func sliceSeq[T any](ctx context.Context, s []T) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for _, x := range s {
			if err := ctx.Err(); err != nil {
				var zero T
				yield(zero, err)
				return
			}
			if !yield(x, nil) {
				return
			}
		}
	}
}

// Regions streams the regions in code order.
func (e *Ecosystem) Regions(ctx context.Context) iter.Seq2[graph.Region, error] {
	return sliceSeq(ctx, e.regions)
}

// RegionGroups streams region-group members by (group_code, region_code).
func (e *Ecosystem) RegionGroups(ctx context.Context) iter.Seq2[graph.RegionGroupMember, error] {
	return sliceSeq(ctx, e.groups)
}

// Clusters streams the clusters in id order.
func (e *Ecosystem) Clusters(ctx context.Context) iter.Seq2[graph.Cluster, error] {
	return sliceSeq(ctx, e.clusters)
}

// Chains streams the chains in id order.
func (e *Ecosystem) Chains(ctx context.Context) iter.Seq2[graph.Chain, error] {
	return sliceSeq(ctx, e.chains)
}

// Links streams the links in id order.
func (e *Ecosystem) Links(ctx context.Context) iter.Seq2[graph.Link, error] {
	return sliceSeq(ctx, e.links)
}

// Feeds streams the link feeds by (from, to).
func (e *Ecosystem) Feeds(ctx context.Context) iter.Seq2[graph.Feed, error] {
	return sliceSeq(ctx, e.feeds)
}

// Leaders streams the chain leaders by (company_id, chain_id).
func (e *Ecosystem) Leaders(ctx context.Context) iter.Seq2[graph.Leader, error] {
	return sliceSeq(ctx, e.leaderRecs)
}

var _ graph.Reader = (*Ecosystem)(nil)
