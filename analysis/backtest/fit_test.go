package backtest

import (
	"os"
	"path/filepath"
	"testing"
)

// dataDir is the shared supply-temporal data, relative to this package.
const dataDir = "../../../shared/data/supply-temporal"

// snapshotsOrSkip lists the half-yearly snapshots in time order, or skips.
func snapshotsOrSkip(t testing.TB) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dataDir, "A_*.csv"))
	if len(files) < 9 {
		t.Skipf("supply-temporal data not found at %s: skipping the real-data backtest", dataDir)
	}
	return files // A_YYYY_MM_DD sorts in time order
}

// trainingData reads files[:t1] as history and files[t1] as T1 and returns the
// model inputs of the positives and of the uniform and degree-weighted negatives.
func trainingData(t testing.TB, files []string, t1 int, seed uint64) ([][NumInputs]float64, []bool) {
	t.Helper()
	var train [][]Edge
	for _, f := range files[:t1] {
		es, err := ReadEdges(f)
		if err != nil {
			t.Fatal(err)
		}
		train = append(train, es)
	}
	test, err := ReadEdges(files[t1])
	if err != nil {
		t.Fatal(err)
	}
	s := newSample(train, test, Params{Seed: seed, Candidates: 200, K: 10})
	var xs [][NumInputs]float64
	var y []bool
	for _, set := range []struct {
		pairs []pair
		pos   bool
	}{{s.pos, true}, {s.uni, false}} {
		for _, f := range s.g.features(set.pairs) {
			xs = append(xs, Inputs(&f))
			y = append(y, set.pos)
		}
	}
	return xs, y
}

// TestFitChainmap regenerates the frozen Chainmap model (CHAINMAP_FIT=1): it fits on
// 2018-06-30 → 2018-12-31 only and prints the Go literal for model.go.
func TestFitChainmap(t *testing.T) {
	if os.Getenv("CHAINMAP_FIT") == "" {
		t.Skip("set CHAINMAP_FIT=1 to refit the chainmap model")
	}
	files := snapshotsOrSkip(t)
	xs, y := trainingData(t, files, 7, FitSeed) // T0 = 2018-06-30, T1 = 2018-12-31
	m := Fit(xs, y, FitL2)
	t.Logf("fitted on %d pairs:\n%s", len(xs), m.GoSource())
	old := Chainmap
	Chainmap = m
	defer func() { Chainmap = old }()
	for t1 := 1; t1 < len(files); t1++ {
		rep, err := Run(files[:t1], files[t1], Params{})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s → %s", filepath.Base(files[t1-1]), filepath.Base(files[t1]))
		for _, r := range rep.Rows {
			t.Logf("  %-24s %.3f %.3f %.3f %.3f %.3f", r.Scorer, r.AUCUniform, r.AUCDegree, r.HitsAtK, r.PrecAtK, r.MRR)
		}
	}
}
