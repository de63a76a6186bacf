package neo4j

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/graph/interchange"
	"github.com/chainmap/chainmap/graph/sqlite"
	"github.com/chainmap/chainmap/graph/storetest"
)

// badInputs is the bad-input corpus of graph/interchange: one folder of .csv files per
// malformed, hostile or merely unusual input (its cases are described in
// graph/interchange/bad_test.go, which checks them on the embedded store).
const badInputs = "../interchange/testdata/bad"

// TestBadInputsLeaveTheStoreUnchanged imports every input of the corpus into a Neo4j
// holding storetest.Fixture and into an embedded store holding the same: Neo4j must
// refuse exactly the inputs the embedded store refuses, with the same problems, and
// be left exactly as it was; an input both accept must leave both holding the same.
func TestBadInputsLeaveTheStoreUnchanged(t *testing.T) {
	s := liveStore(t)
	ctx := context.Background()
	ents, err := os.ReadDir(badInputs)
	if err != nil {
		t.Fatal(err)
	}
	if len(ents) < 100 {
		t.Fatalf("%s holds %d inputs: not the corpus", badInputs, len(ents))
	}
	// Imports stamp the history events they create; both stores get the same time.
	opts := func(o *graph.Origin) graph.ImportOptions {
		return graph.ImportOptions{Origin: o, Now: time.Date(2025, 11, 1, 8, 0, 0, 0, time.UTC)}
	}
	seed := func() *graph.Dataset {
		t.Helper()
		if err := s.Wipe(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Import(ctx, storetest.Fixture(), graph.ImportOptions{}); err != nil {
			t.Fatal(err)
		}
		ds, err := graph.ReadAll(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		return ds
	}
	fixture := seed()
	dirty := false // whether the Neo4j store holds more than the fixture
	refused := 0
	for _, e := range ents {
		if !e.IsDir() {
			continue
		}
		t.Run(e.Name(), func(t *testing.T) {
			if dirty {
				fixture, dirty = seed(), false
			}
			ds, origin, err := interchange.Read(ctx, filepath.Join(badInputs, e.Name()))
			if err != nil {
				t.Fatalf("read: %v", err)
			}
			lite, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "ref.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer lite.Close()
			if _, err := lite.Import(ctx, storetest.Fixture(), graph.ImportOptions{}); err != nil {
				t.Fatal(err)
			}
			_, wantErr := lite.Import(ctx, ds, opts(origin))
			_, gotErr := s.Import(ctx, ds, opts(origin))
			var want, got *graph.ValidationError
			errors.As(wantErr, &want)
			errors.As(gotErr, &got)
			if wantErr != nil && want == nil {
				t.Fatalf("the embedded store failed outright: %v", wantErr)
			}
			if gotErr != nil && got == nil {
				dirty = true
				t.Fatalf("Neo4j failed outright: %v", gotErr)
			}
			after, err := graph.ReadAll(ctx, s)
			if err != nil {
				t.Fatal(err)
			}
			if want != nil {
				refused++
				if got == nil {
					dirty = true
					t.Fatalf("Neo4j accepted an input the embedded store refuses with %v", problemKeys(want.Problems))
				}
				if w, g := problemKeys(want.Problems), problemKeys(got.Problems); !slices.Equal(w, g) {
					t.Errorf("problems differ:\n  embedded: %v\n  neo4j:    %v", w, g)
				}
				if ok, table := storetest.Equal(fixture, after); !ok {
					dirty = true
					t.Errorf("a refused import changed %s on Neo4j", table)
				}
				return
			}
			dirty = true
			if got != nil {
				t.Fatalf("Neo4j refused an input the embedded store accepts: %v", problemKeys(got.Problems))
			}
			ref, err := graph.ReadAll(ctx, lite)
			if err != nil {
				t.Fatal(err)
			}
			if ok, table := storetest.Equal(ref, after); !ok {
				t.Errorf("after the import, %s differs between Neo4j and the embedded store", table)
			}
		})
	}
	t.Logf("%d inputs, %d refused", len(ents), refused)
}

// problemKeys lists problems as file:row:column:code:value, in order.
func problemKeys(ps []graph.Problem) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	return out
}
