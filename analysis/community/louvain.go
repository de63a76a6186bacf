// Package community finds communities in the supply network: groups of firms more
// densely tied to each other than to the rest, by the Louvain method (Blondel,
// Guillaume, Lambiotte & Lefebvre, "Fast unfolding of communities in large
// networks", J. Stat. Mech. (2008) P10008) maximising Newman–Girvan modularity
// (Newman & Girvan, Phys. Rev. E 69, 026113, 2004) with a resolution parameter
// (Reichardt & Bornholdt, Phys. Rev. E 74, 016110, 2006).
//
// The implementation works on flat arrays: the undirected network is held in
// compressed sparse rows (offsets int64, neighbours int32, weights float64), built
// once from the snapshot, and every level of the algorithm aggregates into a new,
// smaller CSR. The local-moving phase uses the queue of Traag, Waltman & van Eck
// ("From Louvain to Leiden: guaranteeing well-connected communities", Sci. Rep. 9,
// 5233, 2019, the "fast local move"): after one sweep over all nodes only the
// neighbours of nodes that moved are revisited, which reaches the same kind of local
// optimum (no single node can raise modularity by moving) as repeated full sweeps,
// with far less work. The default method is Leiden (leiden.go): after local moving,
// each community is refined into well-connected sub-communities, the refined
// partition is aggregated, and its nodes start in their unrefined community, so
// every community found is connected. Params.Method "louvain" keeps plain Louvain:
// once the levels stop merging, local moving restarts on the original graph from
// the partition found followed by fresh aggregation, until a restart moves nobody,
// the "multi-level refinement" of Rotta & Noack (ACM J. Exp. Algorithmics 16,
// 2011). Params.Trials runs the whole method from several seeded visit orders and
// keeps the most modular partition.
//
// gonum's community.Modularize solves the same problem through graph interfaces and
// maps; on a 20k-firm network it took 259 s where igraph took 0.36 s. This package
// is in igraph's range (see docs/benchmarks.md).
package community

import (
	"cmp"
	"errors"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/chainmap/chainmap/analysis/snapshot"
)

// Params tunes Louvain.
type Params struct {
	// Resolution is γ in Q = 1/2m Σ_ij [A_ij − γ k_i k_j / 2m] δ(c_i, c_j); 0 means 1,
	// the Newman–Girvan modularity. Larger values give more, smaller communities.
	Resolution float64
	// Seed fixes the order nodes are visited in (a shuffle of each level's nodes by a
	// PCG generator seeded with Seed). The same graph, Params and Seed always give
	// the same partition.
	Seed uint64
	// MaxLevels bounds the number of aggregation levels; 0 means no bound (the
	// algorithm stops when a level moves no node).
	MaxLevels int
	// Trials is the number of independent runs (visit orders derived from Seed);
	// the partition with the highest modularity is kept. 0 means DefaultTrials.
	// Louvain's result varies with the visit order by about ±0.01 in modularity on
	// supply networks; a run costs tens of milliseconds per 50k firms.
	Trials int
	// TieWeighted weights each pair of firms by its number of supply ties (both
	// directions, all links) instead of 1. Louvain (the snapshot entry point) only.
	TieWeighted bool
	// Method is Leiden (the default, "") or LouvainMethod.
	Method string
}

// Methods.
const (
	Leiden        = "leiden"
	LouvainMethod = "louvain"
)

func (p Params) leiden() bool { return p.Method == "" || p.Method == Leiden }

// DefaultTrials is the number of Louvain runs when Params.Trials is 0.
const DefaultTrials = 3

// DefaultLeidenTrials is the number of Leiden runs when Params.Trials is 0: its
// refinement makes one run as good as Louvain's best of three (docs/benchmarks.md).
const DefaultLeidenTrials = 1

// LeidenIterations is how many times Leiden runs, each from the partition the one
// before found (leidenalg's n_iterations, whose default is also 2); an iteration
// that does not raise modularity ends them.
const LeidenIterations = 2

func (p Params) resolution() float64 {
	if p.Resolution == 0 {
		return 1
	}
	return p.Resolution
}

// Result is a partition of the firms of a snapshot.
type Result struct {
	// Communities lists the firms (company indices, sorted) of each community,
	// largest first (ties by smallest firm index). Isolated firms are singletons.
	Communities [][]int32
	// Membership is each firm's community, an index into Communities.
	Membership []int32
	// Modularity is the modularity of the partition at Params.Resolution (the
	// Newman–Girvan modularity when the resolution is 1).
	Modularity float64
	// Levels is the number of aggregation levels that moved at least one node.
	Levels int
}

// Louvain partitions the supply network of s into communities. The network is taken
// as undirected: firms u and v are joined when u supplies v or v supplies u in any
// link, with weight 1 (or the number of ties when p.TieWeighted). Self-ties are
// ignored.
func Louvain(s *snapshot.Snapshot, p Params) (*Result, error) {
	if s == nil {
		return nil, errors.New("community: nil snapshot")
	}
	if p.Resolution < 0 {
		return nil, errors.New("community: negative resolution")
	}
	if p.MaxLevels < 0 || p.Trials < 0 {
		return nil, errors.New("community: negative MaxLevels or Trials")
	}
	n := len(s.Companies)
	offsets, neighbours, weights := SnapshotCSR(s, p.TieWeighted)
	membership, levels, q := louvain(n, offsets, neighbours, weights, p)
	r := &Result{Levels: levels, Modularity: q}
	r.Communities, r.Membership = group(membership)
	return r, nil
}

// LouvainCSR partitions any undirected graph given in compressed sparse rows: the
// neighbours of node u are neighbours[offsets[u]:offsets[u+1]] with weights at the
// same positions (weights nil means all 1). The rows must be symmetric: every entry
// (u, v, w) with u ≠ v has a matching (v, u, w). A self-loop (u, u, w) appears once
// and counts w towards u's degree (gonum's convention). Weights must be ≥ 0.
// It returns each node's community (numbered 0.. in order of first appearance) and
// the modularity of the partition at p.Resolution.
func LouvainCSR(n int, offsets []int64, neighbours []int32, weights []float64, p Params) (membership []int32, modularity float64) {
	membership, _, modularity = louvain(n, offsets, neighbours, weights, p)
	return membership, modularity
}

// Modularity returns the Newman–Girvan modularity (γ = 1) of membership on the
// CSR graph (same conventions as LouvainCSR). A graph with no edges has modularity 0.
func Modularity(n int, offsets []int64, neighbours []int32, weights []float64, membership []int32) float64 {
	return ModularityAt(n, offsets, neighbours, weights, membership, 1)
}

// ModularityAt is Modularity at resolution γ: 1/2m Σ_c [in_c − γ tot_c² / 2m], where
// in_c sums the CSR entries inside community c (each internal edge twice, loops
// once) and tot_c the degrees of its nodes. It equals gonum's community.Q.
func ModularityAt(n int, offsets []int64, neighbours []int32, weights []float64, membership []int32, resolution float64) float64 {
	k := 0
	for _, c := range membership[:n] {
		k = max(k, int(c)+1)
	}
	in := make([]float64, k)
	tot := make([]float64, k)
	var m2 float64
	for u := range n {
		cu := membership[u]
		for e := offsets[u]; e < offsets[u+1]; e++ {
			w := 1.0
			if weights != nil {
				w = weights[e]
			}
			m2 += w
			tot[cu] += w
			if membership[neighbours[e]] == cu {
				in[cu] += w
			}
		}
	}
	if m2 == 0 {
		return 0
	}
	var q float64
	for c := range k {
		q += in[c] - resolution*tot[c]*tot[c]/m2
	}
	return q / m2
}

// level is one level's graph in CSR form with the per-node degree.
type level struct {
	n       int
	offsets []int64
	nbr     []int32
	w       []float64 // nil: all 1
}

func (g *level) weight(e int64) float64 {
	if g.w == nil {
		return 1
	}
	return g.w[e]
}

// louvain runs the multi-level algorithm p.Trials times and returns the membership of
// the original nodes with the highest modularity, its number of levels that moved a
// node and its modularity.
func louvain(n int, offsets []int64, neighbours []int32, weights []float64, p Params) ([]int32, int, float64) {
	gamma := p.resolution()
	membership := make([]int32, n)
	for i := range membership {
		membership[i] = int32(i)
	}
	if n == 0 {
		return membership, 0, 0
	}
	g := &level{n: n, offsets: offsets, nbr: neighbours, w: weights}
	var m2 float64
	if weights == nil {
		m2 = float64(offsets[n] - offsets[0])
	} else {
		for u := range n {
			for e := offsets[u]; e < offsets[u+1]; e++ {
				m2 += weights[e]
			}
		}
	}
	if m2 == 0 {
		return membership, 0, 0
	}
	ws := newWorkspace(n)
	trials := p.Trials
	switch {
	case trials == 0 && p.leiden():
		trials = DefaultLeidenTrials
	case trials == 0:
		trials = DefaultTrials
	}
	best, bestLevels, bestQ := membership, 0, math.Inf(-1)
	for t := range trials {
		m := membership
		if t > 0 {
			m = make([]int32, n)
		}
		for i := range m {
			m[i] = int32(i)
		}
		rng := rand.New(rand.NewPCG(p.Seed, 0x9e3779b97f4a7c15+uint64(t)))
		var levels int
		if p.leiden() {
			levels = ws.leidenPass(g, m2, gamma, rng, m, p.MaxLevels, false)
			// Further iterations from the partition found (leidenalg's n_iterations),
			// while one raises modularity.
			q := ModularityAt(n, offsets, neighbours, weights, m, gamma)
			for range LeidenIterations - 1 {
				prev := slices.Clone(m)
				ws.leidenPass(g, m2, gamma, rng, m, p.MaxLevels, true)
				renumber(m)
				nq := ModularityAt(n, offsets, neighbours, weights, m, gamma)
				if nq <= q+1e-12 {
					if nq < q {
						copy(m, prev)
					}
					break
				}
				q = nq
			}
		} else {
			levels = ws.pass(g, m2, gamma, rng, m, false, p.MaxLevels)
		}
		if p.MaxLevels == 0 && !p.leiden() {
			// Refine: restart local moving on the original graph from the partition
			// found (single firms may now move between the merged communities), then
			// aggregate again, until a restart moves nobody. Each restart can only
			// raise modularity; the bound guards against rounding cycles.
			for range maxRestarts {
				if ws.pass(g, m2, gamma, rng, m, true, 0) == 0 {
					break
				}
			}
		}
		renumber(m)
		if q := ModularityAt(n, offsets, neighbours, weights, m, gamma); q > bestQ {
			best, bestLevels, bestQ = m, levels, q
		}
	}
	return best, bestLevels, bestQ
}

// maxRestarts bounds the refining restarts of louvain.
const maxRestarts = 8

// pass runs the levels of Louvain on g (the original graph), updating membership
// (the community of each original node) and returning the number of levels that
// moved a node. The first level starts from membership when fromMembership (its
// labels must be < g.n), from singletons otherwise; later levels start from
// singletons of the aggregated graph.
func (ws *workspace) pass(g *level, m2, gamma float64, rng *rand.Rand, membership []int32, fromMembership bool, maxLevels int) int {
	var init []int32
	if fromMembership {
		init = membership
	}
	levels := 0
	for maxLevels == 0 || levels < maxLevels {
		comm, moved := ws.localMove(g, m2, gamma, rng, init)
		if !moved {
			break
		}
		levels++
		k := renumber(comm)
		if init != nil {
			copy(membership, comm) // the first level's nodes are the original nodes
			init = nil
		} else {
			for i, c := range membership {
				membership[i] = comm[c]
			}
		}
		if k == g.n {
			break
		}
		g = ws.aggregate(g, comm, k)
	}
	return levels
}

// workspace holds the scratch arrays of every level, sized for the first (largest).
type workspace struct {
	k, tot, nw []float64 // degree, community total degree, weight to neighbour community
	comm       []int32
	order      []int32
	queue      []int32 // ring buffer of nodes to visit
	inQueue    []bool
	touched    []int32 // communities with nw set
	// Leiden's refinement scratch.
	refTot, ext, wIn, commTot []float64
	size                      []int32
}

func newWorkspace(n int) *workspace {
	return &workspace{k: make([]float64, n), tot: make([]float64, n), nw: make([]float64, n),
		comm: make([]int32, n), order: make([]int32, n), queue: make([]int32, n), inQueue: make([]bool, n)}
}

// localMove moves single nodes of g between communities while modularity rises,
// starting from init (labels < g.n) or, if nil, from singletons. It returns the
// community of each node (not renumbered) and whether any node moved.
func (ws *workspace) localMove(g *level, m2, gamma float64, rng *rand.Rand, init []int32) ([]int32, bool) {
	n := g.n
	k, tot, nw, comm := ws.k[:n], ws.tot[:n], ws.nw[:n], ws.comm[:n]
	for u := range n {
		var d float64
		for e := g.offsets[u]; e < g.offsets[u+1]; e++ {
			d += g.weight(e)
		}
		k[u] = d
		tot[u] = 0
		comm[u] = int32(u)
		if init != nil {
			comm[u] = init[u]
		}
		nw[u] = 0
	}
	for u := range n {
		tot[comm[u]] += k[u]
	}
	// Visit order: a seeded shuffle, then a FIFO of nodes whose neighbourhood changed.
	order := ws.order[:n]
	for i := range order {
		order[i] = int32(i)
	}
	rng.Shuffle(n, func(i, j int) { order[i], order[j] = order[j], order[i] })
	queue, inQueue := ws.queue[:n], ws.inQueue[:n]
	copy(queue, order)
	for i := range inQueue {
		inQueue[i] = true
	}
	head, size := 0, n
	scale := gamma / m2
	moved := false
	for size > 0 {
		u := queue[head]
		head++
		if head == n {
			head = 0
		}
		size--
		inQueue[u] = false
		ku := k[u]
		if ku == 0 {
			continue
		}
		cu := comm[u]
		// Weights from u to each neighbouring community (self-loops excluded).
		touched := ws.touched[:0]
		for e := g.offsets[u]; e < g.offsets[u+1]; e++ {
			v := g.nbr[e]
			if v == u {
				continue
			}
			c := comm[v]
			if nw[c] == 0 { // a zero weight may list c twice: harmless
				touched = append(touched, c)
			}
			nw[c] += g.weight(e)
		}
		tot[cu] -= ku
		best, bestGain := cu, nw[cu]-scale*ku*tot[cu]
		for _, c := range touched {
			if gain := nw[c] - scale*ku*tot[c]; gain > bestGain {
				best, bestGain = c, gain
			}
		}
		for _, c := range touched {
			nw[c] = 0
		}
		ws.touched = touched
		tot[best] += ku
		if best == cu {
			continue
		}
		comm[u] = best
		moved = true
		// Neighbours outside the new community may now prefer it.
		for e := g.offsets[u]; e < g.offsets[u+1]; e++ {
			v := g.nbr[e]
			if !inQueue[v] && comm[v] != best {
				inQueue[v] = true
				tail := head + size
				if tail >= n {
					tail -= n
				}
				queue[tail] = v
				size++
			}
		}
	}
	return comm, moved
}

// renumber maps community labels to 0..k-1 in order of first appearance, in place,
// and returns k.
func renumber(comm []int32) int {
	id := make([]int32, len(comm))
	for i := range id {
		id[i] = -1
	}
	k := int32(0)
	for i, c := range comm {
		if id[c] < 0 {
			id[c] = k
			k++
		}
		comm[i] = id[c]
	}
	return int(k)
}

// aggregate builds the graph of communities: node c's row holds the summed weights
// to every community it touches, its own (internal edges twice, loops once)
// included as a self-loop, so degrees and modularity carry over exactly.
func (ws *workspace) aggregate(g *level, comm []int32, k int) *level {
	// Members of each community, by counting sort.
	start := make([]int32, k+1)
	for _, c := range comm[:g.n] {
		start[c+1]++
	}
	for c := range k {
		start[c+1] += start[c]
	}
	members := make([]int32, g.n)
	fill := slices.Clone(start[:k])
	for u, c := range comm[:g.n] {
		members[fill[c]] = int32(u)
		fill[c]++
	}
	h := &level{n: k, offsets: make([]int64, k+1)}
	nbr := make([]int32, 0, len(g.nbr)/2)
	w := make([]float64, 0, len(g.nbr)/2)
	nw := ws.nw[:k]
	for c := range k {
		touched := ws.touched[:0]
		for _, u := range members[start[c]:start[c+1]] {
			for e := g.offsets[u]; e < g.offsets[u+1]; e++ {
				d := comm[g.nbr[e]]
				if nw[d] == 0 {
					touched = append(touched, int32(d))
				}
				nw[d] += g.weight(e)
			}
		}
		slices.Sort(touched)
		touched = slices.Compact(touched) // zero weights can list a community twice
		for _, d := range touched {
			nbr = append(nbr, d)
			w = append(w, nw[d])
			nw[d] = 0
		}
		ws.touched = touched
		h.offsets[c+1] = int64(len(nbr))
	}
	h.nbr, h.w = nbr, w
	return h
}

// group turns a membership into communities sorted by size (desc), then by first
// member, and renumbers the membership to match.
func group(membership []int32) ([][]int32, []int32) {
	k := 0
	for _, c := range membership {
		k = max(k, int(c)+1)
	}
	comms := make([][]int32, k)
	for v, c := range membership {
		comms[c] = append(comms[c], int32(v))
	}
	comms = slices.DeleteFunc(comms, func(c []int32) bool { return len(c) == 0 })
	slices.SortStableFunc(comms, func(a, b []int32) int {
		return cmp.Or(cmp.Compare(len(b), len(a)), cmp.Compare(a[0], b[0]))
	})
	out := make([]int32, len(membership))
	for i, c := range comms {
		for _, v := range c {
			out[v] = int32(i)
		}
	}
	return comms, out
}
