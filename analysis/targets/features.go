package targets

import (
	"math"
	"slices"
	"sync"

	"github.com/chainmap/chainmap/analysis/snapshot"
	"github.com/chainmap/chainmap/graph"
)

// Bits of scratch.flag.
const (
	bTouched    uint8 = 1 << iota // listed in scratch.touched; reset on release
	bLocalKnown                   // bLocal is valid
	bLocal                        // local to the target region
	bDemand                       // a local demand firm
	bLeader                       // a local chain leader
	bPathsDone                    // scratch.paths is valid
	bSeen                         // visited while costing the 3-path pull
	bCandidate                    // a candidate (operates in L, not local)
)

// scratch holds per-company working arrays, indexed by company and reset through
// the touched list, so a query costs the neighbourhoods it visits, not O(companies).
type scratch struct {
	flag    []uint8
	cnt     []int32 // demand firms adjacent (undirected) to the company, for CN/AA/RA
	deg     []int32 // cached distinct undirected degree, 0 = not computed
	supply  []int32 // demand firms the company supplies (non-candidates only), for 3-paths
	paths   []int64 // 2-paths X ← Y → Z from the company X: Y not a candidate, Z ≠ X demand
	touched []int32
	buf     []int32
	buf2    []int32
}

var pool sync.Pool

func getScratch(n int) *scratch {
	if x, ok := pool.Get().(*scratch); ok && len(x.flag) == n {
		return x
	}
	return &scratch{flag: make([]uint8, n), cnt: make([]int32, n), deg: make([]int32, n),
		supply: make([]int32, n), paths: make([]int64, n)}
}

func (x *scratch) touch(c int32) {
	if x.flag[c]&bTouched == 0 {
		x.flag[c] |= bTouched
		x.touched = append(x.touched, c)
	}
}

func (x *scratch) reset() {
	for _, c := range x.touched {
		x.flag[c], x.cnt[c], x.deg[c], x.supply[c], x.paths[c] = 0, 0, 0, 0, 0
	}
	x.touched = x.touched[:0]
}

// pathMode forces the 3-path strategy in tests: 0 chooses the cheaper, 1 pulls, 2 pushes.
var pathMode = 0

// query is one Rank call's state.
type query struct {
	s      *snapshot.Snapshot
	r, l   int32
	within []bool // over regions: local to r
	*scratch
	cands   []int32 // outside companies operating in l, in index order
	demand  []int32 // local demand firms
	leaders []int32 // local chain leaders (any chain), distinct
	feat    [][nFeatures]float64
	// affinity by region: 1 same province, 0.5 shared group, else 0; and the
	// shared group's index (or None) for the reason text.
	aff      []float64
	affGroup []int32
	// pushed says whether paths was filled for every company (push mode).
	pushed bool
	// lp is each candidate's link prediction (see linkPrediction); lpSorted their
	// probabilities in order, for placing one among the others.
	lp       []linkPred
	lpSorted []float64
}

func newQuery(s *snapshot.Snapshot, r, l int32) *query {
	return &query{s: s, r: r, l: l, within: s.Within(r), scratch: getScratch(len(s.Companies))}
}

func (q *query) release() {
	q.reset()
	pool.Put(q.scratch)
	q.scratch = nil
}

// local reports whether company c is local to the target region, memoised.
func (q *query) local(c int32) bool {
	f := q.flag[c]
	if f&bLocalKnown != 0 {
		return f&bLocal != 0
	}
	q.touch(c)
	reg := q.s.Companies[c].Region
	if reg != snapshot.None && q.within[reg] {
		q.flag[c] |= bLocalKnown | bLocal
		return true
	}
	q.flag[c] |= bLocalKnown
	return false
}

// neighbours returns the distinct undirected neighbours of v (suppliers ∪
// customers, sorted) in buf.
func neighbours(s *snapshot.Snapshot, v int32, buf []int32) []int32 {
	a, b := s.Suppliers(v), s.Customers(v)
	buf = buf[:0]
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			buf = append(buf, a[i])
			i++
		case a[i] > b[j]:
			buf = append(buf, b[j])
			j++
		default:
			buf = append(buf, a[i])
			i++
			j++
		}
	}
	buf = append(buf, a[i:]...)
	return append(buf, b[j:]...)
}

// degree returns the distinct undirected degree of x (touched), memoised.
func (q *query) degree(x int32) int32 {
	if d := q.deg[x]; d != 0 {
		return d
	}
	a, b := q.s.Suppliers(x), q.s.Customers(x)
	d := int32(len(a) + len(b))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			d--
			i++
			j++
		}
	}
	q.touch(x)
	q.deg[x] = d
	return d
}

// features fills cands, demand, leaders and feat.
func (q *query) features() {
	s, l := q.s, q.l
	for _, c := range s.LinkCompanies[l] {
		if !q.local(c) {
			q.cands = append(q.cands, c)
			q.flag[c] |= bCandidate
		}
	}
	q.findDemand()
	for _, ls := range s.ChainLeaders {
		for _, c := range ls {
			if q.local(c) && q.flag[c]&bLeader == 0 {
				q.flag[c] |= bLeader
				q.leaders = append(q.leaders, c)
			}
		}
	}
	q.regionAffinity()
	points := tagPoints()

	// Demand side: adjacency counts (CN/AA/RA) and supplier counts (3-paths).
	var pushCost int64
	var ys []int32
	for _, d := range q.demand {
		q.buf = neighbours(s, d, q.buf)
		for _, x := range q.buf {
			if q.flag[x]&bCandidate == 0 {
				q.touch(x)
				q.cnt[x]++
			}
		}
		for _, y := range s.Suppliers(d) {
			if q.flag[y]&bCandidate != 0 {
				continue
			}
			q.touch(y)
			if q.supply[y] == 0 {
				ys = append(ys, y)
				pushCost += int64(len(s.Customers(y)))
			}
			q.supply[y]++
		}
	}
	// 3-paths through X: pull (Σ supply over X's suppliers, per customer X of a
	// candidate) or push (from every supplier of demand firms to its customers),
	// whichever visits fewer ties.
	var pullCost int64
	for _, c := range q.cands {
		for _, x := range s.Customers(c) {
			if q.flag[x]&bSeen == 0 {
				q.touch(x)
				q.flag[x] |= bSeen
				pullCost += int64(len(s.Suppliers(x)))
			}
		}
	}
	if pathMode == 2 || pathMode == 0 && pushCost < pullCost {
		for _, y := range ys {
			for _, x := range s.Customers(y) {
				q.touch(x)
				q.paths[x] += int64(q.supply[y]) - q.isDemand(x)
			}
		}
		q.pushed = true
	}

	q.feat = make([][nFeatures]float64, len(q.cands))
	for i, c := range q.cands {
		f := &q.feat[i]
		f[fLocal], f[fLeaders], f[fPast] = q.ties(c)

		var paths int64
		for _, x := range s.Customers(c) {
			paths += q.pathsThrough(x)
		}
		f[fThree] = float64(paths)

		var cn, aa, ra float64
		q.buf = neighbours(s, c, q.buf)
		for _, x := range q.buf {
			if n := q.cnt[x]; n > 0 {
				d := float64(q.degree(x)) // ≥ 2: x is adjacent to c and to a demand firm
				cn += float64(n)
				aa += float64(n) / math.Log(d)
				ra += float64(n) / d
			}
		}
		f[fCN], f[fAA], f[fRA] = cn, aa, ra
		f[fPA] = math.Log1p(float64(len(s.Suppliers(c)) + len(s.Customers(c))))

		co := &s.Companies[c]
		f[fStrength] = strength(co.Tags, points)
		f[fRevenue] = math.Log1p(max(co.RevenueWan, 0))
		if co.Region != snapshot.None {
			f[fAffinity] = q.aff[co.Region]
		}
	}
	q.linkPrediction()
	for i := range q.cands {
		q.feat[i][fLink] = q.lp[i].p
	}
}

// findDemand collects the local firms that need L: those operating in a link L
// feeds, and those that buy L's goods from a company operating in L.
func (q *query) findDemand() {
	s, l := q.s, q.l
	add := func(c int32) {
		if q.local(c) && q.flag[c]&bDemand == 0 {
			q.flag[c] |= bDemand
			q.demand = append(q.demand, c)
		}
	}
	for _, m := range s.FeedsOut[l] {
		for _, c := range s.LinkCompanies[m] {
			add(c)
		}
	}
	for _, c := range s.LinkCompanies[l] {
		for i := range s.Out(c) {
			if t := &s.Out(c)[i]; t.Link == l {
				add(t.Customer)
			}
		}
	}
}

// isDemand is 1 for a demand firm, else 0.
func (q *query) isDemand(x int32) int64 {
	if q.flag[x]&bDemand != 0 {
		return 1
	}
	return 0
}

// pathsThrough returns the number of 2-paths X ← Y → Z with Y not a candidate and Z
// a demand firm other than X. Every non-candidate supplier Y of a demand firm X has
// supply[Y] ≥ 1 counting X itself, hence the −1.
func (q *query) pathsThrough(x int32) int64 {
	if q.pushed || q.flag[x]&bPathsDone != 0 {
		return q.paths[x]
	}
	var n int64
	dx := q.isDemand(x)
	for _, y := range q.s.Suppliers(x) {
		if q.supply[y] > 0 {
			n += int64(q.supply[y]) - dx
		}
	}
	q.touch(x)
	q.flag[x] |= bPathsDone
	q.paths[x] = n
	return n
}

// ties weighs candidate c's relations with local firms as evidence: for each
// distinct local customer on current ties, local leader it supplies or supplied, and
// local firm with a prior relation (a history tie from c, or any tie to c), the
// largest snapshot.TieWeight among the ties concerned, summed. An observed tie
// counts 0.5–1 and an inferred one 0–0.5, so inferred relations never outweigh
// observed ones.
func (q *query) ties(c int32) (nLocal, nLeaders, nPast float64) {
	s := q.s
	out := s.Out(c)
	hist := q.buf2[:0]
	var histW []float64
	for i := 0; i < len(out); {
		cust := out[i].Customer
		var act, old, any float64
		for ; i < len(out) && out[i].Customer == cust; i++ {
			w := snapshot.TieWeight(&out[i])
			any = max(any, w)
			if s.Active(&out[i]) {
				act = max(act, w)
			} else {
				old = max(old, w)
			}
		}
		if !q.local(cust) {
			continue
		}
		nLocal += act
		if q.flag[cust]&bLeader != 0 {
			nLeaders += any
		}
		if old > 0 {
			hist = append(hist, cust)
			histW = append(histW, old)
		}
	}
	// hist ∪ local suppliers, both sorted, each firm once at its larger weight.
	in := s.In(c)
	k := 0
	supW := func(sup int32) float64 { // in is grouped by supplier, ascending
		var w float64
		for ; k < len(in) && s.Ties[in[k]].Supplier < sup; k++ {
		}
		for ; k < len(in) && s.Ties[in[k]].Supplier == sup; k++ {
			w = max(w, snapshot.TieWeight(&s.Ties[in[k]]))
		}
		return w
	}
	sup := s.Suppliers(c)
	i, j := 0, 0
	for i < len(hist) || j < len(sup) {
		if j < len(sup) && !q.local(sup[j]) {
			j++
			continue
		}
		switch {
		case j == len(sup) || i < len(hist) && hist[i] < sup[j]:
			nPast += histW[i]
			i++
		case i == len(hist) || hist[i] > sup[j]:
			nPast += supW(sup[j])
			j++
		default:
			nPast += max(histW[i], supW(sup[j]))
			i++
			j++
		}
	}
	q.buf2 = hist
	return nLocal, nLeaders, nPast
}

// regionAffinity fills aff and affGroup over regions.
func (q *query) regionAffinity() {
	s, r := q.s, q.r
	n := len(s.Regions)
	q.aff, q.affGroup = make([]float64, n), make([]int32, n)
	// direct[i]: a group shared with r that region i is a direct member of, or None.
	direct := make([]int32, n)
	for i := range direct {
		direct[i] = snapshot.None
	}
	for p := r; p != snapshot.None; p = s.Parent[p] {
		for g := range s.Groups {
			if slices.Contains(s.Groups[g].Members, p) {
				for _, m := range s.Groups[g].Members {
					if direct[m] == snapshot.None {
						direct[m] = int32(g)
					}
				}
			}
		}
	}
	prov := s.Province(r)
	for i := range n {
		q.affGroup[i] = snapshot.None
		p := int32(i)
		for ; s.Parent[p] != snapshot.None; p = s.Parent[p] {
			if q.affGroup[i] == snapshot.None {
				q.affGroup[i] = direct[p]
			}
		}
		if q.affGroup[i] == snapshot.None {
			q.affGroup[i] = direct[p]
		}
		if p == prov {
			q.aff[i] = 1
		} else if q.affGroup[i] != snapshot.None {
			q.aff[i] = 0.5
		}
	}
}

// tagPoints returns StrengthPoints by vocabulary index (bit of snapshot.TagSet).
func tagPoints() []float64 {
	p := make([]float64, len(graph.TagVocabulary))
	for i, v := range graph.TagVocabulary {
		p[i] = StrengthPoints[v.Tag]
	}
	return p
}

// strength sums the points of a tag set.
func strength(t snapshot.TagSet, points []float64) float64 {
	var sum float64
	for i, p := range points {
		if t&(1<<i) != 0 {
			sum += p
		}
	}
	return sum
}
