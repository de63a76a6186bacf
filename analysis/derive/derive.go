// Package derive builds an industrial chain (产业链) from a product knowledge graph
// (graph/productkg): the chain of a root product and the raw materials it is made of.
//
// # Rules
//
//   - Root: a product name, matched exactly (after name cleaning) or else as the only
//     product whose name contains it; several candidates fail with an error listing
//     them (shortest first).
//   - Product groups: unless Options.NoSubProducts, each link stands for a product
//     group, the product plus its direct sub-products (产品小类) that no earlier link
//     claimed. The group's companies are the link's companies and its members' raw
//     materials are the link's inputs ("锂电池" gathers 锂电池电芯, 锂电池正极材料 …).
//     A product belongs to one link only: the first to claim it in breadth-first order.
//   - Links: breadth first from the root, level by level, up to depth levels of raw
//     materials; a link's inputs are visited in name order. Options.MaxLinks (default
//     DefaultMaxLinks) stops adding links; the materials left out are counted in
//     Result.Skipped.
//   - Feeds: material → product, one per pair of links (within a group none). The
//     feed that first reached a link is added first, so these form a tree; every
//     other feed is added in discovery order unless it would close a cycle, in which
//     case it is dropped and the cycle reported in Result.Cycles. The chain is a DAG.
//   - Tiers by level (distance from the root): the root is downstream, the deepest
//     level reached is upstream, the levels between are midstream. With depth 1 there
//     is no midstream; a chain of the root alone is downstream only.
//   - Ids: the chain is "KG-" + the first 8 hex digits of the SHA-1 of the root name;
//     a link is the chain id + "-" + 8 hex digits of the SHA-1 of its product name, so
//     ids are stable across runs and data versions and unique across derived chains.
//   - Companies: every maker of a group member, as a graph.Company with id the
//     ticker ("300750.SZ"), name the full name (else short name) and, the data having
//     no location, region Options.RegionCode, or by default the placeholder region
//     UnknownRegion (kind external) added to the dataset. Each company gets one
//     CompanyLink per link, Products listing its group products with their revenue
//     shares ("锂电池电解液 12.0%").
//   - Provenance: "chainkg: " + the product path from the root (root ← material ← …).
//   - Cluster: Options.ClusterID when set (it must exist in the store), else the
//     cluster DefaultCluster added to the dataset.
package derive

import (
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/graph/productkg"
)

// Defaults.
const (
	DefaultMaxLinks = 200
	MaxDepth        = 10
	// UnknownRegion is the placeholder region of listed companies, whose location
	// the knowledge graph does not give.
	UnknownRegion     = "KG-UNKNOWN"
	UnknownRegionName = "地区未知(上市公司) unknown region"
	DefaultCluster    = "KG"
	DefaultClusterNm  = "知识图谱衍生 derived from product KG"
)

// Options tune the derivation; the zero value is the default.
type Options struct {
	NoSubProducts bool    // links are single products, sub-products are not merged
	MaxLinks      int     // 0: DefaultMaxLinks
	MinShare      float64 // leave out makers whose share of revenue in a group is below this
	ChainID       string  // "" : "KG-" + hash of the root
	ChainName     string  // "" : root + "产业链"
	ClusterID     string  // "" : DefaultCluster, added to the dataset
	RegionCode    string  // "" : UnknownRegion, added to the dataset
}

// Node is one link of the derived chain.
type Node struct {
	LinkID    string
	Name      string
	Tier      graph.Tier
	Level     int
	Path      []string // product names from the root to this link's product
	Group     []string // the product and its merged sub-products
	Inputs    []string // link ids feeding this link
	Companies []Maker  // largest share first
}

// Maker is a company attached to a link.
type Maker struct {
	CompanyID string
	Name      string
	Products  string  // group products with shares
	Share     float64 // largest share among its group products
}

// Result is a derived chain.
type Result struct {
	Dataset   *graph.Dataset
	Root      string
	ChainID   string
	Links     int
	Feeds     int
	Companies int
	Cycles    []string // feeds dropped because they closed a cycle, as "a → b → … → a"
	Skipped   int      // materials not added once MaxLinks was reached
	Nodes     []Node   // in breadth-first order, root first
}

// ResolveRoot finds the root product: an exact name or a unique substring.
func ResolveRoot(kg *productkg.KG, root string) (int, error) {
	if i, ok := kg.ProductIndex(root); ok {
		return i, nil
	}
	c := kg.Find(root)
	switch len(c) {
	case 0:
		return -1, fmt.Errorf("derive: no product named or containing %q", root)
	case 1:
		return c[0], nil
	}
	const show = 20
	names := make([]string, 0, show)
	for _, i := range c[:min(show, len(c))] {
		names = append(names, kg.Products[i].Name)
	}
	more := ""
	if len(c) > show {
		more = fmt.Sprintf(" … and %d more", len(c)-show)
	}
	return -1, fmt.Errorf("derive: %q is ambiguous, %d products contain it: %s%s", root, len(c),
		strings.Join(names, "、"), more)
}

type link struct {
	head    int // product index
	level   int
	members []int
	parent  int // link index that first reached it, -1 for the root
	id      string
	inputs  []int
}

// Chain derives the chain of root up to depth levels of raw materials.
func Chain(kg *productkg.KG, root string, depth int, opts Options) (*Result, error) {
	if kg == nil {
		return nil, errors.New("derive: no knowledge graph")
	}
	if depth < 0 || depth > MaxDepth {
		return nil, fmt.Errorf("derive: depth %d out of range 0…%d", depth, MaxDepth)
	}
	ri, err := ResolveRoot(kg, root)
	if err != nil {
		return nil, err
	}
	maxLinks := opts.MaxLinks
	if maxLinks <= 0 {
		maxLinks = DefaultMaxLinks
	}
	rootName := kg.Products[ri].Name
	chainID := opts.ChainID
	if chainID == "" {
		chainID = "KG-" + hash(rootName, 8)
	}

	var links []link
	owner := map[int]int{} // product → link index
	claim := func(p, level, parent int) int {
		li := len(links)
		l := link{head: p, level: level, parent: parent, members: []int{p}}
		owner[p] = li
		if !opts.NoSubProducts {
			for _, s := range kg.Products[p].SubProducts {
				if _, taken := owner[s]; !taken {
					owner[s] = li
					l.members = append(l.members, s)
				}
			}
		}
		links = append(links, l)
		return li
	}
	claim(ri, 0, -1)

	type edge struct{ from, to int } // link indices, material → product
	var tree, extra []edge
	seenEdge := map[edge]bool{}
	skipped := 0
	for li := 0; li < len(links); li++ {
		var mats []int
		for _, m := range links[li].members {
			mats = append(mats, kg.Products[m].Materials...)
		}
		slices.Sort(mats)
		mats = slices.Compact(mats)
		for _, q := range mats {
			from, ok := owner[q]
			if !ok {
				if links[li].level >= depth {
					continue
				}
				if len(links) >= maxLinks {
					skipped++
					continue
				}
				from = claim(q, links[li].level+1, li)
				tree = append(tree, edge{from, li})
				seenEdge[edge{from, li}] = true
				continue
			}
			e := edge{from, li}
			if from == li || seenEdge[e] {
				continue
			}
			seenEdge[e] = true
			extra = append(extra, e)
		}
	}

	// Feeds: tree edges, then the others unless they close a cycle.
	out := make([][]int, len(links)) // adjacency from → to
	reach := func(a, b int) []int {  // path a … b along out, or nil
		prev := map[int]int{a: -1}
		queue := []int{a}
		for len(queue) > 0 {
			x := queue[0]
			queue = queue[1:]
			if x == b {
				var path []int
				for y := b; y != -1; y = prev[y] {
					path = append(path, y)
				}
				slices.Reverse(path)
				return path
			}
			for _, y := range out[x] {
				if _, seen := prev[y]; !seen {
					prev[y] = x
					queue = append(queue, y)
				}
			}
		}
		return nil
	}
	var feeds []edge
	for _, e := range tree {
		out[e.from] = append(out[e.from], e.to)
		feeds = append(feeds, e)
	}
	var cycles []string
	for _, e := range extra {
		if p := reach(e.to, e.from); p != nil {
			names := []string{kg.Products[links[e.from].head].Name}
			for _, x := range p {
				names = append(names, kg.Products[links[x].head].Name)
			}
			cycles = append(cycles, strings.Join(names, " → "))
			continue
		}
		out[e.from] = append(out[e.from], e.to)
		feeds = append(feeds, e)
	}

	// Ids, tiers, paths.
	maxLevel := 0
	for _, l := range links {
		maxLevel = max(maxLevel, l.level)
	}
	usedID := map[string]bool{}
	for i := range links {
		l := &links[i]
		name := kg.Products[l.head].Name
		for n := 8; ; n += 4 {
			l.id = chainID + "-" + hash(name, n)
			if !usedID[l.id] || n >= 40 {
				break
			}
		}
		usedID[l.id] = true
	}
	tier := func(level int) graph.Tier {
		switch {
		case level == 0:
			return graph.Downstream
		case level == maxLevel:
			return graph.Upstream
		}
		return graph.Midstream
	}
	path := func(li int) []string {
		var p []string
		for x := li; x >= 0; x = links[x].parent {
			p = append(p, kg.Products[links[x].head].Name)
		}
		slices.Reverse(p)
		return p
	}

	regionCode := opts.RegionCode
	clusterID := opts.ClusterID
	ds := &graph.Dataset{}
	if regionCode == "" {
		regionCode = UnknownRegion
		ds.Regions = []graph.Region{{Code: UnknownRegion, Name: UnknownRegionName, Kind: graph.External,
			Provenance: "chainkg: listed companies without location"}}
	}
	if clusterID == "" {
		clusterID = DefaultCluster
		ds.Clusters = []graph.Cluster{{ID: DefaultCluster, Name: DefaultClusterNm, Provenance: "chainkg"}}
	}
	chainName := opts.ChainName
	if chainName == "" {
		chainName = rootName + "产业链"
	}
	ds.Chains = []graph.Chain{{ID: chainID, Name: truncate(chainName, graph.MaxNameLen), ClusterID: clusterID,
		Provenance: "chainkg: " + rootName}}

	res := &Result{Dataset: ds, Root: rootName, ChainID: chainID, Cycles: cycles, Skipped: skipped}
	companySeen := map[int]bool{}
	var companyIdx []int
	for i, l := range links {
		prov := "chainkg: " + strings.Join(path(i), " ← ")
		ds.Links = append(ds.Links, graph.Link{ID: l.id, ChainID: chainID, Name: truncate(kg.Products[l.head].Name, graph.MaxNameLen),
			Tier: tier(l.level), Provenance: truncate(prov, graph.MaxTextLen)})
		n := Node{LinkID: l.id, Name: kg.Products[l.head].Name, Tier: tier(l.level), Level: l.level, Path: path(i)}
		for _, m := range l.members {
			n.Group = append(n.Group, kg.Products[m].Name)
		}
		// Makers of the group, merged per company.
		byCompany := map[int]*Maker{}
		var order []int
		for _, m := range l.members {
			for _, mk := range kg.Products[m].Makers {
				if mk.Share < opts.MinShare {
					continue
				}
				c := &kg.Companies[mk.Company]
				x, ok := byCompany[mk.Company]
				if !ok {
					x = &Maker{CompanyID: c.Ticker(), Name: c.DisplayName()}
					byCompany[mk.Company] = x
					order = append(order, mk.Company)
				} else {
					x.Products += "；"
				}
				x.Products += kg.Products[m].Name + " " + strconv.FormatFloat(mk.Share*100, 'f', 1, 64) + "%"
				x.Share = max(x.Share, mk.Share)
			}
		}
		for _, ci := range order {
			n.Companies = append(n.Companies, *byCompany[ci])
			if !companySeen[ci] {
				companySeen[ci] = true
				companyIdx = append(companyIdx, ci)
			}
		}
		slices.SortStableFunc(n.Companies, func(a, b Maker) int {
			switch {
			case a.Share > b.Share:
				return -1
			case a.Share < b.Share:
				return 1
			}
			return strings.Compare(a.CompanyID, b.CompanyID)
		})
		for _, mk := range n.Companies {
			ds.CompanyLinks = append(ds.CompanyLinks, graph.CompanyLink{CompanyID: mk.CompanyID, LinkID: l.id,
				Products: truncate(mk.Products, graph.MaxTextLen), Provenance: truncate(prov, graph.MaxTextLen)})
		}
		res.Nodes = append(res.Nodes, n)
	}
	for _, e := range feeds {
		res.Nodes[e.to].Inputs = append(res.Nodes[e.to].Inputs, links[e.from].id)
		ds.Feeds = append(ds.Feeds, graph.Feed{From: links[e.from].id, To: links[e.to].id,
			Provenance: truncate("chainkg: "+feedEvidence(kg, links[e.to].members, links[e.from].members), graph.MaxTextLen)})
	}
	slices.Sort(companyIdx)
	for _, ci := range companyIdx {
		c := &kg.Companies[ci]
		ds.Companies = append(ds.Companies, graph.Company{ID: c.Ticker(), Name: truncate(c.DisplayName(), graph.MaxNameLen),
			RegionCode: regionCode, Provenance: "chainkg: " + c.Ticker() + " " + c.Name})
	}
	res.Links, res.Feeds, res.Companies = len(ds.Links), len(ds.Feeds), len(ds.Companies)
	return res, nil
}

// feedEvidence names the first material edge behind a feed: "product 上游材料 material".
func feedEvidence(kg *productkg.KG, products, materials []int) string {
	for _, p := range products {
		for _, m := range materials {
			if _, ok := slices.BinarySearch(kg.Products[p].Materials, m); ok {
				return kg.Products[p].Name + " 上游材料 " + kg.Products[m].Name
			}
		}
	}
	return ""
}

func hash(s string, n int) string {
	h := sha1.Sum([]byte(s))
	return hex.EncodeToString(h[:])[:min(n, 40)]
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
