package kpi

import (
	"context"
	"strings"
	"testing"

	"github.com/chainmap/chainmap/analysis/snapshot"
	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/seed/zhenjiang"
)

func demo(t *testing.T) *snapshot.Snapshot {
	t.Helper()
	s, err := snapshot.Build(context.Background(), graph.DatasetReader{Data: zhenjiang.Dataset()})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func findRow(rows []Breakdown, code string) *Breakdown {
	for i := range rows {
		if rows[i].Code == code {
			return &rows[i]
		}
	}
	return nil
}

// TestArticleFigures: the demo reproduces the figures of the source articles.
func TestArticleFigures(t *testing.T) {
	s := demo(t)
	day := Filter{From: "2023-07-14", To: "2023-07-14"} // the signing ceremony, all sizes
	r, err := Compute(s, day, DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	if r.Projects != 27 || r.OnChainProjects != 21 || r.OnChainShareCnt != 0.778 {
		t.Errorf("2023-07-14: %d projects, %d on chain, share %v; want 27, 21, 0.778", r.Projects, r.OnChainProjects, r.OnChainShareCnt)
	}
	h1 := DefaultFilter()
	h1.From, h1.To = "2025-01-01", "2025-06-30"
	r, err = Compute(s, h1, DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want float64
	}{
		{"H1 2025 projects", float64(r.Projects), 267},
		{"H1 2025 investment 亿", r.InvestmentYi, 1158.8},
		{"H1 2024 projects", float64(r.Previous.Projects), 221},
		{"H1 2024 investment 亿", r.Previous.InvestmentYi, 1094.6},
		{"YoY count", *r.YoYCount, 0.208},
		{"YoY investment", *r.YoYInvestment, 0.059},
	}
	gba := findRow(r.BySourceRegion, "GBA")
	if gba == nil {
		t.Fatal("no 大湾区 row in by_source_region")
	}
	checks = append(checks, []struct {
		name      string
		got, want float64
	}{
		{"大湾区 projects", float64(gba.Projects), 20},
		{"大湾区 share of projects", gba.ShareCount, 0.075},
		{"大湾区 share of investment", gba.ShareInvestment, 0.099},
	}...)
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if !(r.ForeignShareInv > 0.08) {
		t.Errorf("foreign share %v, the articles say > 8%%", r.ForeignShareInv)
	}
	if len(r.Lagging) == 0 {
		t.Error("the demo has lagging projects")
	}
}

// small builds a snapshot of a few projects around two chains (one key).
func small(t *testing.T, ps ...graph.Project) *snapshot.Snapshot {
	t.Helper()
	ds := &graph.Dataset{
		Regions: []graph.Region{{Code: "100", Name: "本市", Kind: graph.City}, {Code: "101", Name: "一区", ParentCode: "100", Kind: graph.District},
			{Code: "102", Name: "二区", ParentCode: "100", Kind: graph.District}, {Code: "440300", Name: "深圳", Kind: graph.External},
			{Code: "310000", Name: "上海", Kind: graph.External}},
		RegionGroups: []graph.RegionGroupMember{{GroupCode: "GBA", GroupName: "大湾区", RegionCode: "440300"}},
		Clusters:     []graph.Cluster{{ID: "CL", Name: "集群"}},
		Chains:       []graph.Chain{{ID: "K", Name: "重点链", ClusterID: "CL", Key: true}, {ID: "N", Name: "一般链", ClusterID: "CL"}},
		Links:        []graph.Link{{ID: "K1", ChainID: "K", Name: "k1", Tier: graph.Upstream}, {ID: "N1", ChainID: "N", Name: "n1", Tier: graph.Upstream}},
		Projects:     ps,
	}
	s, err := snapshot.Build(context.Background(), graph.DatasetReader{Data: ds})
	if err != nil {
		t.Fatal(err)
	}
	return s.At("2025-07-01")
}

func proj(id, link, region, source string, wan int64, signed graph.Date) graph.Project {
	return graph.Project{ID: id, Name: id, LinkID: link, RegionCode: region, SourceRegionCode: source,
		InvestmentWan: wan, Stage: graph.Signed, SignedOn: signed}
}

func TestKPIRules(t *testing.T) {
	late := proj("L", "K1", "101", "", 20000, "2024-03-01")
	late.PlannedStartOn = "2025-01-01"
	// twice late (start and production): one lagging project, two entries
	both := proj("B2", "K1", "101", "", 20000, "2023-04-01")
	both.PlannedStartOn, both.PlannedProduceOn = "2025-02-01", "2025-06-01"
	started := proj("S", "K1", "102", "310000", 20000, "2025-02-01")
	started.Stage, started.StartedOn, started.PlannedStartOn = graph.Started, "2025-03-03", "2025-03-01"
	s := small(t,
		proj("A", "K1", "101", "440300", 30000, "2025-01-10"),
		proj("B", "N1", "101", "310000", 10000, "2025-02-10"),
		proj("C", "", "102", "", 10000, "2025-03-10"),
		proj("D", "K1", "101", "440300", 9999, "2025-03-11"), // below 1亿
		proj("E", "K1", "101", "440300", 50000, "2024-01-10"),
		late, both, started)
	f := DefaultFilter()
	f.From, f.To = "2025-01-01", "2025-06-30"
	r, err := Compute(s, f, Params{OnChainTarget: 0.75, PlanYi: 20, AsOf: "2025-07-01"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Projects != 4 || r.InvestmentYi != 7 || r.OnChainProjects != 2 || r.OnChainShareCnt != 0.5 || r.OnChainShareInv != 0.714 {
		t.Errorf("totals %+v", r)
	}
	// Previous period: E (5亿) and L (2亿), signed in H1 2024.
	if r.OnChainGap != -0.25 || r.Previous.Projects != 2 || *r.YoYCount != 1 || *r.YoYInvestment != 0 {
		t.Errorf("gap/yoy %+v %v %v", r.Previous, *r.YoYCount, *r.YoYInvestment)
	}
	if g := findRow(r.BySourceRegion, "GBA"); g == nil || g.Kind != "group" || g.Projects != 1 || g.ShareCount != 0.25 {
		t.Errorf("大湾区 row %+v", g)
	}
	if n := findRow(r.ByChain, ""); n == nil || n.Projects != 1 {
		t.Errorf("not-on-chain row %+v", n)
	}
	if len(r.Lagging) != 3 || r.Lagging[0].ProjectID != "L" || r.Lagging[0].DaysLate != 181 || r.Lagging[0].Missed != "start" {
		t.Errorf("lagging %+v", r.Lagging)
	}
	if r.LaggingProjects != 2 || r.AsOf != "2025-07-01" {
		t.Errorf("lagging projects %d as of %s, want 2 (B2 late twice counts once) as of 2025-07-01", r.LaggingProjects, r.AsOf)
	}
	if rs := r.Reasons[len(r.Reasons)-1]; rs.Code != "lagging" || !strings.HasPrefix(rs.ZH, "2 个项目进度滞后") || rs.Facts["lagging"] != 2 {
		t.Errorf("lagging reason %+v", rs)
	}
	if r.Funnel[1].Reached != 1 || *r.Funnel[1].MedianDaysFromPrv != 30 {
		t.Errorf("funnel %+v", r.Funnel[1])
	}
	if r.Schedule.SignedYi != 7 || r.Schedule.Completion != 0.35 || r.Schedule.TimeElapsed != 0.5 || r.Schedule.Ahead != -0.15 {
		t.Errorf("schedule %+v", r.Schedule)
	}
	f.District, f.Foreign = "102", ""
	if r, _ := Compute(s, f, DefaultParams()); r.Projects != 2 {
		t.Errorf("district 102: %d", r.Projects)
	}
	f.District, f.Source = "", "GBA"
	if r, _ := Compute(s, f, DefaultParams()); r.Projects != 1 {
		t.Errorf("source group GBA: %d", r.Projects)
	}
	for _, bad := range []Filter{{From: "2025-02-01", To: "2025-01-01"}, {From: "2025-01-01", To: "2025-02-01", District: "999"}} {
		if _, err := Compute(s, bad, DefaultParams()); err == nil {
			t.Errorf("%+v should be refused", bad)
		}
	}
}

func TestYearBefore(t *testing.T) {
	for in, want := range map[graph.Date]graph.Date{"2025-06-30": "2024-06-30", "2024-02-29": "2023-02-28", "2025-01-01": "2024-01-01"} {
		if got := yearBefore(in); got != want {
			t.Errorf("yearBefore(%s) = %s, want %s", in, got, want)
		}
	}
}
