package backtest

import "math"

// The chainmap link-prediction model: a logistic regression over seven log1p,
// standardised features of a candidate supply tie supplier u → customer v, chosen
// by the evidence in /work/shared/reference/recommendation-evidence.md. Every
// feature can be computed both from raw edge-list snapshots (this package) and
// from a chainmap snapshot (analysis/targets):
//
//	input              backtest (snapshots up to T0)           chainmap snapshot at AsOf
//	walks3             undirected 3-step walks u–a–b–v in T0   same, over all ties (no rival intermediaries)
//	hist_degree_prod   degree product, union of snapshots      degree product, all ties (any Until)
//	hist_common        common neighbours, union of snapshots   common neighbours, all ties
//	past_tie           u→v or v→u in any snapshot              any tie u→v (ended or current) or v→u
//	supplier_out_prev  u's customers one snapshot before T0    u's customers on ties with Since ≤ AsOf−6 months
//	customer_age       half-years since v first appeared       half-years since v's first tie (or FoundedOn), capped
//	supplier_age       half-years since u first appeared       same for u
//
// The score is the logit
//
//	logit(u→v) = Intercept + Σ_j Coef_j · (log1p(x_j) − Mean_j) / Std_j
//
// and each term is that feature's contribution (relative to an average sampled
// pair), so every recommendation can say why.
//
// Regenerate the frozen values with
//
//	CHAINMAP_FIT=1 go test ./analysis/backtest/ -run TestFitChainmap -v
//
// which reads ../shared/data/supply-temporal, builds the training pairs of
// 2018-06-30 → 2018-12-31 (history 2015-06-30 … 2018-06-30; the new ties as
// positives and as many uniform role-respecting negatives, seed FitSeed; 8,172
// pairs) and fits by IRLS with ridge FitL2. Test periods never enter the fit.
//
// Reading the coefficients (per standard deviation of log1p): 3-step walks +3.39,
// a past tie +2.47, historical degree product +2.24, historical common neighbours
// +1.50; given those, a supplier that was already busy a period earlier (−0.13)
// and older firms (customer −0.28, supplier −0.22) are slightly less likely to add
// a tie: recent growth, not size alone, predicts new ties.

// AgeCap caps the ages (in half-years) the model sees: the training history spans
// seven half-years, so a firm founded decades ago looks like one seen from the
// start of the data, as it did in the fit. PeriodDays is one half-year.
const (
	AgeCap     = 7
	PeriodDays = 182.625
)

// Model input indices.
const (
	InWalks3 = iota
	InHistDegreeProduct
	InHistCommon
	InPastTie
	InSupplierOutPrev
	InCustomerAge
	InSupplierAge
	NumInputs
)

// InputNames are the model inputs' stable names, by index.
var InputNames = [NumInputs]string{"walks3", "hist_degree_product", "hist_common_neighbours", "past_tie",
	"supplier_out_prev", "customer_age", "supplier_age"}

// Model is a logistic regression over log1p, standardised inputs.
type Model struct {
	Names     [NumInputs]string  `json:"names"`
	Mean      [NumInputs]float64 `json:"mean"` // of log1p(input) over the training pairs
	Std       [NumInputs]float64 `json:"std"`
	Coef      [NumInputs]float64 `json:"coef"` // per standard deviation of log1p(input)
	Intercept float64            `json:"intercept"`
}

// FitSeed and FitL2 are the sampling seed and ridge penalty the frozen model was
// fitted with.
const (
	FitSeed = 1
	FitL2   = 1.0
)

// Chainmap is the frozen model, fitted on 2018-06-30 → 2018-12-31 (see the
// comment at the top of model.go for how to regenerate it). Test 2018-12-31 →
// 2019-06-30: AUC 0.961 (uniform), 0.782 (degree-weighted), hits@10 0.725, MRR 0.626.
var Chainmap = Model{
	Names:     InputNames,
	Mean:      [NumInputs]float64{0.476754, 3.210412, 0.144592, 0.149113, 1.309847, 1.666530, 1.699551},
	Std:       [NumInputs]float64{1.112345, 1.935476, 0.366686, 0.284820, 0.972706, 0.514343, 0.489686},
	Coef:      [NumInputs]float64{3.394016, 2.242198, 1.495157, 2.473643, -0.132571, -0.275216, -0.217186},
	Intercept: 2.737499,
}

// Inputs returns the model inputs of a backtest pair.
func Inputs(f *Features) [NumInputs]float64 {
	return [NumInputs]float64{f.Walks3, f.HistDegreeProduct, f.HistCommon, f.PastTie, f.SupplierOutPrev,
		f.CustomerAge, f.SupplierAge}
}

// Contributions returns each input's term of the logit.
func (m *Model) Contributions(x [NumInputs]float64) [NumInputs]float64 {
	var c [NumInputs]float64
	for j, v := range x {
		c[j] = m.Coef[j] * (math.Log1p(max(v, 0)) - m.Mean[j]) / m.Std[j]
	}
	return c
}

// Logit returns the model's log-odds for inputs x.
func (m *Model) Logit(x [NumInputs]float64) float64 {
	s := m.Intercept
	for _, c := range m.Contributions(x) {
		s += c
	}
	return s
}

// Probability returns the logistic of the logit: 0–1, higher = likelier new tie.
// The model is fitted on balanced samples, so it ranks well but is not calibrated
// to the (much lower) base rate of new ties.
func (m *Model) Probability(x [NumInputs]float64) float64 { return 1 / (1 + math.Exp(-m.Logit(x))) }
