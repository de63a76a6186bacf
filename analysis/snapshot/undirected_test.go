package snapshot

import (
	"gonum.org/v1/gonum/graph"
)

// undirected views a directed graph as undirected for topo.ConnectedComponents.
type undirected struct{ graph.Directed }

func (u undirected) From(id int64) graph.Nodes {
	var ids []int64
	seen := map[int64]bool{}
	for _, it := range []graph.Nodes{u.Directed.From(id), u.Directed.To(id)} {
		for it.Next() {
			if n := it.Node().ID(); !seen[n] {
				seen[n] = true
				ids = append(ids, n)
			}
		}
	}
	out := make([]graph.Node, len(ids))
	for i, n := range ids {
		out[i] = u.Node(n)
	}
	return iteratorOf(out)
}

func (u undirected) EdgeBetween(x, y int64) graph.Edge {
	if e := u.Edge(x, y); e != nil {
		return e
	}
	return u.Edge(y, x)
}

type nodeList struct {
	nodes []graph.Node
	i     int
}

func iteratorOf(n []graph.Node) graph.Nodes { return &nodeList{nodes: n, i: -1} }
func (l *nodeList) Next() bool {
	if l.i+1 >= len(l.nodes) {
		l.i = len(l.nodes)
		return false
	}
	l.i++
	return true
}
func (l *nodeList) Len() int {
	if r := len(l.nodes) - l.i - 1; r > 0 {
		return r
	}
	return 0
}
func (l *nodeList) Reset()           { l.i = -1 }
func (l *nodeList) Node() graph.Node { return l.nodes[l.i] }
