package backtest

import (
	"fmt"
	"math"
	"path/filepath"
	"regexp"
	"slices"
	"time"
)

// Rolling-origin evaluation: every period is scored by a model fitted only on
// periods that end before it, so no model ever sees its test period (Tashman,
// "Out-of-sample tests of forecasting accuracy", IJF 16(4):437–450, 2000).
//
// With snapshots S₀ … Sₙ in time order, period k is Sₖ₋₁ → Sₖ (history S₀ … Sₖ₋₁,
// T0 = Sₖ₋₁). Its model is fitted on the pairs of periods 1 … k−1 — for period j,
// features from S₀ … Sⱼ₋₁ and labels from Sⱼ, j ≤ k−1 — so everything it learns
// is dated T0 or earlier. Training pairs are the new ties of each period with as
// many uniform and as many degree-weighted negatives, so the model is fitted for
// both negative protocols at once. The first period has no earlier period and is
// not scored.

// PeriodReport is one scored period.
type PeriodReport struct {
	T0 string `json:"t0"`
	T1 string `json:"t1"`
	// TrainPeriods is how many earlier periods the model was fitted on, TrainPairs
	// on how many pairs.
	TrainPeriods int   `json:"train_periods"`
	TrainPairs   int   `json:"train_pairs"`
	Model        Model `json:"model"`
	Positives    int   `json:"positives"`
	Customers    int   `json:"customers"`
	Rows         []Row `json:"rows"`
}

// RollingReport is the result of Rolling.
type RollingReport struct {
	Snapshots []string       `json:"snapshots"`
	Dates     []string       `json:"dates"`
	Params    Params         `json:"params"`
	Periods   []PeriodReport `json:"periods"`
	// Mean is each scorer's mean over the periods.
	Mean []Row `json:"mean"`
	// Calibration is the reliability of the model's probability on the last period
	// (see Calibrate).
	Calibration *Calibration  `json:"calibration,omitempty"`
	Elapsed     time.Duration `json:"elapsed"`
}

var fileDate = regexp.MustCompile(`(\d{4})[_-](\d{2})[_-](\d{2})`)

// SnapshotDates returns the dates of snapshot files, from dates when given (one
// per file, YYYY-MM-DD) or else from the file names (…YYYY_MM_DD…), and checks that
// they strictly increase: a model must never be fitted on a later snapshot than
// the one it is tested on.
func SnapshotDates(files, dates []string) ([]string, error) {
	if len(dates) > 0 && len(dates) != len(files) {
		return nil, fmt.Errorf("backtest: %d dates for %d snapshots / 日期数与快照数不符", len(dates), len(files))
	}
	out := make([]string, len(files))
	for i, f := range files {
		if len(dates) > 0 {
			if !fileDate.MatchString(dates[i]) {
				return nil, fmt.Errorf("backtest: date %q of %s is not YYYY-MM-DD / 日期格式应为 YYYY-MM-DD", dates[i], f)
			}
			m := fileDate.FindStringSubmatch(dates[i])
			out[i] = m[1] + "-" + m[2] + "-" + m[3]
			continue
		}
		m := fileDate.FindStringSubmatch(filepath.Base(f))
		if m == nil {
			return nil, fmt.Errorf("backtest: cannot tell the date of %s from its name; give --dates / 无法从文件名判断 %s 的日期，请用 --dates 指定", f, f)
		}
		out[i] = m[1] + "-" + m[2] + "-" + m[3]
	}
	for i := 1; i < len(out); i++ {
		if out[i] <= out[i-1] {
			return nil, fmt.Errorf("backtest: snapshots out of time order: %s (%s) comes after %s (%s); list them oldest first / 快照须按时间从早到晚排列",
				files[i], out[i], files[i-1], out[i-1])
		}
	}
	return out, nil
}

// Rolling reads the snapshots (oldest first, dated by SnapshotDates) and scores
// every period from the second on, each with a model fitted on the periods before it.
func Rolling(files, dates []string, p Params) (*RollingReport, error) {
	start := time.Now()
	ds, err := SnapshotDates(files, dates)
	if err != nil {
		return nil, err
	}
	if len(files) < 3 {
		return nil, fmt.Errorf("backtest: rolling evaluation needs at least 3 snapshots (one period to fit, one to test), got %d / 至少需要 3 个快照", len(files))
	}
	p = p.withDefaults()
	snaps := make([][]Edge, len(files))
	for i, f := range files {
		if snaps[i], err = ReadEdges(f); err != nil {
			return nil, err
		}
	}
	rep := &RollingReport{Snapshots: files, Dates: ds, Params: p}
	// train[j] holds period j's training inputs: features from S₀ … Sⱼ₋₁, labels Sⱼ.
	type set struct {
		xs [][NumInputs]float64
		y  []bool
	}
	train := make([]*set, len(snaps))
	trainingSet := func(j int) *set {
		if train[j] == nil {
			s := newSample(snaps[:j], snaps[j], p)
			t := &set{}
			for _, part := range []struct {
				pairs []pair
				pos   bool
			}{{s.pos, true}, {s.uni, false}, {s.deg, false}} {
				for _, f := range s.g.features(part.pairs) {
					t.xs = append(t.xs, Inputs(&f))
					t.y = append(t.y, part.pos)
				}
			}
			train[j] = t
		}
		return train[j]
	}
	fitUpTo := func(last int) (Model, int) {
		var xs [][NumInputs]float64
		var y []bool
		for j := 1; j <= last; j++ {
			t := trainingSet(j)
			xs, y = append(xs, t.xs...), append(y, t.y...)
		}
		return Fit(xs, y, FitL2), len(xs)
	}
	for k := 2; k < len(snaps); k++ {
		m, n := fitUpTo(k - 1)
		r := evaluateWith(snaps[:k], snaps[k], p, PeriodScorers(m))
		rep.Periods = append(rep.Periods, PeriodReport{T0: ds[k-1], T1: ds[k], TrainPeriods: k - 1, TrainPairs: n,
			Model: m, Positives: r.Positives, Customers: r.Customers, Rows: r.Rows})
	}
	rep.Mean = meanRows(rep.Periods)
	if len(snaps) >= 4 {
		// Fitted on the periods before the last two, calibrated on the one before the
		// last, judged on the last: three disjoint stretches of time.
		last := len(snaps) - 1
		m, _ := fitUpTo(last - 2)
		c := Calibrate(m, snaps[:last-1], snaps[last-1], snaps[:last], snaps[last], p)
		c.FitPeriod, c.TestPeriod = ds[last-2]+" → "+ds[last-1], ds[last-1]+" → "+ds[last]
		rep.Calibration = c
	}
	rep.Elapsed = time.Since(start)
	return rep, nil
}

// PeriodScorers are the scorers of one rolling period: the baselines, the model
// fitted for it, the composite that analysis/targets ranks with, and the frozen
// model shipped in model.go (fitted on 2018-06-30 → 2018-12-31, so a fair test only
// of later periods).
func PeriodScorers(m Model) []Scorer {
	var out []Scorer
	for _, s := range Scorers {
		if s.Name != "chainmap" {
			out = append(out, s)
		}
	}
	return append(out,
		Scorer{"chainmap", "chainmap 模型（逐期拟合）", func(f *Features) float64 { return m.Logit(Inputs(f)) }},
		Scorer{"targets_composite", "招商目标综合评分", func(f *Features) float64 { return Composite(m, f) }},
		Scorer{"chainmap_frozen", "chainmap 模型（随版本发布）", func(f *Features) float64 { return Chainmap.Logit(Inputs(f)) }},
	)
}

// Composite is analysis/targets' default score with the terms an anonymous edge
// list carries: 0.40 × the model's probability, 0.18 × the supplier's current
// customers (ties_to_local, every firm of the network counting as local) and 0.18 ×
// its current customers among the network's hubs (ties_to_leaders, the 1% of firms
// with most suppliers standing in for declared leaders), each scaled by the
// network's maximum; strength, revenue and affinity have no data here and drop out
// of both sums.
func Composite(m Model, f *Features) float64 {
	x := 0.40 * m.Probability(Inputs(f))
	if f.MaxSupplierOut > 0 {
		x += 0.18 * f.SupplierOut / f.MaxSupplierOut
	}
	if f.MaxHubCustomers > 0 {
		x += 0.18 * f.HubCustomers / f.MaxHubCustomers
	}
	return x / 0.76
}

// meanRows averages each scorer's figures over the periods.
func meanRows(ps []PeriodReport) []Row {
	if len(ps) == 0 {
		return nil
	}
	out := slices.Clone(ps[0].Rows)
	for i := range out {
		out[i].AUCUniform, out[i].AUCDegree, out[i].HitsAtK, out[i].PrecAtK, out[i].MRR = 0, 0, 0, 0, 0
		for _, p := range ps {
			r := p.Rows[i]
			out[i].AUCUniform += r.AUCUniform / float64(len(ps))
			out[i].AUCDegree += r.AUCDegree / float64(len(ps))
			out[i].HitsAtK += r.HitsAtK / float64(len(ps))
			out[i].PrecAtK += r.PrecAtK / float64(len(ps))
			out[i].MRR += r.MRR / float64(len(ps))
		}
	}
	return out
}

// Calibration is a reliability table: the ranking protocol's candidate pairs of a
// held-out period in ten bins of predicted probability, each with the mean
// predicted probability and the observed share of true new ties. The model's raw
// probability (fitted on balanced samples) is rescaled by Platt scaling fitted on
// the period before, whose rates are the natural ones of the ranking protocol.
type Calibration struct {
	FitPeriod  string `json:"fit_period"`
	TestPeriod string `json:"test_period"`
	// A and B rescale the logit: p = 1 / (1 + exp(−(A·logit + B))).
	A    float64 `json:"a"`
	B    float64 `json:"b"`
	Bins []Bin   `json:"bins"`
}

// Bin is one decile of a reliability table.
type Bin struct {
	Decile    int     `json:"decile"` // 1 = lowest predicted
	Pairs     int     `json:"pairs"`
	Predicted float64 `json:"predicted"`
	Observed  float64 `json:"observed"`
}

// Calibrate fits Platt scaling of m's logit on the ranking candidates of the period
// fitHist → fitT1 and reports its reliability on those of testHist → testT1.
func Calibrate(m Model, fitHist [][]Edge, fitT1 []Edge, testHist [][]Edge, testT1 []Edge, p Params) *Calibration {
	logits := func(hist [][]Edge, t1 []Edge) ([]float64, []bool) {
		s := newSample(hist, t1, p)
		fs := s.g.features(s.rankPairs)
		out := make([]float64, len(fs))
		for i := range fs {
			out[i] = m.Logit(Inputs(&fs[i]))
		}
		return out, s.rankTruth
	}
	x, y := logits(fitHist, fitT1)
	a, b := platt(x, y)
	tx, ty := logits(testHist, testT1)
	c := &Calibration{A: a, B: b}
	type item struct {
		p   float64
		hit bool
	}
	items := make([]item, len(tx))
	for i := range tx {
		items[i] = item{1 / (1 + math.Exp(-(a*tx[i] + b))), ty[i]}
	}
	slices.SortStableFunc(items, func(u, v item) int {
		switch {
		case u.p < v.p:
			return -1
		case u.p > v.p:
			return 1
		}
		return 0
	})
	for d := range 10 {
		lo, hi := d*len(items)/10, (d+1)*len(items)/10
		bin := Bin{Decile: d + 1, Pairs: hi - lo}
		for _, it := range items[lo:hi] {
			bin.Predicted += it.p
			if it.hit {
				bin.Observed++
			}
		}
		if n := float64(hi - lo); n > 0 {
			bin.Predicted, bin.Observed = bin.Predicted/n, bin.Observed/n
		}
		c.Bins = append(c.Bins, bin)
	}
	return c
}

// platt fits p = σ(a·x + b) to labels y by Newton's method (Platt 1999, without
// the label smoothing: the samples are large).
func platt(x []float64, y []bool) (a, b float64) {
	a = 1
	for range 100 {
		var ga, gb, haa, hab, hbb float64
		for i := range x {
			p := 1 / (1 + math.Exp(-(a*x[i] + b)))
			t := 0.0
			if y[i] {
				t = 1
			}
			w := max(p*(1-p), 1e-12)
			ga += (t - p) * x[i]
			gb += t - p
			haa += w * x[i] * x[i]
			hab += w * x[i]
			hbb += w
		}
		det := haa*hbb - hab*hab
		if det == 0 {
			break
		}
		da, db := (hbb*ga-hab*gb)/det, (haa*gb-hab*ga)/det
		a, b = a+da, b+db
		if math.Abs(da)+math.Abs(db) < 1e-10 {
			break
		}
	}
	return a, b
}

// Table renders the report for the CLI: per period the refitted model, the
// targets composite, the frozen model and the best baseline on each figure (named),
// then the means, then the calibration table.
func (r *RollingReport) Table() (headers []string, rows [][]string) {
	k := r.Params.K
	headers = []string{"期间 period", "评分方法 scorer", "AUC 均匀负例 uniform", "AUC 按度负例 degree-weighted",
		fmt.Sprintf("前%d命中率 hits@%d", k, k), fmt.Sprintf("前%d精确率 precision@%d", k, k), "平均倒数排名 MRR"}
	f := func(x float64) string { return fmt.Sprintf("%.3f", x) }
	emit := func(period string, rs []Row) {
		best := Row{Scorer: "best baseline", NameZH: "最佳基线"}
		names := [5]string{}
		for _, x := range rs {
			switch x.Scorer {
			case "chainmap", "targets_composite", "chainmap_frozen":
				rows = append(rows, []string{period, x.NameZH + " " + x.Scorer, f(x.AUCUniform), f(x.AUCDegree), f(x.HitsAtK), f(x.PrecAtK), f(x.MRR)})
				continue
			}
			for i, pair := range []struct{ v, b *float64 }{{&x.AUCUniform, &best.AUCUniform}, {&x.AUCDegree, &best.AUCDegree},
				{&x.HitsAtK, &best.HitsAtK}, {&x.PrecAtK, &best.PrecAtK}, {&x.MRR, &best.MRR}} {
				if *pair.v > *pair.b {
					*pair.b, names[i] = *pair.v, x.Scorer
				}
			}
		}
		rows = append(rows, []string{period, "最佳基线 best baseline", f(best.AUCUniform) + " " + names[0], f(best.AUCDegree) + " " + names[1],
			f(best.HitsAtK) + " " + names[2], f(best.PrecAtK) + " " + names[3], f(best.MRR) + " " + names[4]})
	}
	for _, p := range r.Periods {
		emit(p.T0+" → "+p.T1, p.Rows)
	}
	emit("平均 mean", r.Mean)
	if c := r.Calibration; c != nil {
		for _, b := range c.Bins {
			rows = append(rows, []string{"校准 calibration " + c.TestPeriod, fmt.Sprintf("第 %d 十分位 decile %d（%d 对 pairs）", b.Decile, b.Decile, b.Pairs),
				"预测 predicted " + fmt.Sprintf("%.4f", b.Predicted), "实际 observed " + fmt.Sprintf("%.4f", b.Observed), "", "", ""})
		}
	}
	return headers, rows
}
