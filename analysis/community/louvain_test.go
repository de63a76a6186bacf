package community

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/graph"
	gcommunity "gonum.org/v1/gonum/graph/community"
	"gonum.org/v1/gonum/graph/simple"

	"github.com/chainmap/chainmap/analysis/snapshot"
	"github.com/chainmap/chainmap/seed/synthetic"
)

// twoCliques is two k-cliques joined by one edge (node k-1 to node k).
func twoCliques(k int) (int, [][2]int32) {
	var edges [][2]int32
	for off := 0; off < 2*k; off += k {
		for i := off; i < off+k; i++ {
			for j := i + 1; j < off+k; j++ {
				edges = append(edges, [2]int32{int32(i), int32(j)})
			}
		}
	}
	return 2 * k, append(edges, [2]int32{int32(k - 1), int32(k)})
}

// plantedPartition is a random graph of groups×size nodes: pairs in a group are tied
// with probability pIn, others with pOut.
func plantedPartition(groups, size int, pIn, pOut float64, seed uint64) (int, [][2]int32) {
	rng := rand.New(rand.NewPCG(seed, 1))
	n := groups * size
	var edges [][2]int32
	for i := range n {
		for j := i + 1; j < n; j++ {
			p := pOut
			if i/size == j/size {
				p = pIn
			}
			if rng.Float64() < p {
				edges = append(edges, [2]int32{int32(i), int32(j)})
			}
		}
	}
	return n, edges
}

func gonumGraph(n int, edges [][2]int32, weights []float64) *simple.WeightedUndirectedGraph {
	g := simple.NewWeightedUndirectedGraph(0, 0)
	for i := range n {
		g.AddNode(simple.Node(i))
	}
	for i, e := range edges {
		w := 1.0
		if weights != nil {
			w = weights[i]
		}
		g.SetWeightedEdge(g.NewWeightedEdge(simple.Node(e[0]), simple.Node(e[1]), w))
	}
	return g
}

func gonumCommunities(membership []int32) [][]graph.Node {
	k := 0
	for _, c := range membership {
		k = max(k, int(c)+1)
	}
	out := make([][]graph.Node, k)
	for v, c := range membership {
		out[c] = append(out[c], simple.Node(v))
	}
	return out
}

func TestTwoCliques(t *testing.T) {
	n, edges := twoCliques(5)
	off, nbr, w := CSRFromEdges(n, edges, nil)
	if w != nil {
		t.Fatalf("unit graph got weights")
	}
	for seed := range uint64(10) {
		m, q := LouvainCSR(n, off, nbr, w, Params{Seed: seed})
		for i := range 5 {
			if m[i] != m[0] || m[5+i] != m[5] || m[0] == m[5] {
				t.Fatalf("seed %d: membership %v, want the two cliques", seed, m)
			}
		}
		want := gcommunity.Q(gonumGraph(n, edges, nil), gonumCommunities(m), 1)
		if math.Abs(q-want) > 1e-12 {
			t.Fatalf("seed %d: Q = %v, gonum %v", seed, q, want)
		}
		// By hand: m = 21 edges, each community 10 internal + degree 21.
		if byHand := 2 * (10.0/21 - math.Pow(21.0/42, 2)); math.Abs(q-byHand) > 1e-12 {
			t.Fatalf("Q = %v, want %v", q, byHand)
		}
	}
}

// TestModularityMatchesGonum checks Modularity against gonum's community.Q on
// weighted graphs, for random partitions and several resolutions. (gonum's simple
// graphs hold no loops; TestLoops checks those by hand.)
func TestModularityMatchesGonum(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for trial := range 20 {
		n, edges := plantedPartition(4, 8, 0.5, 0.05, uint64(trial))
		var weights []float64
		for i := range edges {
			weights = append(weights, 0.5+float64(i%4))
		}
		g := gonumGraph(n, edges, weights)
		off, nbr, w := CSRFromEdges(n, edges, weights)
		m := make([]int32, n)
		for i := range m {
			m[i] = int32(rng.IntN(5))
		}
		for _, gamma := range []float64{0.5, 1, 2} {
			got := ModularityAt(n, off, nbr, w, m, gamma)
			want := gcommunity.Q(g, gonumCommunities(m), gamma)
			if math.Abs(got-want) > 1e-12 {
				t.Fatalf("trial %d γ=%v: Q = %v, gonum %v", trial, gamma, got, want)
			}
		}
		if got, want := Modularity(n, off, nbr, w, m), gcommunity.Q(g, gonumCommunities(m), 1); math.Abs(got-want) > 1e-12 {
			t.Fatalf("trial %d: Modularity = %v, gonum %v", trial, got, want)
		}
		// The reported modularity of a Louvain run is gonum's Q of its partition.
		lm, q := LouvainCSR(n, off, nbr, w, Params{Seed: uint64(trial)})
		if want := gcommunity.Q(g, gonumCommunities(lm), 1); math.Abs(q-want) > 1e-12 {
			t.Fatalf("trial %d: Louvain Q = %v, gonum %v", trial, q, want)
		}
	}
}

// TestLoops: a loop of weight w counts w once in its node's degree and in its
// community's internal weight.
func TestLoops(t *testing.T) {
	off, nbr, w := CSRFromEdges(2, [][2]int32{{0, 1}, {0, 0}}, []float64{1, 2})
	if !slices.Equal(off, []int64{0, 2, 3}) || !slices.Equal(nbr, []int32{0, 1, 0}) || !slices.Equal(w, []float64{2, 1, 1}) {
		t.Fatalf("CSR %v %v %v", off, nbr, w)
	}
	if q := Modularity(2, off, nbr, w, []int32{0, 0}); q != 0 {
		t.Fatalf("one community: Q = %v", q)
	}
	if q := Modularity(2, off, nbr, w, []int32{0, 1}); q != -0.125 { // (2 − 9/4 − 1/4) / 4
		t.Fatalf("singletons: Q = %v", q)
	}
}

func TestDisconnectedAndIsolated(t *testing.T) {
	// Three triangles, no ties between them, plus isolated nodes 9, 10, 11.
	edges := [][2]int32{{0, 1}, {1, 2}, {0, 2}, {3, 4}, {4, 5}, {3, 5}, {6, 7}, {7, 8}, {6, 8}}
	n := 12
	off, nbr, w := CSRFromEdges(n, edges, nil)
	m, q := LouvainCSR(n, off, nbr, w, Params{Seed: 3})
	for tri := 0; tri < 9; tri += 3 {
		if m[tri] != m[tri+1] || m[tri] != m[tri+2] {
			t.Fatalf("triangle %d split: %v", tri/3, m)
		}
	}
	seen := map[int32]bool{}
	for _, v := range []int{0, 3, 6, 9, 10, 11} {
		if seen[m[v]] {
			t.Fatalf("components merged: %v", m)
		}
		seen[m[v]] = true
	}
	if want := 2.0 / 3; math.Abs(q-want) > 1e-12 { // 3 × (1/3 − 1/9)
		t.Fatalf("Q = %v, want %v", q, want)
	}
	// No edges at all: singletons, modularity 0.
	off, nbr, w = CSRFromEdges(4, nil, nil)
	m, q = LouvainCSR(4, off, nbr, w, Params{})
	if !slices.Equal(m, []int32{0, 1, 2, 3}) || q != 0 {
		t.Fatalf("empty graph: %v %v", m, q)
	}
	if m, q = LouvainCSR(0, []int64{0}, nil, nil, Params{}); len(m) != 0 || q != 0 {
		t.Fatalf("no nodes: %v %v", m, q)
	}
}

func TestDeterministic(t *testing.T) {
	n, edges := plantedPartition(10, 30, 0.2, 0.02, 5)
	off, nbr, w := CSRFromEdges(n, edges, nil)
	a, qa := LouvainCSR(n, off, nbr, w, Params{Seed: 42})
	for range 3 {
		b, qb := LouvainCSR(n, off, nbr, w, Params{Seed: 42})
		if !slices.Equal(a, b) || qa != qb {
			t.Fatal("same seed, different partition")
		}
	}
	s := smallSnapshot(t, 3000, 15000)
	r1, err := Louvain(s, Params{Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	r2, _ := Louvain(s, Params{Seed: 9})
	if !slices.Equal(r1.Membership, r2.Membership) || r1.Modularity != r2.Modularity || r1.Levels != r2.Levels {
		t.Fatal("Louvain on a snapshot is not deterministic")
	}
}

func TestResolutionAndMaxLevels(t *testing.T) {
	n, edges := plantedPartition(8, 25, 0.3, 0.01, 2)
	off, nbr, w := CSRFromEdges(n, edges, nil)
	count := func(m []int32) int { return int(slices.Max(m)) + 1 }
	lo, _ := LouvainCSR(n, off, nbr, w, Params{Resolution: 0.2, Seed: 1})
	hi, _ := LouvainCSR(n, off, nbr, w, Params{Resolution: 5, Seed: 1})
	if count(lo) >= count(hi) {
		t.Fatalf("resolution 0.2 gives %d communities, 5 gives %d", count(lo), count(hi))
	}
	one, q1 := LouvainCSR(n, off, nbr, w, Params{Seed: 1, MaxLevels: 1})
	all, qa := LouvainCSR(n, off, nbr, w, Params{Seed: 1})
	if count(one) < count(all) || q1 > qa+1e-12 {
		t.Fatalf("one level: %d communities Q %v; all: %d Q %v", count(one), q1, count(all), qa)
	}
}

func smallSnapshot(t testing.TB, companies, supplies int) *snapshot.Snapshot {
	t.Helper()
	eco, err := synthetic.New(synthetic.Config{Companies: companies, Supplies: supplies, Regions: 6, Chains: 3, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	s, err := snapshot.Build(context.Background(), eco)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestBeatsGonum: on ~500-node graphs, where gonum's Modularize is still fast, the
// partition is at least as modular as gonum's (best of three gonum seeds).
func TestBeatsGonum(t *testing.T) {
	type tc struct {
		name  string
		n     int
		edges [][2]int32
	}
	cases := []tc{}
	n, edges := plantedPartition(10, 50, 0.08, 0.008, 11)
	cases = append(cases, tc{"planted", n, edges})
	n, edges = plantedPartition(1, 500, 0.012, 0, 12) // Erdős–Rényi, mean degree 6
	cases = append(cases, tc{"random", n, edges})
	s := smallSnapshot(t, 500, 2500)
	off, nbr, _ := SnapshotCSR(s, false)
	edges = nil
	for u := range len(s.Companies) {
		for _, v := range nbr[off[u]:off[u+1]] {
			if int32(u) < v {
				edges = append(edges, [2]int32{int32(u), v})
			}
		}
	}
	cases = append(cases, tc{"synthetic", len(s.Companies), edges})
	for _, c := range cases {
		g := gonumGraph(c.n, c.edges, nil)
		gq := math.Inf(-1)
		for seed := range uint64(3) {
			red := gcommunity.Modularize(g, 1, rand.NewPCG(seed, seed))
			gq = max(gq, gcommunity.Q(g, red.Communities(), 1))
		}
		off, nbr, w := CSRFromEdges(c.n, c.edges, nil)
		_, q := LouvainCSR(c.n, off, nbr, w, Params{Seed: 1})
		t.Logf("%s: n=%d m=%d Q=%.5f gonum=%.5f", c.name, c.n, len(c.edges), q, gq)
		if q < gq-1e-9 {
			t.Errorf("%s: Q = %.5f, gonum %.5f", c.name, q, gq)
		}
	}
}

func TestSnapshotCSR(t *testing.T) {
	s := smallSnapshot(t, 600, 3000)
	off, nbr, w := SnapshotCSR(s, false)
	offW, nbrW, wW := SnapshotCSR(s, true)
	if w != nil || !slices.Equal(off, offW) || !slices.Equal(nbr, nbrW) {
		t.Fatal("weighted and unweighted CSR differ in structure")
	}
	var total float64
	for _, x := range wW {
		total += x
	}
	self := 0
	for _, tie := range s.Ties {
		if tie.Supplier == tie.Customer {
			self++
		}
	}
	if want := float64(2 * (len(s.Ties) - self)); total != want {
		t.Fatalf("tie weights sum to %v, want %v", total, want)
	}
	for u := range len(s.Companies) {
		row := nbr[off[u]:off[u+1]]
		if !slices.IsSorted(row) {
			t.Fatalf("row %d not sorted", u)
		}
		for _, v := range row {
			if int(v) == u {
				t.Fatalf("self-loop at %d", u)
			}
			if _, ok := slices.BinarySearch(nbr[off[v]:off[v+1]], int32(u)); !ok {
				t.Fatalf("edge %d-%d not symmetric", u, v)
			}
			if !s.HasEdgeBetween(int64(u), int64(v)) {
				t.Fatalf("edge %d-%d not in snapshot", u, v)
			}
		}
	}
}

func TestLouvainSnapshotAndChains(t *testing.T) {
	s := smallSnapshot(t, 3000, 15000)
	for _, weighted := range []bool{false, true} {
		r, err := Louvain(s, Params{Seed: 1, TieWeighted: weighted})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Membership) != len(s.Companies) || r.Levels < 1 || r.Modularity <= 0.1 {
			t.Fatalf("weighted=%v: %d members, %d levels, Q %v", weighted, len(r.Membership), r.Levels, r.Modularity)
		}
		total := 0
		for i, c := range r.Communities {
			if i > 0 && len(c) > len(r.Communities[i-1]) {
				t.Fatal("communities not sorted by size")
			}
			for _, v := range c {
				if r.Membership[v] != int32(i) {
					t.Fatalf("membership of %d is %d, listed in %d", v, r.Membership[v], i)
				}
			}
			total += len(c)
		}
		if total != len(s.Companies) {
			t.Fatalf("communities cover %d firms of %d", total, len(s.Companies))
		}
		off, nbr, w := SnapshotCSR(s, weighted)
		if q := Modularity(len(s.Companies), off, nbr, w, r.Membership); math.Abs(q-r.Modularity) > 1e-12 {
			t.Fatalf("Modularity %v, Result %v", q, r.Modularity)
		}
		t.Logf("weighted=%v: %d communities, %d levels, Q=%.4f", weighted, len(r.Communities), r.Levels, r.Modularity)
	}
	r, _ := Louvain(s, Params{Seed: 1})
	rep := NewReport(s, r, Params{Seed: 1})
	if len(rep.Mixes) == 0 {
		t.Fatal("no large communities")
	}
	for _, m := range rep.Mixes {
		if m.Size < MinCommunitySize || m.Size != len(r.Communities[m.Community]) {
			t.Fatalf("mix %+v", m)
		}
		firms := 0
		for i, c := range m.Chains {
			firms += c.Firms
			if i > 0 && c.Firms > m.Chains[i-1].Firms {
				t.Fatal("chains not sorted")
			}
		}
		// Every firm is unchained or in ≥1 chain; cross-chain firms count ≥2 times.
		if firms < m.Size-m.Unchained+m.CrossChainFirms {
			t.Fatalf("mix %+v counts %d chain memberships", m, firms)
		}
	}
	h, rows := rep.Table()
	if len(rows) != len(rep.Mixes) || len(rows[0]) != len(h) {
		t.Fatalf("table %d×%d for %d mixes", len(rows), len(h), len(rep.Mixes))
	}
	t.Logf("%v\n%v", h, rows[0])
	// JSON: ids and snake_case keys, never snapshot indices.
	js, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var back map[string]any
	if err := json.Unmarshal(js, &back); err != nil {
		t.Fatal(err)
	}
	items, _ := back["items"].([]any)
	if len(items) != len(rep.Mixes) || back["modularity"] == nil || strings.Contains(string(js), "Communities") ||
		strings.Contains(string(js), "Membership") {
		t.Fatalf("json %s", js[:min(len(js), 400)])
	}
	first := items[0].(map[string]any)
	members := first["members"].([]any)
	id := members[0].(map[string]any)["company_id"].(string)
	if s.Company(id) == snapshot.None || len(first["reasons"].([]any)) == 0 {
		t.Errorf("first community %v", first)
	}
	if _, err := Louvain(s, Params{Resolution: -1}); err == nil {
		t.Fatal("negative resolution accepted")
	}
}

// TestLeidenCommunitiesAreConnected: every Leiden community induces a connected
// subgraph (the guarantee of its refinement), on planted, random and synthetic
// supply graphs, and Leiden's modularity is at least plain Louvain's best of three
// less a rounding margin.
func TestLeidenCommunitiesAreConnected(t *testing.T) {
	for _, tc := range benchGraphs(t) {
		off, nbr, w := tc.off, tc.nbr, tc.w
		mem, q := LouvainCSR(tc.n, off, nbr, w, Params{Seed: 3})
		_, ql := LouvainCSR(tc.n, off, nbr, w, Params{Seed: 3, Method: LouvainMethod})
		t.Logf("%s: Leiden Q=%.5f, Louvain Q=%.5f", tc.name, q, ql)
		if q < ql-0.005 {
			t.Errorf("%s: Leiden %.5f well below Louvain %.5f", tc.name, q, ql)
		}
		if bad := disconnected(tc.n, off, nbr, mem); bad >= 0 {
			t.Errorf("%s: community %d is not connected", tc.name, bad)
		}
	}
}

// disconnected returns a community of mem whose members do not form one connected
// piece of the graph, or -1.
func disconnected(n int, off []int64, nbr []int32, mem []int32) int32 {
	seen := make([]bool, n)
	done := map[int32]bool{}
	for s := range n {
		c := mem[s]
		if done[c] {
			if !seen[s] {
				return c // a second piece of a community already searched
			}
			continue
		}
		done[c] = true
		queue := []int32{int32(s)}
		seen[s] = true
		for len(queue) > 0 {
			u := queue[0]
			queue = queue[1:]
			for _, v := range nbr[off[u]:off[u+1]] {
				if !seen[v] && mem[v] == c {
					seen[v] = true
					queue = append(queue, v)
				}
			}
		}
	}
	return -1
}

// TestDisconnectedFindsASplitCommunity: the connectivity check can fail.
func TestDisconnectedFindsASplitCommunity(t *testing.T) {
	off, nbr, _ := CSRFromEdges(4, [][2]int32{{0, 1}, {2, 3}}, nil)
	if disconnected(4, off, nbr, []int32{0, 0, 0, 0}) != 0 {
		t.Error("two pieces in one community not found")
	}
	if disconnected(4, off, nbr, []int32{0, 0, 1, 1}) != -1 {
		t.Error("connected communities reported split")
	}
}

type csrCase struct {
	name string
	n    int
	off  []int64
	nbr  []int32
	w    []float64
}

// benchGraphs are the graphs of TestBeatsGonum, plus a 5,000-firm synthetic network.
func benchGraphs(t *testing.T) []csrCase {
	var out []csrCase
	add := func(name string, n int, edges [][2]int32) {
		off, nbr, w := CSRFromEdges(n, edges, nil)
		out = append(out, csrCase{name, n, off, nbr, w})
	}
	n, edges := plantedPartition(10, 50, 0.08, 0.008, 11)
	add("planted", n, edges)
	n, edges = plantedPartition(1, 500, 0.012, 0, 12)
	add("random", n, edges)
	for _, size := range []int{500, 5000} {
		s := smallSnapshot(t, size, 5*size)
		off, nbr, w := SnapshotCSR(s, false)
		out = append(out, csrCase{fmt.Sprintf("synthetic %d", size), len(s.Companies), off, nbr, w})
	}
	return out
}
