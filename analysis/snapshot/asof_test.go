package snapshot

import (
	"context"
	"testing"

	"github.com/chainmap/chainmap/graph"
)

func asOfData() *graph.Dataset {
	return &graph.Dataset{
		Regions: []graph.Region{{Code: "100", Name: "本市", Kind: graph.City}, {Code: "200", Name: "外市", Kind: graph.External}},
		Chains:  []graph.Chain{{ID: "X", Name: "链", ClusterID: ""}},
		Links:   []graph.Link{{ID: "A", ChainID: "X", Name: "材料", Tier: graph.Upstream}},
		Companies: []graph.Company{{ID: "a", Name: "甲", RegionCode: "100"}, {ID: "b", Name: "乙", RegionCode: "100"},
			{ID: "n", Name: "新", RegionCode: "100", FoundedOn: "2024-05-01"}},
		CompanyLinks: []graph.CompanyLink{{CompanyID: "a", LinkID: "A"}, {CompanyID: "n", LinkID: "A"}},
		Supplies: []graph.Supply{
			{SupplierID: "a", CustomerID: "b", LinkID: "A", Evidence: graph.Observed, Confidence: 1, Since: "2020-01-01"},
			{SupplierID: "b", CustomerID: "a", LinkID: "A", Evidence: graph.Observed, Confidence: 1, Since: "2024-06-01", Until: "2025-01-01"},
		},
		Projects: []graph.Project{
			{ID: "P1", Name: "一", CompanyID: "b", LinkID: "A", RegionCode: "100", InvestmentWan: 10000, Stage: graph.Producing,
				SignedOn: "2022-01-01", StartedOn: "2023-01-01", ProducingOn: "2024-03-01"},
			{ID: "P2", Name: "二", LinkID: "A", RegionCode: "100", InvestmentWan: 10000, Stage: graph.Started,
				SignedOn: "2024-02-01", StartedOn: "2024-04-01"},
			{ID: "P3", Name: "三", LinkID: "A", RegionCode: "100", InvestmentWan: 10000, Stage: graph.Negotiating},
		},
	}
}

// TestAtLeavesOutTheFuture pins "nothing dated after the as-of day counts".
func TestAtLeavesOutTheFuture(t *testing.T) {
	s, err := Build(context.Background(), graph.DatasetReader{Data: asOfData()})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Ties) != 2 || len(s.Plants) != 2 || len(s.LinkCompanies[0]) != 2 {
		t.Fatalf("as built: %d ties, %d plants, %d firms in A", len(s.Ties), len(s.Plants), len(s.LinkCompanies[0]))
	}
	tests := []struct {
		day                    graph.Date
		ties, plants, firms    int
		p1                     graph.Stage
		projects, customersOfB int
	}{
		{"2025-06-30", 2, 2, 2, graph.Producing, 3, 1},
		{"2024-05-15", 1, 2, 2, graph.Producing, 3, 0}, // b → a first seen 2024-06-01
		{"2024-03-15", 1, 1, 1, graph.Producing, 3, 0}, // P2 not started, n not founded
		{"2024-01-15", 1, 1, 1, graph.Started, 2, 0},   // P2 not signed yet: left out
		{"2022-06-30", 1, 0, 1, graph.Signed, 2, 0},    // P1 signed, not started
		{"2021-06-30", 1, 0, 1, "", 1, 0},              // only the undated negotiation
	}
	for _, tt := range tests {
		v := s.At(tt.day)
		p1 := graph.Stage("")
		for _, p := range v.Projects {
			if p.ID == "P1" {
				p1 = p.Stage
				if p.Stage == graph.Started && p.ProducingOn != "" {
					t.Errorf("%s: P1 restated as started keeps its producing date", tt.day)
				}
			}
		}
		if got := len(v.Customers(v.Company("b"))); len(v.Ties) != tt.ties || len(v.Plants) != tt.plants ||
			len(v.LinkCompanies[0]) != tt.firms || p1 != tt.p1 || len(v.Projects) != tt.projects || got != tt.customersOfB {
			t.Errorf("%s: %d ties, %d plants, %d firms, P1 %q, %d projects, b has %d customers; want %+v",
				tt.day, len(v.Ties), len(v.Plants), len(v.LinkCompanies[0]), p1, len(v.Projects), got, tt)
		}
	}
	// The view never changes the snapshot it came from.
	if len(s.Ties) != 2 || len(s.Plants) != 2 || s.Projects[0].ProducingOn == "" {
		t.Errorf("At changed the snapshot")
	}
}

func TestTieWeightNeverLetsInferenceOutweighObservation(t *testing.T) {
	for _, c := range []float32{0, 0.3, 0.5, 0.9, 1} {
		obs := TieWeight(&Tie{Evidence: graph.Observed, Confidence: c})
		for _, d := range []float32{0, 0.5, 1} {
			if inf := TieWeight(&Tie{Evidence: graph.Inferred, Confidence: d}); inf > obs {
				t.Errorf("inferred %.1f weighs %v > observed %.1f %v", d, inf, c, obs)
			}
		}
	}
	if w := TieWeight(&Tie{Evidence: graph.Observed, Confidence: 1}); w != 1 {
		t.Errorf("a certain observation weighs %v", w)
	}
}

func TestWithProjectsRederivesPlants(t *testing.T) {
	s, _ := Build(context.Background(), graph.DatasetReader{Data: asOfData()})
	ps := append([]graph.Project(nil), s.Projects...)
	ps[0].Stage, ps[0].StartedOn, ps[0].ProducingOn = graph.Dropped, "", ""
	v := s.WithProjects(ps)
	if len(v.Plants) != 1 || len(s.Plants) != 2 || len(v.PlantsIn(0)) != 1 {
		t.Errorf("plants: view %d, snapshot %d", len(v.Plants), len(s.Plants))
	}
}
