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
	"time"

	"github.com/chainmap/chainmap/graph"
)

// Backup writes a consistent copy of the store to path, a file that must not exist
// yet, while readers and writers carry on. It uses SQLite's VACUUM INTO: the copy is
// the state of one read transaction (so it holds every import committed before the
// copy started and none that committed after; never part of one), compacted, and
// without a -wal file. The copy is synced to disk before Backup returns; on failure a
// partly written file is removed.
func (s *Store) Backup(ctx context.Context, path string) error { return BackupDB(ctx, s.db, path) }

// BackupWith backs the store up to path as Backup does, and runs also (which backs
// up another database, the auth store) while writers of this store wait: no graph
// write commits between the two copies, so the pair is one moment. The store's copy
// is made first: an audit entry that left the store's outbox before that copy was
// recorded in the other database before, so it is in the other copy; one still in
// the outbox is recorded, once, when the pair is restored and served.
func (s *Store) BackupWith(ctx context.Context, path string, also func(context.Context) error) error {
	if s.path == ":memory:" {
		return fmt.Errorf("backup: an in-memory store has no other writers to hold back; use Backup")
	}
	// An IMMEDIATE transaction holds the write lock (of every process) while two
	// other connections read: readers are never blocked under WAL.
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("backup: holding writers back: %w", err)
	}
	defer tx.Rollback()
	if err := BackupDB(ctx, s.db, path); err != nil {
		return err
	}
	if err := also(ctx); err != nil {
		removeFile(path)
		return err
	}
	return nil
}

// BackupDB writes a consistent copy of the chainmap database db to path (see
// Store.Backup); the auth store backs up with it.
func BackupDB(ctx context.Context, db *sql.DB, path string) error {
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
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
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

// Restore replaces the store file targetPath with the backup at backupPath and
// returns where the previous store was kept ("" when there was none). It refuses,
// naming the processes, while any process holds the store open (a Lease: chainmap
// serve, an import, …).
//
// The backup is first copied to a temporary file next to the target and verified
// there: it must be a chainmap graph store — its tables and columns exactly those
// of its schema version, which must be one this build can open — and pass PRAGMA
// integrity_check and PRAGMA foreign_key_check. A failed check leaves the target
// untouched. Then the target and its -wal (together, so that the kept copy holds
// every committed write) are renamed to targetPath.before-restore-TIME, the copy is
// renamed over the target and the directory synced, and the installed file is
// opened the way the store opens it (migrated) and verified again; if that fails the
// previous store is put back. The previous store is kept, not deleted: the caller
// says where it is.
//
// Replacing the file under an open connection would leave that connection on the
// old, unlinked file and its -wal/-shm, and its acknowledged writes would be lost:
// hence the lease.
func Restore(ctx context.Context, backupPath, targetPath string) (kept string, err error) {
	return RestoreKind(ctx, GraphKind, backupPath, targetPath)
}

// RestoreKind is Restore for a database of kind k (the auth store restores its
// file with it).
func RestoreKind(ctx context.Context, k Kind, backupPath, targetPath string) (kept string, err error) {
	if targetPath == "" || targetPath == ":memory:" {
		return "", graph.Errorf(graph.EINVALID, "恢复：%q 不是文件路径 / restore: %q is not a file path", targetPath, targetPath)
	}
	if isOpen(targetPath) {
		return "", graph.Errorf(graph.ECONFLICT, "恢复被拒绝：%s 正在本进程中打开，请先停止服务 / restore refused: %s is open in this process; stop the server (close the store) before restoring", targetPath, targetPath)
	}
	// Held until the restore is done: no process opens the file meanwhile (Open
	// waits), and none has it open now.
	lock, err := lockExclusive(targetPath)
	if err != nil {
		return "", err
	}
	defer lock.release()
	if st, err := os.Stat(backupPath); err != nil {
		return "", graph.Errorf(graph.EINVALID, "恢复：无法读取备份 %s（%v）/ restore: cannot read the backup %s (%v)", backupPath, err, backupPath, err)
	} else if !st.Mode().IsRegular() {
		return "", graph.Errorf(graph.EINVALID, "恢复：备份 %s 不是普通文件 / restore: the backup %s is not a regular file", backupPath, backupPath)
	}
	if st, err := os.Stat(backupPath + "-wal"); err == nil && st.Size() > 0 {
		return "", graph.Errorf(graph.EINVALID, "恢复被拒绝：备份 %s 旁有未合并的 %s（它是正在使用的数据库或在打开时被复制），请用 chainmap backup 生成备份 / restore refused: the backup %s has an unmerged %s beside it (a store in use, or copied while open); make backups with chainmap backup",
			backupPath, backupPath+"-wal", backupPath, backupPath+"-wal")
	}
	dir := filepath.Dir(targetPath)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(targetPath)+".restore-*")
	if err != nil {
		return "", fmt.Errorf("restore: %w", err)
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
		return "", fmt.Errorf("restore: %w", err)
	}
	_, err = io.Copy(tmp, src)
	src.Close()
	if err != nil {
		return "", fmt.Errorf("restore: copying %s: %w", backupPath, err)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("restore: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return "", err
	}
	if err := verifyFile(ctx, k, tmpPath, backupPath); err != nil {
		return "", restoreRefused(backupPath, targetPath, err)
	}
	// Verification only reads, but opening may have touched the file (a WAL backup
	// gets its -wal checkpointed on close): sync what is on disk now.
	if err := syncFile(tmpPath); err != nil {
		return "", fmt.Errorf("restore: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return "", err
	}
	kept, err = keepPrevious(targetPath)
	if err != nil {
		return "", fmt.Errorf("restore: keeping the previous store: %w", err)
	}
	if err := os.Rename(tmpPath, targetPath); err != nil {
		putBack(kept, targetPath)
		return "", fmt.Errorf("restore: %w", err)
	}
	done = true
	if err := syncDir(dir); err != nil {
		return kept, fmt.Errorf("restore: %w", err)
	}
	// The installed file must open as the store opens it (migrations included) and
	// verify; otherwise the previous store goes back.
	if err := verifyInstalled(context.WithoutCancel(ctx), k, targetPath); err != nil {
		if kept != "" {
			os.Remove(targetPath)
			putBack(kept, targetPath)
			syncDir(dir)
			return "", graph.Errorf(graph.EINVALID, "恢复失败，已放回原数据库：%s 安装后校验未通过（%v）/ restore failed and the previous store was put back: %s did not verify once installed (%v)",
				backupPath, err, backupPath, err)
		}
		return "", graph.Errorf(graph.EINVALID, "恢复失败：%s 安装后校验未通过（%v）/ restore failed: %s did not verify once installed (%v)", backupPath, err, backupPath, err)
	}
	return kept, nil
}

// restoreRefused wraps a failed check of a backup: the target is unchanged.
func restoreRefused(backupPath, targetPath string, err error) error {
	msg := err.Error()
	var ge *graph.Error
	if errors.As(err, &ge) {
		msg = ge.Message
	}
	zh, en, ok := strings.Cut(msg, " / ")
	if !ok {
		zh, en = msg, msg
	}
	return &graph.Error{Code: graph.EINVALID,
		Message: fmt.Sprintf("恢复被拒绝，%s 未改动：%s / restore refused, %s is unchanged: %s", targetPath, zh, targetPath, en)}
}

// keepPrevious renames the store at path, with its -wal and any rollback journal,
// to path.before-restore-TIME and removes its -shm (an index SQLite rebuilds). It
// returns the new name, or "" when there is no store at path.
func keepPrevious(path string) (string, error) {
	if _, err := os.Lstat(path); errors.Is(err, fs.ErrNotExist) {
		for _, suffix := range []string{"-wal", "-shm", "-journal"} {
			removeFile(path + suffix)
		}
		return "", nil
	}
	stamp := time.Now().Format("20060102-150405")
	kept := path + ".before-restore-" + stamp
	for n := 2; ; n++ {
		if _, err := os.Lstat(kept); errors.Is(err, fs.ErrNotExist) {
			break
		}
		kept = fmt.Sprintf("%s.before-restore-%s-%d", path, stamp, n)
	}
	// The -wal goes first: a crash between the renames leaves the main file in
	// place and its WAL under the kept name, never a main file beside a WAL that
	// is not its own.
	for _, suffix := range []string{"-wal", "-journal"} {
		if err := os.Rename(path+suffix, kept+suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
	}
	if err := os.Rename(path, kept); err != nil {
		for _, suffix := range []string{"-wal", "-journal"} {
			os.Rename(kept+suffix, path+suffix)
		}
		return "", err
	}
	if err := os.Remove(path + "-shm"); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return kept, err
	}
	return kept, syncDir(filepath.Dir(path))
}

// putBack undoes keepPrevious.
func putBack(kept, path string) {
	if kept == "" {
		return
	}
	os.Rename(kept, path)
	for _, suffix := range []string{"-wal", "-journal"} {
		os.Rename(kept+suffix, path+suffix)
	}
}

// verify checks the graph store file at path without migrating it.
func verify(ctx context.Context, path string) error { return verifyFile(ctx, GraphKind, path, path) }

// VerifyFile checks, without changing it, that the file at path is a database of
// kind k (its tables and columns at its schema version, a version this build can
// open), intact and without dangling references: what Restore checks first.
func VerifyFile(ctx context.Context, k Kind, path string) error {
	return verifyFile(ctx, k, path, path)
}

// verifyFile opens the SQLite file at path (no migrations) and checks that it is a
// database of kind k — by its tables and columns at its schema version — and that
// it passes integrity_check and foreign_key_check. Errors name the file as name.
func verifyFile(ctx context.Context, k Kind, path, name string) error {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	var version int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return graph.Errorf(graph.EINVALID, "%s 不是可读的 SQLite 数据库（%v）/ %s is not a readable SQLite database (%v)", name, sqliteReason(err), name, sqliteReason(err))
	}
	if err := checkSchema(ctx, db, k, version, name); err != nil {
		return err
	}
	if err := integrityCheck(ctx, db); err != nil {
		return graph.Errorf(graph.EINVALID, "%s 已损坏（%v）/ %s is damaged (%v)", name, err, name, err)
	}
	if err := foreignKeyCheck(ctx, db); err != nil {
		return graph.Errorf(graph.EINVALID, "%s 有悬空引用（%v）/ %s has dangling references (%v)", name, err, name, err)
	}
	return nil
}

// verifyInstalled opens the file at path as a store of kind k opens it, bringing its
// schema up to date, and verifies it.
func verifyInstalled(ctx context.Context, k Kind, path string) error {
	db, err := OpenKind(ctx, path, k)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := checkSchema(ctx, db, k, migrationCount(k), path); err != nil {
		return err
	}
	if err := integrityCheck(ctx, db); err != nil {
		return err
	}
	return foreignKeyCheck(ctx, db)
}

// sqliteReason shortens a driver error for a message about a file that is not a
// database.
func sqliteReason(err error) string {
	if strings.Contains(err.Error(), "file is not a database") {
		return "file is not a database"
	}
	return err.Error()
}

// Verify checks the open store's file: its tables and columns are the graph store's,
// SQLite's integrity_check (pages, indexes) and foreign_key_check (no record refers
// to a missing one). It reads only, so it may run while the store serves.
func (s *Store) Verify(ctx context.Context) error {
	if err := checkSchema(ctx, s.db, GraphKind, migrationCount(GraphKind), s.path); err != nil {
		return err
	}
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
