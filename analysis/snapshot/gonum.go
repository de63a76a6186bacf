package snapshot

import (
	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/simple"
)

// The supply network as a gonum graph.Directed: node IDs are company indices and
// there is an edge u→v when u supplies v in any link. Iterators walk the CSR slices
// directly, so algorithms such as network.PageRank run without building a copy.

var _ graph.Directed = (*Snapshot)(nil)

// Node returns the company with index id, or nil.
func (s *Snapshot) Node(id int64) graph.Node {
	if id < 0 || id >= int64(len(s.Companies)) {
		return nil
	}
	return simple.Node(id)
}

// Nodes returns every company.
func (s *Snapshot) Nodes() graph.Nodes { return &rangeNodes{n: int64(len(s.Companies)), i: -1} }

// From returns the customers of company id.
func (s *Snapshot) From(id int64) graph.Nodes {
	if s.Node(id) == nil {
		return graph.Empty
	}
	return newSliceNodes(s.Customers(int32(id)))
}

// To returns the suppliers of company id.
func (s *Snapshot) To(id int64) graph.Nodes {
	if s.Node(id) == nil {
		return graph.Empty
	}
	return newSliceNodes(s.Suppliers(int32(id)))
}

// HasEdgeBetween reports a tie in either direction.
func (s *Snapshot) HasEdgeBetween(xid, yid int64) bool {
	return s.HasEdgeFromTo(xid, yid) || s.HasEdgeFromTo(yid, xid)
}

// HasEdgeFromTo reports whether u supplies v.
func (s *Snapshot) HasEdgeFromTo(uid, vid int64) bool {
	if s.Node(uid) == nil || s.Node(vid) == nil {
		return false
	}
	_, found := binarySearch(s.Customers(int32(uid)), int32(vid))
	return found
}

// Edge returns the edge u→v, or nil.
func (s *Snapshot) Edge(uid, vid int64) graph.Edge {
	if !s.HasEdgeFromTo(uid, vid) {
		return nil
	}
	return simple.Edge{F: simple.Node(uid), T: simple.Node(vid)}
}

func binarySearch(xs []int32, x int32) (int, bool) {
	lo, hi := 0, len(xs)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if xs[m] < x {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo, lo < len(xs) && xs[lo] == x
}

// rangeNodes iterates the IDs 0..n-1.
type rangeNodes struct{ n, i int64 }

func (r *rangeNodes) Next() bool {
	if r.i+1 >= r.n {
		r.i = r.n
		return false
	}
	r.i++
	return true
}
func (r *rangeNodes) Len() int {
	if rem := r.n - r.i - 1; rem > 0 {
		return int(rem)
	}
	return 0
}
func (r *rangeNodes) Reset()           { r.i = -1 }
func (r *rangeNodes) Node() graph.Node { return simple.Node(r.i) }

// sliceNodes iterates a slice of indices without copying it.
type sliceNodes struct {
	ids []int32
	i   int
}

// NodesOf returns a gonum node iterator over ids without copying them, for views
// built on the snapshot by other packages.
func NodesOf(ids []int32) graph.Nodes { return newSliceNodes(ids) }

func newSliceNodes(ids []int32) graph.Nodes {
	if len(ids) == 0 {
		return graph.Empty
	}
	return &sliceNodes{ids: ids, i: -1}
}

func (n *sliceNodes) Next() bool {
	if n.i+1 >= len(n.ids) {
		n.i = len(n.ids)
		return false
	}
	n.i++
	return true
}
func (n *sliceNodes) Len() int {
	if rem := len(n.ids) - n.i - 1; rem > 0 {
		return rem
	}
	return 0
}
func (n *sliceNodes) Reset()           { n.i = -1 }
func (n *sliceNodes) Node() graph.Node { return simple.Node(n.ids[n.i]) }

// ChainGraph is a chain's link DAG as a gonum graph.Directed: nodes are link
// indices of the chain, edges its feeds between them.
type ChainGraph struct {
	s     *Snapshot
	chain int32
	links []int32
}

// ChainGraph returns chain ch's feed DAG.
func (s *Snapshot) ChainGraph(ch int32) *ChainGraph {
	return &ChainGraph{s: s, chain: ch, links: s.ChainLinks[ch]}
}

var _ graph.Directed = (*ChainGraph)(nil)

func (g *ChainGraph) in(id int64) bool {
	return id >= 0 && id < int64(len(g.s.Links)) && g.s.LinkChain[id] == g.chain
}

// Node returns the link with index id if it belongs to the chain.
func (g *ChainGraph) Node(id int64) graph.Node {
	if !g.in(id) {
		return nil
	}
	return simple.Node(id)
}

// Nodes returns the chain's links.
func (g *ChainGraph) Nodes() graph.Nodes { return newSliceNodes(g.links) }

// From returns the links of the chain that id feeds.
func (g *ChainGraph) From(id int64) graph.Nodes {
	if !g.in(id) {
		return graph.Empty
	}
	return newSliceNodes(g.sameChain(g.s.FeedsOut[id]))
}

// To returns the links of the chain that feed id.
func (g *ChainGraph) To(id int64) graph.Nodes {
	if !g.in(id) {
		return graph.Empty
	}
	return newSliceNodes(g.sameChain(g.s.FeedsIn[id]))
}

func (g *ChainGraph) sameChain(ls []int32) []int32 {
	var out []int32
	for _, l := range ls {
		if g.s.LinkChain[l] == g.chain {
			out = append(out, l)
		}
	}
	return out
}

// HasEdgeBetween reports a feed either way.
func (g *ChainGraph) HasEdgeBetween(x, y int64) bool {
	return g.HasEdgeFromTo(x, y) || g.HasEdgeFromTo(y, x)
}

// HasEdgeFromTo reports whether link u feeds link v within the chain.
func (g *ChainGraph) HasEdgeFromTo(u, v int64) bool {
	if !g.in(u) || !g.in(v) {
		return false
	}
	for _, l := range g.s.FeedsOut[u] {
		if int64(l) == v {
			return true
		}
	}
	return false
}

// Edge returns the feed u→v, or nil.
func (g *ChainGraph) Edge(u, v int64) graph.Edge {
	if !g.HasEdgeFromTo(u, v) {
		return nil
	}
	return simple.Edge{F: simple.Node(u), T: simple.Node(v)}
}
