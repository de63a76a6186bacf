package api

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestAnalysesTakeTurns: no more analyses run at once than there are workers, a
// request whose client leaves stops waiting, an analysis that panics gives its turn
// back, and whoever waited behind the same question takes the first answer.
func TestAnalysesTakeTurns(t *testing.T) {
	c := newSnapshots(nil)
	c.slots = make(chan struct{}, 2)
	var running, most, calls atomic.Int32
	render := func() (any, error) {
		calls.Add(1)
		n := running.Add(1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		time.Sleep(5 * time.Millisecond)
		running.Add(-1)
		return map[string]int{"n": 1}, nil
	}
	askAtOnce := func(n int, key string) {
		var wg sync.WaitGroup
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := c.result(context.Background(), key, 0, render); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
	}
	c.noResults = true
	askAtOnce(12, "k")
	if most.Load() != 2 || calls.Load() != 12 {
		t.Errorf("at most %d at once over %d renders; want 2 of 12 (no result cache: each recomputes)", most.Load(), calls.Load())
	}

	// The same question asked 12 times at once, with the cache on: computed at most
	// once per worker that started before the first answer was stored.
	c.noResults = false
	calls.Store(0)
	askAtOnce(12, "same")
	if n := calls.Load(); n > 2 {
		t.Errorf("the same question was computed %d times", n)
	}

	// Both slots held: a waiting request whose context ends gets its error.
	c.slots <- struct{}{}
	c.slots <- struct{}{}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := c.result(ctx, "other", 0, render); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("waiting past the deadline: %v", err)
	}
	<-c.slots
	<-c.slots

	// A panic in an analysis frees its slot.
	c.slots = make(chan struct{}, 1)
	func() {
		defer func() { recover() }()
		c.result(context.Background(), "boom", 0, func() (any, error) { panic("analysis bug") })
	}()
	done := make(chan struct{})
	go func() {
		c.result(context.Background(), "after", 0, render)
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("the slot of a panicking analysis was never given back")
	}
}
