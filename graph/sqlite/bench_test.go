package sqlite

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/seed/synthetic"
)

// BenchmarkImport measures a whole all-or-nothing import (validation against the
// store, upserts, commit) of a generated ecosystem into a new store file, and reports
// rows/s over all tables. Sizes: 10k companies + 100k supplies, and 100k + 1M.
func BenchmarkImport(b *testing.B) {
	for _, size := range []struct {
		name                string
		companies, supplies int
	}{{"10k_100k", 10_000, 100_000}, {"100k_1M", 100_000, 1_000_000}} {
		b.Run(size.name, func(b *testing.B) {
			eco, err := synthetic.New(synthetic.Config{Companies: size.companies, Supplies: size.supplies,
				Regions: 60, Chains: 8, Seed: 1})
			if err != nil {
				b.Fatal(err)
			}
			ds, err := graph.ReadAll(context.Background(), eco)
			if err != nil {
				b.Fatal(err)
			}
			rows := ds.Total()
			b.ResetTimer()
			var elapsed time.Duration
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				s, err := Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"))
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				start := time.Now()
				if _, err := s.Import(context.Background(), ds, graph.ImportOptions{}); err != nil {
					b.Fatal(err)
				}
				elapsed += time.Since(start)
				b.StopTimer()
				s.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(rows)*float64(b.N)/elapsed.Seconds(), "rows/s")
			b.ReportMetric(float64(rows), "rows")
		})
	}
}
