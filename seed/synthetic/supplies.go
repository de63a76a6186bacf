package synthetic

import (
	"context"
	"iter"
	"math"
	"slices"
	"strings"

	"github.com/chainmap/chainmap/graph"
)

// index holds the per-company arrays the supply generator needs for random access to
// customers: ~50 bytes per company.
type index struct {
	link1, link2 []uint16 // link2 is noLink for single-link companies
	size         []float32
	founded      []uint16
	deg          []int32 // out-degree quota; quotas sum to Config.Supplies when capacity allows
	// members[l] lists the companies operating in link l in index order, so the
	// members of one region or province form a contiguous run; prefix[l] holds the
	// cumulative customer weights (size^inWeightExp) of members[l], prefix[l][0] = 0.
	members [][]int32
	prefix  [][]float64
	ids     string // the 18-character ids of all companies back to back
}

const (
	noLink      = math.MaxUint16
	inWeightExp = 0.6 // customer attractiveness = size^0.6: big firms become hubs
	maxOutDeg   = 100_000
	// Probabilities that a tie's customer is sought in the supplier's locality
	// (its city) or its province first; otherwise anywhere.
	pLocal    = 0.45
	pProvince = 0.25
)

func (e *Ecosystem) index() *index {
	e.once.Do(func() { e.ix = e.buildIndex() })
	return e.ix
}

func (e *Ecosystem) buildIndex() *index {
	n := e.cfg.Companies
	ix := &index{
		link1:   make([]uint16, n),
		link2:   make([]uint16, n),
		size:    make([]float32, n),
		founded: make([]uint16, n),
		deg:     make([]int32, n),
		members: make([][]int32, len(e.links)),
		prefix:  make([][]float64, len(e.links)),
	}
	activity := make([]float32, n)
	counts := make([]int, len(e.links))
	var ids strings.Builder
	ids.Grow(n * 18)
	buf := make([]byte, 0, 18)
	r := newRNG(e.cfg.Seed)
	var c core
	h := 0
	for i := range n {
		for i >= e.hostStart[h+1] {
			h++
		}
		e.core(r, i, &c)
		ix.link1[i] = uint16(c.link1)
		ix.link2[i] = noLink
		counts[c.link1]++
		if c.link2 >= 0 {
			ix.link2[i] = uint16(c.link2)
			counts[c.link2]++
		}
		ix.size[i] = float32(c.size)
		ix.founded[i] = uint16(c.founded)
		activity[i] = float32(c.activity)
		buf = e.appendID(buf[:0], i, e.hosts[h].code)
		ids.Write(buf)
	}
	ix.ids = ids.String()
	for l := range ix.members {
		ix.members[l] = make([]int32, 0, counts[l])
	}
	for i := range n {
		ix.members[ix.link1[i]] = append(ix.members[ix.link1[i]], int32(i))
		if l := ix.link2[i]; l != noLink {
			ix.members[l] = append(ix.members[l], int32(i))
		}
	}
	for l, mem := range ix.members {
		p := make([]float64, len(mem)+1)
		for k, i := range mem {
			p[k+1] = p[k] + math.Pow(float64(ix.size[i]), inWeightExp)
		}
		ix.prefix[l] = p
	}
	// Out-degree quotas proportional to activity, rounded cumulatively so they sum to
	// the target exactly, capped by each supplier's capacity with the excess carried on.
	total := 0.0
	for i := range n {
		if e.capacity(ix, i) > 0 {
			total += float64(activity[i])
		}
	}
	target := e.cfg.Supplies
	if total == 0 || target == 0 {
		return ix
	}
	cum, prev, carry := 0.0, 0, 0
	for i := range n {
		cp := e.capacity(ix, i)
		if cp == 0 {
			continue
		}
		cum += float64(activity[i])
		cur := int(math.Round(float64(target) * cum / total))
		want := cur - prev + carry
		prev = cur
		d := min(want, cp)
		ix.deg[i] = int32(d)
		carry = want - d
	}
	for i := 0; i < n && carry > 0; i++ {
		if spare := e.capacity(ix, i) - int(ix.deg[i]); spare > 0 {
			d := min(spare, carry)
			ix.deg[i] += int32(d)
			carry -= d
		}
	}
	return ix
}

// capacity bounds how many distinct ties company i can supply: three quarters of the
// companies in the links its links feed.
func (e *Ecosystem) capacity(ix *index, i int) int {
	n := 0
	for _, a := range [2]uint16{ix.link1[i], ix.link2[i]} {
		if a == noLink {
			continue
		}
		for _, b := range e.targets[a] {
			n += len(ix.members[b])
		}
	}
	return min(n*3/4, maxOutDeg)
}

// option is one way a supplier can sell: from its link a to customers in link b,
// with the positions in members[b] of the customers in its locality, its province
// and anywhere.
type option struct {
	a, b  int
	scope [3][2]int
}

func span(mem []int32, r [2]int) [2]int {
	lo, _ := slices.BinarySearch(mem, int32(r[0]))
	hi, _ := slices.BinarySearch(mem, int32(r[1]))
	return [2]int{lo, hi}
}

// Supplies streams the supply ties by (supplier_id, customer_id, link_id): suppliers
// in index order, each one's ties sorted by customer index and link.
func (e *Ecosystem) Supplies(ctx context.Context) iter.Seq2[graph.Supply, error] {
	return func(yield func(graph.Supply, error) bool) {
		if e.cfg.Supplies == 0 {
			return
		}
		ix := e.index()
		g := supplyGen{e: e, ix: ix, r: newRNG(e.cfg.Seed)}
		h, carry := 0, 0
		for s := range e.cfg.Companies {
			if s&1023 == 0 {
				if err := ctx.Err(); err != nil {
					yield(graph.Supply{}, err)
					return
				}
			}
			for s >= e.hostStart[h+1] {
				h++
			}
			total := int(ix.deg[s]) + carry
			if total == 0 {
				continue
			}
			want := min(total, e.capacity(ix, s))
			got := g.ties(s, h, want)
			carry = total - len(got)
			for _, key := range got {
				if !yield(g.supply(s, key), nil) {
					return
				}
			}
		}
	}
}

// supplyGen draws one supplier's ties at a time, reusing its buffers.
type supplyGen struct {
	e    *Ecosystem
	ix   *index
	r    *rng
	opts []option
	n1   int // options from the supplier's first link come first
	keys []uint64
}

// ties returns up to want distinct ties of supplier s as sorted keys customer<<16|link.
func (g *supplyGen) ties(s, h, want int) []uint64 {
	e, ix, r := g.e, g.ix, g.r
	r.reset(saltSupply, uint64(s))
	g.opts, g.n1 = g.opts[:0], 0
	hs := &e.hosts[h]
	for k, a := range [2]uint16{ix.link1[s], ix.link2[s]} {
		if a == noLink {
			continue
		}
		for _, b := range e.targets[a] {
			mem := ix.members[b]
			if len(mem) == 0 {
				continue
			}
			g.opts = append(g.opts, option{a: int(a), b: int(b),
				scope: [3][2]int{span(mem, hs.local), span(mem, hs.prov), {0, len(mem)}}})
		}
		if k == 0 {
			g.n1 = len(g.opts)
		}
	}
	keys := g.keys[:0]
	if len(g.opts) == 0 {
		return keys
	}
	for round := 0; len(keys) < want && round < 12; round++ {
		uniform := round >= 4 // hubs already taken: spread out
		for k := want - len(keys); k > 0; k-- {
			if key, ok := g.draw(s, uniform); ok {
				keys = append(keys, key)
			}
		}
		slices.Sort(keys)
		keys = slices.Compact(keys)
	}
	g.keys = keys
	return keys
}

// draw picks one customer for supplier s, preferring its locality and big firms.
func (g *supplyGen) draw(s int, uniform bool) (uint64, bool) {
	r := g.r
	var o *option
	n := len(g.opts)
	switch {
	case g.n1 > 0 && g.n1 < n:
		if r.Float64() < 0.8 {
			o = &g.opts[r.IntN(g.n1)]
		} else {
			o = &g.opts[g.n1+r.IntN(n-g.n1)]
		}
	default:
		o = &g.opts[r.IntN(n)]
	}
	mem := g.ix.members[o.b]
	sc := 2
	switch u := r.Float64(); {
	case u < pLocal:
		sc = 0
	case u < pLocal+pProvince:
		sc = 1
	}
	var lo, hi int
	for ; sc < 3; sc++ {
		lo, hi = o.scope[sc][0], o.scope[sc][1]
		if hi-lo >= 2 || (hi-lo == 1 && int(mem[lo]) != s) {
			break
		}
	}
	if sc == 3 {
		return 0, false
	}
	var j int
	if uniform {
		j = lo + r.IntN(hi-lo)
	} else {
		p := g.ix.prefix[o.b]
		u := p[lo] + r.Float64()*(p[hi]-p[lo])
		a, b := lo, hi-1
		for a < b {
			m := int(uint(a+b) >> 1)
			if p[m+1] > u {
				b = m
			} else {
				a = m + 1
			}
		}
		j = a
	}
	c := int(mem[j])
	if c == s {
		return 0, false
	}
	return uint64(c)<<16 | uint64(o.a), true
}

var dayFloor = dayOf(1995, 1, 1)

// supply builds the record of one tie, continuing the supplier's random stream.
func (g *supplyGen) supply(s int, key uint64) graph.Supply {
	e, ix, r := g.e, g.ix, g.r
	c, a := int(key>>16), int(key&0xFFFF)
	x := graph.Supply{
		SupplierID: ix.ids[s*18 : s*18+18],
		CustomerID: ix.ids[c*18 : c*18+18],
		LinkID:     e.links[a].ID,
		Product:    e.links[a].Name,
		Provenance: Provenance,
	}
	observed := r.Float64() < 0.65
	known := 0.2
	if observed {
		x.Evidence, x.Confidence, known = graph.Observed, round2(0.8+0.2*r.Float64()), 0.9
	} else {
		x.Evidence, x.Confidence = graph.Inferred, round2(0.3+0.5*r.Float64())
	}
	if r.Float64() < known {
		sz := float64(ix.size[s])
		x.AmountWan = max(0.01, round2(min(0.6*sz, sz*r.lognormal(math.Log(0.03), 1.0))))
	}
	if !observed && r.Float64() < 0.3 {
		return x // an inferred tie with no dates
	}
	lo := max(int(ix.founded[s]), int(ix.founded[c]), dayFloor)
	hi := refDay - 30
	lo = min(lo, hi)
	since := lo + int(float64(hi-lo)*math.Sqrt(r.Float64()))
	until := refDay - r.IntN(120)
	if u := r.Float64(); u < 0.2 && since < refDay-365 {
		until = since + int(float64(refDay-365-since)*r.Float64()) // the tie ended
	}
	x.Since, x.Until = date(since), date(max(since, until))
	return x
}

// PlannedSupplies returns how many supply ties the generator will aim for: Config.Supplies
// unless the graph is too sparse to hold them (roughly, fewer than ~30 companies per
// link). It builds the per-company index on first use.
func (e *Ecosystem) PlannedSupplies() int {
	n := 0
	for _, d := range e.index().deg {
		n += int(d)
	}
	return n
}
