package io

import (
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

const wiodDir = "../../../shared/data/wiod2013"

func wiodPaths(tb testing.TB, year string) (inter, final, output string) {
	tb.Helper()
	inter = filepath.Join(wiodDir, "wiot"+year+"_inter_long.csv.gz")
	final = filepath.Join(wiodDir, "wiot"+year+"_final.csv.gz")
	output = filepath.Join(wiodDir, "wiot"+year+"_output.csv")
	for _, p := range []string{inter, final, output} {
		if _, err := os.Stat(p); err != nil {
			tb.Skipf("WIOD %s data absent (%s): skipping", year, p)
		}
	}
	return
}

func loadWIOD(tb testing.TB, year string) *Table {
	tb.Helper()
	inter, final, output := wiodPaths(tb, year)
	t, err := ReadWIOD(inter, final, output)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

func readRefCSV(tb testing.TB, name string) [][]string {
	tb.Helper()
	f, err := os.Open(filepath.Join(wiodDir, name))
	if err != nil {
		tb.Skipf("reference file %s absent: skipping", name)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	return recs
}

// publishedCode maps a WIOD country code to the published files' spelling.
func publishedCode(c string) string {
	if c == "ROM" {
		return "ROU"
	}
	return c
}

// Table 1 of Antràs & Chor (2018) for China, 1995, beyond the shared CSV (which holds
// U only): F/GO as given in issue 17.
const chinaFGO1995 = 0.384

// TestTable1_1995 reproduces Antràs & Chor (2018) Table 1 for 1995 the way its note says
// it was computed: on the WIOD aggregated to a country × country table (Aggregate with
// Country), not as output-weighted means of the country-industry values. China, the
// highest, must be within 0.005 of U = 2.535 and within 0.002 of F/GO = 0.384; every
// listed economy with gross output of at least 200bn USD within 0.02 of its U; Cyprus
// lowest and China highest of the 41, every listed country's rank within one place.
//
// Smaller economies miss by more (Slovakia by 0.085), and the test pins why: the shared
// files are rounded to whole millions of USD, so most small flows are zero (1.8 of the
// 2.06 million pairs), intermediate sales fall short of Y − F, and the computed
// country-industry GVC_Ui sit below the published ones by an output-weighted mean b_c
// (negative) that is largest for small economies. Table 1's U plus b_c is within 0.01
// of the computed U for every listed country, large or small.
func TestTable1_1995(t *testing.T) {
	tab := readRefCSV(t, "antras_chor_2018_table1_1995.csv")
	pub := readRefCSV(t, "antras_chor_2018_measures_1995.csv")
	tb := loadWIOD(t, "1995")
	ct, err := Aggregate(tb, Country)
	if err != nil {
		t.Fatal(err)
	}
	m, err := measure(ct)
	if err != nil {
		t.Fatal(err)
	}
	if len(ct.Sectors) != 41 {
		t.Fatalf("%d countries, want 41", len(ct.Sectors))
	}
	at := map[string]int{}
	order := make([]int, len(ct.Sectors))
	for i, s := range ct.Sectors {
		at[s.Country] = i
		order[i] = i
	}
	// computed ranks, ascending as in Table 1
	sort.Slice(order, func(a, b int) bool { return m.u[order[a]] < m.u[order[b]] })
	rank := map[string]int{}
	for r, i := range order {
		rank[ct.Sectors[i].Country] = r + 1
	}
	if lo, hi := ct.Sectors[order[0]].Country, ct.Sectors[order[40]].Country; lo != "CYP" || hi != "CHN" {
		t.Errorf("lowest %s, highest %s; want CYP and CHN", lo, hi)
	}
	chn := at["CHN"]
	if math.Abs(m.u[chn]-2.535) > 0.005 || math.Abs(m.f[chn]-chinaFGO1995) > 0.002 {
		t.Errorf("China: U %.4f (Table 1 2.535), F/GO %.4f (Table 1 %.3f)", m.u[chn], m.f[chn], chinaFGO1995)
	}
	// b_c: output-weighted mean of (computed − published) GVC_Ui over c's industries.
	us, err := Upstreamness(tb)
	if err != nil {
		t.Fatal(err)
	}
	idx := map[string]int{}
	for k, r := range pub[1:] {
		idx[r[2]+"_c"+r[4]] = k + 1
	}
	gap := make([]float64, len(tb.Sectors))
	for i, s := range tb.Sectors {
		want, _ := strconv.ParseFloat(pub[idx[publishedCode(s.Country)+"_"+s.Industry]][5], 64)
		gap[i] = us[i] - want
	}
	bias := Collapse(tb, gap, func(s Sector) string { return s.Country })
	mean := Collapse(tb, us, func(s Sector) string { return s.Country })

	byName := map[string]string{}
	for code, n := range wiodCountry {
		if code != "ROU" {
			byName[n[1]] = code
		}
	}
	var md strings.Builder
	md.WriteString("| rank | country | GO (bn USD) | Table 1 U | computed U | diff | computed rank | F/GO | D | VA/GO | rounding bias b_c | diff − b_c | mean of industries |\n" +
		"|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	worst, worstBig := "", ""
	maxDiff, maxBig := 0.0, 0.0
	for _, r := range tab[1:] {
		if r[0] != "U" || r[1] != "1995" {
			continue
		}
		want, _ := strconv.ParseFloat(r[4], 64)
		prank, _ := strconv.Atoi(r[2])
		code, ok := byName[r[3]]
		if !ok {
			t.Fatalf("unknown country %q in Table 1", r[3])
		}
		i := at[code]
		diff := m.u[i] - want
		fmt.Fprintf(&md, "| %d | %s | %.0f | %.3f | %.3f | %+.3f | %d | %.3f | %.3f | %.3f | %+.3f | %+.3f | %.3f |\n",
			prank, r[3], ct.Y[i]/1000, want, m.u[i], diff, rank[code], m.f[i], m.d[i], m.v[i], bias[code], diff-bias[code], mean[code])
		if math.Abs(diff) > maxDiff {
			maxDiff, worst = math.Abs(diff), r[3]
		}
		if ct.Y[i] >= 200000 {
			if math.Abs(diff) > maxBig {
				maxBig, worstBig = math.Abs(diff), r[3]
			}
			if math.Abs(diff) > 0.02 {
				t.Errorf("%s (GO %.0fbn USD): U %.4f, Table 1 %.3f", r[3], ct.Y[i]/1000, m.u[i], want)
			}
		}
		if d := rank[code] - prank; d < -1 || d > 1 {
			t.Errorf("%s: rank %d, Table 1 rank %d", r[3], rank[code], prank)
		}
		if math.Abs(diff-bias[code]) > 0.01 {
			t.Errorf("%s: U %.4f − Table 1 %.3f = %+.4f, not within 0.01 of the rounding bias %+.4f", r[3], m.u[i], want, diff, bias[code])
		}
	}
	t.Logf("Table 1 (1995), country × country table; largest deviation %s %.3f, of economies ≥ 200bn USD %s %.3f; China F/GO %.4f:\n%s",
		worst, maxDiff, worstBig, maxBig, m.f[chn], md.String())
}

// TestCountryIndustry1995 checks GVC_Ui, GVC_FUGOi, GVC_Di and GVC_VAGOi against the
// published Antràs & Chor (2018) measures for every country-industry with gross output above 100bn USD. The
// WIOD files here are rounded to whole millions, so small industries drift further.
func TestCountryIndustry1995(t *testing.T) {
	pub := readRefCSV(t, "antras_chor_2018_measures_1995.csv")
	tb := loadWIOD(t, "1995")
	idx := map[string]int{}
	for k, r := range pub[1:] {
		idx[r[2]+"_c"+r[4]] = k + 1
	}
	u, err := Upstreamness(tb)
	if err != nil {
		t.Fatal(err)
	}
	d, err := Downstreamness(tb)
	if err != nil {
		t.Fatal(err)
	}
	f, err := FinalUseShare(tb)
	if err != nil {
		t.Fatal(err)
	}
	v, err := ValueAddedShare(tb)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []struct {
		name string
		col  int
		v    []float64
	}{{"GVC_Ui", 5, u}, {"GVC_FUGOi", 6, f}, {"GVC_Di", 7, d}, {"GVC_VAGOi", 8, v}} {
		big, within, withinAll := 0, 0, 0
		var band [3][2]int // output ≥ 10bn, 1–10bn, < 1bn: [within 0.01, total]
		maxBig := 0.0
		for i, s := range tb.Sectors {
			k, ok := idx[publishedCode(s.Country)+"_"+s.Industry]
			if !ok {
				t.Fatalf("%s not in the published measures", s.Code())
			}
			want, _ := strconv.ParseFloat(pub[k][m.col], 64)
			e := math.Abs(m.v[i] - want)
			b := 2
			if tb.Y[i] >= 10000 {
				b = 0
			} else if tb.Y[i] >= 1000 {
				b = 1
			}
			band[b][1]++
			if e <= 0.01 {
				withinAll++
				band[b][0]++
			}
			if tb.Y[i] > 100000 {
				big++
				maxBig = math.Max(maxBig, e)
				if e <= 0.01 {
					within++
				} else {
					t.Errorf("%s %s: %.4f, published %.4f", s.Code(), m.name, m.v[i], want)
				}
			}
		}
		if big < 100 {
			t.Errorf("only %d industries above 100bn USD", big)
		}
		t.Logf("%s: %d/%d industries above 100bn USD within 0.01 (max error %.4f); all sectors: %d/%d within 0.01 (output ≥10bn %d/%d, 1–10bn %d/%d, <1bn %d/%d)",
			m.name, within, big, maxBig, withinAll, len(tb.Sectors), band[0][0], band[0][1], band[1][0], band[1][1], band[2][0], band[2][1])
	}
}

func TestCompute1995(t *testing.T) {
	inter, final, output := wiodPaths(t, "1995")
	r, err := Compute(inter, final, output, "country")
	if err != nil {
		t.Fatal(err)
	}
	if r.Level != LevelCountry || len(r.Rows) != 41 || r.Sectors != 1435 {
		t.Fatalf("level %s, %d rows, %d sectors", r.Level, len(r.Rows), r.Sectors)
	}
	tiers := map[string]int{}
	for _, row := range r.Rows {
		tiers[row.Tier]++
		if row.Key == "CHN" && (row.Tier != Upstream || row.Name != "中国 China" ||
			math.Abs(row.Upstreamness-2.535) > 0.005 || math.Abs(row.FinalUseShare-chinaFGO1995) > 0.002) {
			t.Errorf("China row %+v", row)
		}
	}
	if tiers[Upstream] != 14 || tiers[Midstream] != 13 || tiers[Downstream] != 14 {
		t.Errorf("tiers %v", tiers)
	}
	h, rows := r.Table()
	if len(h) != 8 || h[0] != "国家 country" || len(rows) != 41 {
		t.Errorf("table headers %q, %d rows", h, len(rows))
	}
}

func BenchmarkRead1995(b *testing.B) {
	inter, final, output := wiodPaths(b, "1995")
	for i := 0; i < b.N; i++ {
		if _, err := ReadWIOD(inter, final, output); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkUpstreamness1995(b *testing.B) {
	tb := loadWIOD(b, "1995")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Upstreamness(tb); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDownstreamness1995(b *testing.B) {
	tb := loadWIOD(b, "1995")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Downstreamness(tb); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCompute1995 is the whole CLI path: read, both measures, country collapse.
func BenchmarkCompute1995(b *testing.B) {
	inter, final, output := wiodPaths(b, "1995")
	for i := 0; i < b.N; i++ {
		if _, err := Compute(inter, final, output, "country"); err != nil {
			b.Fatal(err)
		}
	}
}
