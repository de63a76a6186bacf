package diagnose

import (
	"testing"

	"github.com/chainmap/chainmap/analysis/snapshot/snapshottest"
)

// BenchmarkDiagnose measures the diagnosis of the home city (region 110100) and of
// one of its districts across all chains, on 100k companies / 1M supplies.
func BenchmarkDiagnose(b *testing.B) {
	s := snapshottest.Bench(b)
	for _, region := range []string{"110100", "110102"} {
		b.Run(region, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := Diagnose(s, region, "", DefaultParams()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
