// Package snapshottest provides the generated ecosystems the analysis benchmarks
// share, built once per test binary.
package snapshottest

import (
	"context"
	"sync"
	"testing"

	"github.com/chainmap/chainmap/analysis/snapshot"
	"github.com/chainmap/chainmap/seed/synthetic"
)

// BenchConfig is the ecosystem every analysis benchmark uses: 100k companies and
// 1M supplies over 60 cities and 8 chains; its home city is region 110100.
var BenchConfig = synthetic.Config{Companies: 100_000, Supplies: 1_000_000, Regions: 60, Chains: 8, Seed: 1}

var (
	once sync.Once
	snap *snapshot.Snapshot
	err  error
)

// Bench returns the snapshot of BenchConfig, building it on first use.
func Bench(tb testing.TB) *snapshot.Snapshot {
	tb.Helper()
	once.Do(func() {
		var eco *synthetic.Ecosystem
		if eco, err = synthetic.New(BenchConfig); err == nil {
			snap, err = snapshot.Build(context.Background(), eco)
		}
	})
	if err != nil {
		tb.Fatal(err)
	}
	return snap
}
