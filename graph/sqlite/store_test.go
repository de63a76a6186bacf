package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/graph/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) graph.Store {
		s, err := Open(context.Background(), filepath.Join(t.TempDir(), "chainmap.db"))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestReopenKeepsDataAndSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "chainmap.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Import(ctx, storetest.Fixture(), graph.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ds, err := graph.ReadAll(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if ok, table := storetest.Equal(ds, storetest.Fixture()); !ok {
		t.Errorf("after reopening, %s differs", table)
	}
}

func TestUpsertSQLIsParameterised(t *testing.T) {
	got := feeds.upsertSQL(2)
	want := "INSERT INTO link_feeds (from_link_id, to_link_id, provenance) VALUES (?, ?, ?), (?, ?, ?) " +
		"ON CONFLICT (from_link_id, to_link_id) DO UPDATE SET provenance = excluded.provenance " +
		"WHERE link_feeds.provenance IS NOT excluded.provenance"
	if got != want {
		t.Errorf("upsertSQL:\n got %s\nwant %s", got, want)
	}
}
