package graph

import (
	"context"
	"iter"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// datasetLookup answers Lookup from a Dataset standing for stored data.
type datasetLookup struct{ ds *Dataset }

func (l datasetLookup) Existing(_ context.Context, t Table, ids []string) (map[string]bool, error) {
	keys := map[string]bool{}
	switch t {
	case TRegions:
		for _, r := range l.ds.Regions {
			keys[r.Code] = true
		}
	case TChains:
		for _, r := range l.ds.Chains {
			keys[r.ID] = true
		}
	case TLinks:
		for _, r := range l.ds.Links {
			keys[r.ID] = true
		}
	case TCompanies:
		for _, r := range l.ds.Companies {
			keys[r.ID] = true
		}
	}
	out := map[string]bool{}
	for _, id := range ids {
		if keys[id] {
			out[id] = true
		}
	}
	return out, nil
}

func (l datasetLookup) Regions(context.Context) iter.Seq2[Region, error] { return seqOf(l.ds.Regions) }
func (l datasetLookup) Links(context.Context) iter.Seq2[Link, error]     { return seqOf(l.ds.Links) }
func (l datasetLookup) Feeds(context.Context) iter.Seq2[Feed, error]     { return seqOf(l.ds.Feeds) }

// tiny is a minimal valid dataset: a city with a district, one chain of three links
// A → B → C, two companies and a supply tie.
func tiny() *Dataset {
	return &Dataset{
		Regions: []Region{{Code: "321100", Name: "镇江市", Kind: City}, {Code: "321181", Name: "丹阳市", ParentCode: "321100", Kind: District},
			{Code: "310000", Name: "上海", Kind: External}},
		Clusters:  []Cluster{{ID: "CL", Name: "生命健康"}},
		Chains:    []Chain{{ID: "CH", Name: "医疗器械", ClusterID: "CL", Key: true}},
		Links:     []Link{{ID: "A", ChainID: "CH", Name: "材料", Tier: Upstream}, {ID: "B", ChainID: "CH", Name: "器械", Tier: Midstream}, {ID: "C", ChainID: "CH", Name: "医院", Tier: Downstream}},
		Feeds:     []Feed{{From: "A", To: "B"}, {From: "B", To: "C"}},
		Companies: []Company{{ID: "F1", Name: "鱼跃", RegionCode: "321181"}, {ID: "F2", Name: "上海材料", RegionCode: "310000"}},
		Supplies:  []Supply{{SupplierID: "F2", CustomerID: "F1", LinkID: "A", Evidence: Observed, Confidence: 1}},
		Projects:  []Project{{ID: "P1", Name: "项目", RegionCode: "321181", SourceRegionCode: "310000", Stage: Negotiating}},
	}
}

func codes(ps []Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, string(p.Table)+"#"+strconv.Itoa(p.Index)+"."+p.Column+":"+p.Code)
	}
	return out
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(d *Dataset)
		stored *Dataset
		want   []string
	}{
		{"valid", func(*Dataset) {}, nil, nil},
		{"duplicate id", func(d *Dataset) { d.Companies = append(d.Companies, d.Companies[0]) }, nil,
			[]string{"companies#2.id:duplicate"}},
		{"duplicate supply key", func(d *Dataset) { d.Supplies = append(d.Supplies, d.Supplies[0]) }, nil,
			[]string{"supplies#1.link_id:duplicate"}},
		{"unknown region", func(d *Dataset) { d.Companies[0].RegionCode = "999999" }, nil,
			[]string{"companies#0.region_code:unknown_ref"}},
		{"unknown supply link", func(d *Dataset) { d.Supplies[0].LinkID = "Z" }, nil,
			[]string{"supplies#0.link_id:unknown_ref"}},
		{"reference resolved by the store", func(d *Dataset) { d.Regions = d.Regions[1:]; d.Regions[0].ParentCode = "321100" },
			&Dataset{Regions: []Region{{Code: "321100", Name: "镇江市", Kind: City}}}, nil},
		{"reference unresolved anywhere", func(d *Dataset) { d.Projects[0].SourceRegionCode = "440300" },
			&Dataset{Regions: []Region{{Code: "110000", Name: "北京", Kind: External}}},
			[]string{"projects#0.source_region_code:unknown_ref"}},
		{"feed cycle in chain", func(d *Dataset) { d.Feeds = append(d.Feeds, Feed{From: "C", To: "A"}) }, nil,
			[]string{"link_feeds#2.to_link_id:feed_cycle"}},
		{"cycle closed by a stored feed", func(d *Dataset) { d.Feeds = []Feed{{From: "C", To: "A"}} },
			&Dataset{Links: tiny().Links, Feeds: tiny().Feeds}, []string{"link_feeds#0.to_link_id:feed_cycle"}},
		{"cycle across chains allowed", func(d *Dataset) {
			d.Chains = append(d.Chains, Chain{ID: "CH2", Name: "其他", ClusterID: "CL"})
			d.Links = append(d.Links, Link{ID: "X", ChainID: "CH2", Name: "x", Tier: Upstream})
			d.Feeds = append(d.Feeds, Feed{From: "C", To: "X"}, Feed{From: "X", To: "A"})
		}, nil, nil},
		{"region cycle", func(d *Dataset) { d.Regions[0].ParentCode = "321181" }, nil,
			[]string{"regions#0.parent_code:region_cycle"}},
		{"group name conflict", func(d *Dataset) {
			d.RegionGroups = []RegionGroupMember{{GroupCode: "YRD", GroupName: "长三角", RegionCode: "310000"},
				{GroupCode: "YRD", GroupName: "长江三角洲", RegionCode: "321100"}}
		}, nil, []string{"region_groups#1.group_name:group_name_conflict"}},
		{"record and reference problems together", func(d *Dataset) {
			d.Companies[1].Name = ""
			d.Supplies[0].CustomerID = "NOPE"
		}, nil, []string{"companies#1.name:required", "supplies#0.customer_id:unknown_ref"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := tiny()
			tt.edit(d)
			var lk Lookup
			if tt.stored != nil {
				lk = datasetLookup{tt.stored}
			}
			ps, err := Check(context.Background(), d, lk, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := codes(ps); !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestFeedCycleNamesTheLinks(t *testing.T) {
	d := tiny()
	d.Feeds = append(d.Feeds, Feed{From: "C", To: "A"})
	ps, _ := Check(context.Background(), d, nil, nil)
	if len(ps) != 1 {
		t.Fatalf("want one problem, got %v", ps)
	}
	if got := ps[0].Message("en"); !strings.Contains(got, "CH") || !strings.Contains(got, "A → B → C → A") {
		t.Errorf("message %q should name the chain and the loop", got)
	}
}

func TestCheckLocatesProblemsByOrigin(t *testing.T) {
	d := tiny()
	d.Companies = append(d.Companies, d.Companies[0])
	origin := &Origin{Files: map[Table]string{TCompanies: "companies.csv"}, Rows: map[Table][]int{TCompanies: {2, 3, 7}},
		Problems: []Problem{{Table: TCompanies, Index: 1, File: "companies.csv", Row: 3, Column: "revenue_wan", Value: "abc", Code: PBadNumber}}}
	ps, _ := Check(context.Background(), d, nil, origin)
	if len(ps) != 2 {
		t.Fatalf("got %v", ps)
	}
	if ps[0].Code != PBadNumber || ps[1].Row != 7 || ps[1].File != "companies.csv" || ps[1].Args[0] != "2" {
		t.Errorf("problems not located: %+v", ps)
	}
}

func (l datasetLookup) StoredProjects(_ context.Context, ids []string) (map[string]StoredProject, error) {
	out := map[string]StoredProject{}
	for _, p := range l.ds.Projects {
		if slices.Contains(ids, p.ID) {
			sp := StoredProject{Project: p}
			for _, e := range l.ds.ProjectEvents {
				if e.ProjectID == p.ID {
					sp.Events++
				}
			}
			out[p.ID] = sp
		}
	}
	return out, nil
}

// scanLookup is a datasetLookup that counts full scans of the stored tables.
type scanLookup struct {
	datasetLookup
	scans *int
}

func (l scanLookup) Regions(ctx context.Context) iter.Seq2[Region, error] {
	*l.scans++
	return l.datasetLookup.Regions(ctx)
}
func (l scanLookup) Links(ctx context.Context) iter.Seq2[Link, error] {
	*l.scans++
	return l.datasetLookup.Links(ctx)
}
func (l scanLookup) Feeds(ctx context.Context) iter.Seq2[Feed, error] {
	*l.scans++
	return l.datasetLookup.Feeds(ctx)
}

// TestCheckOfAProjectReadsNoWholeTable: a dataset of projects alone cannot close a
// loop of regions or feeds, so checking it (every API project write) must not scan
// every stored region, link and feed; a dataset with feeds still is checked for loops.
func TestCheckOfAProjectReadsNoWholeTable(t *testing.T) {
	stored := tiny()
	scans := 0
	lk := scanLookup{datasetLookup{stored}, &scans}
	p := &Dataset{Projects: []Project{{ID: "P2", Name: "项目二", RegionCode: "321181", SourceRegionCode: "310000", LinkID: "B", Stage: Negotiating}}}
	if probs, err := Check(context.Background(), p, lk, nil); err != nil || len(probs) != 0 {
		t.Fatalf("problems %v, err %v", codes(probs), err)
	}
	if scans != 0 {
		t.Errorf("checking one project scanned %d stored tables", scans)
	}
	loop := &Dataset{Feeds: []Feed{{From: "C", To: "A"}}}
	probs, err := Check(context.Background(), loop, lk, nil)
	if err != nil || !slices.Contains(codes(probs), "link_feeds#0.to_link_id:"+PFeedCycle) {
		t.Errorf("a feed closing A → B → C → A: problems %v, err %v", codes(probs), err)
	}
}
