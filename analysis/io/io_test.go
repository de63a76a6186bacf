package io

import (
	"compress/gzip"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func table(z []float64, y, inv []float64) *Table {
	n := len(y)
	t := &Table{Z: mat.NewDense(n, n, z), Y: y, Inventory: inv, Final: make([]float64, n)}
	for i := 0; i < n; i++ {
		t.Sectors = append(t.Sectors, Sector{"X", "c" + string(rune('1'+i))})
		t.Final[i] = y[i] - rowSum(t.Z, i)
	}
	return t
}

func near(t *testing.T, what string, got, want []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %v, want %v", what, got, want)
	}
	for i := range got {
		if math.Abs(got[i]-want[i]) > 1e-12 {
			t.Errorf("%s[%d] = %.15g, want %.15g", what, i, got[i], want[i])
		}
	}
}

// Two sectors by hand: sector 1 (output 24) uses 4 of its own output, sells 10 to
// sector 2 and 10 to final use; sector 2 (output 30) sells everything to final use.
// Δ = [[4/24, 10/24], [0, 0]]: U2 = 1, U1 = (1 + 10/24)/(1 − 4/24) = 1.7.
// Δ̃ = A = [[4/24, 10/30], [0, 0]]: D1 = 1/(1 − 1/6) = 1.2, D2 = 1 + D1/3 = 1.4.
// F/GO = (10/24, 30/30); VA/GO = 1 − column sums of Δ̃ = (1 − 4/24, 1 − 10/30).
func TestTwoSectorsByHand(t *testing.T) {
	tb := table([]float64{4, 10, 0, 0}, []float64{24, 30}, []float64{0, 0})
	u, err := Upstreamness(tb)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "U", u, []float64{1.7, 1})
	d, err := Downstreamness(tb)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "D", d, []float64{1.2, 1.4})
	f, err := FinalUseShare(tb)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "F/GO", f, []float64{10.0 / 24, 1})
	v, err := ValueAddedShare(tb)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "VA/GO", v, []float64{1 - 4.0/24, 1 - 10.0/30})
}

// Inventory correction: sector 1 (output 20) sells 10 to sector 2 and 10 to final use,
// 5 of which is inventory build-up. Without the correction U1 = 1 + 10/20 = 1.5 and
// D2 = 1 + 10/30; with it Δ12 = 10/(20−5) so U1 = 5/3, and Δ̃12 = 10·20/(15·30) so
// D2 = 13/9: stocking up counts as not yet used, so sector 1 looks further upstream.
// Likewise F/GO1 = (10−5)/(20−5) = 1/3 instead of 1/2, and VA/GO2 = 1 − 4/9 instead of
// 1 − 1/3.
func TestInventoryCorrection(t *testing.T) {
	z := []float64{0, 10, 0, 0}
	plain := table(z, []float64{20, 30}, []float64{0, 0})
	corr := table(z, []float64{20, 30}, []float64{5, 0})
	for _, c := range []struct {
		name       string
		tb         *Table
		u1, d2     float64
		fgo1, vgo2 float64
	}{{"no inventories", plain, 1.5, 1 + 1.0/3, 0.5, 1 - 1.0/3}, {"inventories", corr, 5.0 / 3, 13.0 / 9, 1.0 / 3, 1 - 4.0/9}} {
		u, err := Upstreamness(c.tb)
		if err != nil {
			t.Fatal(err)
		}
		near(t, c.name+" U", u, []float64{c.u1, 1})
		d, err := Downstreamness(c.tb)
		if err != nil {
			t.Fatal(err)
		}
		near(t, c.name+" D", d, []float64{1, c.d2})
		f, err := FinalUseShare(c.tb)
		if err != nil {
			t.Fatal(err)
		}
		near(t, c.name+" F/GO", f, []float64{c.fgo1, 1})
		v, err := ValueAddedShare(c.tb)
		if err != nil {
			t.Fatal(err)
		}
		near(t, c.name+" VA/GO", v, []float64{1, c.vgo2})
	}
	// Negative inventory change (drawn-down stocks) pulls the other way.
	u, _ := Upstreamness(table(z, []float64{20, 30}, []float64{-5, 0}))
	near(t, "drawdown U", u, []float64{1.4, 1})
}

func TestInvalidTables(t *testing.T) {
	for _, c := range []struct {
		name string
		tb   *Table
		msg  string
	}{
		// Δ = [[0,1],[1,0]]: I − Δ is singular.
		{"singular", table([]float64{0, 20, 20, 0}, []float64{20, 20}, []float64{0, 0}), "singular"},
		// Δ = [[0,1.5],[1.5,0]]: spectral radius 1.5, the solve gives U = −2.
		{"not productive", table([]float64{0, 30, 30, 0}, []float64{20, 20}, []float64{0, 0}), "not productive"},
		{"Y−N ≤ 0", table([]float64{0, 10, 0, 0}, []float64{20, 30}, []float64{20, 0}), "not positive"},
		{"sizes", &Table{Sectors: []Sector{{"X", "c1"}}, Z: mat.NewDense(2, 2, nil), Y: []float64{1, 1}, Inventory: []float64{0, 0}}, "sizes"},
		{"nil", nil, "no table"},
	} {
		for name, f := range map[string]func(*Table) ([]float64, error){"U": Upstreamness, "D": Downstreamness} {
			_, err := f(c.tb)
			if !errors.Is(err, ErrInvalidTable) || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("%s %s: error %v, want ErrInvalidTable mentioning %q", c.name, name, err, c.msg)
			}
		}
	}
	// The shares need no solve, so only the checks before it apply to them.
	for _, c := range []struct {
		name string
		tb   *Table
		msg  string
	}{
		{"Y−N ≤ 0", table([]float64{0, 10, 0, 0}, []float64{20, 30}, []float64{20, 0}), "not positive"},
		{"sizes", &Table{Sectors: []Sector{{"X", "c1"}}, Z: mat.NewDense(2, 2, nil), Y: []float64{1, 1}, Inventory: []float64{0, 0}}, "sizes"},
		{"no final use", &Table{Sectors: []Sector{{"X", "c1"}}, Z: mat.NewDense(1, 1, nil), Y: []float64{1}, Inventory: []float64{0}}, "final uses"},
		{"nil", nil, "no table"},
	} {
		for name, f := range map[string]func(*Table) ([]float64, error){"F/GO": FinalUseShare, "VA/GO": ValueAddedShare} {
			if name == "VA/GO" && c.name == "no final use" {
				continue // VA/GO does not read final use
			}
			_, err := f(c.tb)
			if !errors.Is(err, ErrInvalidTable) || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("%s %s: error %v, want ErrInvalidTable mentioning %q", c.name, name, err, c.msg)
			}
		}
	}
	// A sector with no output and no intermediate sales is fine: U = D = F/GO = VA/GO = 1.
	zero := table([]float64{0, 10, 0, 0, 0, 0, 0, 0, 0}, []float64{20, 30, 0}, []float64{0, 0, 0})
	u, err := Upstreamness(zero)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "zero-output U", u, []float64{1.5, 1, 1})
	f, _ := FinalUseShare(zero)
	v, _ := ValueAddedShare(zero)
	near(t, "zero-output F/GO", f, []float64{0.5, 1, 1})
	near(t, "zero-output VA/GO", v, []float64{1, 1 - 10.0/30, 1})
}

func TestCollapseAndTiers(t *testing.T) {
	tb := &Table{Sectors: []Sector{{"A", "c1"}, {"A", "c2"}, {"B", "c1"}, {"C", "c1"}}, Y: []float64{10, 30, 5, 0}}
	got := Collapse(tb, []float64{2, 1, 3, 9}, func(s Sector) string { return s.Country })
	if len(got) != 2 || got["A"] != 1.25 || got["B"] != 3 {
		t.Errorf("Collapse = %v, want A 1.25, B 3, no C", got)
	}
	tiers := SuggestTiers([]float64{6, 1, 5, math.NaN(), 2, 4, 3})
	want := []string{Upstream, Downstream, Upstream, "", Downstream, Midstream, Midstream}
	if strings.Join(tiers, ",") != strings.Join(want, ",") {
		t.Errorf("SuggestTiers = %v, want %v", tiers, want)
	}
	if s := SuggestTiers([]float64{2, 2, 2}); s[0] != Midstream || s[2] != Midstream {
		t.Errorf("ties: %v", s)
	}
	if s := SuggestTiers(nil); len(s) != 0 {
		t.Errorf("empty: %v", s)
	}
}

// A tiny WIOD-shaped table on disk: two countries with one industry each.
const (
	tinyOutput = "node,output\nAAA_c1,24\nBBB_c1,30\n"
	tinyInter  = "from,to,value\nAAA_c1,AAA_c1,4\nAAA_c1,BBB_c1,10.0\n"
	tinyFinal  = ",AAA_CONS_h,AAA_INVEN,BBB_CONS_h,BBB_INVEN\nAAA_c1,6,2,2,0\nBBB_c1,10,0,20,0\n"
)

func writeFiles(t *testing.T, gz bool, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if gz {
			w := gzip.NewWriter(f)
			w.Write([]byte(body))
			w.Close()
		} else {
			f.WriteString(body)
		}
		f.Close()
	}
	return dir
}

func TestReadWIODPlainAndGzip(t *testing.T) {
	for _, gz := range []bool{false, true} {
		dir := writeFiles(t, gz, map[string]string{"o.csv": tinyOutput, "i.csv": tinyInter, "f.csv": tinyFinal})
		tb, err := ReadWIOD(filepath.Join(dir, "i.csv"), filepath.Join(dir, "f.csv"), filepath.Join(dir, "o.csv"))
		if err != nil {
			t.Fatal(err)
		}
		if len(tb.Sectors) != 2 || tb.Sectors[1] != (Sector{"BBB", "c1"}) || tb.Z.At(0, 1) != 10 || tb.Z.At(1, 0) != 0 {
			t.Errorf("gz=%v: read %+v Z=%v", gz, tb.Sectors, mat.Formatted(tb.Z))
		}
		near(t, "Y", tb.Y, []float64{24, 30})
		near(t, "Final", tb.Final, []float64{10, 30})
		near(t, "Inventory", tb.Inventory, []float64{2, 0})
	}
	dir := writeFiles(t, false, map[string]string{"o.csv": tinyOutput, "i.csv": tinyInter, "f.csv": tinyFinal})
	r, err := Compute(filepath.Join(dir, "i.csv"), filepath.Join(dir, "f.csv"), filepath.Join(dir, "o.csv"), "")
	if err != nil {
		t.Fatal(err)
	}
	// Δ11 = 4/22, Δ12 = 10/22: U1 = (1 + 10/22)/(1 − 4/22) = 32/18.
	if r.Level != LevelSector || len(r.Rows) != 2 || math.Abs(r.Rows[0].Upstreamness-32.0/18) > 1e-12 ||
		r.Rows[0].Tier != Upstream || r.Rows[1].Tier != Downstream || r.Rows[0].Key != "AAA_c1" {
		t.Errorf("report %+v", r)
	}
	h, rows := r.Table()
	if len(h) != 9 || h[4] != "上游度 upstreamness" || rows[0][4] != "1.778" || h[6] != "最终使用/总产出 F/GO" ||
		rows[0][6] != "0.364" || rows[0][7] != "0.818" || rows[0][8] != "上游 upstream" {
		t.Errorf("Table %q %q", h, rows)
	}
	// One industry per country: the country × country table is the table itself.
	rc, err := Compute(filepath.Join(dir, "i.csv"), filepath.Join(dir, "f.csv"), filepath.Join(dir, "o.csv"), "country")
	if err != nil {
		t.Fatal(err)
	}
	for i, row := range rc.Rows {
		s := r.Rows[i]
		if row.Key != s.Country || row.Industry != "" || row.Name != CountryName(s.Country) || row.Output != s.Output ||
			row.Upstreamness != s.Upstreamness || row.Downstreamness != s.Downstreamness ||
			row.FinalUseShare != s.FinalUseShare || row.ValueAddedShare != s.ValueAddedShare || row.Tier != s.Tier {
			t.Errorf("country row %+v, sector row %+v", row, s)
		}
	}
	if rc.Level != LevelCountry || len(rc.Rows) != 2 || !strings.Contains(rc.Method, "country × country") {
		t.Errorf("country report %+v", rc)
	}
	if _, err := Compute("", "", "", "province"); err == nil || !strings.Contains(err.Error(), "province") {
		t.Errorf("bad collapse: %v", err)
	}
}

func TestReadWIODErrors(t *testing.T) {
	for _, c := range []struct {
		name, file, body string
		want             []string
	}{
		{"bad number", "i.csv", "from,to,value\nAAA_c1,BBB_c1,ten\n", []string{"i.csv", "line 2, column 3", `"ten"`}},
		{"unknown sector", "i.csv", "from,to,value\nAAA_c1,CCC_c1,1\n", []string{"i.csv", "line 2, column 2", "CCC_c1"}},
		{"duplicate pair", "i.csv", tinyInter + "AAA_c1,AAA_c1,1\n", []string{"i.csv", "line 4", "twice"}},
		{"bad output", "o.csv", "node,output\nAAA_c1,24\nBBB_c1,\n", []string{"o.csv", "line 3, column 2", "missing"}},
		{"bad code", "o.csv", "node,output\nAAAc1,24\n", []string{"o.csv", "line 2, column 1", "COUNTRY_INDUSTRY"}},
		{"bad header", "f.csv", ",AAA_CONS_h,INVEN\n", []string{"f.csv", "line 1, column 3", "INVEN"}},
		{"short final row", "f.csv", ",AAA_CONS_h,AAA_INVEN\nAAA_c1,1\n", []string{"f.csv", "line 2", "2 columns"}},
		{"final NaN", "f.csv", ",AAA_CONS_h,AAA_INVEN\nAAA_c1,1,NaN\n", []string{"f.csv", "line 2, column 3", "finite"}},
		{"missing final row", "f.csv", ",AAA_CONS_h,AAA_INVEN\nAAA_c1,1,0\n", []string{"f.csv", "BBB_c1"}},
		{"empty", "o.csv", "", []string{"o.csv", "empty"}},
	} {
		files := map[string]string{"o.csv": tinyOutput, "i.csv": tinyInter, "f.csv": tinyFinal}
		files[c.file] = c.body
		dir := writeFiles(t, false, files)
		_, err := ReadWIOD(filepath.Join(dir, "i.csv"), filepath.Join(dir, "f.csv"), filepath.Join(dir, "o.csv"))
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not mention %q", c.name, err, w)
			}
		}
	}
	if _, err := ReadWIOD("i.csv", "f.csv", "/nonexistent/o.csv"); err == nil || !strings.Contains(err.Error(), "/nonexistent/o.csv") {
		t.Errorf("missing file: %v", err)
	}
}
