package interchange

import (
	"context"
	"strconv"

	"github.com/chainmap/chainmap/graph"
)

// Limits bound what reading one import may cost, so that a hostile or broken file
// is refused early instead of exhausting the server (issue 15 #10: a 613 KB
// workbook unpacking to 600 MB of white space cost 2 GB and 52 s; a csv with a
// million header cells ran 99 s; a 5 MB zip gave a 269 MB error report). Each is
// enforced while the file streams, before anything is held for it.
type Limits struct {
	// MaxUnzipped bounds the bytes a workbook unpacks to, all parts together.
	MaxUnzipped int64
	// MaxCells bounds the cells read in one import, over all its tables.
	MaxCells int
	// MaxColumns bounds the cells of one row, header or data; a table has at most
	// 16 columns, the rest is room for notes.
	MaxColumns int
	// MaxRun bounds one stretch of a workbook part's XML without markup, and one
	// tag, comment or CDATA section: Excel writes no cell over 32,767 characters,
	// and a longer run is what a zip bomb of white space looks like.
	MaxRun int
	// MaxListed bounds the problems of one kind listed for one column of one file;
	// the rest are counted in one more_problems entry.
	MaxListed int
}

// DefaultLimits are the limits of the command line, where the operator chose the
// file: generous, as large as the stores are meant to hold.
var DefaultLimits = Limits{MaxUnzipped: MaxUnzipped, MaxCells: 200_000_000, MaxColumns: 256, MaxRun: 1 << 20, MaxListed: 20}

// UploadLimits are the limits for a file uploaded to the server, whose upload is at
// most maxUpload bytes: it may unpack to four times that (as a zip of csv files
// may) and hold ten million cells (a million supply ties); larger data is imported
// with the command line.
func UploadLimits(maxUpload int64) Limits {
	l := DefaultLimits
	l.MaxUnzipped, l.MaxCells = 4*maxUpload, 10_000_000
	return l
}

// ReadWith is Read under the given limits.
func ReadWith(ctx context.Context, path string, lim Limits) (*graph.Dataset, *graph.Origin, error) {
	return read(ctx, path, lim)
}

// budget is what one import has spent of its limits, shared by its table readers.
type budget struct {
	ctx   context.Context
	lim   Limits
	cells int
	ticks int   // cells and rows, to look at the context now and then
	full  bool  // MaxCells reached: every table stops
	err   error // the context ended
	// listed counts the problems per file, column and code; those beyond
	// lim.MaxListed are left out and counted in omitted.
	listed  map[listKey]int
	omitted map[listKey]*graph.Problem
	order   []listKey
}

type listKey struct{ file, column, code string }

func newBudget(ctx context.Context, lim Limits) *budget {
	return &budget{ctx: ctx, lim: lim, listed: map[listKey]int{}, omitted: map[listKey]*graph.Problem{}}
}

// add records p in origin unless MaxListed problems of its kind are listed for
// its column already, in which case it is only counted.
func (b *budget) add(origin *graph.Origin, p graph.Problem) {
	k := listKey{p.File, p.Column, p.Code}
	if b.listed[k] < b.lim.MaxListed {
		b.listed[k]++
		origin.Problems = append(origin.Problems, p)
		return
	}
	if o, ok := b.omitted[k]; ok {
		n, _ := strconv.Atoi(o.Args[0])
		o.Args[0] = strconv.Itoa(n + 1)
		return
	}
	// The first problem left out stands for the rest: its row is where they start.
	b.omitted[k] = &graph.Problem{Table: p.Table, Index: -1, File: p.File, Row: p.Row, Column: p.Column,
		Code: graph.PMoreProblems, Args: []string{"1", p.Code}}
	b.order = append(b.order, k)
}

// spend counts n more cells and reports whether reading may go on: false once
// MaxCells is passed (with a located problem at row) or the context has ended.
func (b *budget) spend(tr *tableReader, row, n int) bool {
	b.cells += n
	if b.cells > b.lim.MaxCells && !b.full {
		b.full = true
		tr.problem(row, "", "", graph.PTooManyCells, strconv.Itoa(b.lim.MaxCells))
	}
	before := b.ticks
	if b.ticks += n + 1; b.ticks>>16 != before>>16 { // every 65,536 cells or rows
		if err := b.ctx.Err(); err != nil && b.err == nil {
			b.err = err
		}
	}
	return !b.full && b.err == nil
}

// finish appends the counts of the problems left out to origin.
func (b *budget) finish(origin *graph.Origin) {
	for _, k := range b.order {
		origin.Problems = append(origin.Problems, *b.omitted[k])
	}
	b.order = nil
}
