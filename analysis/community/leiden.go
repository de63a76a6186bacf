package community

import (
	"math/rand/v2"
	"slices"
)

// leidenPass runs the Leiden algorithm (V. A. Traag, L. Waltman, N. J. van Eck,
// "From Louvain to Leiden: guaranteeing well-connected communities", Sci. Rep. 9,
// 5233, 2019, Algorithm A.2) on g, the original graph, writing each original node's
// community into membership and returning the number of levels. Each level: fast
// local moving of nodes (localMove), then the refinement — within each community,
// nodes that are still alone and well connected to their community join the
// well-connected sub-community of it they gain most by joining — then aggregation
// of the refined partition, whose nodes start in their unrefined community. The
// loop ends when local moving leaves every community a single node. With
// fromMembership the first level starts from membership (labels < g.n) instead of
// singletons: a further Leiden iteration from the partition found. The merge in
// the refinement is greedy (Leiden's randomness θ → 0) with a seeded visit order, so
// a seed fixes the result.
func (ws *workspace) leidenPass(g *level, m2, gamma float64, rng *rand.Rand, membership []int32, maxLevels int, fromMembership bool) int {
	n0, g0 := g.n, g
	node := make([]int32, n0) // original node → node of the current level
	for i := range node {
		node[i] = int32(i)
	}
	var part []int32 // the current level's nodes' communities (nil: singletons)
	if fromMembership {
		part = slices.Clone(membership)
	}
	levels := 0
	for {
		comm, _ := ws.localMove(g, m2, gamma, rng, part)
		comm = slices.Clone(comm) // localMove's slice is scratch
		k := renumber(comm)
		if k == g.n || maxLevels > 0 && levels >= maxLevels {
			for i, v := range node {
				membership[i] = comm[v]
			}
			if k < g.n {
				levels++
			}
			splitDisconnected(g0, membership)
			return levels
		}
		levels++
		ref := ws.refine(g, m2, gamma, rng, comm, k)
		kr := renumber(ref)
		if kr == g.n {
			// The refinement merged nobody (no node well connected enough): aggregate
			// the communities themselves, as Louvain does, so the graph shrinks.
			ref, kr = comm, k
		}
		next := make([]int32, kr) // a refined community lies inside one community
		for u := range g.n {
			next[ref[u]] = comm[u]
		}
		for i, v := range node {
			node[i] = ref[v]
		}
		g = ws.aggregate(g, ref, kr)
		part = next
	}
}

// refine returns the refined partition of g's communities comm (labels < k): it
// starts from singletons and visits nodes in a seeded order; a node still alone
// and well connected to its community, E(v, C−v) ≥ γ k_v (K_C − k_v) / 2m, joins the
// sub-community T of its community, itself well connected (E(T, C−T) ≥
// γ K_T (K_C − K_T) / 2m), for which E(v, T) − γ k_v K_T / 2m is largest and
// positive. Every refined community is therefore connected, and lies inside one
// community.
func (ws *workspace) refine(g *level, m2, gamma float64, rng *rand.Rand, comm []int32, k int) []int32 {
	n := g.n
	scale := gamma / m2
	deg := ws.k[:n] // localMove left each node's degree here
	if len(ws.refTot) < n {
		ws.refTot, ws.ext, ws.wIn, ws.commTot = make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
		ws.size = make([]int32, n)
	}
	commTot := ws.commTot[:k]
	clear(commTot)
	for u := range n {
		commTot[comm[u]] += deg[u]
	}
	ref := make([]int32, n)
	refTot := ws.refTot[:n] // total degree of each refined community
	ext := ws.ext[:n]       // weight from the refined community to the rest of its community
	size := ws.size[:n]
	wIn := ws.wIn[:n] // weight from each node to the rest of its community
	clear(wIn)
	for u := range n {
		ref[u], refTot[u], size[u] = int32(u), deg[u], 1
		for e := g.offsets[u]; e < g.offsets[u+1]; e++ {
			if v := g.nbr[e]; v != int32(u) && comm[v] == comm[u] {
				wIn[u] += g.weight(e)
			}
		}
		ext[u] = wIn[u]
	}
	order := ws.order[:n]
	for i := range order {
		order[i] = int32(i)
	}
	rng.Shuffle(n, func(i, j int) { order[i], order[j] = order[j], order[i] })
	nw := ws.nw[:n]
	for _, v := range order {
		c := comm[v]
		if ref[v] != v || size[v] != 1 || wIn[v] < scale*deg[v]*(commTot[c]-deg[v]) {
			continue // already merged, or joined by others, or not well connected
		}
		touched := ws.touched[:0]
		for e := g.offsets[v]; e < g.offsets[v+1]; e++ {
			u := g.nbr[e]
			if u == v || comm[u] != c {
				continue
			}
			t := ref[u]
			if nw[t] == 0 {
				touched = append(touched, t)
			}
			nw[t] += g.weight(e)
		}
		best, bestGain := int32(-1), 0.0
		for _, t := range touched {
			if ext[t] < scale*refTot[t]*(commTot[c]-refTot[t]) {
				continue // T is not well connected to its community
			}
			if gain := nw[t] - scale*deg[v]*refTot[t]; gain > bestGain || gain == bestGain && best >= 0 && t < best {
				best, bestGain = t, gain
			}
		}
		if best >= 0 && bestGain > 0 {
			ref[v] = best
			size[best]++
			size[v] = 0
			refTot[best] += deg[v]
			ext[best] += wIn[v] - 2*nw[best]
		}
		for _, t := range touched {
			nw[t] = 0
		}
		ws.touched = touched
	}
	return ref
}

// splitDisconnected gives every connected piece of a community of membership (on the
// original graph g) its own label, so every community is connected. Splitting a
// community with no edge between its pieces never lowers modularity: no internal
// weight is lost and the degree term shrinks. Leiden's refinement keeps communities
// connected; this also covers the levels where the refinement merged nobody and the
// communities themselves were aggregated.
func splitDisconnected(g *level, membership []int32) {
	n := g.n
	label := make([]int32, n)
	for i := range label {
		label[i] = -1
	}
	next := int32(0)
	queue := make([]int32, 0, 64)
	for s := range n {
		if label[s] >= 0 {
			continue
		}
		c := membership[s]
		label[s] = next
		queue = append(queue[:0], int32(s))
		for len(queue) > 0 {
			u := queue[len(queue)-1]
			queue = queue[:len(queue)-1]
			for e := g.offsets[u]; e < g.offsets[u+1]; e++ {
				if v := g.nbr[e]; label[v] < 0 && membership[v] == c {
					label[v] = next
					queue = append(queue, v)
				}
			}
		}
		next++
	}
	copy(membership, label)
}
