package leaders

import (
	"github.com/chainmap/chainmap/analysis/rank"
	"github.com/chainmap/chainmap/analysis/snapshot"
	gg "gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/simple"
)

// chainView is a chain's current supply network as a gonum graph.Directed over the
// snapshot, without copying it: nodes are company indices, and u→v is an edge when u
// supplies v on at least one kept tie (Active, in one of the chain's links, or with
// no link between two firms that both operate in the chain). Edges run supplier →
// customer, so PageRank mass flows to the firms many suppliers sell to and HITS
// authorities are the customers of good suppliers.
type chainView struct {
	s      *snapshot.Snapshot
	member []bool  // company index → node of the view
	nodes  []int32 // the members, ascending
	keep   func(t *snapshot.Tie) bool
}

var _ gg.Directed = (*chainView)(nil)

func (g *chainView) has(id int64) bool {
	return id >= 0 && id < int64(len(g.member)) && g.member[id]
}

// Node returns the company with index id if it is in the view.
func (g *chainView) Node(id int64) gg.Node {
	if !g.has(id) {
		return nil
	}
	return simple.Node(id)
}

// Nodes returns the view's companies.
func (g *chainView) Nodes() gg.Nodes { return snapshot.NodesOf(g.nodes) }

// From returns the distinct customers u sells to on kept ties.
func (g *chainView) From(u int64) gg.Nodes {
	if !g.has(u) {
		return gg.Empty
	}
	var out []int32
	for i := range g.s.Out(int32(u)) {
		t := &g.s.Out(int32(u))[i]
		// Out is sorted by customer, so duplicates are adjacent.
		if g.keep(t) && g.member[t.Customer] && (len(out) == 0 || out[len(out)-1] != t.Customer) {
			out = append(out, t.Customer)
		}
	}
	return snapshot.NodesOf(out)
}

// To returns the distinct suppliers selling to v on kept ties.
func (g *chainView) To(v int64) gg.Nodes {
	if !g.has(v) {
		return gg.Empty
	}
	var out []int32
	for _, ti := range g.s.In(int32(v)) {
		t := &g.s.Ties[ti]
		// In lists ties in supplier order, so duplicates are adjacent.
		if g.keep(t) && g.member[t.Supplier] && (len(out) == 0 || out[len(out)-1] != t.Supplier) {
			out = append(out, t.Supplier)
		}
	}
	return snapshot.NodesOf(out)
}

// HasEdgeBetween reports a kept tie either way.
func (g *chainView) HasEdgeBetween(x, y int64) bool {
	return g.HasEdgeFromTo(x, y) || g.HasEdgeFromTo(y, x)
}

// HasEdgeFromTo reports whether u supplies v on a kept tie.
func (g *chainView) HasEdgeFromTo(u, v int64) bool {
	if !g.has(u) || !g.has(v) {
		return false
	}
	for i := range g.s.Out(int32(u)) {
		t := &g.s.Out(int32(u))[i]
		if int64(t.Customer) == v && g.keep(t) {
			return true
		}
	}
	return false
}

// Edge returns the edge u→v, or nil.
func (g *chainView) Edge(u, v int64) gg.Edge {
	if !g.HasEdgeFromTo(u, v) {
		return nil
	}
	return simple.Edge{F: simple.Node(u), T: simple.Node(v)}
}

// pageRank is PageRank over the view in company-index order. It uses rank's
// deterministic power iteration from the uniform vector rather than gonum's
// PageRankSparse, whose random start makes the last digits differ from run to run:
// the same data must give officials the same list, to the digit.
func (g *chainView) pageRank(damping, tol float64) map[int32]float64 {
	pos := make(map[int32]int32, len(g.nodes))
	for i, c := range g.nodes {
		pos[c] = int32(i)
	}
	offsets := make([]int64, 1, len(g.nodes)+1)
	var targets []int32
	for _, u := range g.nodes {
		customers := g.From(int64(u))
		for customers.Next() {
			targets = append(targets, pos[int32(customers.Node().ID())])
		}
		offsets = append(offsets, int64(len(targets)))
	}
	pr := rank.PageRankCSR(len(g.nodes), offsets, targets, damping, tol)
	out := make(map[int32]float64, len(g.nodes))
	for i, c := range g.nodes {
		out[c] = pr[i]
	}
	return out
}
