package sqlite

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"time"

	msqlite "modernc.org/sqlite"

	"github.com/chainmap/chainmap/graph"
)

// One writer discipline. SQLite lets one transaction write at a time; the others
// wait for its lock. Writers of this process queue here, in Go, where deadlines
// work: at most maxQueuedWrites wait or run at once (more are refused at once), one
// at a time asks SQLite for the lock, and each waits in all at most the store's
// write wait (SetWriteWait) before it is refused with EUNAVAILABLE — a clear "busy,
// retry" instead of SQLite's "database is locked" after its busy timeout. A long
// import by another process (the CLI) holds the lock for its whole transaction.

// maxQueuedWrites bounds the writes of one process that wait for the store.
const maxQueuedWrites = 64

// DefaultWriteWait is how long a write waits for the store unless SetWriteWait
// says otherwise.
const DefaultWriteWait = 60 * time.Second

// busyTimeoutMS is the connections' usual busy timeout (the DSN's).
const busyTimeoutMS = 10000

// writeGate holds a Store's queue of writers.
type writeGate struct {
	queue chan struct{} // writes waiting or running
	slot  chan struct{} // the write asking SQLite for the lock, or holding it
}

func newWriteGate() writeGate {
	return writeGate{queue: make(chan struct{}, maxQueuedWrites), slot: make(chan struct{}, 1)}
}

// SetWriteWait sets how long a write waits for the store (other writers, in this
// process or another) before it is refused with EUNAVAILABLE; d ≤ 0 restores
// DefaultWriteWait. The server sets a short wait, so that an API write behind a long
// command-line import answers 503 in time; the CLI waits longer.
func (s *Store) SetWriteWait(d time.Duration) {
	if d <= 0 {
		d = DefaultWriteWait
	}
	s.writeWait.Store(int64(d))
}

// errBusy is the refusal of a write that waited too long.
func errBusy(waited time.Duration, err error) error {
	return &graph.Error{Code: graph.EUNAVAILABLE, Err: err, Message: fmt.Sprintf(
		"数据库正被其他写入占用（例如命令行导入），已等待 %s，未写入任何数据；请稍后重试 / the store is busy with another write (e.g. a command-line import); waited %s, nothing was written; retry later",
		waited.Round(time.Millisecond), waited.Round(time.Millisecond))}
}

// beginWrite waits its turn and starts an IMMEDIATE transaction (the write lock) on
// a connection of its own; end, called once the transaction is committed or rolled
// back, gives the turn to the next writer.
func (s *Store) beginWrite(ctx context.Context) (tx *sql.Tx, end func(), err error) {
	start := time.Now()
	wait := time.Duration(s.writeWait.Load())
	select {
	case s.gate.queue <- struct{}{}:
	default:
		return nil, nil, &graph.Error{Code: graph.EUNAVAILABLE, Message: fmt.Sprintf(
			"数据库繁忙：已有 %d 个写入在等待；请稍后重试 / the store is busy: %d writes are already waiting; retry later", maxQueuedWrites, maxQueuedWrites)}
	}
	leave := func() { <-s.gate.queue }
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case s.gate.slot <- struct{}{}:
	case <-timer.C:
		leave()
		return nil, nil, errBusy(time.Since(start), nil)
	case <-ctx.Done():
		leave()
		return nil, nil, ctx.Err()
	}
	release := func() { <-s.gate.slot; leave() }
	conn, err := s.db.Conn(ctx)
	if err != nil {
		release()
		return nil, nil, err
	}
	// SQLite's own wait for the lock gets what is left of ours.
	left := wait - time.Since(start)
	if left < time.Millisecond {
		left = time.Millisecond
	}
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA busy_timeout = %d", left.Milliseconds())); err != nil {
		conn.Close()
		release()
		return nil, nil, err
	}
	end = func() {
		conn.ExecContext(context.WithoutCancel(ctx), fmt.Sprintf("PRAGMA busy_timeout = %d", busyTimeoutMS))
		conn.Close()
		release()
	}
	tx, err = conn.BeginTx(ctx, nil)
	if err != nil {
		end()
		if isBusy(err) {
			return nil, nil, errBusy(time.Since(start), err)
		}
		return nil, nil, err
	}
	return tx, end, nil
}

// isBusy reports whether err is SQLite's SQLITE_BUSY (any extended code).
func isBusy(err error) bool {
	var e *msqlite.Error
	return errors.As(err, &e) && e.Code()&0xff == 5
}

// newWriterID names one open Store among the writers of a file: its process and a
// random part.
func newWriterID() string {
	var b [6]byte
	rand.Read(b[:])
	return fmt.Sprintf("%d-%s", os.Getpid(), hex.EncodeToString(b[:]))
}

// pruneWritersAfter is how long a writer's count is kept after its last write.
const pruneWritersAfter = 7 * 24 * time.Hour

// countWrite records, inside the import's transaction tx, that this Store committed
// a change: the total and this writer's count go up together.
func (s *Store) countWrite(ctx context.Context, tx *sql.Tx) error {
	now := time.Now().UTC()
	at := now.Format(time.RFC3339)
	if _, err := tx.ExecContext(ctx, `INSERT INTO store_writes (writer, n, at) VALUES ('*', 1, ?), (?, 1, ?)
		ON CONFLICT (writer) DO UPDATE SET n = n + 1, at = excluded.at`, at, s.writer, at); err != nil {
		return fmt.Errorf("counting the write: %w", err)
	}
	// Removing an idle writer's row changes nothing for anyone else: each reads only
	// the total and its own row.
	if _, err := tx.ExecContext(ctx, `DELETE FROM store_writes WHERE writer NOT IN ('*', ?) AND at < ?`,
		s.writer, now.Add(-pruneWritersAfter).Format(time.RFC3339)); err != nil {
		return fmt.Errorf("counting the write: %w", err)
	}
	return nil
}

// ExternalWrites returns a number that changes whenever a writer other than this
// Store — another process (a CLI import, a second server) or another Store on the
// same file — commits a change to the data, and never because of this Store's own
// writes: the total of committed data-changing imports less this Store's. A server
// compares it with the value it last saw to know its snapshot is stale. Both counts
// are read in one statement, so the value is exact at all times.
func (s *Store) ExternalWrites(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.QueryRowContext(ctx, `SELECT coalesce((SELECT n FROM store_writes WHERE writer = '*'), 0) -
		coalesce((SELECT n FROM store_writes WHERE writer = ?), 0)`, s.writer).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("reading the write count: %w", err)
	}
	return n, nil
}

// DataVersion returns the number of committed data-changing imports into the store
// by every writer: it changes with every change to the data, so a snapshot saved for
// one value is stale at any other.
func (s *Store) DataVersion(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.QueryRowContext(ctx, `SELECT coalesce((SELECT n FROM store_writes WHERE writer = '*'), 0)`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("reading the data version: %w", err)
	}
	return n, nil
}
