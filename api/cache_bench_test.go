package api

import (
	"testing"

	"github.com/chainmap/chainmap/analysis/snapshot/snapshottest"
	"github.com/chainmap/chainmap/graph"
)

// BenchmarkPatchProjects measures the incremental refresh after one project write
// on the 100k-company snapshot (its 1,000 projects copied once per write).
func BenchmarkPatchProjects(b *testing.B) {
	c := newSnapshots(nil)
	c.snap = snapshottest.Bench(b)
	p := c.snap.Projects[0]
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p.Name = "改名"
		c.patchProjects([]graph.Project{p})
	}
	b.ReportMetric(float64(len(c.snap.Projects)), "projects")
}
