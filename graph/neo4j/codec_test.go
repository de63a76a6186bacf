package neo4j

import (
	"context"
	"strings"
	"testing"

	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/graph/storetest"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// exec runs one auto-committed statement on s's database, as an analyst would.
func exec(t *testing.T, s *Store, q string) *neo4j.EagerResult {
	t.Helper()
	r, err := neo4j.ExecuteQuery(context.Background(), s.driver, q, nil, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(s.cfg.Database))
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return r
}

// mustImport imports ds into s.
func mustImport(t *testing.T, s *Store, ds *graph.Dataset) graph.ImportResult {
	t.Helper()
	res, err := s.Import(context.Background(), ds, graph.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// analystEdits mark one record of several kinds with a property chainmap does not
// know, as an analyst working in Neo4j Browser would.
var analystEdits = []string{
	"MATCH (n:Region {code: '321100'}) SET n.analyst_note = 'keep'",
	"MATCH (n:Link {id: 'MD_M1'}) SET n.analyst_note = 'keep'",
	"MATCH (n:Company {id: 'ZJ-001'}) SET n.analyst_note = 'keep'",
	"MATCH (:Company {id: 'ZJ-002'})-[r:SUPPLIES {link_id: ''}]->(:Company {id: 'ZJ-001'}) SET r.analyst_note = 'keep'",
	"MATCH (:Region {code: '310000'})-[r:IN_GROUP]->(:RegionGroup {code: 'YRD'}) SET r.analyst_note = 'keep'",
	"MATCH (n:Project) WITH n ORDER BY n.id LIMIT 1 SET n.analyst_note = 'keep'",
}

// TestUpsertKeepsAnalystProperties: properties an analyst added in Neo4j are neither
// counted as a change nor erased when chainmap re-imports or updates the record.
func TestUpsertKeepsAnalystProperties(t *testing.T) {
	s := liveStore(t)
	mustImport(t, s, storetest.Fixture())
	for _, q := range analystEdits {
		exec(t, s, q)
	}
	if res := mustImport(t, s, storetest.Fixture()); res.Written() != 0 {
		t.Errorf("re-importing the same data after analysts' edits wrote %d records: %+v", res.Written(), res.Changes)
	}
	changed := storetest.Fixture()
	changed.Regions[2].Name += "（改）"
	changed.Links[1].Name += "（改）"
	changed.Companies[1].Name += "（改）"
	changed.Supplies[1].Confidence = 0.5
	changed.RegionGroups[1].Provenance = "changed"
	changed.Projects[0].Name += "（改）"
	mustImport(t, s, changed)
	kept := exec(t, s, "MATCH (n) WHERE n.analyst_note = 'keep' RETURN count(n) AS n").Records[0].Values[0].(int64) +
		exec(t, s, "MATCH ()-[r]->() WHERE r.analyst_note = 'keep' RETURN count(r) AS n").Records[0].Values[0].(int64)
	if kept != int64(len(analystEdits)) {
		t.Errorf("after updating the edited records, %d of %d analyst properties are left", kept, len(analystEdits))
	}
	got, err := graph.ReadAll(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	if ok, table := storetest.Equal(got, changed); !ok {
		t.Errorf("after the update, %s differs", table)
	}
}

// TestUpsertRewritesARecordMissingAProperty: a stored record that lacks one of the
// properties chainmap writes (written by an older chainmap, or edited by hand) differs
// from the incoming record, so it is updated, not skipped as unchanged.
func TestUpsertRewritesARecordMissingAProperty(t *testing.T) {
	s := liveStore(t)
	mustImport(t, s, storetest.Fixture())
	for _, q := range []string{
		"MATCH (:Region {code: '440300'})-[r:IN_GROUP]->(:RegionGroup {code: 'GBA'}) REMOVE r.provenance",
		"MATCH (n:Link {id: 'MD_D1'}) REMOVE n.role", // stored before links had roles
		"MATCH (n:Company {id: 'ZJ-001'}) REMOVE n.provenance",
		"MATCH (:Company {id: 'ZJ-002'})-[r:SUPPLIES {link_id: ''}]->(:Company {id: 'ZJ-001'}) REMOVE r.confidence",
	} {
		exec(t, s, q)
	}
	res := mustImport(t, s, storetest.Fixture())
	for _, tb := range []graph.Table{graph.TRegionGroups, graph.TLinks, graph.TCompanies, graph.TSupplies} {
		if c := res.Changes[tb]; c.Updated != 1 || c.Inserted != 0 {
			t.Errorf("%s: %+v, want the one record missing a property updated", tb, c)
		}
	}
	got, err := graph.ReadAll(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	if ok, table := storetest.Equal(got, storetest.Fixture()); !ok {
		t.Errorf("after re-importing, %s differs", table)
	}
}

// TestUpsertRefusesRowsWhoseReferencesAreMissing: each upsert statement, given rows
// that refer to records not stored (which validation normally prevents), fails the
// write instead of dropping those rows or their relationships silently.
func TestUpsertRefusesRowsWhoseReferencesAreMissing(t *testing.T) {
	s := liveStore(t)
	ctx := context.Background()
	mustImport(t, s, storetest.Fixture())
	before, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		write func(w *batchWriter) error
	}{
		{"region's parent", func(w *batchWriter) error {
			return linkParents(w, []graph.Region{{Code: "321199", Name: "新区", ParentCode: "999999", Kind: graph.District}})
		}},
		{"region group's region", func(w *batchWriter) error {
			return writeTable(w, graph.TRegionGroups, "region.upsert_groups",
				[]graph.RegionGroupMember{{GroupCode: "YRD", GroupName: "长三角", RegionCode: "999999"}}, regionGroupRow)
		}},
		{"chain's cluster", func(w *batchWriter) error {
			return writeTable(w, graph.TChains, "chain.upsert_chains",
				[]graph.Chain{{ID: "CH_MD", Name: "医疗器械", ClusterID: "C_NONE"}}, chainRow)
		}},
		{"link's chain", func(w *batchWriter) error {
			return writeTable(w, graph.TLinks, "chain.upsert_links",
				[]graph.Link{{ID: "L_NEW", ChainID: "CH_NONE", Name: "新环节", Tier: graph.Midstream}}, linkRow)
		}},
		{"feed's link", func(w *batchWriter) error {
			return writeTable(w, graph.TLinkFeeds, "chain.upsert_feeds", []graph.Feed{{From: "MD_M1", To: "L_NONE"}}, feedRow)
		}},
		{"company's region", func(w *batchWriter) error {
			return writeTable(w, graph.TCompanies, "company.upsert",
				[]graph.Company{{ID: "ZJ-001", Name: "江苏鱼跃医疗设备股份有限公司", RegionCode: "999999"}}, companyRow)
		}},
		{"company link's link", func(w *batchWriter) error {
			return writeTable(w, graph.TCompanyLinks, "company.upsert_links",
				[]graph.CompanyLink{{CompanyID: "ZJ-001", LinkID: "L_NONE"}}, companyLinkRow)
		}},
		{"leader's chain", func(w *batchWriter) error {
			return writeTable(w, graph.TLeaders, "company.upsert_leaders", []graph.Leader{{CompanyID: "ZJ-001", ChainID: "CH_NONE"}}, leaderRow)
		}},
		{"supply's customer", func(w *batchWriter) error {
			return writeTable(w, graph.TSupplies, "supply.upsert",
				[]graph.Supply{{SupplierID: "ZJ-002", CustomerID: "ZJ-NONE", Evidence: graph.Inferred, Confidence: 0.5}}, supplyRow)
		}},
		{"project's company", func(w *batchWriter) error {
			p := storetest.Fixture().Projects[0]
			p.CompanyID = "ZJ-NONE"
			return writeTable(w, graph.TProjects, "project.upsert", []graph.Project{p}, projectRow)
		}},
		{"event's project", func(w *batchWriter) error {
			return writeTable(w, graph.TProjectLog, "project.upsert_events",
				[]graph.ProjectEvent{{ProjectID: "P-NONE", Seq: 1, At: "2025-01-01T00:00:00Z", Who: "test", To: graph.Signed}}, projectEventRow)
		}},
	}
	for _, c := range cases {
		sess := s.session(ctx, neo4j.AccessModeWrite)
		_, err := sess.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
			w := &batchWriter{ctx: ctx, tx: tx, res: &graph.ImportResult{Changes: map[graph.Table]graph.TableChange{}}}
			return nil, c.write(w)
		})
		sess.Close(ctx)
		if err == nil || !strings.Contains(err.Error(), "not stored") {
			t.Errorf("%s not stored: the write returned %v, want it refused", c.name, err)
		}
	}
	after, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for tb, n := range before {
		if after[tb] != n {
			t.Errorf("%s: %d records after the refused writes, %d before", tb, after[tb], n)
		}
	}
}
