package sqlite

import (
	"context"
	"strings"
	"time"

	"github.com/chainmap/chainmap/graph"
)

// lockFile is the lock file of the database at path: next to the real file (after
// symbolic links), named after it with ".lock".
func lockFile(path string) string { return canonical(path) + ".lock" }

// Lease is a shared hold on a database file. Every process that opens a store holds
// one (Open takes it, Close drops it, the kernel drops it when the process dies), and
// Restore refuses to replace a file while anyone holds one, naming who does.
type Lease struct{ l *fileLock }

// leaseWait is how long Share waits for a restore under way to finish.
const leaseWait = 10 * time.Second

// Share takes a shared lease on the database file at path (nothing for ":memory:").
// While a restore holds the file it waits, up to leaseWait or ctx, and then refuses
// with ECONFLICT.
func Share(ctx context.Context, path string) (*Lease, error) {
	if path == ":memory:" || path == "" {
		return &Lease{}, nil
	}
	deadline := time.Now().Add(leaseWait)
	for {
		l, busy, err := tryLock(lockFile(path), false)
		if err != nil {
			return nil, graph.Errorf(graph.EINTERNAL, "无法锁定 %s（%v）/ cannot lock %s (%v)", lockFile(path), err, lockFile(path), err)
		}
		if !busy {
			return &Lease{l}, nil
		}
		if time.Now().After(deadline) {
			who := holdersText(path)
			return nil, graph.Errorf(graph.ECONFLICT, "%s 正在被恢复（%s），请稍后再试 / %s is being restored (%s); try again when it is done",
				path, who, path, who)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Release drops the lease.
func (l *Lease) Release() {
	if l != nil {
		l.l.release()
		l.l = nil
	}
}

// lockExclusive takes the database file at path for a restore: it fails at once,
// with ECONFLICT naming the holders, while any process has the store open.
func lockExclusive(path string) (*fileLock, error) {
	l, busy, err := tryLock(lockFile(path), true)
	if err != nil {
		return nil, graph.Errorf(graph.EINTERNAL, "无法锁定 %s（%v）/ cannot lock %s (%v)", lockFile(path), err, lockFile(path), err)
	}
	if busy {
		who := holdersText(path)
		return nil, graph.Errorf(graph.ECONFLICT, "恢复被拒绝：%s 正在被使用（%s）；请先停止 chainmap serve 及其他使用它的命令，再恢复 / restore refused: %s is in use (%s); stop chainmap serve and any other command using it, then restore",
			path, who, path, who)
	}
	return l, nil
}

// holdersText names the processes holding the lock of path, for messages.
func holdersText(path string) string {
	if h := lockHolders(lockFile(path)); len(h) > 0 {
		return strings.Join(h, "; ")
	}
	return "另一个进程 / another process"
}
