package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/graph/storetest"
)

func mustOpen(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mustReadAll(t *testing.T, s *Store) *graph.Dataset {
	t.Helper()
	ds, err := graph.ReadAll(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// expectedAfter returns the store's content after the base and batches 0..n-1.
func expectedAfter(t *testing.T, b *batchSource, n int) *graph.Dataset {
	t.Helper()
	ctx := context.Background()
	s := mustOpen(t, ":memory:")
	defer s.Close()
	if _, err := s.Import(ctx, b.base, graph.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	for k := 0; k < n; k++ {
		if _, err := s.Import(ctx, b.batch(k), graph.ImportOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	return mustReadAll(t, s)
}

func TestBackupDuringImports(t *testing.T) {
	ctx := context.Background()
	b := batches(t)
	dir := t.TempDir()
	s := mustOpen(t, filepath.Join(dir, "live.db"))
	defer s.Close()
	if _, err := s.Import(ctx, b.base, graph.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	const total = 12
	errc := make(chan error, 1)
	go func() {
		for k := 0; k < total; k++ {
			if _, err := s.Import(ctx, b.batch(k), graph.ImportOptions{}); err != nil {
				errc <- fmt.Errorf("import %d: %w", k, err)
				return
			}
		}
		errc <- nil
	}()
	var paths []string
	var importErr error
	// Back up while the imports run, then once more after the last one.
	for i, running := 0, true; running; i++ {
		select {
		case importErr = <-errc:
			running = false
		case <-time.After(10 * time.Millisecond):
		}
		p := filepath.Join(dir, fmt.Sprintf("backup-%02d.db", i))
		if err := s.Backup(ctx, p); err != nil {
			t.Fatalf("backup %d: %v", i, err)
		}
		paths = append(paths, p)
	}
	if importErr != nil {
		t.Fatal(importErr)
	}
	expected := map[int]*graph.Dataset{}
	seen := map[int]bool{}
	for _, p := range paths {
		if _, err := os.Stat(p + "-wal"); err == nil {
			t.Errorf("%s has a -wal file", p)
		}
		if err := verify(ctx, p); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		bs := mustOpen(t, p)
		landed, err := checkBatches(ctx, bs.db, b)
		if err != nil {
			bs.Close()
			t.Fatalf("%s: %v", p, err)
		}
		if expected[landed] == nil {
			expected[landed] = expectedAfter(t, b, landed)
		}
		if ok, table := storetest.Equal(mustReadAll(t, bs), expected[landed]); !ok {
			t.Errorf("%s: %s differs from the state after %d imports", p, table, landed)
		}
		seen[landed] = true
		bs.Close()
	}
	if !seen[total] {
		t.Errorf("the last backup, taken after the imports, lacks some batches")
	}
	t.Logf("%d backups, covering %d distinct states of %d", len(paths), len(seen), total+1)
}

func TestBackupRefusesExistingFile(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := mustOpen(t, filepath.Join(dir, "live.db"))
	defer s.Close()
	target := filepath.Join(dir, "exists.db")
	if err := os.WriteFile(target, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := s.Backup(ctx, target)
	if err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("Backup onto an existing file: %v", err)
	}
	if got, _ := os.ReadFile(target); string(got) != "keep me" {
		t.Errorf("existing file changed to %q", got)
	}
}

func TestRestoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	live := filepath.Join(dir, "live.db")
	backup := filepath.Join(dir, "backup.db")
	s := mustOpen(t, live)
	if _, err := s.Import(ctx, storetest.Fixture(), graph.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := s.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	// Change the store after the backup.
	changed := storetest.Fixture()
	changed.Companies[1].Name = "已改名"
	changed.Companies = append(changed.Companies, graph.Company{ID: "ZJ-NEW", Name: "新公司", RegionCode: "321100"})
	if _, err := s.Import(ctx, changed, graph.ImportOptions{}); err != nil {
		t.Fatal(err)
	}

	if _, err := Restore(ctx, backup, live); err == nil || !strings.Contains(err.Error(), "stop the server") {
		t.Fatalf("Restore onto an open store: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// A stale WAL of the target must not be replayed into the restored file.
	if err := os.WriteFile(live+"-wal", []byte("stale wal"), 0o600); err != nil {
		t.Fatal(err)
	}
	kept, err := Restore(ctx, backup, live)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(live + "-wal"); err == nil {
		t.Error("stale -wal survived the restore")
	}
	if m, _ := filepath.Glob(filepath.Join(dir, ".live.db.restore-*")); len(m) > 0 {
		t.Errorf("temporary files left: %v", m)
	}
	s = mustOpen(t, live)
	defer s.Close()
	if ok, table := storetest.Equal(mustReadAll(t, s), storetest.Fixture()); !ok {
		t.Errorf("after restore, %s differs from the backup", table)
	}
	// The backup itself is unchanged and still usable.
	if err := verify(ctx, backup); err != nil {
		t.Error(err)
	}
	// The previous store is kept, whole, under the name Restore returned.
	if !strings.HasPrefix(kept, live+".before-restore-") {
		t.Fatalf("kept %q", kept)
	}
	k := mustOpen(t, kept)
	defer k.Close()
	if got, err := k.Existing(ctx, graph.TCompanies, []string{"ZJ-NEW"}); err != nil || !got["ZJ-NEW"] {
		t.Errorf("the kept previous store lacks its last write: %v %v", got, err)
	}
}

// authKind is the auth store's kind as api/auth registers it (read from its
// migrations: this package cannot import api/auth).
var authKind = Kind{NameZH: "用户库", NameEN: "users database", Migrations: os.DirFS("../../api/auth"),
	Markers: []string{"users", "tokens", "audit_log"}}

func init() { RegisterKind(authKind) }

// TestRestoreRefusesUsersDatabase: the users database next to the store (issue 15:
// restore said "restored" and replaced the graph with users, tokens and audit log)
// is refused by its tables, named as the users database, and the store is left
// byte for byte as it was; opening it as the graph store is refused too and does
// not migrate it.
func TestRestoreRefusesUsersDatabase(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	live, users := filepath.Join(dir, "chainmap.db"), filepath.Join(dir, "chainmap-auth.db")
	s := mustOpen(t, live)
	if _, err := s.Import(ctx, storetest.Fixture(), graph.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := OpenKind(ctx, users, authKind)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO users (name, role, password_hash, created_at, updated_at) VALUES ('admin', 'admin', 'x', 0, 0)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	before, _ := os.ReadFile(live)
	usersBefore, _ := os.ReadFile(users)
	_, err = Restore(ctx, users, live)
	if err == nil {
		t.Fatal("restoring the users database over the graph store succeeded")
	}
	for _, want := range []string{"users database", "用户库", "unchanged", users} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the refusal does not say %q: %v", want, err)
		}
	}
	if graph.ErrorCode(err) != graph.EINVALID {
		t.Errorf("code %s", graph.ErrorCode(err))
	}
	if after, _ := os.ReadFile(live); string(after) != string(before) {
		t.Error("the refused restore changed the store")
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "*before-restore*")); len(m) > 0 {
		t.Errorf("a refused restore moved the store aside: %v", m)
	}
	if m, _ := filepath.Glob(filepath.Join(dir, ".chainmap.db.restore-*")); len(m) > 0 {
		t.Errorf("temporary files left: %v", m)
	}
	// serve --db chainmap-auth.db: refused, and the file is not migrated.
	if _, err := Open(ctx, users); err == nil || !strings.Contains(err.Error(), "users database") {
		t.Errorf("opening the users database as the graph store: %v", err)
	}
	if after, _ := os.ReadFile(users); string(after) != string(usersBefore) {
		t.Error("opening the users database as the graph store changed it")
	}
}

// TestRestoreChecksColumns: a graph store whose tables are all there but one column
// is not refuses with the table and column named.
func TestRestoreChecksColumns(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	live, bk := filepath.Join(dir, "live.db"), filepath.Join(dir, "b.db")
	s := mustOpen(t, live)
	if _, err := s.Import(ctx, storetest.Fixture(), graph.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := s.Backup(ctx, bk); err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := sql.Open("sqlite", bk)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`ALTER TABLE companies DROP COLUMN tags; CREATE TABLE notes (x)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err = Restore(ctx, bk, live)
	if err == nil {
		t.Fatal("a store without companies.tags was restored")
	}
	for _, want := range []string{"companies", "tags", "notes", bk} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the refusal does not name %q: %v", want, err)
		}
	}
	if err := mustOpen(t, live).Verify(ctx); err != nil {
		t.Errorf("the store after a refused restore: %v", err)
	}
}

func TestRestoreRejectsBadBackup(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	live := filepath.Join(dir, "live.db")
	s := mustOpen(t, live)
	if _, err := s.Import(ctx, storetest.Fixture(), graph.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	before, err := os.ReadFile(live)
	if err != nil {
		t.Fatal(err)
	}
	garbage := filepath.Join(dir, "garbage.db")
	if err := os.WriteFile(garbage, []byte(strings.Repeat("not a database ", 500)), 0o600); err != nil {
		t.Fatal(err)
	}
	// A valid SQLite file that is not a chainmap store.
	other := filepath.Join(dir, "other.db")
	db, err := OpenDB(ctx, other, os.DirFS(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	db.Exec("CREATE TABLE t (x)")
	db.Close()
	for _, bad := range []string{garbage, other, filepath.Join(dir, "missing.db")} {
		if _, err := Restore(ctx, bad, live); err == nil {
			t.Errorf("Restore(%s) succeeded", filepath.Base(bad))
		} else {
			t.Logf("Restore(%s): %v", filepath.Base(bad), err)
		}
	}
	after, err := os.ReadFile(live)
	if err != nil {
		t.Fatal(err)
	}
	if string(before) != string(after) {
		t.Error("a failed restore changed the target")
	}
	if m, _ := filepath.Glob(filepath.Join(dir, ".live.db.restore-*")); len(m) > 0 {
		t.Errorf("temporary files left: %v", m)
	}
}

// TestFilesArePrivate: the store, its WAL and a backup are readable by their owner
// only, whatever the umask.
func TestFilesArePrivate(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(ctx, filepath.Join(dir, "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Import(ctx, &graph.Dataset{Regions: []graph.Region{{Code: "321100", Name: "镇江市", Kind: graph.City}}}, graph.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := s.Backup(ctx, filepath.Join(dir, "b.db")); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"p.db", "p.db-wal", "p.db-shm", "b.db"} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s has mode %v", name, fi.Mode().Perm())
		}
	}
}

// TestRestoreRefusedWhileLeased: any holder of the store's lease (every process
// that opens it) makes restore refuse, naming its process; the store is unchanged.
func TestRestoreRefusedWhileLeased(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	live, bk := filepath.Join(dir, "live.db"), filepath.Join(dir, "b.db")
	s := mustOpen(t, live)
	if err := s.Backup(ctx, bk); err != nil {
		t.Fatal(err)
	}
	s.Close()
	lease, err := Share(ctx, live) // as another process's Open would hold it
	if err != nil {
		t.Fatal(err)
	}
	_, err = Restore(ctx, bk, live)
	if err == nil || graph.ErrorCode(err) != graph.ECONFLICT {
		t.Fatalf("restore under a lease: %v", err)
	}
	if runtime.GOOS == "linux" && !strings.Contains(err.Error(), fmt.Sprintf("pid %d", os.Getpid())) {
		t.Errorf("the refusal does not name the holder: %v", err)
	}
	lease.Release()
	if _, err := Restore(ctx, bk, live); err != nil {
		t.Fatalf("restore after the lease was released: %v", err)
	}
}
