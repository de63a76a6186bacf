package interchange

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strconv"
	"strings"

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
