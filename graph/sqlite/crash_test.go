//go:build unix

package sqlite

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chainmap/chainmap/graph"
)

const crashChildEnv = "CHAINMAP_CRASH_CHILD_DB"

// TestCrashChild is the child of TestImportSurvivesSIGKILL: it imports batch after
// batch into the store named by the environment until it is killed.
func TestCrashChild(t *testing.T) {
	path := os.Getenv(crashChildEnv)
	if path == "" {
		t.Skip("run by TestImportSurvivesSIGKILL")
	}
	ctx := context.Background()
	b := batches(t)
	s, err := Open(ctx, path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "open:", err)
		os.Exit(3)
	}
	var next int
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM companies").Scan(&next); err != nil {
		os.Exit(3)
	}
	if next == 0 {
		if _, err := s.Import(ctx, b.base, graph.ImportOptions{}); err != nil {
			fmt.Fprintln(os.Stderr, "base:", err)
			os.Exit(3)
		}
	}
	next /= b.sizes()[0] // batches land whole: the next number is the count of landed ones
	fmt.Println("READY")
	for k := next; ; k++ {
		if _, err := s.Import(ctx, b.batch(k), graph.ImportOptions{}); err != nil {
			fmt.Fprintln(os.Stderr, "import:", err)
			os.Exit(3)
		}
	}
}

// TestImportSurvivesSIGKILL kills a process importing into a store at random points
// and checks after each kill that the file is intact and every import landed whole
// or not at all.
func TestImportSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test in -short")
	}
	if os.Getenv(crashChildEnv) != "" {
		t.Skip("in the child")
	}
	const kills = 24
	ctx := context.Background()
	b := batches(t)
	path := filepath.Join(t.TempDir(), "crash.db")
	rng := rand.New(rand.NewPCG(20240601, 1))
	start := time.Now()
	landedBefore := 0
	for i := 0; i < kills; i++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), crashChildEnv+"="+path)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Wait until the child has opened the store, so the delay falls in imports.
		ready := make(chan error, 1)
		go func() {
			buf := make([]byte, 6)
			_, err := io.ReadFull(out, buf)
			if err == nil && string(buf) != "READY\n" {
				err = fmt.Errorf("child said %q", buf)
			}
			ready <- err
		}()
		select {
		case err := <-ready:
			if err != nil {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("kill %d: child did not start: %v\n%s", i, err, stderr.String())
			}
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("kill %d: child did not start in time\n%s", i, stderr.String())
		}
		delay := time.Duration(5+rng.IntN(296)) * time.Millisecond
		time.Sleep(delay)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		err = cmd.Wait()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
			t.Fatalf("kill %d: child ended with %v, not SIGKILL\n%s", i, err, stderr.String())
		}

		s, err := Open(ctx, path)
		if err != nil {
			t.Fatalf("kill %d: reopening: %v", i, err)
		}
		if err := integrityCheck(ctx, s.db); err != nil {
			t.Fatalf("kill %d (after %v): %v", i, delay, err)
		}
		if err := foreignKeyCheck(ctx, s.db); err != nil {
			t.Fatalf("kill %d (after %v): %v", i, delay, err)
		}
		landed, err := checkBatches(ctx, s.db, b)
		if err != nil {
			t.Fatalf("kill %d (after %v): %v", i, delay, err)
		}
		if landed < landedBefore {
			t.Fatalf("kill %d: %d batches present, fewer than the %d before", i, landed, landedBefore)
		}
		// Batches are numbered from the count of landed ones: they must be 0..landed-1.
		for k := 0; k < landed; k++ {
			var n int
			if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM companies WHERE provenance = ?", batchMarker(k)).Scan(&n); err != nil || n == 0 {
				t.Fatalf("kill %d: batch %d missing (%v)", i, k, err)
			}
		}
		t.Logf("kill %2d after %3v: %d batches landed (+%d)", i, delay, landed, landed-landedBefore)
		landedBefore = landed
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%d kills, %d batches landed (%d rows each), %v", kills, landedBefore, sum(b.sizes()), time.Since(start).Round(time.Millisecond))
}

func sum(xs [3]int) int { return xs[0] + xs[1] + xs[2] }
