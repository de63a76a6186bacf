package targets

import (
	"math"
	"slices"

	"github.com/chainmap/chainmap/analysis/backtest"
	"github.com/chainmap/chainmap/analysis/snapshot"
	"github.com/chainmap/chainmap/graph"
)

// linkPred is a candidate's link prediction: the frozen backtest.Chainmap model's
// probability that it becomes a new supplier of its likeliest local demand firm.
type linkPred struct {
	p       float64
	best    int32 // the demand firm, or None
	inputs  [backtest.NumInputs]float64
	contrib [backtest.NumInputs]float64
}

// linkPrediction scores every (candidate, demand firm) pair with backtest.Chainmap
// and keeps each candidate's best. A current tie counts as a prior relation (it
// was observed before AsOf), so a tie to a demand firm never lowers the
// prediction; ties_to_local credits current customers separately. Inputs
// map from the snapshot as documented in backtest/model.go: walks and common
// neighbours over all ties (current and history), with rival candidates (and the
// candidate itself) never counted as intermediaries, as for three_paths; degree over
// all ties; past tie = any tie to d (ended or current) or from d; supplier activity a
// period earlier = distinct customers on ties with Since at least half a year
// before AsOf; ages = half-years since the firm's first tie or FoundedOn (the
// earlier), capped at backtest.AgeCap. Work: per demand firm, its 2-neighbourhood
// plus the candidates' neighbourhoods.
// allPairs forces the exhaustive scorer (tests compare the two).
var allPairs bool

// cinfo is what the link prediction needs of a candidate.
type cinfo struct {
	nb             []int32
	deg, prev, age float64
}

func (q *query) linkPrediction() {
	s := q.s
	asOf := s.AsOf.Time()
	prevCut := graph.DateOf(asOf.AddDate(0, -6, 0))
	age := func(x int32) float64 {
		first := s.Companies[x].FoundedOn
		for _, t := range s.Out(x) {
			if t.Since != "" && (first == "" || t.Since < first) {
				first = t.Since
			}
		}
		for _, ti := range s.In(x) {
			if t := &s.Ties[ti]; t.Since != "" && (first == "" || t.Since < first) {
				first = t.Since
			}
		}
		if first == "" {
			return 0
		}
		h := asOf.Sub(first.Time()).Hours() / 24 / backtest.PeriodDays
		return math.Min(math.Max(math.Floor(h), 0), backtest.AgeCap)
	}
	cs := make([]cinfo, len(q.cands))
	for i, c := range q.cands {
		nb := neighbours(s, c, nil)
		var prev float64
		last := int32(snapshot.None)
		for _, t := range s.Out(c) {
			if t.Customer != last && (t.Since == "" || t.Since <= prevCut) {
				prev++
				last = t.Customer
			}
		}
		cs[i] = cinfo{nb: nb, deg: float64(len(nb)), prev: prev, age: age(c)}
	}
	q.lp = make([]linkPred, len(q.cands))
	for i := range q.lp {
		q.lp[i] = linkPred{p: -1, best: snapshot.None}
	}
	demand := q.predictionDemand()
	ages := make([]float64, len(demand))
	degs := make([]float64, len(demand))
	for j, d := range demand {
		ages[j], degs[j] = age(d), float64(len(neighbours(s, d, q.buf)))
	}
	consider := func(i int, d int32, x [backtest.NumInputs]float64) {
		if p := backtest.Chainmap.Probability(x); p > q.lp[i].p || (p == q.lp[i].p && q.lp[i].best != snapshot.None && d < q.lp[i].best) {
			q.lp[i] = linkPred{p: p, best: d, inputs: x, contrib: backtest.Chainmap.Contributions(x)}
		}
	}
	base := func(i, j int) [backtest.NumInputs]float64 {
		var x [backtest.NumInputs]float64
		x[backtest.InHistDegreeProduct] = cs[i].deg * degs[j]
		x[backtest.InSupplierOutPrev] = cs[i].prev
		x[backtest.InCustomerAge] = ages[j]
		x[backtest.InSupplierAge] = cs[i].age
		return x
	}
	// Pairs that share no neighbourhood have no walks, common neighbours or past tie;
	// with the model's signs (those three and the degree product raise the logit,
	// customer age lowers it) the best such demand firm for any candidate lies on the
	// frontier of highest degree per age, a handful of firms. Pairs that do meet are
	// then scored one by one from each demand firm's 2-neighbourhood. This is exact,
	// and turns demand × candidates work into demand × neighbourhood work.
	frontier := lpFrontier(ages, degs)
	if frontier == nil || allPairs {
		q.linkPredictionAll(demand, cs, ages, degs, base, consider)
		return
	}
	for i := range q.cands {
		for _, j := range frontier {
			consider(i, demand[j], base(i, j))
		}
	}
	cidx := make([]int32, len(s.Companies)) // company → candidate index
	for i, c := range q.cands {
		cidx[c] = int32(i)
	}
	cand := func(x int32) bool { return q.flag[x]&bCandidate != 0 }
	w2 := make([]float64, len(s.Companies))
	mark := make([]uint8, len(s.Companies)) // 1: neighbour of d (not a candidate); 2: tied to d
	walks := make([]float64, len(q.cands))
	common := make([]float64, len(q.cands))
	met := make([]bool, len(q.cands))
	var touched []int32
	var reached []int
	for j, d := range demand {
		for _, x := range touched {
			w2[x], mark[x] = 0, 0
		}
		for _, i := range reached {
			walks[i], common[i], met[i] = 0, 0, false
		}
		touched, reached = touched[:0], reached[:0]
		reach := func(i int) {
			if !met[i] {
				met[i] = true
				reached = append(reached, i)
			}
		}
		nd := neighbours(s, d, nil)
		for _, b := range nd {
			if mark[b] == 0 && w2[b] == 0 {
				touched = append(touched, b)
			}
			mark[b] |= 2
			if cand(b) {
				reach(int(cidx[b]))
				continue
			}
			mark[b] |= 1
			q.buf = neighbours(s, b, q.buf)
			for _, a := range q.buf {
				if !cand(a) {
					if w2[a] == 0 && mark[a] == 0 {
						touched = append(touched, a)
					}
					w2[a]++
				}
			}
		}
		// A candidate meets d through a non-candidate neighbour a of its own that is
		// d's neighbour (common neighbour) or 2 steps from d (walks).
		for _, a := range touched {
			if cand(a) || (w2[a] == 0 && mark[a]&1 == 0) {
				continue
			}
			q.buf = neighbours(s, a, q.buf)
			for _, c := range q.buf {
				if !cand(c) {
					continue
				}
				i := int(cidx[c])
				reach(i)
				walks[i] += w2[a]
				if mark[a]&1 != 0 {
					common[i]++
				}
			}
		}
		for _, i := range reached {
			x := base(i, j)
			x[backtest.InWalks3], x[backtest.InHistCommon] = walks[i], common[i]
			if mark[q.cands[i]]&2 != 0 {
				x[backtest.InPastTie] = 1
			}
			consider(i, d, x)
		}
	}
	for i := range q.lp {
		q.lp[i].p = max(q.lp[i].p, 0)
	}
}

// lpFrontier returns the indices of the demand firms with the highest degree for
// each age (lowest index on ties), dropping any that another beats on both; nil
// when the model's signs do not allow this shortcut.
func lpFrontier(ages, degs []float64) []int {
	m := &backtest.Chainmap
	if m.Coef[backtest.InHistDegreeProduct] < 0 || m.Coef[backtest.InCustomerAge] > 0 || m.Coef[backtest.InWalks3] < 0 ||
		m.Coef[backtest.InHistCommon] < 0 || m.Coef[backtest.InPastTie] < 0 {
		return nil
	}
	best := map[float64]int{}
	for j := range ages {
		if k, ok := best[ages[j]]; !ok || degs[j] > degs[k] {
			best[ages[j]] = j
		}
	}
	var out []int
	for _, j := range best {
		dominated := false
		for _, k := range best {
			if k != j && ages[k] <= ages[j] && degs[k] >= degs[j] && (ages[k] < ages[j] || degs[k] > degs[j]) {
				dominated = true
			}
		}
		if !dominated {
			out = append(out, j)
		}
	}
	slices.Sort(out)
	return out
}

// linkPredictionAll scores every (candidate, demand firm) pair: the reference the
// frontier shortcut is tested against, and the fallback if a refit changes signs.
func (q *query) linkPredictionAll(demand []int32, cs []cinfo, ages, degs []float64, base func(i, j int) [backtest.NumInputs]float64,
	consider func(i int, d int32, x [backtest.NumInputs]float64)) {
	s := q.s
	cand := func(x int32) bool { return q.flag[x]&bCandidate != 0 }
	w2 := make([]float64, len(s.Companies))
	mark := make([]uint8, len(s.Companies))
	var touched []int32
	for j, d := range demand {
		for _, x := range touched {
			w2[x], mark[x] = 0, 0
		}
		touched = touched[:0]
		for _, b := range neighbours(s, d, nil) {
			touched = append(touched, b)
			mark[b] |= 2
			if cand(b) {
				continue
			}
			mark[b] |= 1
			q.buf = neighbours(s, b, q.buf)
			for _, a := range q.buf {
				if !cand(a) {
					if w2[a] == 0 {
						touched = append(touched, a)
					}
					w2[a]++
				}
			}
		}
		for i, c := range q.cands {
			x := base(i, j)
			for _, a := range cs[i].nb {
				x[backtest.InWalks3] += w2[a]
				if mark[a]&1 != 0 {
					x[backtest.InHistCommon]++
				}
			}
			if mark[c]&2 != 0 {
				x[backtest.InPastTie] = 1
			}
			consider(i, d, x)
		}
	}
	for i := range q.lp {
		q.lp[i].p = max(q.lp[i].p, 0)
	}
}

// MaxPredictionDemand bounds the demand firms a candidate's link prediction is
// scored against: the best-connected ones, where new ties are likeliest (degree is
// the model's second-strongest input). Scoring each pair costs a 2-neighbourhood
// walk, so a city with thousands of demand firms would otherwise take seconds.
const MaxPredictionDemand = 50

// predictionDemand returns the demand firms scored by the link prediction: all of
// them, or the MaxPredictionDemand with most partners (ties by index), in index order.
func (q *query) predictionDemand() []int32 {
	if len(q.demand) <= MaxPredictionDemand {
		return q.demand
	}
	d := slices.Clone(q.demand)
	deg := func(x int32) int { return len(q.s.Suppliers(x)) + len(q.s.Customers(x)) }
	slices.SortStableFunc(d, func(a, b int32) int { return deg(b) - deg(a) })
	d = d[:MaxPredictionDemand]
	slices.Sort(d)
	return d
}
