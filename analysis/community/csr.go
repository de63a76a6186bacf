package community

import (
	"cmp"
	"slices"

	"github.com/chainmap/chainmap/analysis/snapshot"
)

// SnapshotCSR returns the supply network of s as an undirected graph in compressed
// sparse rows over company indices: v is a neighbour of u when either supplies the
// other in any link (self-ties dropped), each pair listed once per endpoint, sorted.
// Weights are nil (all 1) unless tieWeighted, when a pair weighs its number of
// supply ties in both directions over all links.
func SnapshotCSR(s *snapshot.Snapshot, tieWeighted bool) (offsets []int64, neighbours []int32, weights []float64) {
	n := len(s.Companies)
	offsets = make([]int64, n+1)
	neighbours = make([]int32, 0, 2*len(s.Ties))
	if tieWeighted {
		weights = make([]float64, 0, 2*len(s.Ties))
	}
	for u := range n {
		uu := int32(u)
		if !tieWeighted {
			// Merge the distinct customer and supplier lists (both sorted).
			a, b := s.Customers(uu), s.Suppliers(uu)
			for len(a) > 0 || len(b) > 0 {
				var v int32
				switch {
				case len(b) == 0 || (len(a) > 0 && a[0] < b[0]):
					v, a = a[0], a[1:]
				case len(a) == 0 || b[0] < a[0]:
					v, b = b[0], b[1:]
				default:
					v, a, b = a[0], a[1:], b[1:]
				}
				if v != uu {
					neighbours = append(neighbours, v)
				}
			}
		} else {
			from := len(neighbours)
			for _, t := range s.Out(uu) {
				if t.Customer != uu {
					neighbours = append(neighbours, t.Customer)
				}
			}
			for _, ti := range s.In(uu) {
				if v := s.Ties[ti].Supplier; v != uu {
					neighbours = append(neighbours, v)
				}
			}
			row := neighbours[from:]
			slices.Sort(row)
			// Collapse runs into (neighbour, count).
			j := from
			for i := from; i < len(neighbours); {
				r := i
				for r < len(neighbours) && neighbours[r] == neighbours[i] {
					r++
				}
				neighbours[j] = neighbours[i]
				weights = append(weights, float64(r-i))
				j++
				i = r
			}
			neighbours = neighbours[:j]
		}
		offsets[u+1] = int64(len(neighbours))
	}
	return offsets, neighbours, weights
}

// CSRFromEdges builds a symmetric CSR (the form LouvainCSR takes) of an undirected
// graph on n nodes from an edge list: each edge {u, v} with u ≠ v is listed in both
// rows, a loop {u, u} once; parallel edges are summed. weights nil means every edge
// weighs 1; the returned weights are nil when no edge is repeated or weighted.
func CSRFromEdges(n int, edges [][2]int32, weights []float64) (offsets []int64, neighbours []int32, w []float64) {
	type entry struct {
		u, v int32
		w    float64
	}
	es := make([]entry, 0, 2*len(edges))
	for i, e := range edges {
		x := 1.0
		if weights != nil {
			x = weights[i]
		}
		es = append(es, entry{e[0], e[1], x})
		if e[0] != e[1] {
			es = append(es, entry{e[1], e[0], x})
		}
	}
	slices.SortFunc(es, func(a, b entry) int { return cmp.Or(cmp.Compare(a.u, b.u), cmp.Compare(a.v, b.v)) })
	offsets = make([]int64, n+1)
	neighbours = make([]int32, 0, len(es))
	w = make([]float64, 0, len(es))
	unit := true
	for i := 0; i < len(es); i++ {
		e := es[i]
		if l := len(neighbours); l > 0 && i > 0 && es[i-1].u == e.u && neighbours[l-1] == e.v {
			w[l-1] += e.w
			unit = false
			continue
		}
		neighbours = append(neighbours, e.v)
		w = append(w, e.w)
		if e.w != 1 {
			unit = false
		}
		offsets[e.u+1]++
	}
	for u := range n {
		offsets[u+1] += offsets[u]
	}
	if unit {
		w = nil
	}
	return offsets, neighbours, w
}
