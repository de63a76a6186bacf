// Package rank computes whole-network measures of the supply network on flat
// arrays: PageRank by power iteration over compressed sparse rows, and weakly
// connected components by union–find. Both run on the snapshot's CSR adjacency
// (or on any directed graph given in CSR form) without maps or per-edge
// allocation, so they scale to millions of firms and tens of millions of ties;
// gonum's network.PageRankSparse and topo.ConnectedComponents give the same answers
// through graph interfaces and maps, and are used as the reference in the tests.
//
// Direction: an edge runs from supplier to customer (u → v when u supplies v in
// any link, parallel ties in several links counted once), the direction of the
// snapshot's gonum view (Snapshot.From returns customers). PageRank therefore flows
// along supply: a firm ranks high when it buys from many firms that themselves rank
// high, i.e. it sits downstream of a large, well-supplied part of the network. For
// the opposite reading (important suppliers), run PageRankCSR on the reversed
// network (customer → supplier rows).
package rank

import (
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/chainmap/chainmap/analysis/snapshot"
)

// MaxIterations bounds the power iteration: PageRank returns the last iterate if
// the change has not fallen below tol by then (with damping 0.85 a tolerance of
// 1e-10 takes about 150 iterations; 1e-15 may never be reached in floating point).
const MaxIterations = 10_000

// PageRank returns the PageRank of every company of s (indexed by company index,
// summing to 1) on the supply network, edges supplier → customer, distinct pairs,
// unweighted.
//
// The method is the plain power iteration x ← d·Mx + (d·D(x) + 1 − d)/n·1, where
// M spreads a firm's rank equally over its distinct customers and D(x) is the total
// rank of dangling firms (firms with no customer), which is redistributed uniformly
// over all firms, as if a dangling firm supplied everyone. It starts from the
// uniform vector and stops when the L1 norm of the change between two iterates,
// Σ_v |x'_v − x_v|, is below tol (after at most MaxIterations iterations). The L1
// change bounds the distance to the fixed point by tol·d/(1−d). This is the same
// fixed point as gonum's network.PageRankSparse(s, damping, tol), which stops on
// the 2-norm of the change instead (never more than the L1 norm, so this function
// iterates at least as long for the same tol).
//
// damping must be in [0, 1) (0.85 is customary) and tol > 0. An empty snapshot
// gives an empty slice. Large graphs are processed by up to GOMAXPROCS goroutines;
// the result does not depend on their number.
func PageRank(s *snapshot.Snapshot, damping, tol float64) []float64 {
	r, _ := newPrGraph(len(s.Companies), s.Customers).power(damping, tol)
	return r
}

// PageRankCSR is PageRank on any directed graph on nodes 0..n-1 given in
// compressed sparse rows: the out-neighbours (edge targets) of node u are
// targets[offsets[u]:offsets[u+1]]; offsets has n+1 entries, offsets[0] = 0.
// Parallel entries count as several edges (u passes rank to v in proportion to the
// number of entries u → v); a self-loop u → u keeps rank at u. Same iteration,
// dangling-node rule and stopping rule (L1 change < tol) as PageRank.
func PageRankCSR(n int, offsets []int64, targets []int32, damping, tol float64) []float64 {
	r, _ := pageRankCSR(n, offsets, targets, damping, tol)
	return r
}

func pageRankCSR(n int, offsets []int64, targets []int32, damping, tol float64) ([]float64, int) {
	out := func(u int32) []int32 { return targets[offsets[u]:offsets[u+1]] }
	return newPrGraph(n, out).power(damping, tol)
}

// prGraph is the network as the power iteration reads it: in-rows (the transpose
// of the out-rows) in flat arrays. Sources (nodes with no in-edge) all hold the
// same rank, b_k = (1 − d + d·D_k)/n after iteration k, so they are not iterated:
// a node's in-edges from sources fold into one term, (rank of a source)·srcW[v]
// with srcW[v] = Σ_{sources u → v} 1/outdeg(u), and the gather runs over in-edges
// from non-sources only. On supply networks the upstream tier makes up about half
// the firms and half the ties. The iterates are those of the plain power iteration
// (up to rounding).
//
// Everything else is indexed by position in act (the non-sources in increasing
// order), which keeps the arrays the iteration touches short and sequential.
type prGraph struct {
	n           int
	act         []int32   // nodes with an in-edge, increasing
	srcs        []int32   // nodes without, increasing
	srcDangling int       // sources without out-edges
	inv         []float64 // 1/outdeg(act[i]), 0 if it is dangling
	srcW        []float64 // Σ 1/outdeg(u) over the sources u with an edge to act[i]
	off         []int64   // in-edges from non-sources of act[i]: in[off[i]:off[i+1]]
	in          []int32   // their tails as positions in act, increasing within a row
}

// newPrGraph builds the in-rows of the graph on n nodes whose out-rows out(u)
// gives, by counting sort in O(n + m): four passes over the out-rows, no
// per-edge allocation.
func newPrGraph(n int, out func(u int32) []int32) *prGraph {
	g := &prGraph{n: n}
	pos := make([]int32, n) // in-degree, then index in act (−1 for sources)
	for u := range n {
		for _, v := range out(int32(u)) {
			pos[v]++
		}
	}
	for v := range n {
		if pos[v] == 0 {
			pos[v] = -1
			g.srcs = append(g.srcs, int32(v))
		} else {
			pos[v] = int32(len(g.act))
			g.act = append(g.act, int32(v))
		}
	}
	na := len(g.act)
	g.inv = make([]float64, na)
	g.srcW = make([]float64, na)
	g.off = make([]int64, na+1)
	for u := range n {
		row := out(int32(u))
		if pos[u] < 0 {
			if len(row) == 0 {
				g.srcDangling++
				continue
			}
			w := 1 / float64(len(row))
			for _, v := range row {
				g.srcW[pos[v]] += w
			}
			continue
		}
		if len(row) > 0 {
			g.inv[pos[u]] = 1 / float64(len(row))
		}
		for _, v := range row {
			g.off[pos[v]+1]++
		}
	}
	for i := range na {
		g.off[i+1] += g.off[i]
	}
	g.in = make([]int32, g.off[na])
	fill := slices.Clone(g.off[:na])
	for u := range n {
		pu := pos[u]
		if pu < 0 {
			continue
		}
		for _, v := range out(int32(u)) {
			i := pos[v]
			g.in[fill[i]] = pu
			fill[i]++
		}
	}
	return g
}

// chunkWork is the target work (nodes + edges) of one chunk of the iteration; the
// chunks, and so the order partial sums are added in, depend only on the graph.
const chunkWork = 1 << 15

// power runs the power iteration and returns the ranks and the number of
// iterations.
func (g *prGraph) power(d, tol float64) ([]float64, int) {
	n := g.n
	if n == 0 {
		return []float64{}, 0
	}
	na := len(g.act)
	x := make([]float64, na)  // current iterate, by position in act
	y := make([]float64, na)  // next iterate
	c := make([]float64, na)  // x[i]/outdeg: what act[i] passes along each out-edge
	cn := make([]float64, na) // the same for y
	x0 := 1 / float64(n)
	dang := float64(g.srcDangling) * x0 // total rank on dangling nodes
	for i := range na {
		x[i] = x0
		c[i] = x0 * g.inv[i]
		if g.inv[i] == 0 {
			dang += x0
		}
	}
	srcRank := x0 // the rank every source holds

	// Fixed chunks of act balanced by nodes + gathered edges.
	bounds := []int{0}
	for i, w := 0, int64(0); i < na; i++ {
		w += 1 + g.off[i+1] - g.off[i]
		if w >= chunkWork && i+1 < na {
			bounds = append(bounds, i+1)
			w = 0
		}
	}
	bounds = append(bounds, na)
	chunks := len(bounds) - 1
	partDiff := make([]float64, chunks)
	partDang := make([]float64, chunks)
	workers := min(runtime.GOMAXPROCS(0), chunks)

	var base float64
	step := func(k int) {
		partDiff[k], partDang[k] = g.sweep(bounds[k], bounds[k+1], c, x, y, cn, srcRank, base, d)
	}
	it := 0
	for it < MaxIterations {
		it++
		base = ((1 - d) + d*dang) / float64(n)
		if workers <= 1 {
			for k := range chunks {
				step(k)
			}
		} else {
			var next atomic.Int64
			var wg sync.WaitGroup
			for range workers {
				wg.Go(func() {
					for k := int(next.Add(1) - 1); k < chunks; k = int(next.Add(1) - 1) {
						step(k)
					}
				})
			}
			wg.Wait()
		}
		var diff float64
		dang = 0
		for k := range chunks {
			diff += partDiff[k]
			dang += partDang[k]
		}
		diff += float64(len(g.srcs)) * math.Abs(base-srcRank)
		dang += float64(g.srcDangling) * base
		srcRank = base
		x, y = y, x
		c, cn = cn, c
		if diff < tol {
			break
		}
	}
	ranks := make([]float64, n)
	for i, v := range g.act {
		ranks[v] = x[i]
	}
	for _, u := range g.srcs {
		ranks[u] = srcRank
	}
	// Remove the rounding drift of the total.
	var sum float64
	for _, r := range ranks {
		sum += r
	}
	if sum > 0 {
		f := 1 / sum
		for v := range ranks {
			ranks[v] *= f
		}
	}
	return ranks, it
}

// sweep computes, for the non-sources v = act[lo:hi], y[v] = base + d·(Σ_{u→v}
// c[u] + srcRank·srcW[v]) and cn[v] = y[v]/outdeg(v), and returns Σ|y[v] − x[v]|
// and the rank on dangling nodes among them. The sum over in-edges uses four
// accumulators to break the dependency chain of the additions (in a fixed order,
// so results are reproducible).
func (g *prGraph) sweep(lo, hi int, c, x, y, cn []float64, srcRank, base, d float64) (diff, dang float64) {
	off, in, inv, srcW := g.off, g.in, g.inv, g.srcW
	x, y, cn = x[:len(inv)], y[:len(inv)], cn[:len(inv)]
	for i := lo; i < hi; i++ {
		row := in[off[i]:off[i+1]]
		var s0, s1, s2, s3 float64
		j := 0
		for ; j+4 <= len(row); j += 4 {
			s0 += c[row[j]]
			s1 += c[row[j+1]]
			s2 += c[row[j+2]]
			s3 += c[row[j+3]]
		}
		for ; j < len(row); j++ {
			s0 += c[row[j]]
		}
		r := base + d*(srcRank*srcW[i]+((s0+s1)+(s2+s3)))
		diff += math.Abs(r - x[i])
		y[i] = r
		if iv := inv[i]; iv != 0 {
			cn[i] = r * iv
		} else {
			dang += r
		}
	}
	return diff, dang
}
