package targets

import (
	"context"
	"reflect"
	"testing"

	"github.com/chainmap/chainmap/analysis/snapshot"
	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/seed/synthetic"
	"github.com/chainmap/chainmap/seed/zhenjiang"
)

// TestFrontierShortcutIsExact: the fast link prediction gives exactly what scoring
// every (candidate, demand firm) pair gives, on the demo and a generated ecosystem.
func TestFrontierShortcutIsExact(t *testing.T) {
	demo, err := snapshot.Build(context.Background(), graph.DatasetReader{Data: zhenjiang.Dataset()})
	if err != nil {
		t.Fatal(err)
	}
	eco, err := synthetic.New(synthetic.Config{Companies: 3000, Supplies: 30000, Regions: 12, Chains: 3, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	gen, err := snapshot.Build(context.Background(), eco)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		s            *snapshot.Snapshot
		region, link string
	}{{demo, "321100", "EV_M3"}, {demo, "321100", "MD_M4"}, {demo, "321181", "MD_M1"}, {gen, "110100", gen.Links[3].ID}, {gen, "110100", gen.Links[10].ID}}
	for _, c := range cases {
		p := DefaultParams()
		p.Limit = 200
		fast, err := Rank(c.s, c.region, c.link, p)
		if err != nil {
			t.Fatal(err)
		}
		allPairs = true
		slow, err := Rank(c.s, c.region, c.link, p)
		allPairs = false
		if err != nil {
			t.Fatal(err)
		}
		if len(fast.Targets) == 0 || !reflect.DeepEqual(fast.Targets, slow.Targets) {
			t.Errorf("%s %s: shortcut differs from all pairs (%d targets)", c.region, c.link, len(fast.Targets))
		}
	}
}
