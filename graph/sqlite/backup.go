package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
)

// Backup writes a consistent copy of the store to path, a file that must not exist
// yet, while readers and writers carry on. It uses SQLite's VACUUM INTO: the copy is
// the state of one read transaction (so it holds every import committed before the
// copy started and none that committed after; never part of one), compacted, and
// without a -wal file. The copy is synced to disk before Backup returns; on failure a
// partly written file is removed.
func (s *Store) Backup(ctx context.Context, path string) error {
	if path == "" || path == ":memory:" {
		return fmt.Errorf("backup: %q is not a file path", path)
	}
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("backup: %s already exists; choose a new file (a backup never overwrites)", path)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("backup: %w", err)
	}
	// VACUUM INTO accepts an empty file: creating it first makes the backup private.
	if err := createPrivate(path); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	// The target is a parameter, never spliced into the SQL.
	if _, err := s.db.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		removeFile(path)
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	if err := syncFile(path); err != nil {
		removeFile(path)
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	if err := syncDir(filepath.Dir(path)); err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return nil
}

// Restore replaces the store file targetPath with the backup at backupPath.
//
// The backup is first copied to a temporary file next to the target and verified
// there: it must open as a chainmap store no newer than this build and pass PRAGMA
// integrity_check and PRAGMA foreign_key_check. Only then is the target's stale
// -wal/-shm removed and the copy renamed over the target (an atomic replace on POSIX
// file systems), and the directory synced. A failed check leaves the target
// untouched.
//
// The rule: stop the server (every process using targetPath) before restoring.
// Replacing the file under an open connection would leave that connection on the old,
// unlinked file and its -wal/-shm. Restore refuses when this process has a Store
// opened by Open on targetPath; it cannot see other processes.
func Restore(ctx context.Context, backupPath, targetPath string) error {
	if targetPath == "" || targetPath == ":memory:" {
		return fmt.Errorf("restore: %q is not a file path", targetPath)
	}
	if isOpen(targetPath) {
		return fmt.Errorf("restore: %s is open in this process; stop the server (close the store) before restoring", targetPath)
	}
	if st, err := os.Stat(backupPath); err != nil {
		return fmt.Errorf("restore: backup: %w", err)
	} else if !st.Mode().IsRegular() {
		return fmt.Errorf("restore: backup %s is not a regular file", backupPath)
	}
	dir := filepath.Dir(targetPath)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(targetPath)+".restore-*")
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	tmpPath := tmp.Name()
	done := false
	defer func() {
		if !done {
			tmp.Close()
			removeFile(tmpPath)
		}
		removeFile(tmpPath + "-wal")
		removeFile(tmpPath + "-shm")
		removeFile(tmpPath + "-journal")
	}()
	src, err := os.Open(backupPath)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	_, err = io.Copy(tmp, src)
	src.Close()
	if err != nil {
		return fmt.Errorf("restore: copying %s: %w", backupPath, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := verify(ctx, tmpPath); err != nil {
		return fmt.Errorf("restore: backup %s: %w", backupPath, err)
	}
	// Verification only reads, but opening may have touched the file (a WAL backup
	// gets its -wal checkpointed on close): sync what is on disk now.
	if err := syncFile(tmpPath); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	// A stale -wal of the old target would be replayed into the new file: remove it
	// (and the -shm index over it) first. A crash right here leaves the old target
	// without its WAL; run Restore again.
	for _, suffix := range []string{"-wal", "-shm", "-journal"} {
		if err := os.Remove(targetPath + suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("restore: removing stale %s: %w", targetPath+suffix, err)
		}
	}
	if err := os.Rename(tmpPath, targetPath); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	done = true
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	return nil
}

// verify opens the SQLite file at path (no migrations) and checks it.
func verify(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	var version int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("not a readable SQLite database: %w", err)
	}
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return err
	}
	if version == 0 {
		return errors.New("not a chainmap store (schema version 0)")
	}
	if version > len(names) {
		return fmt.Errorf("schema version %d is newer than this chainmap (%d); upgrade chainmap", version, len(names))
	}
	if err := integrityCheck(ctx, db); err != nil {
		return err
	}
	return foreignKeyCheck(ctx, db)
}

// Verify checks the open store's file: SQLite's integrity_check (pages, indexes) and
// foreign_key_check (no record refers to a missing one). It reads only, so it may run
// while the store serves.
func (s *Store) Verify(ctx context.Context) error {
	if err := integrityCheck(ctx, s.db); err != nil {
		return err
	}
	return foreignKeyCheck(ctx, s.db)
}

// integrityCheck runs PRAGMA integrity_check and returns its findings as an error.
func integrityCheck(ctx context.Context, db *sql.DB) error {
	rows, err := db.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return fmt.Errorf("integrity_check: %w", err)
	}
	defer rows.Close()
	var msgs []string
	for rows.Next() {
		var m string
		if err := rows.Scan(&m); err != nil {
			return fmt.Errorf("integrity_check: %w", err)
		}
		msgs = append(msgs, m)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("integrity_check: %w", err)
	}
	if len(msgs) != 1 || msgs[0] != "ok" {
		return fmt.Errorf("integrity_check failed: %s", strings.Join(msgs, "; "))
	}
	return nil
}

// foreignKeyCheck runs PRAGMA foreign_key_check and returns any violation as an error.
func foreignKeyCheck(ctx context.Context, db *sql.DB) error {
	rows, err := db.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return fmt.Errorf("foreign_key_check: %w", err)
	}
	defer rows.Close()
	var msgs []string
	for rows.Next() {
		var table, parent string
		var rowid, fkid sql.NullInt64
		if err := rows.Scan(&table, &rowid, &parent, &fkid); err != nil {
			return fmt.Errorf("foreign_key_check: %w", err)
		}
		if len(msgs) < 10 {
			msgs = append(msgs, fmt.Sprintf("%s row %v → %s", table, rowid.Int64, parent))
		} else if len(msgs) == 10 {
			msgs = append(msgs, "…")
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("foreign_key_check: %w", err)
	}
	if len(msgs) > 0 {
		return fmt.Errorf("foreign_key_check found violations: %s", strings.Join(msgs, "; "))
	}
	return nil
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// syncDir makes a rename or a new file in dir durable. Some systems cannot sync a
// directory; that is not an error.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) && !errors.Is(err, errors.ErrUnsupported) {
		return err
	}
	return nil
}

func removeFile(path string) { _ = os.Remove(path) }

// openStores records the file of every Store opened by Open and not yet closed, so
// that Restore can refuse to replace a file this process is using.
var openStores = struct {
	sync.Mutex
	m map[*Store]string
}{m: map[*Store]string{}}

// canonical returns a comparable form of a file path.
func canonical(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return filepath.Clean(path)
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		return real
	}
	if dir, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		return filepath.Join(dir, filepath.Base(abs))
	}
	return abs
}

func trackOpen(s *Store) {
	if s.path == ":memory:" {
		return
	}
	p := canonical(s.path)
	openStores.Lock()
	openStores.m[s] = p
	openStores.Unlock()
}

func untrackOpen(s *Store) {
	openStores.Lock()
	delete(openStores.m, s)
	openStores.Unlock()
}

func isOpen(path string) bool {
	p := canonical(path)
	openStores.Lock()
	defer openStores.Unlock()
	for _, q := range openStores.m {
		if q == p {
			return true
		}
	}
	return false
}
