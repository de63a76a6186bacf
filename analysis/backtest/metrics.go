package backtest

import (
	"cmp"
	"slices"
)

// AUC is the Mann–Whitney probability that a random positive scores above a random
// negative, ties counting one half. It is 0.5 when either side is empty.
func AUC(pos, neg []float64) float64 {
	if len(pos) == 0 || len(neg) == 0 {
		return 0.5
	}
	type item struct {
		s   float64
		pos bool
	}
	all := make([]item, 0, len(pos)+len(neg))
	for _, s := range pos {
		all = append(all, item{s, true})
	}
	for _, s := range neg {
		all = append(all, item{s, false})
	}
	slices.SortFunc(all, func(a, b item) int { return cmp.Compare(a.s, b.s) })
	// Sum of the positives' mid-ranks (1-based).
	var rankSum float64
	for i := 0; i < len(all); {
		j := i
		for j < len(all) && all[j].s == all[i].s {
			j++
		}
		mid := float64(i+1+j) / 2
		for k := i; k < j; k++ {
			if all[k].pos {
				rankSum += mid
			}
		}
		i = j
	}
	np, nn := float64(len(pos)), float64(len(neg))
	return (rankSum - np*(np+1)/2) / (np * nn)
}

// RankMetrics ranks one customer's candidates by score (higher first; equal scores
// keep the given order, so callers shuffle the candidates once with a fixed seed
// to break ties fairly and identically for every scorer) and returns whether a true
// supplier is in the top k, the share of the top k that are true (precision@k, out
// of k), and the reciprocal rank of the best-ranked true supplier (0 if none).
func RankMetrics(scores []float64, truth []bool, k int) (hit bool, precision, rr float64) {
	order := make([]int, len(scores))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(scores[b], scores[a]) })
	var inTop int
	for r, i := range order {
		if !truth[i] {
			continue
		}
		if rr == 0 {
			rr = 1 / float64(r+1)
		}
		if r < k {
			inTop++
		}
	}
	if k > 0 {
		precision = float64(inTop) / float64(k)
	}
	return inTop > 0, precision, rr
}
