package choke

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/chainmap/chainmap/analysis"
	"github.com/chainmap/chainmap/analysis/snapshot"
)

// ugraph is an undirected simple graph over dense indices in compressed sparse rows.
type ugraph struct {
	comp  []int32   // dense index → company index
	rev   []float64 // dense index → known revenue (万元), 0 unknown
	start []int64
	adj   []int32
}

// localGraph joins the node firms that trade on an Active tie, either way, any link.
func localGraph(s *snapshot.Snapshot, node []bool) *ugraph {
	idx := make([]int32, len(node))
	g := &ugraph{}
	for c, ok := range node {
		idx[c] = snapshot.None
		if ok {
			idx[c] = int32(len(g.comp))
			g.comp = append(g.comp, int32(c))
			g.rev = append(g.rev, max(s.Companies[c].RevenueWan, 0))
		}
	}
	var pairs [][2]int32
	for _, u := range g.comp {
		for i := range s.Out(u) {
			t := &s.Out(u)[i]
			if t.Customer == u || !node[t.Customer] || !s.Active(t) {
				continue
			}
			a, b := idx[u], idx[t.Customer]
			if a > b {
				a, b = b, a
			}
			pairs = append(pairs, [2]int32{a, b})
		}
	}
	slices.SortFunc(pairs, func(x, y [2]int32) int { return cmp.Or(cmp.Compare(x[0], y[0]), cmp.Compare(x[1], y[1])) })
	pairs = slices.Compact(pairs)
	m := len(g.comp)
	g.start = make([]int64, m+1)
	for _, e := range pairs {
		g.start[e[0]+1]++
		g.start[e[1]+1]++
	}
	for i := range m {
		g.start[i+1] += g.start[i]
	}
	g.adj = make([]int32, 2*len(pairs))
	fill := slices.Clone(g.start[:m])
	for _, e := range pairs {
		g.adj[fill[e[0]]] = e[1]
		fill[e[0]]++
		g.adj[fill[e[1]]] = e[0]
		fill[e[1]]++
	}
	return g
}

// cutVertex and cutEdge are raw results of the search.
type cutVertex struct {
	v               int32
	pieces, cut     int32
	compSize        int32
	degree          int32
	cutRev, compRev float64 // known revenue separated, and of the whole component
}

type cutEdge struct {
	parent, child   int32
	cut, compSize   int32
	cutRev, compRev float64
}

// cuts finds the articulation points and bridges of g with the depth-first search
// of Hopcroft and Tarjan (J. Hopcroft, R. Tarjan, "Algorithm 447: Efficient
// algorithms for graph manipulation", CACM 16(6):372–378, 1973; bridges as in
// R. Tarjan, "A note on finding the bridges of a graph", IPL 2(6):160–161, 1974):
// low[v] is the smallest discovery time reachable from v's DFS subtree by one back
// edge; a non-root p is an articulation point iff some child w has low[w] ≥ disc[p],
// the root iff it has two or more children, and the tree edge (p, w) is a bridge iff
// low[w] > disc[p]. The search keeps an explicit stack (a recursive one would
// overflow on a million-firm chain) and is O(V + E).
func cuts(g *ugraph) (points []cutVertex, bridges []cutEdge) {
	m := int32(len(g.comp))
	disc := make([]int32, m) // 0 = unvisited
	low := make([]int32, m)
	parent := make([]int32, m)
	size := make([]int32, m) // DFS subtree size
	next := make([]int64, m) // next adjacency position to scan
	sepCount := make([]int32, m)
	sepSum := make([]int32, m)
	sepMax := make([]int32, m)
	subRev := make([]float64, m)    // DFS subtree revenue
	sepRevSum := make([]float64, m) // revenue of the subtrees v separates
	sepMaxRev := make([]float64, m) // revenue of the largest of them
	var clock int32
	var stack, members []int32
	var compBridges []cutEdge
	for root := range m {
		if disc[root] != 0 {
			continue
		}
		members, compBridges = members[:0], compBridges[:0]
		clock++
		disc[root], low[root], parent[root], size[root], next[root] = clock, clock, snapshot.None, 1, g.start[root]
		subRev[root] = g.rev[root]
		stack = append(stack[:0], root)
		for len(stack) > 0 {
			v := stack[len(stack)-1]
			if next[v] < g.start[v+1] {
				w := g.adj[next[v]]
				next[v]++
				switch {
				case disc[w] == 0:
					clock++
					disc[w], low[w], parent[w], size[w], next[w] = clock, clock, v, 1, g.start[w]
					subRev[w] = g.rev[w]
					stack = append(stack, w)
				case w != parent[v]: // the graph is simple, so the parent edge is the only one to skip
					low[v] = min(low[v], disc[w])
				}
				continue
			}
			stack = stack[:len(stack)-1]
			members = append(members, v)
			p := parent[v]
			if p == snapshot.None {
				continue
			}
			low[p] = min(low[p], low[v])
			size[p] += size[v]
			subRev[p] += subRev[v]
			if low[v] >= disc[p] { // p separates v's subtree
				sepCount[p]++
				sepSum[p] += size[v]
				sepRevSum[p] += subRev[v]
				if size[v] > sepMax[p] {
					sepMax[p], sepMaxRev[p] = size[v], subRev[v]
				}
			}
			if low[v] > disc[p] {
				compBridges = append(compBridges, cutEdge{parent: p, child: v, cut: size[v]})
			}
		}
		n, compRev := size[root], subRev[root]
		for _, v := range members {
			isRoot := v == root
			if (isRoot && sepCount[v] < 2) || (!isRoot && sepCount[v] == 0) {
				continue
			}
			pieces, largest, largestRev := sepCount[v], sepMax[v], sepMaxRev[v]
			if rest := n - 1 - sepSum[v]; rest > 0 {
				pieces++
				if rest > largest {
					largest, largestRev = rest, compRev-g.rev[v]-sepRevSum[v]
				}
			}
			points = append(points, cutVertex{v: v, pieces: pieces, cut: n - 1 - largest, compSize: n,
				degree: int32(g.start[v+1] - g.start[v]), cutRev: max(compRev-g.rev[v]-largestRev, 0), compRev: compRev})
		}
		for _, b := range compBridges {
			b.cutRev, b.compRev = subRev[b.child], compRev
			if n-b.cut < b.cut {
				b.cutRev = compRev - subRev[b.child]
			}
			b.cut, b.compSize = min(b.cut, n-b.cut), n
			bridges = append(bridges, b)
		}
	}
	return points, bridges
}

// structure is step 2: it fills the local network's size, articulation points and bridges.
func structure(s *snapshot.Snapshot, node []bool, p Params, res *Result) {
	g := localGraph(s, node)
	res.LocalFirms, res.LocalRelations = len(g.comp), len(g.adj)/2
	points, bridges := cuts(g)
	res.ArticulationTotal, res.BridgeTotal = len(points), len(bridges)
	// A cut counts when it separates MinCut firms or MinCutRevenueShare of the revenue.
	small := func(cut int32, cutRev, compRev float64) bool {
		return int(cut) < p.MinCut && !(compRev > 0 && cutRev/compRev >= p.MinCutRevenueShare)
	}
	points = slices.DeleteFunc(points, func(x cutVertex) bool { return small(x.cut, x.cutRev, x.compRev) })
	bridges = slices.DeleteFunc(bridges, func(x cutEdge) bool { return small(x.cut, x.cutRev, x.compRev) })
	id := func(v int32) string { return s.Companies[g.comp[v]].ID }
	slices.SortFunc(points, func(a, b cutVertex) int {
		return cmp.Or(cmp.Compare(b.cut, a.cut), cmp.Compare(b.degree, a.degree), cmp.Compare(id(a.v), id(b.v)))
	})
	slices.SortFunc(bridges, func(a, b cutEdge) int {
		return cmp.Or(cmp.Compare(b.cut, a.cut), cmp.Compare(id(a.parent), id(b.parent)), cmp.Compare(id(a.child), id(b.child)))
	})
	if p.Limit >= 0 {
		points = points[:min(len(points), p.Limit)]
		bridges = bridges[:min(len(bridges), p.Limit)]
	}
	for _, x := range points {
		co := &s.Companies[g.comp[x.v]]
		f := CutFirm{CompanyID: co.ID, Name: co.Name, Degree: int(x.degree), Pieces: int(x.pieces), Cut: int(x.cut),
			ComponentSize: int(x.compSize)}
		if co.Region != snapshot.None {
			f.RegionCode, f.RegionName = s.Regions[co.Region].Code, s.Regions[co.Region].Name
		}
		f.CutRevenueWan, f.CutRevenueShare = x.cutRev, revShare(x.cutRev, x.compRev)
		r := analysis.Because(Articulation,
			"若 %[1]s 退出，其所在的 %[2]d 家本地企业供应网络将分成 %[3]d 块，%[4]d 家企业与主体断开",
			"if %[1]s left, its local supply network of %[2]d firms would split into %[3]d parts, cutting %[4]d firms off the largest",
			co.Name, x.compSize, x.pieces, x.cut).With("cut", float64(x.cut)).With("pieces", float64(x.pieces)).
			With("component_size", float64(x.compSize)).With("degree", float64(x.degree))
		f.Reasons = []analysis.Reason{withRevenue(r, x.cutRev, x.compRev)}
		res.ArticulationPoints = append(res.ArticulationPoints, f)
	}
	for _, x := range bridges {
		a, b := g.comp[x.parent], g.comp[x.child]
		ca, cb := &s.Companies[a], &s.Companies[b]
		t := CutTie{A: Firm{ca.ID, ca.Name}, B: Firm{cb.ID, cb.Name}, Links: tieLinks(s, a, b), Cut: int(x.cut),
			ComponentSize: int(x.compSize)}
		t.CutRevenueWan, t.CutRevenueShare = x.cutRev, revShare(x.cutRev, x.compRev)
		r := analysis.Because(Bridge,
			"%[1]s 与 %[2]s 之间的供货关系是两部分本地企业之间的唯一连接，断开后 %[3]d 家企业与其余 %[4]d 家分离",
			"the supply relation between %[1]s and %[2]s is the only link between two parts of the local network: without it %[3]d firms are cut off from the other %[4]d",
			ca.Name, cb.Name, x.cut, x.compSize-x.cut).With("cut", float64(x.cut)).With("component_size", float64(x.compSize))
		t.Reasons = []analysis.Reason{withRevenue(r, x.cutRev, x.compRev)}
		res.Bridges = append(res.Bridges, t)
	}
}

// tieLinks lists the links of the Active ties between a and b, either way.
func tieLinks(s *snapshot.Snapshot, a, b int32) []string {
	var out []string
	for _, pr := range [][2]int32{{a, b}, {b, a}} {
		for i := range s.Out(pr[0]) {
			t := &s.Out(pr[0])[i]
			if t.Customer != pr[1] || !s.Active(t) {
				continue
			}
			id := ""
			if t.Link != snapshot.None {
				id = s.Links[t.Link].ID
			}
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// revShare is the separated share of the component's known revenue (0 when unknown).
func revShare(cut, comp float64) float64 {
	if comp <= 0 {
		return 0
	}
	return round3(cut / comp)
}

// withRevenue adds the separated firms' known revenue to a cut's reason.
func withRevenue(r analysis.Reason, cut, comp float64) analysis.Reason {
	if comp <= 0 || cut <= 0 {
		return r
	}
	r.ZH += fmt.Sprintf("（断开企业合计年营收 %.1f 亿元，占该网络已知营收的 %.0f%%）", cut/10000, 100*cut/comp)
	r.EN += fmt.Sprintf(" (their known revenue ¥%.2f bn, %.0f%% of the network's)", cut/100000, 100*cut/comp)
	return r.With("cut_revenue_wan", cut).With("cut_revenue_share", revShare(cut, comp))
}
