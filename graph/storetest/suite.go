package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/chainmap/chainmap/graph"
)

// Opener returns a new, empty store; it is closed by the suite.
type Opener func(t *testing.T) graph.Store

// Run runs the conformance suite against stores made by open.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s graph.Store)
	}{
		{"ImportReadsBackExactly", testImportReadsBack},
		{"ReimportChangesNothing", testReimport},
		{"UpsertUpdatesChangedRecordsOnly", testUpsert},
		{"InsertedAndUpdatedAtEverySize", testChangeCounts},
		{"InvalidImportLeavesStoreUnchanged", testAllOrNothing},
		{"DryRunWritesNothing", testDryRun},
		{"ReferencesResolveAgainstStoredData", testStoredReferences},
		{"FeedCycleWithStoredFeedsRejected", testStoredCycle},
		{"ExistingAndCounts", testExistingCounts},
		{"CancelledImportLeavesStoreUnchanged", testCancelled},
		{"ConcurrentWritersBothLand", testConcurrentWriters},
		{"ProjectHistoryIsAppended", testProjectHistory},
		{"ProjectHistoryIsAppendOnly", testHistoryAppendOnly},
		{"LinkRolesRoundTrip", testLinkRoles},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			defer s.Close()
			tt.fn(t, s)
		})
	}
	t.Run("CopyRoundTripIsExact", func(t *testing.T) {
		// The second store is opened after the first is filled: backends that share
		// one server database (Neo4j) get an emptied database per open.
		a := open(t)
		mustImport(t, a, Fixture())
		want := readAll(t, a)
		b := open(t) // for a shared database this empties a too; hence want above
		if _, err := graph.Copy(context.Background(), graph.DatasetReader{Data: want}, b, graph.ImportOptions{}); err != nil {
			t.Fatal(err)
		}
		if ok, table := Equal(readAll(t, b), Fixture()); !ok {
			t.Errorf("copy differs in %s", table)
		}
		a.Close()
		b.Close()
	})
}

// testConcurrentWriters: two imports racing on one store both succeed (serialised
// or retried by the backend), and the result holds both.
func testConcurrentWriters(t *testing.T, s graph.Store) {
	mustImport(t, s, &graph.Dataset{Regions: Fixture().Regions})
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := graph.Company{ID: fmt.Sprintf("W-%02d", i), Name: fmt.Sprintf("并发企业%d", i), RegionCode: "321181"}
			_, errs[i] = s.Import(context.Background(), &graph.Dataset{Companies: []graph.Company{c}}, graph.ImportOptions{})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("writer %d: %v", i, err)
		}
	}
	if counts, err := s.Counts(context.Background()); err != nil || counts[graph.TCompanies] != len(errs) {
		t.Errorf("companies = %d (%v), want %d", counts[graph.TCompanies], err, len(errs))
	}
}

func mustImport(t *testing.T, s graph.Store, ds *graph.Dataset) graph.ImportResult {
	t.Helper()
	res, err := s.Import(context.Background(), ds, graph.ImportOptions{})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return res
}

func readAll(t *testing.T, s graph.Store) *graph.Dataset {
	t.Helper()
	ds, err := graph.ReadAll(context.Background(), s)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	return ds
}

// Equal reports whether two datasets hold the same records, treating nil and empty
// tables alike; it names the first differing table.
func Equal(a, b *graph.Dataset) (bool, string) {
	va, vb := reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem()
	for i := 0; i < va.NumField(); i++ {
		fa, fb := va.Field(i), vb.Field(i)
		if fa.Len() == 0 && fb.Len() == 0 {
			continue
		}
		if !reflect.DeepEqual(fa.Interface(), fb.Interface()) {
			return false, va.Type().Field(i).Name
		}
	}
	return true, ""
}

func testImportReadsBack(t *testing.T, s graph.Store) {
	res := mustImport(t, s, Fixture())
	for _, tbl := range graph.Tables {
		c := res.Changes[tbl]
		if want := Fixture().Len(tbl); c.Received != want || c.Inserted != want || c.Updated != 0 {
			t.Errorf("%s: %+v, want %d inserted", tbl, c, want)
		}
	}
	if ok, table := Equal(readAll(t, s), Fixture()); !ok {
		t.Errorf("read-back differs in %s", table)
	}
}

func testReimport(t *testing.T, s graph.Store) {
	mustImport(t, s, Fixture())
	res := mustImport(t, s, Fixture())
	if n := res.Written(); n != 0 {
		t.Errorf("re-import wrote %d records: %+v", n, res.Changes)
	}
	if c := res.Changes[graph.TCompanies]; c.Unchanged() != len(Fixture().Companies) {
		t.Errorf("companies unchanged = %d", c.Unchanged())
	}
}

// testChangeCounts: an import says how many records it inserted and how many it
// changed, for a few records (told by their keys) as for many (told by counting).
func testChangeCounts(t *testing.T, s graph.Store) {
	mustImport(t, s, Fixture())
	region := Fixture().Companies[0].RegionCode
	firms := func(from, to int) []graph.Company {
		var out []graph.Company
		for i := from; i < to; i++ {
			out = append(out, graph.Company{ID: fmt.Sprintf("CNT-%04d", i), Name: fmt.Sprintf("计数企业%d", i), RegionCode: region})
		}
		return out
	}
	steps := []struct {
		name              string
		companies         []graph.Company
		rename            int // the first rename of them get a new name
		inserted, updated int
	}{
		{"few, all new", firms(0, 10), 0, 10, 0},
		{"few, some new, some changed", firms(5, 15), 3, 5, 3},
		// 0–4 renamed, 5–6 already were, 7 renamed back.
		{"many, most new, some changed", firms(0, 1200), 7, 1185, 6},
		{"many, seven renamed back", firms(0, 1200), 0, 0, 7},
		{"many, nothing new or changed", firms(0, 1200), 0, 0, 0},
		{"few of many, one changed", firms(100, 102), 1, 0, 1},
	}
	for _, st := range steps {
		for i := 0; i < st.rename; i++ {
			st.companies[i].Name += "（改）"
		}
		res := mustImport(t, s, &graph.Dataset{Companies: st.companies})
		if c := res.Changes[graph.TCompanies]; c.Inserted != st.inserted || c.Updated != st.updated {
			t.Errorf("%s: inserted %d, updated %d; want %d, %d", st.name, c.Inserted, c.Updated, st.inserted, st.updated)
		}
	}
}

func testUpsert(t *testing.T, s graph.Store) {
	mustImport(t, s, Fixture())
	ds := &graph.Dataset{Companies: Fixture().Companies}
	ds.Companies[1].Name = "鱼跃医疗"
	ds.Companies[1].Tags = nil
	res := mustImport(t, s, ds)
	if c := res.Changes[graph.TCompanies]; c.Inserted != 0 || c.Updated != 1 {
		t.Errorf("got %+v, want 1 updated", c)
	}
	want := Fixture()
	want.Companies[1].Name, want.Companies[1].Tags = "鱼跃医疗", nil
	if ok, table := Equal(readAll(t, s), want); !ok {
		t.Errorf("after upsert, %s differs", table)
	}
}

// testAllOrNothing: a dataset whose only bad record is in the last table must leave
// the store exactly as it was, whether empty or already holding data.
func testAllOrNothing(t *testing.T, s graph.Store) {
	bad := Fixture()
	bad.Projects[2].RegionCode = "000000"
	_, err := s.Import(context.Background(), bad, graph.ImportOptions{})
	var verr *graph.ValidationError
	if !errors.As(err, &verr) || len(verr.Problems) != 1 || verr.Problems[0].Table != graph.TProjects {
		t.Fatalf("want one projects problem, got %v", err)
	}
	if ok, table := Equal(readAll(t, s), &graph.Dataset{}); !ok {
		t.Fatalf("empty store gained %s", table)
	}
	mustImport(t, s, &graph.Dataset{Regions: Fixture().Regions})
	before := readAll(t, s)
	bad.Regions[0].Name = "改名"
	if _, err := s.Import(context.Background(), bad, graph.ImportOptions{}); err == nil {
		t.Fatal("invalid import succeeded")
	}
	if ok, table := Equal(readAll(t, s), before); !ok {
		t.Errorf("stored %s changed by a rejected import", table)
	}
}

func testDryRun(t *testing.T, s graph.Store) {
	res, err := s.Import(context.Background(), Fixture(), graph.ImportOptions{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if !res.DryRun || res.Changes[graph.TCompanies].Inserted != len(Fixture().Companies) {
		t.Errorf("dry run should report what it would do: %+v", res)
	}
	if ok, table := Equal(readAll(t, s), &graph.Dataset{}); !ok {
		t.Errorf("dry run wrote %s", table)
	}
}

func testStoredReferences(t *testing.T, s graph.Store) {
	f := Fixture()
	mustImport(t, s, &graph.Dataset{Regions: f.Regions, RegionGroups: f.RegionGroups, Clusters: f.Clusters,
		Chains: f.Chains, Links: f.Links, Feeds: f.Feeds})
	mustImport(t, s, &graph.Dataset{Companies: f.Companies})
	mustImport(t, s, &graph.Dataset{CompanyLinks: f.CompanyLinks, Leaders: f.Leaders, Supplies: f.Supplies, Projects: f.Projects,
		ProjectEvents: f.ProjectEvents})
	if ok, table := Equal(readAll(t, s), f); !ok {
		t.Errorf("imported in parts, %s differs", table)
	}
	_, err := s.Import(context.Background(), &graph.Dataset{Supplies: []graph.Supply{{SupplierID: "ZJ-001",
		CustomerID: "NOT-STORED", Evidence: graph.Observed, Confidence: 1}}}, graph.ImportOptions{})
	var verr *graph.ValidationError
	if !errors.As(err, &verr) || verr.Problems[0].Code != graph.PUnknownRef || verr.Problems[0].Column != "customer_id" {
		t.Errorf("want unknown customer, got %v", err)
	}
}

func testStoredCycle(t *testing.T, s graph.Store) {
	mustImport(t, s, Fixture())
	_, err := s.Import(context.Background(), &graph.Dataset{Feeds: []graph.Feed{{From: "MD_D1", To: "MD_U1"}}}, graph.ImportOptions{})
	var verr *graph.ValidationError
	if !errors.As(err, &verr) || verr.Problems[0].Code != graph.PFeedCycle {
		t.Fatalf("want a feed cycle, got %v", err)
	}
	// Moving a link to another chain through an upsert can create a cycle too.
	_, err = s.Import(context.Background(), &graph.Dataset{Feeds: []graph.Feed{{From: "X_1", To: "MD_U1"}}}, graph.ImportOptions{})
	if err != nil {
		t.Fatalf("a loop across chains is allowed: %v", err)
	}
	links := Fixture().Links
	links[3].ChainID = "CH_MD"
	_, err = s.Import(context.Background(), &graph.Dataset{Links: links}, graph.ImportOptions{})
	if !errors.As(err, &verr) || verr.Problems[0].Code != graph.PFeedCycle {
		t.Errorf("moving X_1 into CH_MD closes MD_U1 → X_1 → MD_U1: got %v", err)
	}
}

func testExistingCounts(t *testing.T, s graph.Store) {
	mustImport(t, s, Fixture())
	got, err := s.Existing(context.Background(), graph.TCompanies, []string{"ZJ-001", "NOPE", "914403001922038216"})
	if err != nil {
		t.Fatal(err)
	}
	if !got["ZJ-001"] || !got["914403001922038216"] || got["NOPE"] || len(got) != 2 {
		t.Errorf("Existing = %v", got)
	}
	counts, err := s.Counts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, tbl := range graph.Tables {
		if counts[tbl] != Fixture().Len(tbl) {
			t.Errorf("count %s = %d, want %d", tbl, counts[tbl], Fixture().Len(tbl))
		}
	}
	if err := s.Ping(context.Background()); err != nil {
		t.Errorf("ping: %v", err)
	}
}

func testCancelled(t *testing.T, s graph.Store) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Import(ctx, Fixture(), graph.ImportOptions{}); err == nil {
		t.Fatal("import with a cancelled context succeeded")
	}
	if ok, table := Equal(readAll(t, s), &graph.Dataset{}); !ok {
		t.Errorf("cancelled import wrote %s", table)
	}
}

// testProjectHistory: imports record a history event for each new or moved project
// and none for an unchanged one, and report what changed.
func testProjectHistory(t *testing.T, s graph.Store) {
	f := Fixture()
	base := &graph.Dataset{Regions: f.Regions, Clusters: f.Clusters, Chains: f.Chains, Links: f.Links,
		Companies: f.Companies}
	mustImport(t, s, base)
	at := time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)
	p := graph.Project{ID: "P-9", Name: "新项目", RegionCode: "321181", InvestmentWan: 20000, Stage: graph.Signed, SignedOn: "2025-02-01"}
	res, err := s.Import(context.Background(), &graph.Dataset{Projects: []graph.Project{p}},
		graph.ImportOptions{Who: "王五", Note: "首批", Now: at})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Projects) != 1 || res.Projects[0].Kind != "new" {
		t.Errorf("changes %+v", res.Projects)
	}
	p.Stage, p.StartedOn = graph.Started, "2025-04-01"
	res, err = s.Import(context.Background(), &graph.Dataset{Projects: []graph.Project{p}}, graph.ImportOptions{Now: at.AddDate(0, 1, 0)})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Projects) != 1 || res.Projects[0].Kind != "advanced" || res.Projects[0].From != graph.Signed {
		t.Errorf("changes %+v", res.Projects)
	}
	res = mustImport(t, s, &graph.Dataset{Projects: []graph.Project{p}})
	if len(res.Projects) != 0 || res.Written() != 0 {
		t.Errorf("unchanged project: %+v, %d written", res.Projects, res.Written())
	}
	want := []graph.ProjectEvent{
		{ProjectID: "P-9", Seq: 1, At: "2025-03-01T08:00:00Z", Who: "王五", To: graph.Signed, On: "2025-02-01", Note: "首批"},
		{ProjectID: "P-9", Seq: 2, At: "2025-04-01T08:00:00Z", Who: "import", From: graph.Signed, To: graph.Started, On: "2025-04-01"},
	}
	if got := readAll(t, s).ProjectEvents; !reflect.DeepEqual(got, want) {
		t.Errorf("history\n got %+v\nwant %+v", got, want)
	}
}

// testLinkRoles: every role, and no role, is stored and read back as given (an empty
// role stays empty rather than becoming production), and changing only a link's
// role is an update.
func testLinkRoles(t *testing.T, s graph.Store) {
	f := Fixture()
	ds := &graph.Dataset{Clusters: f.Clusters, Chains: f.Chains}
	for i, r := range append([]string{""}, graph.Roles...) {
		ds.Links = append(ds.Links, graph.Link{ID: fmt.Sprintf("R_%d", i), ChainID: "CH_MD", Name: "环节" + r,
			Tier: graph.Midstream, Role: graph.Role(r)})
	}
	mustImport(t, s, ds)
	got := readAll(t, s).Links
	if !reflect.DeepEqual(got, ds.Links) {
		t.Fatalf("links read back\n got %+v\nwant %+v", got, ds.Links)
	}
	ds.Links[0].Role, ds.Links[1].Role = graph.Service, ""
	res := mustImport(t, s, &graph.Dataset{Links: ds.Links})
	if c := res.Changes[graph.TLinks]; c.Updated != 2 || c.Inserted != 0 {
		t.Errorf("changing two roles: %+v, want 2 updated", c)
	}
	if got := readAll(t, s).Links; !reflect.DeepEqual(got, ds.Links) {
		t.Errorf("after changing roles\n got %+v\nwant %+v", got, ds.Links)
	}
}

// testHistoryAppendOnly (issue 15): an import can neither rewrite a stored history
// event nor slip a backdated one in, or one claiming a stage the project is not in;
// each is refused with the event and field named and the store unchanged, while the
// stored events given back as they are change nothing and a correction is a new
// event.
func testHistoryAppendOnly(t *testing.T, s graph.Store) {
	ctx := context.Background()
	mustImport(t, s, Fixture())
	before := readAll(t, s)
	refused := func(name string, ds *graph.Dataset, column, code string) {
		t.Helper()
		_, err := s.Import(ctx, ds, graph.ImportOptions{})
		var verr *graph.ValidationError
		if !errors.As(err, &verr) {
			t.Errorf("%s: want a validation error, got %v", name, err)
			return
		}
		found := false
		for _, p := range verr.Problems {
			if p.Table == graph.TProjectLog && p.Column == column && p.Code == code {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: want a %s problem on project_history column %s, got %v", name, code, column, verr.Problems)
		}
		if ok, table := Equal(readAll(t, s), before); !ok {
			t.Errorf("%s: the refused import changed %s", name, table)
		}
	}
	// Rewriting a stored event: its who and note.
	ev := Fixture().ProjectEvents[0]
	ev.Who, ev.Note = "市长", "改写 / rewritten"
	refused("rewrite", &graph.Dataset{ProjectEvents: []graph.ProjectEvent{ev}}, "note", graph.PHistoryChanged)
	refused("rewrite who", &graph.Dataset{ProjectEvents: []graph.ProjectEvent{ev}}, "who", graph.PHistoryChanged)
	// A backdated event claiming the producing project was dropped.
	back := graph.ProjectEvent{ProjectID: "P-2024-001", At: "2019-01-01T00:00:00Z", Who: "市长", From: graph.Producing,
		To: graph.Dropped, Note: "倒签"}
	refused("backdated", &graph.Dataset{ProjectEvents: []graph.ProjectEvent{back}}, "at", graph.PHistoryBackdated)
	back.At = "2025-06-01T00:00:00Z"
	refused("stage the project is not in", &graph.Dataset{ProjectEvents: []graph.ProjectEvent{back}}, "to_stage", graph.PHistoryTo)
	wrongFrom := graph.ProjectEvent{ProjectID: "P-2024-001", At: "2025-06-01T00:00:00Z", Who: "张三", From: graph.Signed,
		To: graph.Producing, Note: "补记"}
	refused("from a stage it was not in", &graph.Dataset{ProjectEvents: []graph.ProjectEvent{wrongFrom}}, "from_stage", graph.PHistoryFrom)

	// Given back as stored: nothing changes.
	if res := mustImport(t, s, &graph.Dataset{ProjectEvents: Fixture().ProjectEvents}); res.Written() != 0 {
		t.Errorf("re-importing the stored history wrote %d", res.Written())
	}
	// A correction is a new event after the stored ones.
	fix := graph.ProjectEvent{ProjectID: "P-2024-001", At: "2025-06-01T00:00:00Z", Who: "张三", From: graph.Producing,
		To: graph.Producing, Note: "更正首次录入的说明 / corrects the first entry's note", Correction: true}
	mustImport(t, s, &graph.Dataset{ProjectEvents: []graph.ProjectEvent{fix}})
	// And a move recorded by the import's own event.
	p := Fixture().Projects[2]
	p.Stage, p.SignedOn = graph.Signed, "2025-05-01"
	move := graph.ProjectEvent{ProjectID: p.ID, At: "2025-05-02T09:00:00+08:00", Who: "李四", From: graph.Negotiating,
		To: graph.Signed, On: "2025-05-01"}
	mustImport(t, s, &graph.Dataset{Projects: []graph.Project{p}, ProjectEvents: []graph.ProjectEvent{move}})
	got := readAll(t, s).ProjectEvents
	fix.Seq, move.Seq = 2, 2
	want := append(append([]graph.ProjectEvent{}, before.ProjectEvents[0], fix), before.ProjectEvents[1], before.ProjectEvents[2], move)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("history\n got %+v\nwant %+v", got, want)
	}
}
