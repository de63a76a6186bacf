package neo4j

import (
	"context"
	"os"
	"testing"

	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/graph/storetest"
)

// TestConformance runs the store conformance suite against a real Neo4j 5 when
// NEO4J_URI is set. It EMPTIES the target database before each test: point it at a
// database used only for testing (docs/neo4j.md shows a throwaway container).
func TestConformance(t *testing.T) {
	uri := os.Getenv("NEO4J_URI")
	if uri == "" {
		t.Skip("NEO4J_URI not set: skipping the Neo4j conformance suite (see docs/neo4j.md to run it against Neo4j 5)")
	}
	cfg := Config{URI: uri, User: os.Getenv("NEO4J_USER"), Password: os.Getenv("NEO4J_PASSWORD"), Database: os.Getenv("NEO4J_DATABASE")}
	storetest.Run(t, func(t *testing.T) graph.Store {
		s, err := Open(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Wipe(context.Background()); err != nil {
			t.Fatal(err)
		}
		return s
	})
}
