package backtest

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// Edge is one supplier→customer row of an edge-list snapshot (raw firm ids).
type Edge struct{ Supplier, Customer int64 }

// ReadEdges reads an edge-list CSV: one `supplier,customer` row per tie, integer firm
// ids, an optional header row (a first row whose fields are not both integers).
// Blank lines are skipped; duplicate rows are kept (graphs built from them dedupe).
// Errors name the file and the 1-based row.
func ReadEdges(path string) ([]Edge, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("backtest: %w", err)
	}
	defer f.Close()
	edges, err := readEdges(f)
	if err != nil {
		return nil, fmt.Errorf("backtest: %s: %w", path, err)
	}
	return edges, nil
}

func readEdges(r io.Reader) ([]Edge, error) {
	cr := csv.NewReader(bufio.NewReader(r))
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	cr.ReuseRecord = true
	var out []Edge
	for first := true; ; first = false {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("row %d: %v", pe.Line, pe.Err)
			}
			return nil, err
		}
		row, _ := cr.FieldPos(0) // the file's own line number (csv skips blank lines)
		if len(rec) != 2 {
			return nil, fmt.Errorf("row %d: %d fields, want 2 (supplier,customer)", row, len(rec))
		}
		a, errA := strconv.ParseInt(strings.TrimSpace(rec[0]), 10, 64)
		b, errB := strconv.ParseInt(strings.TrimSpace(rec[1]), 10, 64)
		if errA != nil || errB != nil {
			if first && errA != nil && errB != nil {
				continue // header
			}
			bad := rec[0]
			if errA == nil {
				bad = rec[1]
			}
			return nil, fmt.Errorf("row %d: firm id %q is not an integer", row, bad)
		}
		out = append(out, Edge{a, b})
	}
	return out, nil
}
