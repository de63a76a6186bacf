package main

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden report files")

// TestGoldenReports pins the reports officials read, on the deterministic demo
// data: any change to a rule, default or wording shows up here for review. Run
// `go test ./cmd/chainmap -run TestGoldenReports -update` to accept a change.
func TestGoldenReports(t *testing.T) {
	db := filepath.Join(t.TempDir(), "g.db")
	if _, _, err := run(t, "--db", db, "seed"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		file string
		args []string
	}{
		{"diagnose_321100_CH_EV.json", []string{"diagnose", "--region", "321100", "--chain", "CH_EV", "--format", "json"}},
		{"targets_321100_EV_M3.json", []string{"targets", "--region", "321100", "--link", "EV_M3", "--limit", "5", "--format", "json"}},
		{"kpi_2025H1.txt", []string{"kpi", "--from", "2025-01-01", "--to", "2025-06-30", "--plan", "2300", "--as-of", "2025-10-31"}},
		{"leaders_321100_CH_MD.txt", []string{"leaders", "--region", "321100", "--chain", "CH_MD"}},
	} {
		t.Run(c.file, func(t *testing.T) {
			out, _, err := run(t, append([]string{"--db", db}, c.args...)...)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", c.file)
			if *updateGolden {
				if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if string(want) != out {
				t.Errorf("%s differs from the golden file; review and run with -update if intended", c.file)
			}
		})
	}
}
