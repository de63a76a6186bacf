package interchange

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/chainmap/chainmap/graph"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/htmlindex"
)

// workbookParts is a second handle on the workbook's zip, for streaming worksheet
// XML past excelize.
type workbookParts struct {
	fh     *os.File
	files  map[string]*zip.File
	sheets map[string]string // sheet name → worksheet part, resolved as excelize does
}

const (
	relOfficeDocument       = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
	relOfficeDocumentStrict = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
	nsRelationships         = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	nsRelationshipsStrict   = "http://purl.oclc.org/ooxml/officeDocument/relationships"
)

// openWorkbookParts opens the workbook at path, checks the parts' declared sizes,
// and maps its sheets to their parts: _rels/.rels names the workbook, whose
// relationships name each sheet's part (excelize's getSheetMap, which the reader
// must agree with).
func openWorkbookParts(file string) (*workbookParts, error) {
	fh, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	w := &workbookParts{fh: fh, files: map[string]*zip.File{}, sheets: map[string]string{}}
	st, err := fh.Stat()
	if err != nil {
		w.Close()
		return nil, err
	}
	zr, err := zip.NewReader(fh, st.Size())
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		w.Close()
		return nil, err
	}
	// excelize allocates a part's declared size before reading it, so a few bytes
	// declaring gigabytes would cost gigabytes: refuse sizes that cannot be true.
	// The compressed data must fit in the file, and deflate expands at most
	// 1032-fold.
	var compressed uint64
	for _, f := range zr.File {
		compressed += f.CompressedSize64
		if compressed < f.CompressedSize64 || compressed > uint64(st.Size()) ||
			f.Method == zip.Store && f.UncompressedSize64 != f.CompressedSize64 ||
			f.UncompressedSize64 > 1024 && (f.UncompressedSize64-1024)/1032 > f.CompressedSize64 {
			w.Close()
			return nil, fmt.Errorf("%s declares %d bytes from %d compressed, in a file of %d", f.Name,
				f.UncompressedSize64, f.CompressedSize64, st.Size())
		}
		w.files[strings.ReplaceAll(f.Name, `\`, "/")] = f
	}
	rels, err := w.relationships("_rels/.rels")
	if err != nil {
		w.Close()
		return nil, err
	}
	wb := ""
	for _, r := range rels {
		if r.typ == relOfficeDocument || r.typ == relOfficeDocumentStrict {
			wb = strings.TrimPrefix(r.target, "/")
			break
		}
	}
	relsPath := "_rels/" + path.Base(wb) + ".rels"
	if dir := path.Dir(wb); dir != "." {
		relsPath = strings.TrimPrefix(dir+"/"+relsPath, "/")
	}
	if rels, err = w.relationships(relsPath); err != nil {
		w.Close()
		return nil, err
	}
	sheets, err := w.workbookSheets(wb)
	if err != nil {
		w.Close()
		return nil, err
	}
	for _, s := range sheets {
		for _, r := range rels {
			if r.id != s.id {
				continue
			}
			p := strings.TrimPrefix(strings.ReplaceAll(path.Clean(path.Dir(wb)+"/"+r.target), `\`, "/"), "/")
			if strings.HasPrefix(r.target, "/") {
				p = strings.TrimPrefix(strings.ReplaceAll(path.Clean(r.target), `\`, "/"), "/")
			}
			if _, ok := w.files[p]; ok {
				w.sheets[s.name] = p
			}
		}
	}
	return w, nil
}

func (w *workbookParts) Close() error { return w.fh.Close() }

// decoder streams a part; a missing part reads as empty, as excelize reads it.
func (w *workbookParts) decoder(name string) (*xml.Decoder, io.Closer, error) {
	f, ok := w.files[name]
	if !ok {
		return xml.NewDecoder(strings.NewReader("")), io.NopCloser(nil), nil
	}
	rc, err := f.Open()
	if err != nil {
		return nil, nil, err
	}
	d := xml.NewDecoder(rc)
	d.CharsetReader = charsetReader
	return d, rc, nil
}

// charsetReader decodes parts declaring another encoding than UTF-8, as excelize
// does.
func charsetReader(label string, r io.Reader) (io.Reader, error) {
	enc, err := htmlindex.Get(label)
	if err != nil {
		return nil, err
	}
	return enc.NewDecoder().Reader(r), nil
}

// elements calls fn with each element of a part's root element and its parent's
// name. Like excelize, which decodes one root element, it ignores what follows.
func (w *workbookParts) elements(name string, fn func(parent string, el xml.StartElement)) error {
	d, c, err := w.decoder(name)
	if err != nil {
		return err
	}
	defer c.Close()
	var stack []string
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading %s: %w", name, err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			if len(stack) > 0 {
				fn(stack[len(stack)-1], el)
			}
			stack = append(stack, el.Name.Local)
		case xml.EndElement:
			if stack = stack[:len(stack)-1]; len(stack) == 0 {
				return nil
			}
		}
	}
}

type relationship struct{ id, target, typ string }

func (w *workbookParts) relationships(name string) ([]relationship, error) {
	var out []relationship
	err := w.elements(name, func(parent string, el xml.StartElement) {
		if parent != "Relationships" || el.Name.Local != "Relationship" {
			return
		}
		var r relationship
		for _, a := range el.Attr {
			switch a.Name.Local {
			case "Id":
				r.id = a.Value
			case "Target":
				r.target = a.Value
			case "Type":
				r.typ = a.Value
			}
		}
		out = append(out, r)
	})
	return out, err
}

type sheetRef struct{ name, id string }

func (w *workbookParts) workbookSheets(name string) ([]sheetRef, error) {
	var out []sheetRef
	err := w.elements(name, func(parent string, el xml.StartElement) {
		if parent != "sheets" || el.Name.Local != "sheet" {
			return
		}
		var s sheetRef
		for _, a := range el.Attr {
			switch {
			case a.Name.Local == "name" && a.Name.Space == "":
				s.name = a.Value
			case a.Name.Local == "id" && (a.Name.Space == nsRelationships || a.Name.Space == nsRelationshipsStrict):
				s.id = a.Value
			}
		}
		out = append(out, s)
	})
	return out, err
}

// sheetScan streams a worksheet's cells alongside excelize's row iterator and
// reports the cells whose streamed value hides a formula's state.
type sheetScan struct {
	d     *xml.Decoder
	c     io.Closer
	row   int        // number of the row read last
	notes []cellNote // its notes
	done  bool
	// onFormula, when set, is called for every formula cell (1-based column) with
	// the formula's type and, for an array formula, the range it fills.
	onFormula func(row, col int, typ, ref string)
}

// scan streams the cells of sheet's worksheet part.
func (w *workbookParts) scan(sheet string) (*sheetScan, error) {
	p, ok := w.sheets[sheet]
	if !ok {
		for name, q := range w.sheets {
			if strings.EqualFold(name, sheet) { // as excelize looks sheets up
				p, ok = q, true
				break
			}
		}
	}
	if !ok {
		return nil, fmt.Errorf("no worksheet part for sheet %s", sheet)
	}
	return w.scanPart(p)
}

// scanPart streams the cells of a worksheet part; a part without formulas or
// error cells (mayHoldFormulas) ends at once.
func (w *workbookParts) scanPart(p string) (*sheetScan, error) {
	rc, err := w.files[p].Open()
	if err != nil {
		return nil, err
	}
	may, err := mayHoldFormulas(rc)
	rc.Close()
	if err != nil || !may {
		return &sheetScan{c: io.NopCloser(nil), done: true}, err
	}
	d, c, err := w.decoder(p)
	if err != nil {
		return nil, err
	}
	return &sheetScan{d: d, c: c}, nil
}

// mayHoldFormulas reports whether worksheet XML may hold a formula (an element
// named f) or an error cell (t="e"): a byte search, many times faster than
// decoding the XML, that lets the many sheets without either skip the scan.
func mayHoldFormulas(r io.Reader) (bool, error) {
	buf := make([]byte, 2+64<<10)
	keep := 0 // bytes carried over so that a match across two reads is seen
	for {
		n, err := io.ReadFull(r, buf[keep:])
		chunk := buf[:keep+n]
		if bytes.Contains(chunk, []byte(`"e"`)) || bytes.Contains(chunk, []byte(`'e'`)) {
			return true, nil
		}
		for i := 1; i+1 < len(chunk); i++ {
			i += max(0, bytes.IndexByte(chunk[i:len(chunk)-1], 'f'))
			if chunk[i] != 'f' {
				break
			}
			// <f> <f/> <f attr…> and prefixed <x:f>; a name character after f
			// means another element (<font>) or attribute.
			if (chunk[i-1] == '<' || chunk[i-1] == ':') && strings.IndexByte(">/ \t\r\n", chunk[i+1]) >= 0 {
				return true, nil
			}
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		keep = copy(buf, chunk[len(chunk)-2:])
	}
}

func (s *sheetScan) Close() error { return s.c.Close() }

// notesOf returns the notes of row n, rows being asked for in increasing order.
// Rows are numbered as excelize numbers them: by their r attribute, else one
// after the previous row. A malformed part ends the scan, as it ends excelize's.
func (s *sheetScan) notesOf(n int) []cellNote {
	for !s.done && s.row < n {
		s.next()
	}
	if s.row == n {
		return s.notes
	}
	return nil
}

func (s *sheetScan) next() {
	s.notes = s.notes[:0]
	for {
		tok, err := s.d.RawToken()
		if err != nil {
			s.done = true
			return
		}
		switch el := tok.(type) {
		case xml.StartElement:
			if el.Name.Local == "row" {
				if r, err := strconv.Atoi(attr(el, "r")); err == nil && r != 0 {
					s.row = r
				} else {
					s.row++
				}
				s.readRow()
				return
			}
		case xml.EndElement:
			if el.Name.Local == "sheetData" {
				s.done = true
				return
			}
		}
	}
}

func attr(el xml.StartElement, name string) string {
	for _, a := range el.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func (s *sheetScan) readRow() {
	col := 0 // 1-based, as excelize counts cells without a reference
	for {
		tok, err := s.d.RawToken()
		if err != nil {
			s.done = true
			return
		}
		switch el := tok.(type) {
		case xml.StartElement:
			if el.Name.Local == "c" {
				col = s.readCell(el, col+1)
			}
		case xml.EndElement:
			if el.Name.Local == "row" {
				return
			}
		}
	}
}

// readCell reads one cell element and notes it if needed; it returns the cell's
// column.
func (s *sheetScan) readCell(start xml.StartElement, col int) int {
	if ref := attr(start, "r"); ref != "" {
		c, _, err := excelize.CellNameToCoordinates(ref)
		if err != nil {
			col = -1 // excelize refuses the row; nothing to note
		} else {
			col = c
		}
	}
	typ := attr(start, "t")
	var hasF, hasV, inV, inF bool
	var v, f strings.Builder
	var fType, fRef string
	depth := 0
	for {
		tok, err := s.d.RawToken()
		if err != nil {
			s.done = true
			return col
		}
		switch el := tok.(type) {
		case xml.StartElement:
			depth++
			if depth == 1 {
				switch el.Name.Local {
				case "f":
					hasF, inF = true, true
					fType, fRef = attr(el, "t"), attr(el, "ref")
				case "v":
					hasV, inV = true, true
				}
			}
		case xml.EndElement:
			if depth == 0 {
				if hasF && col >= 1 && s.onFormula != nil {
					s.onFormula(s.row, col, fType, fRef)
				}
				switch {
				case col < 1:
				case typ == "e" && strings.TrimSpace(v.String()) != "":
					s.notes = append(s.notes, cellNote{col: col - 1, errValue: strings.TrimSpace(v.String())})
				case hasF && !(hasV && (v.Len() > 0 || typ == "str")):
					// An empty cached value is an empty string only in a string cell
					// (Excel's ""); elsewhere, as openpyxl writes, there is none.
					s.notes = append(s.notes, cellNote{col: col - 1, uncached: true, formula: f.String()})
				}
				return col
			}
			depth--
			inV, inF = inV && depth > 0, inF && depth > 0
		case xml.CharData:
			if inV && depth == 1 && v.Len() < 64 { // error values are short
				v.Write(el)
			}
			if inF && depth == 1 && f.Len() < 256 { // enough to recognise it
				f.Write(el)
			}
		}
	}
}

// checkParts scans every XML part of the workbook as bytes, before excelize parses
// any (issue 15 #10): all parts together unpack to at most lim.MaxUnzipped bytes,
// and no part holds a run of text, a tag, a comment or a CDATA section over
// lim.MaxRun bytes, so that no XML token excelize decodes is larger. A breach is
// an error naming the part. In the worksheets of sheets named after tables (read
// is called with each sheet name) rows and cells must come in order — excelize
// places out-of-order cells in the wrong row and column — within lim.MaxColumns
// columns and, over all of them, lim.MaxCells cells; a breach is a located problem
// for that sheet, which is then not read.
func (w *workbookParts) checkParts(ctx context.Context, lim Limits, base string, read func(sheet string) bool) ([]graph.Problem, map[string]bool, error) {
	var total uint64
	for _, f := range w.files {
		total += f.UncompressedSize64
	}
	if total > uint64(lim.MaxUnzipped) {
		return nil, nil, graph.Errorf(graph.EINVALID, "%s 解压后为 %d MiB，超过 %d MiB 的上限 / %s unpacks to %d MiB, more than the %d MiB limit",
			base, total>>20, lim.MaxUnzipped>>20, base, total>>20, lim.MaxUnzipped>>20)
	}
	sheetOf := map[string]string{} // worksheet part → sheet name
	for name, p := range w.sheets {
		if read(name) {
			sheetOf[p] = name
		}
	}
	var probs []graph.Problem
	skip := map[string]bool{}
	cells := 0
	names := make([]string, 0, len(w.files))
	for name := range w.files {
		names = append(names, name)
	}
	slices.Sort(names) // problems in a stable order
	for _, name := range names {
		if ext := strings.ToLower(path.Ext(name)); ext != ".xml" && ext != ".rels" && ext != ".vml" {
			continue
		}
		sc := &xmlScan{maxRun: lim.MaxRun}
		if sheet, ok := sheetOf[name]; ok {
			sc.ws = &sheetCheck{file: base + " [" + sheet + "]", lim: lim, cells: &cells}
		}
		rc, err := w.files[name].Open()
		if err != nil {
			return nil, nil, err
		}
		err = sc.scan(ctx, rc)
		rc.Close()
		if err != nil {
			if ctx.Err() != nil {
				return nil, nil, ctx.Err()
			}
			if sc.whyZH == "" {
				return nil, nil, err // the part does not unpack
			}
			return nil, nil, graph.Errorf(graph.EINVALID, "%s 不是 Excel 写出的工作簿：%s 中%s / %s is not a workbook as Excel writes it: %s %s",
				base, name, sc.whyZH, base, name, err)
		}
		if ws := sc.ws; ws != nil && ws.problem != nil {
			probs = append(probs, *ws.problem)
			skip[sheetOf[name]] = true
		}
	}
	return probs, skip, nil
}

// xmlScan follows XML markup byte by byte, as far as needed to measure it: text,
// tags (quoted attribute values may hold '>'), comments and CDATA sections.
type xmlScan struct {
	maxRun int
	state  int
	run    int    // bytes of the current text run or markup
	tag    []byte // the current tag, kept for worksheet checks (its first 4 KiB)
	quote  byte
	tail   [2]byte // the last two bytes, to find a terminator split between reads
	ws     *sheetCheck
	whyZH  string // what was too long, for the message
}

const (
	xText    = iota
	xOpen    // after '<' (and '!'): deciding what markup this is
	xTag     // a tag, a declaration or a processing instruction
	xComment // <!-- … -->
	xCDATA   // <![CDATA[ … ]]>
)

func (x *xmlScan) scan(ctx context.Context, r io.Reader) error {
	buf := make([]byte, 256<<10)
	for {
		n, err := io.ReadFull(r, buf)
		if e := x.feed(buf[:n]); e != nil {
			return e
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
}

// feed scans the next bytes of the part.
func (x *xmlScan) feed(b []byte) error {
	for len(b) > 0 {
		switch x.state {
		case xText:
			i := bytes.IndexByte(b, '<')
			if i < 0 {
				i = len(b)
			}
			if x.run += i; x.run > x.maxRun {
				x.whyZH = fmt.Sprintf("有一段超过 %d 字节的连续文本", x.maxRun)
				return fmt.Errorf("holds a run of text over %d bytes", x.maxRun)
			}
			if i == len(b) {
				return nil
			}
			b = b[i+1:]
			x.state, x.run, x.tag, x.quote = xOpen, 1, x.tag[:0], 0
		case xOpen:
			// Only "<!--" and "<![CDATA[" need more than one byte to tell apart.
			c := b[0]
			x.tag = append(x.tag, c)
			b = b[1:]
			x.run++
			switch t := string(x.tag); {
			case t == "!--":
				x.state, x.tail = xComment, [2]byte{}
			case t == "![CDATA[":
				x.state, x.tail = xCDATA, [2]byte{}
			case strings.HasPrefix("!--", t) || strings.HasPrefix("![CDATA[", t):
			default:
				x.state = xTag
				if c == '>' && x.quote == 0 {
					x.endTag()
				} else if c == '"' || c == '\'' {
					x.quote = c
				}
			}
		case xTag:
			i := 0
			for i < len(b) {
				if x.quote != 0 {
					j := bytes.IndexByte(b[i:], x.quote)
					if j < 0 {
						i = len(b)
						break
					}
					i += j + 1
					x.quote = 0
					continue
				}
				j := bytes.IndexAny(b[i:], "\"'>")
				if j < 0 {
					i = len(b)
					break
				}
				i += j
				if b[i] == '>' {
					break
				}
				x.quote = b[i]
				i++
			}
			if len(x.tag) < 4096 {
				x.tag = append(x.tag, b[:min(i, 4096-len(x.tag))]...)
			}
			if x.run += i; x.run > x.maxRun {
				x.whyZH = fmt.Sprintf("有一个超过 %d 字节的标记", x.maxRun)
				return fmt.Errorf("holds a tag over %d bytes", x.maxRun)
			}
			if i == len(b) {
				return nil
			}
			b = b[i+1:]
			x.endTag()
		case xComment, xCDATA:
			end := "-->"
			if x.state == xCDATA {
				end = "]]>"
			}
			// The terminator may straddle the previous read: look at its last two
			// bytes followed by this one.
			head := append(x.tail[:], b[:min(len(b), 2)]...)
			i, found := len(b), true
			if j := bytes.Index(head, []byte(end)); j >= 0 && j < 2 {
				i = j + 3 - 2 // end of the terminator in b
			} else if j := bytes.Index(b, []byte(end)); j >= 0 {
				i = j + 3
			} else {
				found = false
			}
			if x.run += i; x.run > x.maxRun {
				x.whyZH = fmt.Sprintf("有一段超过 %d 字节的注释或 CDATA", x.maxRun)
				return fmt.Errorf("holds a comment or CDATA section over %d bytes", x.maxRun)
			}
			if !found {
				if len(b) >= 2 {
					x.tail = [2]byte{b[len(b)-2], b[len(b)-1]}
				} else {
					x.tail = [2]byte{x.tail[1], b[0]}
				}
				return nil
			}
			b = b[i:]
			x.state, x.run = xText, 0
		}
	}
	return nil
}

// endTag handles the end of a tag whose bytes (after '<', at most 4 KiB) are x.tag.
func (x *xmlScan) endTag() {
	x.state, x.run = xText, 0
	if x.ws != nil {
		x.ws.tag(x.tag)
	}
}

// sheetCheck follows the rows and cells of one worksheet part.
type sheetCheck struct {
	file     string
	lim      Limits
	cells    *int // over every sheet read
	inData   bool // inside <sheetData>
	row, col int  // the last row and the last cell's column
	problem  *graph.Problem
}

// tag takes one tag of the worksheet.
func (s *sheetCheck) tag(t []byte) {
	if s.problem != nil || len(t) == 0 {
		return
	}
	end := t[0] == '/'
	if end {
		t = t[1:]
	}
	name := t
	if i := bytes.IndexAny(name, " \t\r\n/"); i >= 0 {
		name = name[:i]
	}
	if i := bytes.IndexByte(name, ':'); i >= 0 {
		name = name[i+1:]
	}
	selfClosing := bytes.HasSuffix(t, []byte("/"))
	switch string(name) {
	case "sheetData":
		s.inData = !end && !selfClosing
	case "row":
		if end || !s.inData {
			return
		}
		r := s.row + 1
		if v, ok := attrOf(t, "r"); ok {
			n, err := strconv.Atoi(v)
			if err != nil || n <= s.row || n > MaxSheetRows {
				s.fail(max(n, 0), "", v)
				return
			}
			r = n
		}
		s.row, s.col = r, 0
	case "c":
		if end || !s.inData {
			return
		}
		c := s.col + 1
		if v, ok := attrOf(t, "r"); ok {
			col, row, err := excelize.CellNameToCoordinates(v)
			if err != nil || row != s.row || col <= s.col {
				s.fail(s.row, excelColumn(max(col, 1)-1), v)
				return
			}
			c = col
		}
		s.col = c
		if c > s.lim.MaxColumns {
			s.problem = &graph.Problem{Index: -1, File: s.file, Row: s.row, Column: excelColumn(c - 1),
				Code: graph.PTooManyColumns, Args: []string{strconv.Itoa(s.lim.MaxColumns)}}
			return
		}
		if *s.cells++; *s.cells > s.lim.MaxCells {
			s.problem = &graph.Problem{Index: -1, File: s.file, Row: s.row, Code: graph.PTooManyCells,
				Args: []string{strconv.Itoa(s.lim.MaxCells)}}
		}
	}
}

// fail records a row or cell out of order (or numbered past Excel's last row).
func (s *sheetCheck) fail(row int, col, ref string) {
	if row < 1 {
		row = s.row + 1
	}
	s.problem = &graph.Problem{Index: -1, File: s.file, Row: row, Column: col, Value: ref, Code: graph.PUnorderedCells}
}

// attrOf returns the value of attribute name in the bytes of a tag.
func attrOf(t []byte, name string) (string, bool) {
	for i := 0; i < len(t); {
		j := bytes.Index(t[i:], []byte(name+"="))
		if j < 0 {
			return "", false
		}
		j += i
		k := j + len(name) + 1
		if j > 0 && strings.IndexByte(" \t\r\n", t[j-1]) >= 0 && k < len(t) && (t[k] == '"' || t[k] == '\'') {
			if e := bytes.IndexByte(t[k+1:], t[k]); e >= 0 {
				return string(t[k+1 : k+1+e]), true
			}
			return "", false
		}
		i = j + 1
	}
	return "", false
}
