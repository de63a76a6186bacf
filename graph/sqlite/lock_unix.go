//go:build unix

package sqlite

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// fileLock is a flock(2) lock on a store's lock file (the store's path + ".lock").
// Every process that opens the store holds it shared; restore takes it exclusive.
// The kernel drops a process's flock when the process ends, however it ends, so a
// killed server never leaves a stale lock behind.
type fileLock struct{ f *os.File }

// tryLock takes the lock on path, shared or exclusive, without waiting; busy
// reports that another open file holds a conflicting lock.
func tryLock(path string, exclusive bool) (l *fileLock, busy bool, err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, false, err
	}
	how := syscall.LOCK_SH
	if exclusive {
		how = syscall.LOCK_EX
	}
	for {
		err = syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, true, nil
		}
		return nil, false, err
	}
	return &fileLock{f}, false, nil
}

// release drops the lock.
func (l *fileLock) release() {
	if l != nil && l.f != nil {
		syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
		l.f.Close()
		l.f = nil
	}
}

// lockHolders names the processes holding a flock on path, e.g. "pid 1234
// (chainmap --db x.db serve)", from Linux's /proc/locks; nil where that is not
// available.
func lockHolders(path string) []string {
	var st syscall.Stat_t
	if err := syscall.Stat(path, &st); err != nil {
		return nil
	}
	body, err := os.ReadFile("/proc/locks")
	if err != nil {
		return nil
	}
	// /proc/locks prints the device as MAJOR:MINOR in hex and the inode in decimal.
	dev := uint64(st.Dev)
	major := (dev>>8)&0xfff | (dev>>32)&^uint64(0xfff)
	minor := dev&0xff | (dev>>12)&^uint64(0xff)
	id := fmt.Sprintf("%02x:%02x:%d", major, minor, st.Ino)
	seen := map[string]bool{}
	var out []string
	for _, line := range strings.Split(string(body), "\n") {
		f := strings.Fields(line)
		// "1: FLOCK ADVISORY READ 1234 fe:00:10027025 0 EOF"; a waiter's line has "->".
		if len(f) < 6 || f[1] != "FLOCK" || f[5] != id || seen[f[4]] {
			continue
		}
		seen[f[4]] = true
		desc := "pid " + f[4]
		if pid, err := strconv.Atoi(f[4]); err == nil {
			if cmd, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline"); err == nil && len(cmd) > 0 {
				c := strings.TrimSpace(strings.ReplaceAll(string(cmd), "\x00", " "))
				if r := []rune(c); len(r) > 120 {
					c = string(r[:120]) + "…"
				}
				desc += " (" + c + ")"
			}
		}
		out = append(out, desc)
	}
	return out
}
