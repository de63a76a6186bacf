package rank

import (
	"context"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"

	"github.com/chainmap/chainmap/analysis/snapshot"
	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/seed/synthetic"
	"github.com/chainmap/chainmap/seed/zhenjiang"
	"gonum.org/v1/gonum/graph/network"
	"gonum.org/v1/gonum/graph/simple"
	"gonum.org/v1/gonum/graph/topo"
)

// randomCSR returns a random directed graph on n nodes with about m distinct edges
// and no self-loops, in CSR form; roughly a third of the nodes get no out-edge
// (dangling) and some none at all (isolated).
func randomCSR(n, m int, seed uint64) ([]int64, []int32) {
	rng := rand.New(rand.NewPCG(seed, 1))
	rows := make([][]int32, n)
	for range m {
		u := rng.IntN(n)
		if u%3 == 0 { // dangling
			continue
		}
		v := rng.IntN(n)
		if v%7 == 0 || v == u { // some never receive; no loops
			continue
		}
		rows[u] = append(rows[u], int32(v))
	}
	off := make([]int64, n+1)
	var tg []int32
	for u, r := range rows {
		slices.Sort(r)
		r = slices.Compact(r)
		tg = append(tg, r...)
		off[u+1] = int64(len(tg))
	}
	return off, tg
}

func gonumDirected(n int, off []int64, tg []int32) *simple.DirectedGraph {
	g := simple.NewDirectedGraph()
	for i := range n {
		g.AddNode(simple.Node(i))
	}
	for u := range n {
		for _, v := range tg[off[u]:off[u+1]] {
			g.SetEdge(simple.Edge{F: simple.Node(u), T: simple.Node(v)})
		}
	}
	return g
}

func gonumUndirected(n int, off []int64, tg []int32) *simple.UndirectedGraph {
	g := simple.NewUndirectedGraph()
	for i := range n {
		g.AddNode(simple.Node(i))
	}
	for u := range n {
		for _, v := range tg[off[u]:off[u+1]] {
			if int32(u) != v {
				g.SetEdge(simple.Edge{F: simple.Node(u), T: simple.Node(v)})
			}
		}
	}
	return g
}

func smallSnapshot(t testing.TB, cfg synthetic.Config) *snapshot.Snapshot {
	t.Helper()
	eco, err := synthetic.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	s, err := snapshot.Build(context.Background(), eco)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func checkClose(t *testing.T, what string, got []float64, want map[int64]float64, eps float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d ranks, gonum %d", what, len(got), len(want))
	}
	var sum float64
	for id, w := range want {
		if d := math.Abs(got[id] - w); d > eps {
			t.Fatalf("%s: rank(%d) = %.15g, gonum %.15g (diff %g)", what, id, got[id], w, d)
		}
		sum += got[id]
	}
	if math.Abs(sum-1) > 1e-12 {
		t.Errorf("%s: ranks sum to %.15g", what, sum)
	}
}

func TestPageRankMatchesGonumOnCSR(t *testing.T) {
	for _, c := range []struct{ n, m int }{{1, 0}, {2, 1}, {10, 30}, {50, 200}, {300, 900}, {1000, 8000}} {
		for seed := range uint64(3) {
			off, tg := randomCSR(c.n, c.m, seed)
			for _, d := range []float64{0.85, 0.5, 0.99} {
				want := network.PageRankSparse(gonumDirected(c.n, off, tg), d, 1e-13)
				got := PageRankCSR(c.n, off, tg, d, 1e-13)
				checkClose(t, "random graph", got, want, 1e-9)
			}
		}
	}
}

func TestPageRankMatchesGonumOnSnapshot(t *testing.T) {
	for _, s := range []*snapshot.Snapshot{
		smallSnapshot(t, synthetic.Config{Companies: 400, Supplies: 3000, Regions: 5, Chains: 3, Seed: 7}),
		smallSnapshot(t, synthetic.Config{Companies: 2000, Supplies: 20000, Regions: 30, Chains: 6, Seed: 1}),
		snapshotOf(t, zhenjiang.Dataset()),
	} {
		// The snapshot is a gonum graph.Directed: edges supplier → customer.
		want := network.PageRankSparse(s, 0.85, 1e-13)
		got := PageRank(s, 0.85, 1e-13)
		checkClose(t, "snapshot", got, want, 1e-9)
	}
}

func snapshotOf(t testing.TB, ds *graph.Dataset) *snapshot.Snapshot {
	t.Helper()
	s, err := snapshot.Build(context.Background(), graph.DatasetReader{Data: ds})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// snapshotCSR is the supply network of s as an out-CSR (distinct customers).
func snapshotCSR(s *snapshot.Snapshot) ([]int64, []int32) {
	n := len(s.Companies)
	off := make([]int64, n+1)
	var tg []int32
	for u := range n {
		tg = append(tg, s.Customers(int32(u))...)
		off[u+1] = int64(len(tg))
	}
	return off, tg
}

func TestPageRankSnapshotEqualsCSR(t *testing.T) {
	s := smallSnapshot(t, synthetic.Config{Companies: 2000, Supplies: 20000, Regions: 30, Chains: 6, Seed: 1})
	off, tg := snapshotCSR(s)
	a := PageRank(s, 0.85, 1e-10)
	b := PageRankCSR(len(s.Companies), off, tg, 0.85, 1e-10)
	if !slices.Equal(a, b) {
		t.Error("PageRank(s) and PageRankCSR on the same network differ")
	}
}

// TestPageRankDangling checks closed forms: 0 → 1 with 1 dangling gives
// x0 = 1/(2+d), x1 = (1+d)/(2+d); a graph with no edges gives the uniform vector.
func TestPageRankDangling(t *testing.T) {
	const d = 0.85
	got := PageRankCSR(2, []int64{0, 1, 1}, []int32{1}, d, 1e-14)
	if math.Abs(got[0]-1/(2+d)) > 1e-12 || math.Abs(got[1]-(1+d)/(2+d)) > 1e-12 {
		t.Errorf("0→1: got %v, want [%g %g]", got, 1/(2+d), (1+d)/(2+d))
	}
	got = PageRankCSR(4, make([]int64, 5), nil, d, 1e-12)
	for _, r := range got {
		if math.Abs(r-0.25) > 1e-15 {
			t.Fatalf("no edges: got %v, want uniform", got)
		}
	}
	// Every node dangling but one, which points at itself: the loop keeps rank.
	// x0 = (1-d)/3 + d·x0 + d(x1+x2)/3 with x1 = x2 = (1-d)/3 + d(x1+x2)/3.
	got = PageRankCSR(3, []int64{0, 1, 1, 1}, []int32{0}, d, 1e-14)
	x1 := (1 - d) / 3 / (1 - 2*d/3)
	if math.Abs(got[1]-x1) > 1e-12 || math.Abs(got[2]-x1) > 1e-12 || math.Abs(got[0]-(1-2*x1)) > 1e-12 {
		t.Errorf("self-loop: got %v, want [%g %g %g]", got, 1-2*x1, x1, x1)
	}
}

func TestEmpty(t *testing.T) {
	if r := PageRankCSR(0, []int64{0}, nil, 0.85, 1e-10); r == nil || len(r) != 0 {
		t.Errorf("PageRankCSR on no nodes = %v", r)
	}
	s := snapshotOf(t, &graph.Dataset{})
	if r := PageRank(s, 0.85, 1e-10); r == nil || len(r) != 0 {
		t.Errorf("PageRank on an empty snapshot = %v", r)
	}
	if m, k := WeakComponents(s); len(m) != 0 || k != 0 {
		t.Errorf("WeakComponents on an empty snapshot = %v, %d", m, k)
	}
	if m, k := WeakComponentsCSR(0, []int64{0}, nil); len(m) != 0 || k != 0 {
		t.Errorf("WeakComponentsCSR on no nodes = %v, %d", m, k)
	}
}

// TestPageRankDeterministic: the parallel iteration gives bit-identical ranks
// whatever the number of goroutines.
func TestPageRankDeterministic(t *testing.T) {
	off, tg := randomCSR(30_000, 200_000, 5)
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	one, _ := pageRankCSR(30_000, off, tg, 0.85, 1e-10)
	runtime.GOMAXPROCS(4)
	four, it := pageRankCSR(30_000, off, tg, 0.85, 1e-10)
	if !slices.Equal(one, four) {
		t.Error("ranks depend on GOMAXPROCS")
	}
	if it < 10 || it >= MaxIterations {
		t.Errorf("%d iterations", it)
	}
}

// membershipOf numbers gonum's components by their smallest node, like WeakComponents.
func membershipOf(n int, comps [][]int64) ([]int32, int) {
	mins := make([]int64, len(comps))
	for i, cc := range comps {
		mins[i] = slices.Min(cc)
	}
	order := make([]int, len(comps))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return int(mins[a] - mins[b]) })
	m := make([]int32, n)
	for k, i := range order {
		for _, v := range comps[i] {
			m[v] = int32(k)
		}
	}
	return m, len(comps)
}

func gonumComponents(g *simple.UndirectedGraph, n int) ([]int32, int) {
	var comps [][]int64
	for _, cc := range topo.ConnectedComponents(g) {
		ids := make([]int64, len(cc))
		for i, x := range cc {
			ids[i] = x.ID()
		}
		comps = append(comps, ids)
	}
	return membershipOf(n, comps)
}

func TestWeakComponentsMatchGonum(t *testing.T) {
	for _, c := range []struct{ n, m int }{{1, 0}, {5, 3}, {50, 40}, {300, 250}, {1000, 600}, {2000, 6000}} {
		for seed := range uint64(4) {
			off, tg := randomCSR(c.n, c.m, seed)
			want, wk := gonumComponents(gonumUndirected(c.n, off, tg), c.n)
			got, k := WeakComponentsCSR(c.n, off, tg)
			if k != wk || !slices.Equal(got, want) {
				t.Fatalf("n=%d m=%d seed %d: %d components, gonum %d", c.n, c.m, seed, k, wk)
			}
		}
	}
	for _, s := range []*snapshot.Snapshot{
		smallSnapshot(t, synthetic.Config{Companies: 400, Supplies: 300, Regions: 5, Chains: 3, Seed: 7}),
		smallSnapshot(t, synthetic.Config{Companies: 2000, Supplies: 20000, Regions: 30, Chains: 6, Seed: 1}),
		snapshotOf(t, zhenjiang.Dataset()),
	} {
		n := len(s.Companies)
		off, tg := snapshotCSR(s)
		want, wk := gonumComponents(gonumUndirected(n, off, tg), n)
		got, k := WeakComponents(s)
		if k != wk || !slices.Equal(got, want) {
			t.Fatalf("snapshot of %d firms: %d components, gonum %d", n, k, wk)
		}
		t.Logf("snapshot of %d firms, %d ties: %d weak components", n, len(s.Ties), k)
	}
}

// TestWeakComponentsOrder: components are numbered by smallest member; loops and
// reversed edges are fine.
func TestWeakComponentsOrder(t *testing.T) {
	// 0  1→4  2→2  3→1  5→3: components {0}, {1,3,4,5}, {2}.
	off := []int64{0, 0, 1, 2, 3, 3, 4}
	tg := []int32{4, 2, 1, 3}
	m, k := WeakComponentsCSR(6, off, tg)
	if want := []int32{0, 1, 2, 1, 1, 1}; k != 3 || !slices.Equal(m, want) {
		t.Errorf("got %v (%d), want %v (3)", m, k, want)
	}
}
