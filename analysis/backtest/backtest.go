// Package backtest measures how well link-prediction scorers foresee new supply
// ties on real edge-list snapshots, under the three protocols of
// /work/shared/reference/recommendation-evidence.md, and holds the frozen chainmap
// model (model.go) that analysis/targets ranks with.
//
// Given training snapshots up to T0 (in time order) and a test snapshot T1, the
// positives are the supplier→customer ties of T1 that are not ties of T0, between a
// firm that supplies in T0 and a firm that buys in T0. Every feature is measured on
// the training snapshots only. Protocols:
//
//   - uniform: as many negatives as positives; supplier drawn uniformly from T0's
//     suppliers, customer uniformly from T0's customers; not a tie in T0 or T1, not
//     a self-tie. AUC.
//   - degree-weighted: the supplier is the supplier of a random T0 tie, the customer
//     the customer of another random T0 tie (busy firms appear as often among
//     negatives as among positives); same exclusions. AUC.
//   - ranking: for each customer with a new supplier in T1, its true new suppliers
//     plus random T0 suppliers (not already its T0 or T1 suppliers) up to
//     Params.Candidates; candidates are shuffled once (fixed seed) so equal scores
//     break ties the same random way for every scorer. hits@k (a true supplier in the
//     top k), precision@k and MRR (best-ranked true supplier).
//
// All sampling uses Params.Seed, so a run is reproducible.
package backtest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"
)

// Params tune a run; the zero value means DefaultParams.
type Params struct {
	Seed       uint64 `json:"seed"`       // sampling seed
	Candidates int    `json:"candidates"` // per customer in the ranking protocol
	K          int    `json:"k"`          // cut-off for hits@k and precision@k
}

// DefaultParams: seed 1, 200 candidates, k = 10.
func DefaultParams() Params { return Params{Seed: 1, Candidates: 200, K: 10} }

// Scorer scores a candidate tie from its features; higher = likelier.
type Scorer struct {
	Name   string `json:"name"`
	NameZH string `json:"name_zh"`
	Score  func(f *Features) float64
}

// Scorers are the scorers every run reports, baselines first and chainmap last.
var Scorers = []Scorer{
	{"common_neighbours", "共同邻居", func(f *Features) float64 { return f.CommonNeighbours }},
	{"adamic_adar", "Adamic–Adar", func(f *Features) float64 { return f.AdamicAdar }},
	{"resource_allocation", "资源分配", func(f *Features) float64 { return f.ResourceAllocation }},
	{"preferential_attachment", "优先连接（度乘积）", func(f *Features) float64 { return f.DegreeProduct }},
	{"directed_3_paths", "有向三步路径", func(f *Features) float64 { return f.Paths3 }},
	{"walks_3", "三步游走", func(f *Features) float64 { return f.Walks3 }},
	{"prior_relation", "历史关系", func(f *Features) float64 { return f.PastTie }},
	{"chainmap", "chainmap 模型", func(f *Features) float64 { x := Inputs(f); return Chainmap.Logit(x) }},
}

// Row is one scorer's results.
type Row struct {
	Scorer     string  `json:"scorer"`
	NameZH     string  `json:"name_zh"`
	AUCUniform float64 `json:"auc_uniform"`
	AUCDegree  float64 `json:"auc_degree"`
	HitsAtK    float64 `json:"hits_at_k"`
	PrecAtK    float64 `json:"precision_at_k"`
	MRR        float64 `json:"mrr"`
}

// Report is the result of a run.
type Report struct {
	Train     []string `json:"train"`
	Test      string   `json:"test"`
	Params    Params   `json:"params"`
	Positives int      `json:"positives"`
	// Customers is the number of ranked customers (those with a new supplier).
	Customers int           `json:"customers"`
	Rows      []Row         `json:"rows"`
	Elapsed   time.Duration `json:"elapsed"`
}

// Row returns the row of the named scorer, or nil.
func (r *Report) Row(name string) *Row {
	for i := range r.Rows {
		if r.Rows[i].Scorer == name {
			return &r.Rows[i]
		}
	}
	return nil
}

// Run reads the training snapshots (T0 and earlier, in time order) and the test
// snapshot T1 and evaluates every scorer under the three protocols.
func Run(train []string, test string, p Params) (*Report, error) {
	start := time.Now()
	if len(train) == 0 {
		return nil, fmt.Errorf("backtest: no training snapshot / 缺少训练快照")
	}
	p = p.withDefaults()
	var snaps [][]Edge
	for _, f := range train {
		es, err := ReadEdges(f)
		if err != nil {
			return nil, err
		}
		snaps = append(snaps, es)
	}
	t1, err := ReadEdges(test)
	if err != nil {
		return nil, err
	}
	rep := evaluate(snaps, t1, p)
	rep.Train, rep.Test = train, test
	rep.Elapsed = time.Since(start)
	return rep, nil
}

func (p Params) withDefaults() Params {
	d := DefaultParams()
	if p.Seed == 0 {
		p.Seed = d.Seed
	}
	if p.Candidates <= 0 {
		p.Candidates = d.Candidates
	}
	if p.K <= 0 {
		p.K = d.K
	}
	return p
}

// sample holds the pairs of the three protocols.
type sample struct {
	g                  *network
	pos, uni, deg      []pair
	rankPairs          []pair
	rankTruth          []bool
	rankStart          []int // customer i's candidates are rankPairs[rankStart[i]:rankStart[i+1]]
	test               map[uint64]struct{}
	isSupplier0, isCus []bool
}

// newSample builds the network and draws every protocol's pairs.
func newSample(train [][]Edge, t1 []Edge, p Params) *sample {
	g := newNetwork(train)
	s := &sample{g: g, test: map[uint64]struct{}{}}
	n := len(g.ids)
	s.isSupplier0, s.isCus = make([]bool, n), make([]bool, n)
	for _, u := range g.suppliers0 {
		s.isSupplier0[u] = true
	}
	for _, v := range g.customers0 {
		s.isCus[v] = true
	}
	for _, e := range t1 {
		u, v := g.lookup(e.Supplier), g.lookup(e.Customer)
		if u < 0 || v < 0 || u == v {
			continue
		}
		k := key(u, v)
		if _, dup := s.test[k]; dup {
			continue
		}
		s.test[k] = struct{}{}
		if _, old := g.tie0[k]; !old && s.isSupplier0[u] && s.isCus[v] {
			s.pos = append(s.pos, pair{u, v})
		}
	}
	slices.SortFunc(s.pos, func(a, b pair) int {
		if a.v != b.v {
			return int(a.v - b.v)
		}
		return int(a.u - b.u)
	})
	rng := rand.New(rand.NewPCG(p.Seed, 0x636861696e6d6170))
	excluded := func(u, v int32) bool {
		if u == v {
			return true
		}
		k := key(u, v)
		_, a := g.tie0[k]
		_, b := s.test[k]
		return a || b
	}
	if len(g.suppliers0) > 0 && len(g.customers0) > 0 && len(s.pos) > 0 {
		limit := 1000 * (len(s.pos) + 10) // give up on degenerate (tiny, complete) inputs
		for tries := 0; len(s.uni) < len(s.pos) && tries < limit; tries++ {
			u := g.suppliers0[rng.IntN(len(g.suppliers0))]
			v := g.customers0[rng.IntN(len(g.customers0))]
			if !excluded(u, v) {
				s.uni = append(s.uni, pair{u, v})
			}
		}
		for tries := 0; len(s.deg) < len(s.pos) && tries < limit; tries++ {
			u, _ := unkey(g.tieList0[rng.IntN(len(g.tieList0))])
			_, v := unkey(g.tieList0[rng.IntN(len(g.tieList0))])
			if !excluded(u, v) {
				s.deg = append(s.deg, pair{u, v})
			}
		}
	}
	// Ranking: per customer, in index order.
	for i := 0; i < len(s.pos); {
		v := s.pos[i].v
		j := i
		for j < len(s.pos) && s.pos[j].v == v {
			j++
		}
		start := len(s.rankPairs)
		s.rankStart = append(s.rankStart, start)
		in := map[int32]bool{}
		for _, q := range s.pos[i:j] {
			s.rankPairs = append(s.rankPairs, q)
			s.rankTruth = append(s.rankTruth, true)
			in[q.u] = true
		}
		// Stop when the T0 suppliers run out (tiny inputs).
		for tries := 0; len(s.rankPairs)-start < p.Candidates && tries < 100*p.Candidates; tries++ {
			u := g.suppliers0[rng.IntN(len(g.suppliers0))]
			if in[u] || excluded(u, v) {
				continue
			}
			in[u] = true
			s.rankPairs = append(s.rankPairs, pair{u, v})
			s.rankTruth = append(s.rankTruth, false)
		}
		c := s.rankPairs[start:]
		t := s.rankTruth[start:]
		rng.Shuffle(len(c), func(a, b int) { c[a], c[b] = c[b], c[a]; t[a], t[b] = t[b], t[a] })
		i = j
	}
	s.rankStart = append(s.rankStart, len(s.rankPairs))
	return s
}

func evaluate(train [][]Edge, t1 []Edge, p Params) *Report {
	return evaluateWith(train, t1, p, Scorers)
}

// evaluateWith scores the period train → t1 with the given scorers.
func evaluateWith(train [][]Edge, t1 []Edge, p Params, scorers []Scorer) *Report {
	s := newSample(train, t1, p)
	g := s.g
	fPos, fUni, fDeg := g.features(s.pos), g.features(s.uni), g.features(s.deg)
	fRank := g.features(s.rankPairs)
	rep := &Report{Params: p, Positives: len(s.pos), Customers: len(s.rankStart) - 1}
	score := func(sc Scorer, fs []Features) []float64 {
		out := make([]float64, len(fs))
		for i := range fs {
			out[i] = sc.Score(&fs[i])
		}
		return out
	}
	for _, sc := range scorers {
		row := Row{Scorer: sc.Name, NameZH: sc.NameZH}
		pos := score(sc, fPos)
		row.AUCUniform = AUC(pos, score(sc, fUni))
		row.AUCDegree = AUC(pos, score(sc, fDeg))
		rs := score(sc, fRank)
		var hits, prec, mrr float64
		for c := 0; c+1 < len(s.rankStart); c++ {
			a, b := s.rankStart[c], s.rankStart[c+1]
			h, pr, rr := RankMetrics(rs[a:b], s.rankTruth[a:b], p.K)
			if h {
				hits++
			}
			prec += pr
			mrr += rr
		}
		if n := float64(rep.Customers); n > 0 {
			row.HitsAtK, row.PrecAtK, row.MRR = hits/n, prec/n, mrr/n
		}
		rep.Rows = append(rep.Rows, row)
	}
	return rep
}

// Table renders the report: one row per scorer, bilingual headers.
func (r *Report) Table() (headers []string, rows [][]string) {
	k := r.Params.K
	headers = []string{"评分方法 scorer", "AUC 均匀负例 uniform", "AUC 按度负例 degree-weighted",
		fmt.Sprintf("前%d命中率 hits@%d", k, k), fmt.Sprintf("前%d精确率 precision@%d", k, k), "平均倒数排名 MRR"}
	f := func(x float64) string {
		if math.IsNaN(x) {
			return "—"
		}
		return fmt.Sprintf("%.3f", x)
	}
	for _, x := range r.Rows {
		name := x.Scorer
		if x.NameZH != "" && x.NameZH != x.Scorer {
			name = x.NameZH + " " + x.Scorer
		}
		rows = append(rows, []string{name, f(x.AUCUniform), f(x.AUCDegree), f(x.HitsAtK), f(x.PrecAtK), f(x.MRR)})
	}
	return headers, rows
}
