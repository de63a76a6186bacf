package io

import "gonum.org/v1/gonum/mat"

// Country maps a sector to its country's single sector in a country-level table:
// Sector{Country: s.Country}, whose Code is the country code alone.
func Country(s Sector) Sector { return Sector{Country: s.Country} }

// Aggregate returns the input–output table of the groups named by by: each group is one
// sector of the result, in the order its first member appears in t.Sectors, and every
// flow is summed over the members,
//
//	Z'_gh = Σ_{i∈g} Σ_{j∈h} Z_ij,   Y'_g = Σ_{i∈g} Y_i,   F'_g = Σ_{i∈g} F_i,   N'_g = Σ_{i∈g} N_i.
//
// With by = Country this is the country × country table of Antràs & Chor (2018),
// Table 1 ("computed at the country-level, i.e., based on the WIOD aggregated to a
// country-by-country panel of Input-Output tables"): intermediate flows summed over
// all industry pairs of each country pair, final use and inventory change summed over
// the seller's industries (and over buyers, since only row totals of final use enter
// the measures), gross output per country. The measures of this package then apply
// to the result unchanged, and are not output-weighted means of the sector measures.
// It fails (wrapping ErrInvalidTable) when t's sizes disagree.
func Aggregate(t *Table, by func(Sector) Sector) (*Table, error) {
	n, err := t.check()
	if err != nil {
		return nil, err
	}
	if len(t.Final) != n {
		return nil, invalid("sizes disagree: %d sectors, %d final uses", n, len(t.Final))
	}
	g := make([]int, n) // g[i]: the group of sector i
	index := map[Sector]int{}
	out := &Table{}
	for i, s := range t.Sectors {
		k := by(s)
		gi, ok := index[k]
		if !ok {
			gi = len(out.Sectors)
			index[k] = gi
			out.Sectors = append(out.Sectors, k)
			out.Y = append(out.Y, 0)
			out.Final = append(out.Final, 0)
			out.Inventory = append(out.Inventory, 0)
		}
		g[i] = gi
		out.Y[gi] += t.Y[i]
		out.Final[gi] += t.Final[i]
		out.Inventory[gi] += t.Inventory[i]
	}
	m := len(out.Sectors)
	z := make([]float64, m*m)
	for i := 0; i < n; i++ {
		row := z[g[i]*m : (g[i]+1)*m]
		for j, v := range t.Z.RawRowView(i) {
			row[g[j]] += v
		}
	}
	out.Z = mat.NewDense(m, m, z)
	return out, nil
}
