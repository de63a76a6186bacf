package backtest

import (
	"math"
	"slices"
)

// network is the training history in dense firm indices: every snapshot up to T0,
// with T0's directed and undirected adjacency, the undirected union over all
// snapshots, and per-firm activity.
type network struct {
	idx map[int64]int32
	ids []int64
	// T0: distinct suppliers/customers and undirected neighbours, sorted.
	out0, in0, nb0 [][]int32
	// nbH: undirected neighbours over all training snapshots (the history union).
	nbH [][]int32
	// ever: directed ties in any training snapshot; tie0: ties in T0.
	ever, tie0 map[uint64]struct{}
	// outPrev: distinct customers a period earlier (the snapshot before T0; 0 with
	// a single training snapshot).
	outPrev []int32
	// age: snapshots since the firm first appeared (0 = first seen in T0).
	age []int32
	// suppliers0, customers0: the firms supplying resp. buying in T0, in index order.
	suppliers0, customers0 []int32
	// tieList0: T0's distinct ties, for degree-weighted sampling.
	tieList0 []uint64
	// hub marks the 1% of firms with most suppliers in T0; hubCust counts each
	// firm's T0 customers among them; maxOut and maxHub are the largest out-degree
	// and hub count, for the composite score.
	hub            []bool
	hubCust        []int32
	maxOut, maxHub int32
}

func key(u, v int32) uint64 { return uint64(uint32(u))<<32 | uint64(uint32(v)) }

func unkey(k uint64) (int32, int32) { return int32(uint32(k >> 32)), int32(uint32(k)) }

func (g *network) id(raw int64) int32 {
	if i, ok := g.idx[raw]; ok {
		return i
	}
	i := int32(len(g.ids))
	g.idx[raw] = i
	g.ids = append(g.ids, raw)
	return i
}

// lookup returns the dense index of raw, or -1.
func (g *network) lookup(raw int64) int32 {
	if i, ok := g.idx[raw]; ok {
		return i
	}
	return -1
}

// newNetwork builds the history from training snapshots in time order (the last
// is T0). Self-ties are dropped.
func newNetwork(train [][]Edge) *network {
	g := &network{idx: map[int64]int32{}, ever: map[uint64]struct{}{}, tie0: map[uint64]struct{}{}}
	first := map[int32]int{}
	sets := make([]map[uint64]struct{}, len(train))
	for s, es := range train {
		sets[s] = map[uint64]struct{}{}
		for _, e := range es {
			if e.Supplier == e.Customer {
				continue
			}
			u, v := g.id(e.Supplier), g.id(e.Customer)
			for _, x := range []int32{u, v} {
				if _, ok := first[x]; !ok {
					first[x] = s
				}
			}
			sets[s][key(u, v)] = struct{}{}
			g.ever[key(u, v)] = struct{}{}
		}
	}
	n := len(g.ids)
	t0 := len(train) - 1
	g.tie0 = sets[t0]
	g.out0, g.in0 = make([][]int32, n), make([][]int32, n)
	g.nb0, g.nbH = make([][]int32, n), make([][]int32, n)
	for k := range g.tie0 {
		g.tieList0 = append(g.tieList0, k)
	}
	slices.Sort(g.tieList0)
	for _, k := range g.tieList0 {
		u, v := unkey(k)
		g.out0[u] = append(g.out0[u], v)
		g.in0[v] = append(g.in0[v], u)
		g.nb0[u] = append(g.nb0[u], v)
		g.nb0[v] = append(g.nb0[v], u)
	}
	for k := range g.ever {
		u, v := unkey(k)
		g.nbH[u] = append(g.nbH[u], v)
		g.nbH[v] = append(g.nbH[v], u)
	}
	for i := range n {
		slices.Sort(g.in0[i])
		g.nb0[i] = sortUnique(g.nb0[i])
		g.nbH[i] = sortUnique(g.nbH[i])
		if len(g.out0[i]) > 0 {
			g.suppliers0 = append(g.suppliers0, int32(i))
		}
		if len(g.in0[i]) > 0 {
			g.customers0 = append(g.customers0, int32(i))
		}
	}
	g.outPrev = make([]int32, n)
	if t0 > 0 {
		for k := range sets[t0-1] {
			u, _ := unkey(k)
			g.outPrev[u]++
		}
	}
	g.age = make([]int32, n)
	for x, s := range first {
		g.age[x] = int32(t0 - s)
	}
	g.markHubs()
	return g
}

// markHubs fills hub, hubCust, maxOut and maxHub.
func (g *network) markHubs() {
	n := len(g.ids)
	byIn := slices.Clone(g.customers0)
	slices.SortStableFunc(byIn, func(a, b int32) int { return len(g.in0[b]) - len(g.in0[a]) })
	g.hub, g.hubCust = make([]bool, n), make([]int32, n)
	for _, x := range byIn[:min(len(byIn), max(1, n/100))] {
		g.hub[x] = true
	}
	for u := range n {
		for _, v := range g.out0[u] {
			if g.hub[v] {
				g.hubCust[u]++
			}
		}
		g.maxOut = max(g.maxOut, int32(len(g.out0[u])))
		g.maxHub = max(g.maxHub, g.hubCust[u])
	}
}

func sortUnique(a []int32) []int32 {
	slices.Sort(a)
	return slices.Compact(a)
}

// Pair is a candidate tie: Supplier → Customer (dense indices).
type pair struct{ u, v int32 }

// Features are the raw signals of one candidate tie supplier u → customer v, all
// measured on the training snapshots only (T0 = the last one).
type Features struct {
	CommonNeighbours   float64 // |N(u) ∩ N(v)| in T0, undirected
	AdamicAdar         float64 // Σ over common neighbours x of 1/ln deg(x), T0
	ResourceAllocation float64 // Σ 1/deg(x), T0
	DegreeProduct      float64 // deg(u)·deg(v), undirected distinct degree in T0
	Paths3             float64 // directed paths u → x ← y → v in T0
	Walks3             float64 // undirected 3-step walks u–a–b–v in T0 ((A³)_uv)
	PastTie            float64 // 1 if u→v or v→u is a tie in some training snapshot
	HistDegreeProduct  float64 // degree product over the union of training snapshots
	HistCommon         float64 // common neighbours over the union of training snapshots
	SupplierOutPrev    float64 // u's distinct customers in the snapshot before T0
	CustomerAge        float64 // snapshots since v first appeared (0 = new in T0)
	SupplierAge        float64 // snapshots since u first appeared
	// For the composite: u's T0 customers and those among the hubs, with the
	// network's maxima.
	SupplierOut, MaxSupplierOut   float64
	HubCustomers, MaxHubCustomers float64
}

// features computes the features of every pair, grouping the work by customer:
// one scatter over the customer's 2-neighbourhood serves all its candidates.
func (g *network) features(pairs []pair) []Features {
	n := len(g.ids)
	out := make([]Features, len(pairs))
	order := make([]int, len(pairs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return int(pairs[a].v) - int(pairs[b].v) })
	mark0 := make([]bool, n)
	markH := make([]bool, n)
	w2 := make([]float64, n) // 2-walks from v, T0 undirected
	p2 := make([]float64, n) // x ← y → v, T0 directed
	var touched []int32
	cur := int32(-1)
	for _, i := range order {
		u, v := pairs[i].u, pairs[i].v
		if v != cur {
			for _, x := range touched {
				w2[x], p2[x] = 0, 0
			}
			touched = touched[:0]
			if cur >= 0 {
				for _, x := range g.nb0[cur] {
					mark0[x] = false
				}
				for _, x := range g.nbH[cur] {
					markH[x] = false
				}
			}
			cur = v
			for _, x := range g.nb0[v] {
				mark0[x] = true
			}
			for _, x := range g.nbH[v] {
				markH[x] = true
			}
			for _, b := range g.nb0[v] {
				for _, a := range g.nb0[b] {
					if w2[a] == 0 && p2[a] == 0 {
						touched = append(touched, a)
					}
					w2[a]++
				}
			}
			for _, y := range g.in0[v] {
				for _, x := range g.out0[y] {
					if w2[x] == 0 && p2[x] == 0 {
						touched = append(touched, x)
					}
					p2[x]++
				}
			}
		}
		f := &out[i]
		for _, a := range g.nb0[u] {
			f.Walks3 += w2[a]
			if mark0[a] {
				d := float64(len(g.nb0[a]))
				f.CommonNeighbours++
				f.AdamicAdar += 1 / math.Log(d)
				f.ResourceAllocation += 1 / d
			}
		}
		for _, x := range g.out0[u] {
			f.Paths3 += p2[x]
		}
		for _, a := range g.nbH[u] {
			if markH[a] {
				f.HistCommon++
			}
		}
		f.DegreeProduct = float64(len(g.nb0[u])) * float64(len(g.nb0[v]))
		f.HistDegreeProduct = float64(len(g.nbH[u])) * float64(len(g.nbH[v]))
		if _, ok := g.ever[key(u, v)]; ok {
			f.PastTie = 1
		} else if _, ok := g.ever[key(v, u)]; ok {
			f.PastTie = 1
		}
		f.SupplierOutPrev = float64(g.outPrev[u])
		f.CustomerAge = float64(g.age[v])
		f.SupplierAge = float64(g.age[u])
		f.SupplierOut, f.MaxSupplierOut = float64(len(g.out0[u])), float64(g.maxOut)
		f.HubCustomers, f.MaxHubCustomers = float64(g.hubCust[u]), float64(g.maxHub)
	}
	return out
}
