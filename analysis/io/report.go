package io

import (
	"fmt"
	"math"
	"sort"
	"strconv"
)

// Collapse averages values (one per sector of t, same order as t.Sectors) within the
// groups named by by, weighting each sector by its gross output t.Y:
//
//	V_g = Σ_{i∈g} Y_i·v_i / Σ_{i∈g} Y_i.
//
// Groups whose total output is zero are absent from the map; a NaN value with positive
// weight makes its group NaN. It panics if len(values) != len(t.Sectors).
//
// This is not how Antràs & Chor (2018) compute their country-level Table 1: they
// aggregate the table first (see Aggregate). On WIOD 1995 the output-weighted mean of
// the country-industry upstreamness gives China 2.545 and Cyprus 1.408 against the
// published 2.535 and 1.451; the country × country table gives 2.531 and 1.399.
func Collapse(t *Table, values []float64, by func(Sector) string) map[string]float64 {
	if len(values) != len(t.Sectors) || len(t.Y) != len(t.Sectors) {
		panic(fmt.Sprintf("io.Collapse: %d values for %d sectors", len(values), len(t.Sectors)))
	}
	num, den := map[string]float64{}, map[string]float64{}
	for i, s := range t.Sectors {
		g := by(s)
		num[g] += t.Y[i] * values[i]
		den[g] += t.Y[i]
	}
	out := make(map[string]float64, len(num))
	for g, w := range den {
		if w != 0 {
			out[g] = num[g] / w
		}
	}
	return out
}

// Tiers suggested by SuggestTiers, matching chainmap's link tiers.
const (
	Upstream   = "upstream"
	Midstream  = "midstream"
	Downstream = "downstream"
)

// SuggestTiers turns upstreamness values into suggested chainmap link tiers by
// tertiles: with q1 and q2 the 1/3 and 2/3 quantiles of the non-NaN values (linear
// interpolation between order statistics, Hyndman & Fan type 7, as R's default),
// a value above q2 is "upstream", below q1 "downstream", otherwise "midstream"; NaN
// gets "". The tertiles are unweighted (each value counts once), so about a third of
// the values fall in each tier; ties at a cut-off go to "midstream" (a single value,
// or all-equal values, are all "midstream"). out[i] belongs to values[i].
func SuggestTiers(values []float64) []string {
	var s []float64
	for _, v := range values {
		if !math.IsNaN(v) {
			s = append(s, v)
		}
	}
	out := make([]string, len(values))
	if len(s) == 0 {
		return out
	}
	sort.Float64s(s)
	q1, q2 := quantile7(s, 1.0/3), quantile7(s, 2.0/3)
	for i, v := range values {
		switch {
		case math.IsNaN(v):
		case v > q2:
			out[i] = Upstream
		case v < q1:
			out[i] = Downstream
		default:
			out[i] = Midstream
		}
	}
	return out
}

// quantile7 is the type-7 quantile of sorted s.
func quantile7(s []float64, p float64) float64 {
	h := p * float64(len(s)-1)
	lo := int(math.Floor(h))
	if lo+1 >= len(s) {
		return s[len(s)-1]
	}
	return s[lo] + (h-float64(lo))*(s[lo+1]-s[lo])
}

// Collapse levels accepted by Compute.
const (
	LevelSector   = "country-industry"
	LevelCountry  = "country"
	LevelIndustry = "industry"
)

// Report is what `chainmap io upstreamness` prints: one row per country-industry, or
// per country or per industry when collapsed.
type Report struct {
	// Level is LevelSector, LevelCountry or LevelIndustry.
	Level string `json:"level"`
	// Sectors is the number of country-industries in the table.
	Sectors int `json:"sectors"`
	// Method states the formulas and the aggregation, for the reader of the JSON.
	Method string `json:"method"`
	// Rows are in table order (the order of the gross-output file); when collapsed, in
	// the order each country or industry first appears there. Countries or industries
	// with zero gross output are left out.
	Rows []Row `json:"rows"`
}

// Row is one country-industry, country or industry of a Report.
type Row struct {
	// Key is the WIOD code ("CHN_c14"), the country ("CHN") or the industry ("c14").
	Key      string `json:"key"`
	Country  string `json:"country,omitempty"`
	Industry string `json:"industry,omitempty"`
	// Name is the country and/or industry name, Chinese then English.
	Name string `json:"name"`
	// Output is gross output (millions USD for WIOD), summed over the group.
	Output float64 `json:"output"`
	// Upstreamness (U), Downstreamness (D), FinalUseShare (F/GO) and ValueAddedShare
	// (VA/GO) are as returned by the functions of those names: for a country-industry
	// on the full table, for a country on the country × country table (Aggregate with
	// Country, as Antràs & Chor 2018 Table 1), for an industry the output-weighted
	// averages of its country-industries (Collapse).
	Upstreamness    float64 `json:"upstreamness"`
	Downstreamness  float64 `json:"downstreamness"`
	FinalUseShare   float64 `json:"final_use_share"`
	ValueAddedShare float64 `json:"value_added_share"`
	// Tier is SuggestTiers over the report's upstreamness values.
	Tier string `json:"tier"`
}

const formulas = "U = (I−Δ)⁻¹·1, Δ_ij = Z_ij/(Y_i−N_i); Dᵀ = 1ᵀ(I−Δ̃)⁻¹, Δ̃_ij = Z_ij·Y_i/((Y_i−N_i)·Y_j); " +
	"F/GO_i = (F_i−N_i)/(Y_i−N_i); VA/GO_j = 1 − Σ_i Δ̃_ij; " +
	"N = inventory change (net inventory correction), Antràs & Chor (2018); "

var methods = map[string]string{
	LevelSector:   formulas + "per country-industry; tiers are tertiles of upstreamness",
	LevelCountry:  formulas + "computed on the table aggregated to country × country (flows summed over industries), as Antràs & Chor (2018) Table 1; tiers are tertiles of upstreamness",
	LevelIndustry: formulas + "industry rows are gross-output-weighted averages of the country-industry values; tiers are tertiles of upstreamness",
}

// measures holds the four measures of one table, each in table order.
type measures struct{ u, d, f, v []float64 }

// measure computes the four measures of t, the two factorisations side by side.
func measure(t *Table) (measures, error) {
	var m measures
	var derr error
	done := make(chan struct{})
	go func() { m.d, derr = Downstreamness(t); close(done) }()
	var err error
	m.u, err = Upstreamness(t)
	<-done
	if err == nil {
		err = derr
	}
	if err == nil {
		m.f, err = FinalUseShare(t)
	}
	if err == nil {
		m.v, err = ValueAddedShare(t)
	}
	return m, err
}

// Compute reads a WIOD table (see ReadWIOD) and returns Upstreamness, Downstreamness,
// FinalUseShare and ValueAddedShare with gross output and the suggested tier:
//
//   - collapse "" or "none": per country-industry;
//   - "country": per country, computed on the country × country table (Aggregate with
//     Country), as Antràs & Chor (2018) Table 1;
//   - "industry": per industry, the gross-output-weighted averages of its
//     country-industries (Collapse).
//
// Any other collapse is an error.
func Compute(interPath, finalPath, outputPath, collapse string) (*Report, error) {
	var level string
	switch collapse {
	case "", "none", "sector", LevelSector:
		level = LevelSector
	case LevelCountry:
		level = LevelCountry
	case LevelIndustry:
		level = LevelIndustry
	default:
		return nil, fmt.Errorf("unknown collapse %q (want country, industry or none) / 未知汇总方式", collapse)
	}
	t, err := ReadWIOD(interPath, finalPath, outputPath)
	if err != nil {
		return nil, err
	}
	r := &Report{Level: level, Sectors: len(t.Sectors), Method: methods[level]}
	switch level {
	case LevelSector, LevelCountry:
		mt := t
		if level == LevelCountry {
			if mt, err = Aggregate(t, Country); err != nil {
				return nil, err
			}
		}
		m, err := measure(mt)
		if err != nil {
			return nil, err
		}
		for i, s := range mt.Sectors {
			if level == LevelCountry && mt.Y[i] == 0 {
				continue
			}
			row := Row{Key: s.Code(), Country: s.Country, Industry: s.Industry, Output: mt.Y[i],
				Upstreamness: m.u[i], Downstreamness: m.d[i], FinalUseShare: m.f[i], ValueAddedShare: m.v[i]}
			if level == LevelCountry {
				row.Name = CountryName(s.Country)
			} else {
				row.Name = CountryName(s.Country) + " · " + IndustryName(s.Industry)
			}
			r.Rows = append(r.Rows, row)
		}
	case LevelIndustry:
		m, err := measure(t)
		if err != nil {
			return nil, err
		}
		by := func(s Sector) string { return s.Industry }
		cu, cd, cf, cv := Collapse(t, m.u, by), Collapse(t, m.d, by), Collapse(t, m.f, by), Collapse(t, m.v, by)
		out := map[string]float64{}
		var keys []string
		for i, s := range t.Sectors {
			k := by(s)
			if _, ok := out[k]; !ok {
				keys = append(keys, k)
			}
			out[k] += t.Y[i]
		}
		for _, k := range keys {
			if _, ok := cu[k]; !ok {
				continue // zero output
			}
			r.Rows = append(r.Rows, Row{Key: k, Industry: k, Name: IndustryName(k), Output: out[k],
				Upstreamness: cu[k], Downstreamness: cd[k], FinalUseShare: cf[k], ValueAddedShare: cv[k]})
		}
	}
	vals := make([]float64, len(r.Rows))
	for i, row := range r.Rows {
		vals[i] = row.Upstreamness
	}
	for i, tier := range SuggestTiers(vals) {
		r.Rows[i].Tier = tier
	}
	return r, nil
}

var tierZH = map[string]string{Upstream: "上游 upstream", Midstream: "中游 midstream", Downstream: "下游 downstream"}

// Table renders the report for the CLI's table and xlsx formats: one line per row, in
// report order, measures to 3 decimals and output to whole millions.
func (r *Report) Table() (headers []string, rows [][]string) {
	f3 := func(x float64) string { return strconv.FormatFloat(x, 'f', 3, 64) }
	switch r.Level {
	case LevelCountry:
		headers = []string{"国家 country", "名称 name"}
	case LevelIndustry:
		headers = []string{"行业 industry", "名称 name"}
	default:
		headers = []string{"国家 country", "行业 industry", "名称 name"}
	}
	headers = append(headers, "总产出(百万美元) gross output (USD mn)", "上游度 upstreamness", "下游度 downstreamness",
		"最终使用/总产出 F/GO", "增加值/总产出 VA/GO", "建议环节 suggested tier")
	for _, x := range r.Rows {
		var row []string
		switch r.Level {
		case LevelCountry:
			row = []string{x.Country, x.Name}
		case LevelIndustry:
			row = []string{x.Industry, x.Name}
		default:
			row = []string{x.Country, x.Industry, x.Name}
		}
		rows = append(rows, append(row, strconv.FormatFloat(x.Output, 'f', 0, 64), f3(x.Upstreamness),
			f3(x.Downstreamness), f3(x.FinalUseShare), f3(x.ValueAddedShare), tierZH[x.Tier]))
	}
	return headers, rows
}
