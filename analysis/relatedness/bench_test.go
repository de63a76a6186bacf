package relatedness

import (
	"testing"

	"github.com/chainmap/chainmap/analysis/snapshot/snapshottest"
)

// BenchmarkExtend measures 延链 for the home city (region 110100) and one of its
// districts on 100k companies / 1M supplies; it includes the diagnose call that
// supplies link importance.
func BenchmarkExtend(b *testing.B) {
	s := snapshottest.Bench(b)
	for _, region := range []string{"110100", "110102"} {
		b.Run(region, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := Extend(s, region, DefaultParams()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSpace measures the product space alone (peer matrix, RCA, proximity) and
// the home city's density, without the diagnose call.
func BenchmarkSpace(b *testing.B) {
	s := snapshottest.Bench(b)
	r := s.Region("110100")
	for i := 0; i < b.N; i++ {
		sp := buildSpace(s, Firms)
		xr, _ := sp.regionRow(s, r)
		rca := sp.rcaOf(xr)
		m := make([]bool, len(rca))
		for l, v := range rca {
			m[l] = v >= 1
		}
		sp.density(m)
	}
}
