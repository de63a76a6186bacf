package interchange

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/chainmap/chainmap/graph"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// Limits that keep a hostile or broken file from exhausting memory.
const (
	// MaxUnzipped bounds the uncompressed size of a workbook (zip bombs).
	MaxUnzipped = 1 << 30
	// MaxCellBytes bounds one cell; longer text is refused by validation anyway.
	MaxCellBytes = 32 << 10
	// MaxRows bounds the data rows of one table.
	MaxRows = 20_000_000
)

// Read reads a workbook (path ending in .xlsx) or a folder of .csv files. Problems
// with the content (bad numbers, unknown headers or sheets) are returned in the
// origin for graph.Check to report with the rest; the error is for a path that
// cannot be read at all.
func Read(ctx context.Context, path string) (*graph.Dataset, *graph.Origin, error) {
	return read(ctx, path, DefaultLimits)
}

func read(ctx context.Context, path string, lim Limits) (*graph.Dataset, *graph.Origin, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, nil, &graph.Error{Code: graph.EINVALID, Message: "cannot read " + path, Err: err}
	}
	if st.IsDir() {
		return ReadCSVDirWith(ctx, path, lim)
	}
	if strings.EqualFold(filepath.Ext(path), ".xlsx") {
		return ReadXLSXWith(ctx, path, lim)
	}
	return nil, nil, graph.Errorf(graph.EINVALID, "%s: expected an .xlsx workbook or a folder of .csv files", path)
}

// tableReader accumulates records of one table from rows of cells.
type tableReader struct {
	f      *TableFormat
	file   string
	ds     *graph.Dataset
	origin *graph.Origin
	colMap []int // file column → format column, -1 to skip
	header bool
	rows   []int
	b      *budget
}

func newTableReader(f *TableFormat, file string, ds *graph.Dataset, origin *graph.Origin, b *budget) *tableReader {
	origin.Files[f.Table] = file
	return &tableReader{f: f, file: file, ds: ds, origin: origin, b: b}
}

func (tr *tableReader) problem(row int, col, val, code string, args ...string) {
	tr.b.add(tr.origin, graph.Problem{Table: tr.f.Table, Index: -1, File: tr.file,
		Row: row, Column: col, Value: val, Code: code, Args: args})
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// row consumes one source row (1-based number n). The first non-blank row is the
// header; later rows are records. It returns false when the table must stop.
func (tr *tableReader) row(n int, raw []string) bool {
	if !tr.b.spend(tr, n, len(raw)) {
		return false
	}
	if blank(raw) {
		return true
	}
	if w := width(raw); w > tr.b.lim.MaxColumns {
		// A table has at most 16 columns: a row this wide is no table, and reading
		// (or reporting) it cell by cell is what a hostile file wants.
		tr.problem(n, excelColumn(w-1), "", graph.PTooManyColumns, strconv.Itoa(tr.b.lim.MaxColumns))
		return false
	}
	if !tr.header {
		tr.header = true
		tr.readHeader(n, raw)
		return true
	}
	if len(tr.rows) >= MaxRows {
		tr.problem(n, "", "", graph.PTooManyRows, strconv.Itoa(MaxRows))
		return false
	}
	c := make(cells, len(tr.f.Columns))
	for i, v := range raw {
		v = strings.TrimSpace(v)
		if i >= len(tr.colMap) {
			if v != "" {
				tr.problem(n, excelColumn(i), v, graph.PUnknownHeader)
			}
			continue
		}
		if j := tr.colMap[i]; j >= 0 {
			if len(v) > MaxCellBytes {
				// Longer than any column allows (MaxTextLen characters of at most 4
				// bytes); the value shown is cut at a character boundary.
				tr.problem(n, tr.f.Columns[j].Name, strings.ToValidUTF8(v[:64], ""), graph.PTooLong, strconv.Itoa(graph.MaxTextLen))
				v = ""
			}
			c[j] = v
		}
	}
	d := decoder{f: tr.f, file: tr.file, row: n, index: len(tr.rows), add: func(p graph.Problem) { tr.b.add(tr.origin, p) }}
	d.decode(c, tr.ds)
	tr.rows = append(tr.rows, n)
	return true
}

// width returns the number of cells of a row up to its last non-blank one.
func width(raw []string) int {
	w := len(raw)
	for w > 0 && strings.TrimSpace(raw[w-1]) == "" {
		w--
	}
	return w
}

func (tr *tableReader) readHeader(n int, raw []string) {
	tr.colMap = make([]int, len(raw))
	seen := map[int]bool{}
	for i, h := range raw {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		tr.colMap[i] = -1
		// A table's own column wins over the free-text note columns that are skipped
		// (project_history has a real "note").
		switch j := tr.f.columnFor(h); {
		case h == "" || (j < 0 && ignoredHeader(h)):
		case j < 0:
			tr.problem(n, excelColumn(i), h, graph.PUnknownHeader)
		case seen[j]:
			tr.problem(n, excelColumn(i), h, graph.PDupHeader)
		default:
			seen[j] = true
			tr.colMap[i] = j
		}
	}
	for j, c := range tr.f.Columns {
		if c.Required && !seen[j] {
			tr.problem(n, "", "", graph.PMissingHeader, c.Name+"（"+c.Aliases[0]+"）")
		}
	}
}

// finish records the table's source rows and puts its text in stored form
// (graph.Dataset.Normalize), as every write path does.
func (tr *tableReader) finish() {
	tr.origin.Rows[tr.f.Table] = tr.rows
	tr.ds.NormalizeTable(tr.f.Table, tr.ds.Len(tr.f.Table)-len(tr.rows))
}

// excelColumn names a 0-based column index the way spreadsheets do (A, B, …, AA).
func excelColumn(i int) string {
	name := ""
	for i++; i > 0; i = (i - 1) / 26 {
		name = string(rune('A'+(i-1)%26)) + name
	}
	return name
}

func newOrigin() *graph.Origin {
	return &graph.Origin{Files: map[graph.Table]string{}, Rows: map[graph.Table][]int{}}
}

// ReadXLSX reads a workbook with one sheet per table. Sheets named 说明/notes are
// skipped; any other unrecognised sheet is a problem.
func ReadXLSX(ctx context.Context, path string) (*graph.Dataset, *graph.Origin, error) {
	return ReadXLSXWith(ctx, path, DefaultLimits)
}

// ReadXLSXWith is ReadXLSX under the given limits.
func ReadXLSXWith(ctx context.Context, path string, lim Limits) (*graph.Dataset, *graph.Origin, error) {
	// First, as it refuses parts whose declared size is a lie before excelize
	// allocates it.
	parts, err := openWorkbookParts(path)
	if err != nil {
		return nil, nil, unreadableWorkbook(path, err)
	}
	defer parts.Close()
	base := filepath.Base(path)
	ds, origin := &graph.Dataset{}, newOrigin()
	// Then every part measured as bytes, before excelize decodes any of it.
	probs, skip, err := parts.checkParts(ctx, lim, base, func(sheet string) bool { _, ok := tableFor(sheet); return ok })
	var gerr *graph.Error
	switch {
	case err == nil:
	case errors.As(err, &gerr), ctx.Err() != nil:
		return nil, nil, err
	default:
		return nil, nil, unreadableWorkbook(path, err) // a part that does not unpack
	}
	origin.Problems = append(origin.Problems, probs...)
	f, err := excelize.OpenFile(path, excelize.Options{UnzipSizeLimit: lim.MaxUnzipped})
	if err != nil {
		return nil, nil, unreadableWorkbook(path, err)
	}
	defer f.Close()
	ev := &evaluator{x: f, parts: parts}
	b := newBudget(ctx, lim)
	defer b.finish(origin)
	seen := map[graph.Table]string{}
	for _, sheet := range f.GetSheetList() {
		tf, ok := tableFor(sheet)
		if state := sheetState(f, sheet); state != "" && (ok || !isNotesName(sheet)) {
			// Rows nobody can see in Excel must not be imported behind the back of the
			// person who checked the workbook; hidden notes are only notes.
			origin.Problems = append(origin.Problems, graph.Problem{Index: -1, File: base + " [" + sheet + "]",
				Value: sheet, Code: graph.PHiddenSheet, Args: []string{state}})
			continue
		}
		if !ok {
			if !isNotesName(sheet) {
				origin.Problems = append(origin.Problems, graph.Problem{Index: -1, File: base + " [" + sheet + "]",
					Value: sheet, Code: graph.PUnknownTable, Args: []string{TableNames()}})
			}
			continue
		}
		if prev, dup := seen[tf.Table]; dup {
			origin.Problems = append(origin.Problems, graph.Problem{Table: tf.Table, Index: -1,
				File: base + " [" + sheet + "]", Value: sheet, Code: graph.PDupTable, Args: []string{prev}})
			continue
		}
		seen[tf.Table] = sheet
		if skip[sheet] || b.full {
			continue // its problem is reported; reading it would cost what the limit prevents
		}
		if err := readSheet(ctx, f, ev, sheet, newTableReader(tf, base+" ["+sheet+"]", ds, origin, b)); err != nil {
			return nil, nil, err
		}
	}
	return ds, origin, nil
}

// sheetState returns "hidden" or "veryHidden" (hidden so that only a macro can
// show it) for a sheet Excel does not show, "" for a visible one.
func sheetState(f *excelize.File, sheet string) string {
	if visible, err := f.GetSheetVisible(sheet); err != nil || visible {
		return ""
	}
	for _, s := range f.WorkBook.Sheets.Sheet {
		if s.Name == sheet && s.State == "veryHidden" {
			return "veryHidden"
		}
	}
	return "hidden"
}

func isNotesName(s string) bool {
	switch normalize(s) {
	case "说明", "填写说明", "notes", "readme", "note":
		return true
	}
	return false
}

func readSheet(ctx context.Context, f *excelize.File, ev *evaluator, sheet string, tr *tableReader) error {
	rows, err := f.Rows(sheet)
	if err != nil {
		return &graph.Error{Code: graph.EINVALID, Message: "cannot read sheet " + sheet, Err: err}
	}
	defer rows.Close()
	scan, err := ev.parts.scan(sheet)
	if err != nil {
		return &graph.Error{Code: graph.EINVALID, Message: "cannot read sheet " + sheet, Err: err}
	}
	defer scan.Close()
	n := 0
	for rows.Next() {
		n++
		// Raw values: a date cell yields its serial number, which ParseDate reads,
		// rather than a locale-dependent rendering such as 01-05-24.
		cols, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return &graph.Error{Code: graph.EINVALID, Message: fmt.Sprintf("sheet %s row %d cannot be read", sheet, n), Err: err}
		}
		if notes := scan.notesOf(n); len(notes) > 0 {
			cols = tr.resolveFormulas(ctx, ev, sheet, n, cols, notes)
		}
		if !tr.row(n, cols) {
			break
		}
	}
	if tr.b.err != nil {
		return tr.b.err
	}
	if err := rows.Error(); err != nil {
		return &graph.Error{Code: graph.EINVALID, Message: "sheet " + sheet + " cannot be read", Err: err}
	}
	tr.finish()
	return nil
}

// ReadCSVDir reads every .csv file of a folder, each named after its table.
func ReadCSVDir(ctx context.Context, dir string) (*graph.Dataset, *graph.Origin, error) {
	return ReadCSVDirWith(ctx, dir, DefaultLimits)
}

// ReadCSVDirWith is ReadCSVDir under the given limits.
func ReadCSVDirWith(ctx context.Context, dir string, lim Limits) (*graph.Dataset, *graph.Origin, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, &graph.Error{Code: graph.EINVALID, Message: "cannot read folder " + dir, Err: err}
	}
	ds, origin := &graph.Dataset{}, newOrigin()
	found := map[graph.Table]string{}
	readers := map[graph.Table]string{}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.EqualFold(filepath.Ext(name), ".csv") {
			continue
		}
		tf, ok := tableFor(strings.TrimSuffix(name, filepath.Ext(name)))
		if !ok {
			origin.Problems = append(origin.Problems, graph.Problem{Index: -1, File: name, Value: name,
				Code: graph.PUnknownTable, Args: []string{TableNames()}})
			continue
		}
		if prev, dup := found[tf.Table]; dup {
			origin.Problems = append(origin.Problems, graph.Problem{Table: tf.Table, Index: -1, File: name,
				Value: name, Code: graph.PDupTable, Args: []string{prev}})
			continue
		}
		found[tf.Table] = name
		readers[tf.Table] = filepath.Join(dir, name)
	}
	// Read in dependency order so problems come out in a stable order.
	b := newBudget(ctx, lim)
	defer b.finish(origin)
	for _, f := range Formats {
		p, ok := readers[f.Table]
		if !ok {
			continue
		}
		if b.full {
			break
		}
		if err := readCSVFile(ctx, p, newTableReader(&f, filepath.Base(p), ds, origin, b)); err != nil {
			return nil, nil, err
		}
	}
	return ds, origin, nil
}

// ReadCSV reads one table from r (a .csv file's content) into ds.
func ReadCSV(ctx context.Context, r io.Reader, name string, t graph.Table, ds *graph.Dataset, origin *graph.Origin) error {
	f := FormatOf(t)
	if f == nil {
		return fmt.Errorf("unknown table %s", t)
	}
	b := newBudget(ctx, DefaultLimits)
	defer b.finish(origin)
	return readCSV(ctx, r, newTableReader(f, name, ds, origin, b))
}

func readCSVFile(ctx context.Context, path string, tr *tableReader) error {
	fh, err := os.Open(path)
	if err != nil {
		return &graph.Error{Code: graph.EINVALID, Message: "cannot open " + path, Err: err}
	}
	defer fh.Close()
	sc, err := scanText(fh)
	if err == nil {
		tr.ds.Grow(tr.f.Table, min(sc.lines, MaxRows))
	}
	if _, err := fh.Seek(0, io.SeekStart); err != nil {
		return &graph.Error{Code: graph.EINVALID, Message: "cannot read " + path, Err: err}
	}
	hint := hintUTF8
	if sc.gb {
		hint = hintGB
	}
	return readCSVText(ctx, fh, tr, hint)
}

// encodingHint is what a scan of the whole file decided, if one was made.
type encodingHint int

const (
	hintSniff encodingHint = iota // not scanned: decide by the first megabyte
	hintUTF8                      // UTF-8, or UTF-8 that stops being so somewhere
	hintGB                        // GBK/GB18030
)

// textScan is what one pass over a whole file tells about its text.
type textScan struct {
	lines int  // newlines: an upper bound on the rows, to size the table once
	gb    bool // not UTF-8, nor UTF-8 with a few broken bytes: read as GB18030
}

// scanText reads r once, counting lines and deciding the encoding on the whole
// text, not its first megabyte. A file that is not valid UTF-8 is still UTF-8 —
// with a located error at its first broken byte — when it holds more valid
// multi-byte UTF-8 characters than broken bytes (a UTF-8 file with a stray byte,
// or one that switches to GBK after a megabyte of Chinese); otherwise it is GBK,
// whose two-byte characters are valid UTF-8 only now and then (a file that is ASCII
// for a megabyte and GBK after it is GBK).
func scanText(r io.Reader) (textScan, error) {
	var sc textScan
	buf := make([]byte, 1<<20)
	keep, multi, broken := 0, 0, 0
	for {
		k, err := io.ReadFull(r, buf[keep:])
		b := buf[:keep+k]
		sc.lines += bytes.Count(b[keep:], []byte{'\n'})
		eof := errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
		cut := len(b)
		if !eof {
			cut -= incompleteTail(b)
		}
		if utf8.Valid(b[:cut]) {
			multi += multiByteRunes(b[:cut])
		} else {
			for i := 0; i < cut; {
				r, size := utf8.DecodeRune(b[i:cut])
				switch {
				case r == utf8.RuneError && size == 1:
					broken++
				case size > 1:
					multi++
				}
				i += size
			}
		}
		keep = copy(buf, b[cut:])
		if eof {
			sc.gb = broken > 0 && multi <= broken
			return sc, nil
		}
		if err != nil {
			return sc, err
		}
	}
}

// multiByteRunes counts the lead bytes of multi-byte characters in valid UTF-8.
func multiByteRunes(b []byte) int {
	n := 0
	for _, c := range b {
		if c >= 0xC0 {
			n++
		}
	}
	return n
}

// incompleteTail returns how many bytes at the end of b start a UTF-8 character
// that b cuts off (0 when b ends on a character boundary or in invalid bytes).
func incompleteTail(b []byte) int {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax+1; i-- {
		if b[i] < 0x80 || b[i] >= 0xC0 { // ASCII or a lead byte: the last character starts here
			if !utf8.FullRune(b[i:]) {
				return len(b) - i
			}
			return 0
		}
	}
	return 0
}

// firstInvalid returns the offset of the first byte of b that is not valid UTF-8,
// or, when strict, of the first U+FFFD (a decoder's mark for a byte it could not
// map); -1 when there is none.
func firstInvalid(b []byte, strict bool) int {
	if utf8.Valid(b) && !(strict && bytes.Contains(b, []byte("\uFFFD"))) {
		return -1
	}
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && (size == 1 || strict) {
			return i
		}
		i += size
	}
	return -1
}

// encodingError is the first place a file's text stops being valid in its encoding.
type encodingError struct {
	line     int // 1-based, as csv.Reader counts lines
	encoding string
}

func (e *encodingError) Error() string {
	return fmt.Sprintf("line %d is not valid %s", e.line, e.encoding)
}

// textReader passes text through, counting lines, and fails with an
// *encodingError at the first byte that is not valid UTF-8 — or, for text a
// decoder produced (strict), at the first U+FFFD it put for a byte it could not
// map. The bytes before it are delivered first, so the rows before it are read.
type textReader struct {
	r        io.Reader
	encoding string // the file's encoding, for the message
	strict   bool
	line     int    // newlines checked so far
	buf      []byte // read from r; buf[:held] is a character cut off by the last read
	held     int
	out      []byte // checked text not yet delivered
	err      error  // delivered once out is empty
}

func (t *textReader) Read(p []byte) (int, error) {
	for len(t.out) == 0 {
		if t.err != nil {
			return 0, t.err
		}
		t.fill()
	}
	n := copy(p, t.out)
	t.out = t.out[n:]
	return n, nil
}

// fill reads the next piece of r into out, up to the first invalid byte.
func (t *textReader) fill() {
	if t.buf == nil {
		t.buf = make([]byte, 64<<10)
	}
	copy(t.buf, t.buf[len(t.buf)-t.held:]) // no-op on the first call
	m, err := io.ReadAtLeast(t.r, t.buf[t.held:], 1)
	b := t.buf[:t.held+m]
	keep := 0
	if err == nil {
		keep = incompleteTail(b)
	} else if !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		t.err = err
	} else {
		t.err = io.EOF
	}
	good := b[:len(b)-keep]
	if bad := firstInvalid(good, t.strict); bad >= 0 {
		t.line += bytes.Count(good[:bad], []byte{'\n'})
		t.out, t.err, t.held = good[:bad], &encodingError{line: t.line + 1, encoding: t.encoding}, 0
		return
	}
	t.line += bytes.Count(good, []byte{'\n'})
	t.out = good
	// Move the cut-off character to the end of buf, where the next fill finds it.
	t.held = copy(t.buf[len(t.buf)-keep:], b[len(b)-keep:])
}

func readCSV(ctx context.Context, r io.Reader, tr *tableReader) error {
	return readCSVText(ctx, r, tr, hintSniff)
}

// readCSVText reads one table's csv text in the encoding hint names.
func readCSVText(ctx context.Context, r io.Reader, tr *tableReader, hint encodingHint) error {
	br := bufio.NewReaderSize(r, 1<<20)
	text, err := decodeText(br, hint)
	if err != nil {
		return &graph.Error{Code: graph.EINVALID, Message: "cannot read " + tr.file, Err: err}
	}
	cr := csv.NewReader(text)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = false // a stray or unterminated quote is a located error, never rows swallowed into one cell
	cr.ReuseRecord = true
	n := 0
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		n++
		if err != nil {
			var pe *csv.ParseError
			var ee *encodingError
			if errors.As(err, &ee) {
				tr.problem(ee.line, "", "", graph.PBadEncoding, ee.encoding)
				break
			}
			if errors.As(err, &pe) {
				// The row where the broken field starts: an unterminated quote is only
				// noticed at the end of the file.
				line := pe.StartLine
				if line == 0 {
					line = pe.Line
				}
				tr.problem(line, "", "", graph.PBadFile, pe.Err.Error())
				break
			}
			return &graph.Error{Code: graph.EINVALID, Message: "cannot read " + tr.file, Err: err}
		}
		for i := range rec {
			rec[i] = csvUnescape(rec[i]) // chainmap's own exports guard against CSV injection
		}
		line, _ := cr.FieldPos(0)
		if !tr.row(line, rec) {
			break
		}
	}
	if tr.b.err != nil {
		return tr.b.err
	}
	tr.finish()
	return nil
}

// unreadableWorkbook names only the file, never the folder it sits in (an upload's
// is the server's temp folder), and keeps excelize's reason out of the message.
func unreadableWorkbook(path string, err error) error {
	name := filepath.Base(path)
	return &graph.Error{Code: graph.EINVALID, Err: err,
		Message: name + " 不是可读取的 .xlsx 工作簿（损坏或不是 Excel 文件）/ " + name + " is not a readable .xlsx workbook (damaged, or not an Excel file)"}
}

// decodeText returns the file's text as UTF-8: a UTF-8 BOM is dropped, a UTF-16
// BOM decodes UTF-16, and a file that is not UTF-8 (by hint, or by its first
// megabyte when the whole was not scanned) is decoded as GB18030 (a superset of
// GBK), which is what Excel writes for "CSV" on Chinese Windows. The text is checked
// to its end: a byte that is not valid in the encoding is an *encodingError where
// it occurs.
func decodeText(br *bufio.Reader, hint encodingHint) (io.Reader, error) {
	head, err := br.Peek(1 << 20)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, err
	}
	switch {
	case bytes.HasPrefix(head, []byte("\xef\xbb\xbf")):
		br.Discard(3)
		return &textReader{r: br, encoding: "UTF-8"}, nil
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		return &textReader{r: unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Reader(br),
			encoding: "UTF-16", strict: true}, nil
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return &textReader{r: unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder().Reader(br),
			encoding: "UTF-16", strict: true}, nil
	case hint == hintUTF8, hint == hintSniff && validUTF8Prefix(head, len(head) == 1<<20):
		return &textReader{r: br, encoding: "UTF-8"}, nil
	}
	return &textReader{r: simplifiedchinese.GB18030.NewDecoder().Reader(br), encoding: "GBK/GB18030", strict: true}, nil
}

// validUTF8Prefix reports whether b is valid UTF-8, allowing a rune cut off at the
// end when b is only the start of a longer file.
func validUTF8Prefix(b []byte, truncated bool) bool {
	if truncated {
		b = b[:len(b)-incompleteTail(b)]
	}
	return utf8.Valid(b)
}
