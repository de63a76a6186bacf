package rank

import "github.com/chainmap/chainmap/analysis/snapshot"

// WeakComponents returns the weakly connected components of the supply network of
// s: firms are in the same component when a chain of supply ties, followed in
// either direction, joins them. membership[v] is the component of company v and
// count the number of components; components are numbered 0..count-1 in order of
// their smallest company index (the numbering igraph's connected_components and a
// breadth-first search from 0, 1, … give), so a firm with no tie is a component of
// its own. One int32 per firm is allocated; nothing per tie.
func WeakComponents(s *snapshot.Snapshot) (membership []int32, count int) {
	n := len(s.Companies)
	p := newForest(n)
	for u := range n {
		for _, v := range s.Customers(int32(u)) {
			unite(p, int32(u), v)
		}
	}
	return label(p)
}

// WeakComponentsCSR is WeakComponents for any directed (or undirected) graph on
// nodes 0..n-1 in compressed sparse rows: the neighbours of u are
// targets[offsets[u]:offsets[u+1]]. Edge direction is ignored, so listing each
// edge in one direction is enough.
func WeakComponentsCSR(n int, offsets []int64, targets []int32) (membership []int32, count int) {
	p := newForest(n)
	for u := range n {
		for _, v := range targets[offsets[u]:offsets[u+1]] {
			unite(p, int32(u), v)
		}
	}
	return label(p)
}

func newForest(n int) []int32 {
	p := make([]int32, n)
	for i := range p {
		p[i] = int32(i)
	}
	return p
}

// unite merges the trees of x and y by Rem's algorithm with splicing (Patwary,
// Blair & Manne, "Experiments on union-find algorithms for the disjoint-set data
// structure", SEA 2010, the fastest variant in their study): walk both paths up
// together, always advancing the node with the larger parent and re-hanging it
// under the other's parent. Parents only ever decrease, so p[v] ≤ v throughout
// and every root is the smallest node of its tree.
func unite(p []int32, x, y int32) {
	for p[x] != p[y] {
		if p[x] < p[y] {
			x, y = y, x
		}
		// p[x] > p[y]
		if p[x] == x {
			p[x] = p[y]
			return
		}
		z := p[x]
		p[x] = p[y]
		x = z
	}
}

// label turns the forest into component numbers in place. Because p[v] < v for
// every non-root v, a scan in index order finds p[v] already labelled; roots (the
// smallest node of each component) get the next number.
func label(p []int32) ([]int32, int) {
	k := int32(0)
	for v := range p {
		if pv := p[v]; pv == int32(v) {
			p[v] = k
			k++
		} else {
			p[v] = p[pv]
		}
	}
	return p, int(k)
}
