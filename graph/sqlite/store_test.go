package sqlite

import (
	"context"
	"io/fs"
	"path/filepath"
	"testing"
	"testing/fstest"

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

// TestConformanceShared: two Stores on one file, as a server and a CLI import.
func TestConformanceShared(t *testing.T) {
	storetest.RunShared(t, func(t *testing.T) (graph.Store, graph.Store) {
		path := filepath.Join(t.TempDir(), "chainmap.db")
		a, err := Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Open(context.Background(), path)
		if err != nil {
			a.Close()
			t.Fatal(err)
		}
		return a, b
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

// TestMigrationAddsLinkRole: a store written before schema version 3 gains the links'
// role column on opening, keeps its links (role empty, i.e. production) and stores
// roles from then on.
func TestMigrationAddsLinkRole(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v2.db")
	old := fstest.MapFS{}
	for _, name := range []string{"migrations/001_init.sql", "migrations/002_project_history.sql"} {
		body, err := fs.ReadFile(migrationFiles, name)
		if err != nil {
			t.Fatal(err)
		}
		old[name] = &fstest.MapFile{Data: body}
	}
	db, err := OpenDB(ctx, path, old)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"INSERT INTO clusters (id, name) VALUES ('C_LH', '生命健康')",
		"INSERT INTO chains (id, name, cluster_id) VALUES ('CH_MD', '医疗器械', 'C_LH')",
		"INSERT INTO links (id, chain_id, name, name_en, tier, provenance) VALUES ('MD_D1', 'CH_MD', '医院', 'Hospitals', 'downstream', 'v2')",
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.ExecContext(ctx, "SELECT role FROM links"); err == nil {
		t.Fatal("a version 2 store already has links.role; the test does not start before the migration")
	}
	db.Close()

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	names, _ := fs.Glob(migrationFiles, "migrations/*.sql")
	var version int
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil || version != len(names) || version < 3 {
		t.Errorf("user_version = %d (%v), want %d", version, err, len(names))
	}
	ds, err := graph.ReadAll(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	want := graph.Link{ID: "MD_D1", ChainID: "CH_MD", Name: "医院", NameEN: "Hospitals", Tier: graph.Downstream, Provenance: "v2"}
	if len(ds.Links) != 1 || ds.Links[0] != want {
		t.Fatalf("migrated links = %+v, want [%+v]", ds.Links, want)
	}
	want.Role = graph.Institution
	res, err := s.Import(ctx, &graph.Dataset{Links: []graph.Link{want}}, graph.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if c := res.Changes[graph.TLinks]; c.Updated != 1 {
		t.Errorf("setting the role: %+v, want 1 updated", c)
	}
	if ds, err = graph.ReadAll(ctx, s); err != nil || len(ds.Links) != 1 || ds.Links[0] != want {
		t.Errorf("after setting the role: %+v (%v), want [%+v]", ds.Links, err, want)
	}
}
