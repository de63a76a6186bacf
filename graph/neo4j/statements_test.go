package neo4j

import (
	"slices"
	"sort"
	"testing"
	"testing/fstest"
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
