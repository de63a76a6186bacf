package diagnose

import (
	"context"
	"testing"

	"github.com/chainmap/chainmap/analysis/snapshot"
	"github.com/chainmap/chainmap/seed/synthetic"
)

// BenchmarkDiagnose measures the diagnosis of the home city (region 110100) and of
// one of its districts across all chains, on 100k companies / 1M supplies.
func BenchmarkDiagnose(b *testing.B) {
	eco, err := synthetic.New(synthetic.Config{Companies: 100_000, Supplies: 1_000_000, Regions: 60, Chains: 8, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	s, err := snapshot.Build(context.Background(), eco)
	if err != nil {
		b.Fatal(err)
	}
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
