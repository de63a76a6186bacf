package backtest

import (
	"fmt"
	"math"
	"strings"
)

// Fit fits a logistic regression of y on the model inputs of xs (log1p, then
// standardised with the sample's mean and standard deviation) by iteratively
// reweighted least squares (Newton's method) with a small ridge penalty l2 on the
// coefficients (not the intercept). It is deterministic: no sampling, fixed
// iteration cap. Fit is used only to regenerate the frozen Chainmap model (see
// model.go); nothing fits at run time.
func Fit(xs [][NumInputs]float64, y []bool, l2 float64) Model {
	var m Model
	m.Names = InputNames
	if len(xs) == 0 {
		for j := range m.Std {
			m.Std[j] = 1 // nothing to learn from: a constant score
		}
		return m
	}
	n := float64(len(xs))
	z := make([][NumInputs]float64, len(xs))
	for j := range NumInputs {
		var s, ss float64
		for i := range xs {
			v := math.Log1p(xs[i][j])
			z[i][j] = v
			s += v
		}
		mean := s / n
		for i := range xs {
			ss += (z[i][j] - mean) * (z[i][j] - mean)
		}
		sd := math.Sqrt(ss / n)
		if sd == 0 {
			sd = 1
		}
		m.Mean[j], m.Std[j] = mean, sd
		for i := range xs {
			z[i][j] = (z[i][j] - mean) / sd
		}
	}
	const p = NumInputs + 1
	beta := make([]float64, p) // [intercept, coefs...]
	row := make([]float64, p)
	for iter := 0; iter < 50; iter++ {
		var h [p][p]float64
		var g [p]float64
		for i := range z {
			row[0] = 1
			copy(row[1:], z[i][:])
			var eta float64
			for k := range p {
				eta += beta[k] * row[k]
			}
			mu := 1 / (1 + math.Exp(-eta))
			yi := 0.0
			if y[i] {
				yi = 1
			}
			w := max(mu*(1-mu), 1e-10)
			for a := range p {
				g[a] += (yi - mu) * row[a]
				for b := range p {
					h[a][b] += w * row[a] * row[b]
				}
			}
		}
		for a := 1; a < p; a++ {
			g[a] -= l2 * beta[a]
			h[a][a] += l2
		}
		step := solve(h, g)
		var move float64
		for k := range p {
			beta[k] += step[k]
			move = max(move, math.Abs(step[k]))
		}
		if move < 1e-10 {
			break
		}
	}
	m.Intercept = beta[0]
	copy(m.Coef[:], beta[1:])
	return m
}

// solve solves h·x = g by Gaussian elimination with partial pivoting.
func solve[A ~[NumInputs + 1][NumInputs + 1]float64](h A, g [NumInputs + 1]float64) [NumInputs + 1]float64 {
	const p = NumInputs + 1
	for c := range p {
		piv := c
		for r := c + 1; r < p; r++ {
			if math.Abs(h[r][c]) > math.Abs(h[piv][c]) {
				piv = r
			}
		}
		h[c], h[piv] = h[piv], h[c]
		g[c], g[piv] = g[piv], g[c]
		if h[c][c] == 0 {
			continue
		}
		for r := c + 1; r < p; r++ {
			f := h[r][c] / h[c][c]
			for k := c; k < p; k++ {
				h[r][k] -= f * h[c][k]
			}
			g[r] -= f * g[c]
		}
	}
	var x [p]float64
	for c := p - 1; c >= 0; c-- {
		if h[c][c] == 0 {
			continue
		}
		s := g[c]
		for k := c + 1; k < p; k++ {
			s -= h[c][k] * x[k]
		}
		x[c] = s / h[c][c]
	}
	return x
}

// GoSource renders m as the Go literal frozen in model.go.
func (m Model) GoSource() string {
	var b strings.Builder
	f := func(a [NumInputs]float64) string {
		s := make([]string, NumInputs)
		for i, v := range a {
			s[i] = fmt.Sprintf("%.6f", v)
		}
		return strings.Join(s, ", ")
	}
	fmt.Fprintf(&b, "\tMean:      [NumInputs]float64{%s},\n", f(m.Mean))
	fmt.Fprintf(&b, "\tStd:       [NumInputs]float64{%s},\n", f(m.Std))
	fmt.Fprintf(&b, "\tCoef:      [NumInputs]float64{%s},\n", f(m.Coef))
	fmt.Fprintf(&b, "\tIntercept: %.6f,\n", m.Intercept)
	return b.String()
}
