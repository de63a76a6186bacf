package leaders

import (
	"cmp"
	"slices"
)

// csr is a small directed graph over dense local indices, in compressed sparse rows
// both ways, with parallel edges collapsed.
type csr struct {
	outStart, inStart []int32
	outAdj, inAdj     []int32
}

func newCSR(n int, pairs [][2]int32) *csr {
	slices.SortFunc(pairs, func(a, b [2]int32) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
	pairs = slices.Compact(pairs)
	g := &csr{outStart: make([]int32, n+1), inStart: make([]int32, n+1),
		outAdj: make([]int32, len(pairs)), inAdj: make([]int32, len(pairs))}
	for _, e := range pairs {
		g.outStart[e[0]+1]++
		g.inStart[e[1]+1]++
	}
	for i := range n {
		g.outStart[i+1] += g.outStart[i]
		g.inStart[i+1] += g.inStart[i]
	}
	fill := slices.Clone(g.inStart[:n])
	for i, e := range pairs {
		g.outAdj[i] = e[1]
		g.inAdj[fill[e[1]]] = e[0]
		fill[e[1]]++
	}
	return g
}

func (g *csr) outDeg(v int32) int { return int(g.outStart[v+1] - g.outStart[v]) }
func (g *csr) inDeg(v int32) int  { return int(g.inStart[v+1] - g.inStart[v]) }

// search is a reusable breadth-first search: stamps avoid clearing the visited set.
type search struct {
	seen  []int32
	stamp int32
	queue []int32
}

func newSearch(n int) *search { return &search{seen: make([]int32, n)} }

// reach counts the nodes with count[node] set that are reachable from src along
// adj (excluding src).
func (b *search) reach(src int32, start, adj []int32, count []bool) int {
	b.stamp++
	b.seen[src] = b.stamp
	b.queue = append(b.queue[:0], src)
	n := 0
	for i := 0; i < len(b.queue); i++ {
		u := b.queue[i]
		for _, w := range adj[start[u]:start[u+1]] {
			if b.seen[w] != b.stamp {
				b.seen[w] = b.stamp
				b.queue = append(b.queue, w)
				if count[w] {
					n++
				}
			}
		}
	}
	return n
}
