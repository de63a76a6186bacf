package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// progress draws a one-line bar on a terminal; elsewhere (pipes, CI logs) it stays
// silent so output remains clean.
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	label string
	last  time.Time
	shown bool
}

func newProgress(label string) *progress {
	st, err := os.Stderr.Stat()
	if err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	return &progress{w: os.Stderr, label: label}
}

// update shows done of total (total ≤ 0: unknown), at most ten times a second.
func (p *progress) update(done, total int) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if time.Since(p.last) < 100*time.Millisecond && done != total {
		return
	}
	p.last, p.shown = time.Now(), true
	if total <= 0 {
		fmt.Fprintf(p.w, "\r%s %d", p.label, done)
		return
	}
	const width = 30
	filled := width * done / total
	fmt.Fprintf(p.w, "\r%s [%s%s] %3d%% %d/%d", p.label, strings.Repeat("=", filled),
		strings.Repeat(" ", width-filled), 100*done/total, done, total)
}

// done ends the bar's line.
func (p *progress) done() {
	if p != nil && p.shown {
		fmt.Fprintln(p.w)
	}
}
