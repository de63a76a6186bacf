package graph

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Origin says where a dataset's records came from, so problems can name the file
// and row an official must fix. Rows[t][i] is the 1-based source row of record i.
type Origin struct {
	Files map[Table]string
	Rows  map[Table][]int
	// Problems found while reading the file (unreadable numbers, unknown headers);
	// Check reports them with its own.
	Problems []Problem
}

// Locate fills a problem's file and row from the origin, if known.
func (o *Origin) Locate(p *Problem) {
	if o == nil {
		return
	}
	if f, ok := o.Files[p.Table]; ok && p.File == "" {
		p.File = f
	}
	if rows := o.Rows[p.Table]; p.Index >= 0 && p.Index < len(rows) && p.Row == 0 {
		p.Row = rows[p.Index]
	}
}

func (o *Origin) row(t Table, i int) string {
	if o != nil {
		if rows := o.Rows[t]; i < len(rows) {
			return strconv.Itoa(rows[i])
		}
	}
	return "#" + strconv.Itoa(i+1)
}

// Check validates every record of ds on its own, then against the other records of
// ds and the stored data lk: keys are unique, references resolve (in ds or in the
// store), the region hierarchy has no cycle and each chain's feeds stay a DAG. It
// returns every problem found, located by origin when given; the error is only for
// failures to read the store.
func Check(ctx context.Context, ds *Dataset, lk Lookup, origin *Origin) ([]Problem, error) {
	c := checker{ds: ds, lk: lk, origin: origin}
	if origin != nil {
		c.out = append(c.out, origin.Problems...)
	}
	c.records()
	c.keys()
	if err := c.references(ctx); err != nil {
		return nil, err
	}
	if err := c.regionCycles(ctx); err != nil {
		return nil, err
	}
	if err := c.feedCycles(ctx); err != nil {
		return nil, err
	}
	for i := range c.out {
		origin.Locate(&c.out[i])
	}
	slices.SortStableFunc(c.out, func(a, b Problem) int {
		return cmpInts(tableRank(a.Table), tableRank(b.Table), a.Index, b.Index)
	})
	return dedupeCells(c.out), nil
}

func tableRank(t Table) int { return slices.Index(Tables, t) }

func cmpInts(a1, b1, a2, b2 int) int {
	if a1 != b1 {
		return a1 - b1
	}
	return a2 - b2
}

type checker struct {
	ds     *Dataset
	lk     Lookup
	origin *Origin
	out    []Problem
	// index maps a keyed table's ids in ds to their record index.
	index map[Table]map[string]int
}

func (c *checker) add(t Table, i int, col, val, code string, args ...string) {
	c.out = append(c.out, Problem{Table: t, Index: i, Column: col, Value: val, Code: code, Args: args})
}

func (c *checker) addErr(t Table, i int, err error) {
	var v *ValidationError
	if errors.As(err, &v) {
		for _, p := range v.Problems {
			p.Table, p.Index = t, i
			c.out = append(c.out, p)
		}
	}
}

func eachValidate[T interface{ Validate() error }](c *checker, t Table, recs []T) {
	for i := range recs {
		if err := recs[i].Validate(); err != nil {
			c.addErr(t, i, err)
		}
	}
}

func (c *checker) records() {
	d := c.ds
	eachValidate(c, TRegions, d.Regions)
	eachValidate(c, TRegionGroups, d.RegionGroups)
	eachValidate(c, TClusters, d.Clusters)
	eachValidate(c, TChains, d.Chains)
	eachValidate(c, TLinks, d.Links)
	eachValidate(c, TLinkFeeds, d.Feeds)
	eachValidate(c, TCompanies, d.Companies)
	eachValidate(c, TCompanyLinks, d.CompanyLinks)
	eachValidate(c, TLeaders, d.Leaders)
	eachValidate(c, TSupplies, d.Supplies)
	eachValidate(c, TProjects, d.Projects)
	eachValidate(c, TProjectLog, d.ProjectEvents)
}

// uniq reports the second and later occurrences of each key of one table.
func uniq(c *checker, t Table, n int, col string, key func(i int) string) map[string]int {
	seen := make(map[string]int, n)
	for i := 0; i < n; i++ {
		k := key(i)
		if k == "" || k == "\x00" {
			continue
		}
		if first, dup := seen[k]; dup {
			c.add(t, i, col, strings.ReplaceAll(k, "\x00", " → "), PDuplicate, c.origin.row(t, first))
			continue
		}
		seen[k] = i
	}
	return seen
}

func (c *checker) keys() {
	d := c.ds
	c.index = map[Table]map[string]int{
		TRegions:   uniq(c, TRegions, len(d.Regions), "code", func(i int) string { return d.Regions[i].Code }),
		TClusters:  uniq(c, TClusters, len(d.Clusters), "id", func(i int) string { return d.Clusters[i].ID }),
		TChains:    uniq(c, TChains, len(d.Chains), "id", func(i int) string { return d.Chains[i].ID }),
		TLinks:     uniq(c, TLinks, len(d.Links), "id", func(i int) string { return d.Links[i].ID }),
		TCompanies: uniq(c, TCompanies, len(d.Companies), "id", func(i int) string { return d.Companies[i].ID }),
		TProjects:  uniq(c, TProjects, len(d.Projects), "id", func(i int) string { return d.Projects[i].ID }),
	}
	uniq(c, TRegionGroups, len(d.RegionGroups), "region_code", func(i int) string {
		return d.RegionGroups[i].GroupCode + "\x00" + d.RegionGroups[i].RegionCode
	})
	uniq(c, TLinkFeeds, len(d.Feeds), "to_link_id", func(i int) string { return d.Feeds[i].From + "\x00" + d.Feeds[i].To })
	uniq(c, TCompanyLinks, len(d.CompanyLinks), "link_id", func(i int) string {
		return d.CompanyLinks[i].CompanyID + "\x00" + d.CompanyLinks[i].LinkID
	})
	uniq(c, TLeaders, len(d.Leaders), "chain_id", func(i int) string { return d.Leaders[i].CompanyID + "\x00" + d.Leaders[i].ChainID })
	uniq(c, TSupplies, len(d.Supplies), "link_id", func(i int) string {
		s := d.Supplies[i]
		return s.SupplierID + "\x00" + s.CustomerID + "\x00" + s.LinkID
	})
	uniq(c, TProjectLog, len(d.ProjectEvents), "seq", func(i int) string {
		if e := d.ProjectEvents[i]; e.Seq > 0 {
			return e.ProjectID + "\x00" + strconv.Itoa(e.Seq)
		}
		return "" // appended events get their number at import
	})
	names := map[string]string{}
	for i, g := range d.RegionGroups {
		if prev, ok := names[g.GroupCode]; ok && prev != g.GroupName {
			c.add(TRegionGroups, i, "group_name", g.GroupName, PGroupName, prev)
		} else if !ok {
			names[g.GroupCode] = g.GroupName
		}
	}
}

// ref is one reference column of one record to a keyed table.
type ref struct {
	from   Table
	i      int
	col    string
	target Table
	id     string
}

// refNoun names a keyed table in problem messages.
var refNoun = map[Table][2]string{
	TRegions: {"地区", "region"}, TClusters: {"产业集群", "cluster"}, TChains: {"产业链", "chain"},
	TLinks: {"环节", "link"}, TCompanies: {"企业", "company"}, TProjects: {"项目", "project"},
}

// eachRef calls fn for every non-empty reference of ds; visiting rather than
// collecting keeps millions of supply ties from doubling memory.
func (c *checker) eachRef(fn func(ref)) {
	d := c.ds
	addRef := func(from Table, i int, col string, target Table, id string) {
		if id != "" {
			fn(ref{from, i, col, target, id})
		}
	}
	for i, x := range d.Regions {
		addRef(TRegions, i, "parent_code", TRegions, x.ParentCode)
	}
	for i, x := range d.RegionGroups {
		addRef(TRegionGroups, i, "region_code", TRegions, x.RegionCode)
	}
	for i, x := range d.Chains {
		addRef(TChains, i, "cluster_id", TClusters, x.ClusterID)
	}
	for i, x := range d.Links {
		addRef(TLinks, i, "chain_id", TChains, x.ChainID)
	}
	for i, x := range d.Feeds {
		addRef(TLinkFeeds, i, "from_link_id", TLinks, x.From)
		addRef(TLinkFeeds, i, "to_link_id", TLinks, x.To)
	}
	for i, x := range d.Companies {
		addRef(TCompanies, i, "region_code", TRegions, x.RegionCode)
	}
	for i, x := range d.CompanyLinks {
		addRef(TCompanyLinks, i, "company_id", TCompanies, x.CompanyID)
		addRef(TCompanyLinks, i, "link_id", TLinks, x.LinkID)
	}
	for i, x := range d.Leaders {
		addRef(TLeaders, i, "company_id", TCompanies, x.CompanyID)
		addRef(TLeaders, i, "chain_id", TChains, x.ChainID)
	}
	for i, x := range d.Supplies {
		addRef(TSupplies, i, "supplier_id", TCompanies, x.SupplierID)
		addRef(TSupplies, i, "customer_id", TCompanies, x.CustomerID)
		addRef(TSupplies, i, "link_id", TLinks, x.LinkID)
	}
	for i, x := range d.Projects {
		addRef(TProjects, i, "company_id", TCompanies, x.CompanyID)
		addRef(TProjects, i, "link_id", TLinks, x.LinkID)
		addRef(TProjects, i, "region_code", TRegions, x.RegionCode)
		addRef(TProjects, i, "source_region_code", TRegions, x.SourceRegionCode)
	}
	for i, x := range d.ProjectEvents {
		addRef(TProjectLog, i, "project_id", TProjects, x.ProjectID)
	}
}

// references reports references that resolve neither in the dataset nor in the store.
func (c *checker) references(ctx context.Context) error {
	outside := map[Table]map[string]bool{}
	c.eachRef(func(r ref) {
		if _, ok := c.index[r.target][r.id]; ok {
			return
		}
		if outside[r.target] == nil {
			outside[r.target] = map[string]bool{}
		}
		outside[r.target][r.id] = false
	})
	for t, ids := range outside {
		list := make([]string, 0, len(ids))
		for id := range ids {
			list = append(list, id)
		}
		var found map[string]bool
		if c.lk != nil {
			var err error
			if found, err = c.lk.Existing(ctx, t, list); err != nil {
				return fmt.Errorf("looking up stored %s: %w", t, err)
			}
		}
		for id := range ids {
			ids[id] = found[id]
		}
	}
	if len(outside) == 0 {
		return nil
	}
	c.eachRef(func(r ref) {
		if _, ok := c.index[r.target][r.id]; ok || outside[r.target][r.id] {
			return
		}
		n := refNoun[r.target]
		c.out = append(c.out, Problem{Table: r.from, Index: r.i, Column: r.col, Value: r.id,
			Code: PUnknownRef, Args: []string{n[0]}, enArgs: []string{n[1]}})
	})
	return nil
}

// regionCycles reports parent chains that loop, over stored regions overridden by ds.
func (c *checker) regionCycles(ctx context.Context) error {
	if len(c.ds.Regions) == 0 {
		return nil // only a region of ds can close a loop: the stored ones have none
	}
	parent := map[string]string{}
	if c.lk != nil {
		for r, err := range c.lk.Regions(ctx) {
			if err != nil {
				return fmt.Errorf("reading stored regions: %w", err)
			}
			parent[r.Code] = r.ParentCode
		}
	}
	for _, r := range c.ds.Regions {
		parent[r.Code] = r.ParentCode
	}
	reported := map[string]bool{}
	for i, r := range c.ds.Regions {
		path := []string{r.Code}
		seen := map[string]bool{r.Code: true}
		for p := parent[r.Code]; p != ""; p = parent[p] {
			path = append(path, p)
			if p == r.Code {
				key := canonicalCycle(path[:len(path)-1])
				if !reported[key] && r.ParentCode != r.Code { // self-parent is reported by Validate
					reported[key] = true
					c.add(TRegions, i, "parent_code", r.ParentCode, PRegionCycle, strings.Join(path, " → "))
				}
				break
			}
			if seen[p] {
				break // a loop above r that r itself is not on; reported from its members
			}
			seen[p] = true
		}
	}
	return nil
}

// canonicalCycle names a cycle independently of where it was entered.
func canonicalCycle(nodes []string) string {
	s := slices.Clone(nodes)
	slices.Sort(s)
	return strings.Join(s, "\x00")
}

// feedCycles reports cycles among the feeds inside one chain, over stored links and
// feeds overridden and extended by ds. Each cycle is reported once, on a feed of ds
// that lies on it, naming every link on the loop.
func (c *checker) feedCycles(ctx context.Context) error {
	if len(c.ds.Feeds) == 0 && len(c.ds.Links) == 0 {
		// The stored feeds are a DAG per chain; only a feed of ds, or a link moved
		// to another chain, can make a loop. Checking one project must not read
		// every stored link and feed.
		return nil
	}
	chainOf := map[string]string{}
	type edge struct {
		to  string
		idx int // index of the feed in ds, -1 when stored
	}
	adj := map[string][]edge{}
	if c.lk != nil {
		for l, err := range c.lk.Links(ctx) {
			if err != nil {
				return fmt.Errorf("reading stored links: %w", err)
			}
			chainOf[l.ID] = l.ChainID
		}
	}
	for _, l := range c.ds.Links {
		chainOf[l.ID] = l.ChainID
	}
	inDS := map[[2]string]int{}
	for i, f := range c.ds.Feeds {
		inDS[[2]string{f.From, f.To}] = i
	}
	if c.lk != nil {
		for f, err := range c.lk.Feeds(ctx) {
			if err != nil {
				return fmt.Errorf("reading stored link feeds: %w", err)
			}
			if _, ok := inDS[[2]string{f.From, f.To}]; !ok {
				adj[f.From] = append(adj[f.From], edge{f.To, -1})
			}
		}
	}
	for i, f := range c.ds.Feeds {
		adj[f.From] = append(adj[f.From], edge{f.To, i})
	}
	// Iterative DFS over same-chain edges; a grey target closes a cycle.
	const (
		white = iota
		grey
		black
	)
	color := map[string]int{}
	nodes := make([]string, 0, len(adj))
	for n := range adj {
		nodes = append(nodes, n)
	}
	slices.Sort(nodes)
	reported := map[string]bool{}
	for _, start := range nodes {
		if color[start] != white {
			continue
		}
		type frame struct {
			node string
			next int
		}
		stack := []frame{{start, 0}}
		onPath := []edge{{start, -1}}
		color[start] = grey
		for len(stack) > 0 {
			top := &stack[len(stack)-1]
			out := adj[top.node]
			if top.next == len(out) {
				color[top.node] = black
				stack = stack[:len(stack)-1]
				onPath = onPath[:len(onPath)-1]
				continue
			}
			e := out[top.next]
			top.next++
			if chainOf[e.to] == "" || chainOf[e.to] != chainOf[top.node] {
				continue // feeds across chains may loop; only a chain must be a DAG
			}
			switch color[e.to] {
			case white:
				color[e.to] = grey
				stack = append(stack, frame{e.to, 0})
				onPath = append(onPath, e)
			case grey:
				k := slices.IndexFunc(onPath, func(p edge) bool { return p.to == e.to })
				loop := append(slices.Clone(onPath[k:]), e)
				names := make([]string, len(loop))
				blame := -1
				for j, p := range loop {
					names[j] = p.to
					if j > 0 && p.idx >= 0 && (blame < 0 || p.idx > blame) {
						blame = p.idx
					}
				}
				key := canonicalCycle(names[:len(names)-1])
				if reported[key] {
					continue
				}
				reported[key] = true
				loopText := strings.Join(names, " → ")
				if blame >= 0 {
					c.add(TLinkFeeds, blame, "to_link_id", c.ds.Feeds[blame].To, PFeedCycle, chainOf[e.to], loopText)
				} else if li := c.linkOnLoop(names); li >= 0 {
					// Only stored feeds: the loop closed because a link moved chain.
					c.add(TLinks, li, "chain_id", c.ds.Links[li].ChainID, PFeedCycle, chainOf[e.to], loopText)
				}
			}
		}
	}
	return nil
}

// dedupeCells keeps the first problem per cell: a value that could not be read is
// otherwise reported again as, say, missing.
func dedupeCells(ps []Problem) []Problem {
	type cell struct {
		t   Table
		i   int
		col string
	}
	seen := make(map[cell]bool, len(ps))
	out := ps[:0]
	for _, p := range ps {
		k := cell{p.Table, p.Index, p.Column}
		if p.Index >= 0 && p.Column != "" && seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, p)
	}
	return out
}

// linkOnLoop returns the index in ds of a link record on the loop, or -1.
func (c *checker) linkOnLoop(names []string) int {
	for i, l := range c.ds.Links {
		if slices.Contains(names, l.ID) {
			return i
		}
	}
	return -1
}
