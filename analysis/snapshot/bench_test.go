package snapshot

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/graph/sqlite"
	"github.com/chainmap/chainmap/seed/synthetic"
)

// BenchmarkBuild measures building a snapshot of 100k companies / 1M supplies from
// the generator (pure snapshot work) and from the embedded store (the real path).
func BenchmarkBuild(b *testing.B) {
	eco, err := synthetic.New(synthetic.Config{Companies: 100_000, Supplies: 1_000_000, Regions: 60, Chains: 8, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("generator_100k_1M", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := Build(context.Background(), eco); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("sqlite_100k_1M", func(b *testing.B) {
		ctx := context.Background()
		store, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		defer store.Close()
		ds, err := graph.ReadAll(ctx, eco)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := store.Import(ctx, ds, graph.ImportOptions{}); err != nil {
			b.Fatal(err)
		}
		ds = nil
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, err := Build(ctx, store); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkPersist measures saving and loading a persisted snapshot of 100k
// companies / 1M supplies (against BenchmarkBuild's rebuild from the store).
func BenchmarkPersist(b *testing.B) {
	eco, err := synthetic.New(synthetic.Config{Companies: 100_000, Supplies: 1_000_000, Regions: 60, Chains: 8, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	s, err := Build(context.Background(), eco)
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "snap.bin")
	b.Run("save_100k_1M", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if err := Save(s, path, "v"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("load_100k_1M", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := LoadFile(path, "v"); err != nil {
				b.Fatal(err)
			}
		}
	})
}
