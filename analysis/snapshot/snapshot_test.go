package snapshot

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/graph/storetest"
	"github.com/chainmap/chainmap/seed/zhenjiang"
	"gonum.org/v1/gonum/graph/network"
	"gonum.org/v1/gonum/graph/simple"
	"gonum.org/v1/gonum/graph/topo"
)

func build(t testing.TB, ds *graph.Dataset) *Snapshot {
	t.Helper()
	s, err := Build(context.Background(), graph.DatasetReader{Data: ds})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestBuildIndexesEverything(t *testing.T) {
	s := build(t, storetest.Fixture())
	yuyue, huawei, mat := s.Company("ZJ-001"), s.Company("914403001922038216"), s.Company("ZJ-002")
	if yuyue == None || huawei == None || s.Company("nope") != None {
		t.Fatal("company index")
	}
	if got := s.Suppliers(yuyue); !slices.Equal(got, []int32{huawei, mat}) {
		t.Errorf("suppliers of 鱼跃 = %v", got)
	}
	if got := len(s.In(yuyue)); got != 3 { // ZJ-002 supplies it in two links
		t.Errorf("ties into 鱼跃 = %d, want 3", got)
	}
	if got := s.Customers(mat); !slices.Equal(got, []int32{yuyue}) {
		t.Errorf("customers of ZJ-002 = %v", got)
	}
	within := s.Within(s.Region("321100"))
	if !within[s.Region("321181")] || !within[s.Region("321100-JKQ")] || within[s.Region("310000")] || within[s.Region("320000")] {
		t.Errorf("Within(镇江) = %v", within)
	}
	if s.Province(s.Region("321181")) != s.Region("320000") {
		t.Error("province of 丹阳 should be 江苏")
	}
	md := s.Chain("CH_MD")
	if len(s.ChainLinks[md]) != 3 || !slices.Equal(s.ChainLeaders[md], []int32{yuyue}) {
		t.Errorf("chain links %v leaders %v", s.ChainLinks[md], s.ChainLeaders[md])
	}
	if !s.Companies[yuyue].Tags.Has("上市") || s.Companies[yuyue].Tags.Has("央企") {
		t.Errorf("tags %v", s.Companies[yuyue].Tags.Tags())
	}
	if s.AsOf != "2024-12-31" { // the latest tie date in the fixture (an until)
		t.Errorf("AsOf = %s", s.AsOf)
	}
}

func TestActive(t *testing.T) {
	s := build(t, &graph.Dataset{}).At("2025-06-30")
	for _, tt := range []struct {
		until graph.Date
		want  bool
	}{{"", true}, {"2025-01-01", true}, {"2023-07-01", true}, {"2023-06-29", false}, {"2019-12-31", false}} {
		if got := s.Active(&Tie{Until: tt.until}); got != tt.want {
			t.Errorf("Active(until %s) = %v", tt.until, got)
		}
	}
}

// TestGonumOnSnapshot: gonum algorithms on the snapshot give what they give on a
// gonum simple.DirectedGraph copy of the same network.
func TestGonumOnSnapshot(t *testing.T) {
	s := build(t, zhenjiang.Dataset())
	g := simple.NewDirectedGraph()
	for i := range s.Companies {
		g.AddNode(simple.Node(i))
	}
	for _, tie := range s.Ties {
		if tie.Supplier != tie.Customer {
			g.SetEdge(simple.Edge{F: simple.Node(tie.Supplier), T: simple.Node(tie.Customer)})
		}
	}
	want := network.PageRank(g, 0.85, 1e-10)
	got := network.PageRank(s, 0.85, 1e-10)
	for id, w := range want {
		if math.Abs(got[id]-w) > 1e-9 {
			t.Fatalf("PageRank(%d) = %g, want %g", id, got[id], w)
		}
	}
	if a, b := len(topo.ConnectedComponents(undirected{s})), len(topo.ConnectedComponents(undirected{g})); a != b {
		t.Errorf("components %d vs %d", a, b)
	}
	ch := s.Chain("CH_EV")
	if _, err := topo.Sort(s.ChainGraph(ch)); err != nil {
		t.Errorf("a chain's feeds must sort topologically: %v", err)
	}
}
