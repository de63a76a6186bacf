package neo4j

import (
	"context"
	"regexp"
	"slices"
	"sort"
	"testing"
	"testing/fstest"

	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/graph/storetest"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// TestStatementsDeclareTheirParameters: a statement uses exactly the parameters it
// declares, so the lint (which is given the declared ones) and the Go code agree.
func TestStatementsDeclareTheirParameters(t *testing.T) {
	for _, s := range Statements() {
		declared := slices.Clone(s.Params)
		sort.Strings(declared)
		if used := usedParams(s.Query); !slices.Equal(used, declared) {
			t.Errorf("%s: uses %v, declares %v", s.Key, used, declared)
		}
	}
}

// TestStatementsStayInTheSchema: Neo4j's linter checks labels only where they are
// matched, not where MERGE would create them, so this catches a misspelling there.
func TestStatementsStayInTheSchema(t *testing.T) {
	known := map[string]bool{}
	for _, n := range append(slices.Clone(GraphSchema.Labels), GraphSchema.RelationshipTypes...) {
		known[n] = true
	}
	for _, s := range Statements() {
		for _, n := range usedNames(s.Query) {
			if !known[n] {
				t.Errorf("%s: %s is not in GraphSchema", s.Key, n)
			}
		}
	}
	if usedNames("MERGE (n:Compnay {id: 1})")[0] != "Compnay" {
		t.Error("the label scan must see labels in MERGE patterns")
	}
}

func TestParseStatements(t *testing.T) {
	fsys := fstest.MapFS{"cypher/x.cypher": {Data: []byte("// header\n\n// name: a\n// params: rows, ids\nMATCH (n) RETURN n\n\n// name: b\nRETURN 1\n")}}
	got, err := parseStatements(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if got["x.a"].Query != "MATCH (n) RETURN n" || !slices.Equal(got["x.a"].Params, []string{"rows", "ids"}) || got["x.b"].Query != "RETURN 1" {
		t.Errorf("parsed %+v", got)
	}
	dup := fstest.MapFS{"cypher/x.cypher": {Data: []byte("// name: a\nRETURN 1\n// name: a\nRETURN 2\n")}}
	if _, err := parseStatements(dup); err == nil {
		t.Error("a statement defined twice must be an error")
	}
}

// newerCypher lists Cypher constructs added after Neo4j 5.0, with the version that
// brought each; chainmap's statements avoid them so that they run on every Neo4j 5.
var newerCypher = []struct{ re, since string }{
	{`(?i)\bCOUNT\s*\{`, "5.3"},
	{`(?i)\bCOLLECT\s*\{`, "5.6"},
	{`(?i)\bIS\s*(NOT\s+)?::`, "5.9"},
	{`(?i)\bFINISH\b`, "5.19"},
	{`(?i)\bCALL\s*\(`, "5.23"},
}

// TestStatementsRunOnEveryNeo4j5: no statement uses Cypher newer than Neo4j 5.0.
func TestStatementsRunOnEveryNeo4j5(t *testing.T) {
	for _, s := range Statements() {
		for _, c := range newerCypher {
			if regexp.MustCompile(c.re).MatchString(s.Query) {
				t.Errorf("%s uses %s, which needs Neo4j %s", s.Key, c.re, c.since)
			}
		}
	}
	if !regexp.MustCompile(newerCypher[0].re).MatchString("RETURN COUNT { (n)--() } AS k") {
		t.Error("the scan must see a COUNT subquery")
	}
}

// TestStatementsPlanWithoutNotifications: the server's own parser and planner accept
// every statement (EXPLAIN plans without running) and have nothing to say about it —
// no deprecation, no unknown label or property, no keyword misread as a name.
func TestStatementsPlanWithoutNotifications(t *testing.T) {
	s := liveStore(t)
	ctx := context.Background()
	// So that every label, type and property exists: a staged dry run (which gives up
	// its staging), then an ordinary import.
	staged := *s
	staged.cfg.MaxTxRecords = -1
	if _, err := staged.Import(ctx, storetest.Fixture(), graph.ImportOptions{DryRun: true}); err != nil {
		t.Fatal(err)
	}
	mustImport(t, s, storetest.Fixture())
	probe, err := neo4j.ExecuteQuery(ctx, s.driver, "EXPLAIN MATCH (n:NoSuchLabel) RETURN n", nil, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(s.cfg.Database))
	if err != nil || len(probe.Summary.Notifications()) == 0 {
		t.Fatalf("the server must report an unknown label for this test to mean anything (err %v)", err)
	}
	for _, st := range Statements() {
		params := map[string]any{}
		for _, p := range st.Params {
			params[p] = []any{}
		}
		for p, v := range map[string]any{"seconds": int64(1), "limit": int64(1), "stale_ms": int64(1), "import": "x", "started": "x"} {
			if _, ok := params[p]; ok {
				params[p] = v
			}
		}
		res, err := neo4j.ExecuteQuery(ctx, s.driver, "EXPLAIN "+st.Query, params, neo4j.EagerResultTransformer,
			neo4j.ExecuteQueryWithDatabase(s.cfg.Database))
		if err != nil {
			t.Errorf("%s: %v", st.Key, err)
			continue
		}
		for _, n := range res.Summary.Notifications() {
			t.Errorf("%s: %s %s: %s", st.Key, n.RawSeverityLevel(), n.Code(), n.Description())
		}
	}
}
