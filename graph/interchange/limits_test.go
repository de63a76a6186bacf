package interchange

import (
	"context"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/chainmap/chainmap/graph"
)

// TestWorkbookBombIsCheap: the 613 KB workbook of issue 15 #10, 600 MB of white
// space unzipped, cost 2 GB and 52 s; it is now refused after reading 1 MiB of it.
func TestWorkbookBombIsCheap(t *testing.T) {
	path := bombXLSX("<row r=\"2\"", 600<<20, " ")(t, t.TempDir())
	st, _ := os.Stat(path)
	t.Logf("workbook of %d KB", st.Size()>>10)
	// Uploads refuse it by its unpacked size; the command line, which allows 1 GiB,
	// by its first megabyte of white space.
	for name, lim := range map[string]Limits{"upload": UploadLimits(64 << 20), "command line": DefaultLimits} {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		start := time.Now()
		_, _, err := ReadXLSXWith(context.Background(), path, lim)
		took := time.Since(start)
		runtime.ReadMemStats(&after)
		if err == nil || graph.ErrorCode(err) != graph.EINVALID {
			t.Fatalf("%s: err = %v, want EINVALID", name, err)
		}
		alloc := after.TotalAlloc - before.TotalAlloc
		if alloc > 32<<20 || took > 2*time.Second {
			t.Errorf("%s: refusing it allocated %d MB in %v, want under 32 MB and 2 s", name, alloc>>20, took)
		}
		t.Logf("%s: refused in %v, %.1f MB allocated: %v", name, took, float64(alloc)/(1<<20), err)
	}
}

// TestUploadLimits: what an upload unpacks to, and its cells, are bounded; the
// command line's limits are wider.
func TestUploadLimits(t *testing.T) {
	ctx := context.Background()
	path := xlsxCase([]string{"companies"}, map[string][][]any{"companies": {companyHeader, {"L-1", "甲", "321181"}, {"L-2", "乙", "321181"}}}, nil)(t, t.TempDir())
	lim := DefaultLimits
	lim.MaxUnzipped = 1 << 10
	if _, _, err := ReadXLSXWith(ctx, path, lim); err == nil || !strings.Contains(err.Error(), "more than the 0 MiB limit") {
		t.Errorf("unzipped limit: %v", err)
	}
	lim = DefaultLimits
	lim.MaxCells = 8 // the header's 6 and the first row's 3 pass it
	_, origin, err := ReadXLSXWith(ctx, path, lim)
	if err != nil || len(origin.Problems) != 1 || origin.Problems[0].Code != graph.PTooManyCells || origin.Problems[0].Row != 2 {
		t.Errorf("cell limit in a workbook: %v %v", err, origin.Problems)
	}
	dir := t.TempDir()
	writeFile(t, dir, "regions.csv", "code,name,kind\n1,a,city\n2,b,city\n")
	writeFile(t, dir, "companies.csv", "id,name,region_code\nA,甲,1\n")
	lim.MaxCells = 7
	ds, origin, err := ReadCSVDirWith(ctx, dir, lim)
	if err != nil || len(origin.Problems) != 1 || origin.Problems[0].File != "regions.csv" || origin.Problems[0].Row != 3 ||
		len(ds.Companies) != 0 {
		t.Errorf("cell limit over csv files: %v %v, %d companies read", err, origin.Problems, len(ds.Companies))
	}
	if u := UploadLimits(64 << 20); u.MaxUnzipped != 256<<20 || u.MaxCells >= DefaultLimits.MaxCells {
		t.Errorf("UploadLimits = %+v", u)
	}
}

// TestReadingStopsAtTheDeadline: the context is looked at every 65,536 cells or
// rows, however they are laid out — a million empty rows, or one row of a million
// cells (that csv ran 99 s, past the request's deadline).
func TestReadingStopsAtTheDeadline(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "companies.csv", "id,name,region_code\n"+strings.Repeat(",,\n", 2_000_000)+"A,甲,1\n")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	start := time.Now()
	if _, _, err := ReadCSVDir(ctx, dir); err != context.Canceled || time.Since(start) > 2*time.Second {
		t.Errorf("cancelled read: %v after %v", err, time.Since(start))
	}
	p := bombXLSX("<row r=\"2\"", 64<<20, " ")(t, t.TempDir())
	if _, _, err := ReadXLSX(ctx, p); err != context.Canceled {
		t.Errorf("cancelled workbook scan: %v", err)
	}
}

// TestXMLScanAcrossReads: the measurement does not depend on where reads split the
// part — a '>' inside a quoted attribute, comment and CDATA terminators cut in two.
func TestXMLScanAcrossReads(t *testing.T) {
	doc := `<?xml version="1.0"?><worksheet><sheetData><!-- a > b --><row r="1"><c r="A1" t="inlineStr" x="a>b"><is><t><![CDATA[<x> ]] > ]]></t></is></c>` +
		`<c r="B1"/></row><row r="3"><c r="C3"><v>1</v></c></row></sheetData></worksheet>`
	for _, step := range []int{1, 2, 3, 7, len(doc)} {
		cells := 0
		x := &xmlScan{maxRun: 64, ws: &sheetCheck{file: "f", lim: DefaultLimits, cells: &cells}}
		for i := 0; i < len(doc); i += step {
			if err := x.feed([]byte(doc[i:min(i+step, len(doc))])); err != nil {
				t.Fatalf("step %d: %v", step, err)
			}
		}
		if x.state != xText || x.ws.problem != nil || cells != 3 || x.ws.row != 3 || x.ws.col != 3 {
			t.Errorf("step %d: state %d, problem %v, %d cells, at row %d col %d", step, x.state, x.ws.problem, cells, x.ws.row, x.ws.col)
		}
	}
	x := &xmlScan{maxRun: 16}
	if err := x.feed([]byte("<a>" + strings.Repeat(" ", 17) + "</a>")); err == nil {
		t.Error("a run over maxRun passed")
	}
}
