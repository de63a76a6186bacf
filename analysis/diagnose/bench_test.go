package diagnose

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/chainmap/chainmap/analysis/snapshot"
	"github.com/chainmap/chainmap/analysis/snapshot/snapshottest"
	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/seed/zhenjiang"
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

// BenchmarkDiagnoseDemo measures the whole-city diagnosis of the Zhenjiang demo
// (all nine chains), the heaviest read of the API, and its JSON encoding apart.
//
//	go test -run XXX -bench DiagnoseDemo -benchmem ./analysis/diagnose/
func BenchmarkDiagnoseDemo(b *testing.B) {
	s, err := snapshot.Build(context.Background(), graph.DatasetReader{Data: zhenjiang.Dataset()})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("compute", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := Diagnose(s, "321100", "", DefaultParams()); err != nil {
				b.Fatal(err)
			}
		}
	})
	r, _ := Diagnose(s, "321100", "", DefaultParams())
	b.Run("json", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			body, err := json.Marshal(r)
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(body)))
		}
	})
}
