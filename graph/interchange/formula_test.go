package interchange

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// craftedSheet is worksheet XML as other tools write it: rows and cells without
// references, a gap, cells out of order, shared formulas, namespace prefixes.
const craftedSheet = `<sheetData>` +
	`<row r="1"><c r="A1" t="inlineStr"><is><t>h</t></is></c><c r="C1" t="str"><f>1+1</f></c></row>` +
	`<row><c t="e"><v>#REF!</v></c><c><f>2+2</f><v></v></c><c t="str"><f>""</f><v></v></c><c><f>3</f><v>3</v></c></row>` +
	`<row r="5"/>` +
	`<row r="7"><c r="B7"><f t="shared" ref="B7:B8" si="0">A7*2</f></c><c r="A7"><v>3</v></c></row>` +
	`<x:row r="8" xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:c r="B8"><x:f t="shared" si="0"/></x:c><x:c r="D8" t="e"><x:f>1/0</x:f><x:v>#DIV/0!</x:v></x:c></x:row>` +
	// For the evaluator: cached formulas referred to by others.
	`<row r="9"><c r="A9"><f>B7*2</f><v>12</v></c><c r="B9"><f>SUM(7:7)</f><v>9</v></c></row>` +
	`</sheetData>`

func craftedWorkbook(t *testing.T) string {
	t.Helper()
	x := excelize.NewFile()
	defer x.Close()
	if err := x.SetCellValue("Sheet1", "A1", 1); err != nil {
		t.Fatal(err)
	}
	buf, err := x.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "crafted.xlsx")
	body := patchXLSX(t, buf.Bytes(), `<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>`, craftedSheet)
	if err := os.WriteFile(path, body, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestSheetScan checks the notes row by row, and that they agree with excelize's
// row iterator: an uncached formula streams as "", a cached error as its text.
func TestSheetScan(t *testing.T) {
	path := craftedWorkbook(t)
	want := map[int][]cellNote{
		1: {{col: 2, uncached: true, formula: "1+1"}},
		2: {{col: 0, errValue: "#REF!"}, {col: 1, uncached: true, formula: "2+2"}},
		7: {{col: 1, uncached: true, formula: "A7*2"}},
		8: {{col: 1, uncached: true}, {col: 3, errValue: "#DIV/0!"}},
	}
	parts, err := openWorkbookParts(path)
	if err != nil {
		t.Fatal(err)
	}
	defer parts.Close()
	scan, err := parts.scan("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	defer scan.Close()
	x, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, err := x.Rows("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
		cols, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		got := scan.notesOf(n)
		if len(got) == 0 {
			got = nil
		}
		if !reflect.DeepEqual(got, want[n]) {
			t.Errorf("row %d: notes %+v, want %+v", n, got, want[n])
		}
		for _, nt := range got {
			v := ""
			if nt.col < len(cols) {
				v = cols[nt.col]
			}
			if nt.uncached && v != "" || nt.errValue != "" && v != nt.errValue {
				t.Errorf("row %d column %d: excelize streams %q for note %+v", n, nt.col, v, nt)
			}
		}
	}
	if n != 9 {
		t.Errorf("excelize read %d rows, want 9", n)
	}
}

func TestEvaluator(t *testing.T) {
	path := craftedWorkbook(t)
	x, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	parts, err := openWorkbookParts(path)
	if err != nil {
		t.Fatal(err)
	}
	defer parts.Close()
	ev := &evaluator{x: x, parts: parts}
	for _, tc := range []struct {
		cell, formula string // formula, when set, replaces the cell's
		v, got        string
		ok            bool
	}{
		{cell: "C1", v: "2", ok: true},
		{cell: "B2", v: "4", ok: true},
		{cell: "B7", v: "6", ok: true},
		{cell: "B8", v: "0", ok: true}, // the shared formula A8*2, A8 empty
		{cell: "D8", got: "#DIV/0!"},
		{cell: "E9", formula: `SUM(A7:A8)+'Sheet1'!$A$7+LEN("abc")`, v: "9", ok: true},
		{cell: "E9", formula: `IF(TRUE,DATE(2024,1,5),0)`, v: "45296", ok: true},
		// Not evaluated: refers to formula cells, cached or not (excelize would
		// recompute them), calls an unlisted function, refers to a name.
		{cell: "E9", formula: "A9+1"},
		{cell: "E9", formula: "SUM(B1:B2)"},
		{cell: "E9", formula: "SUM(A:B)"},
		{cell: "E9", formula: "Sheet1!9:9"},
		{cell: "E9", formula: "C1+1"},
		{cell: "E9", formula: `LEN(REPT("x",1000000000))`},
		{cell: "E9", formula: `INDIRECT("A7")`},
		{cell: "E9", formula: "Total*2"},
		{cell: "E9", formula: "[1]Sheet1!A7"},
		{cell: "E9", formula: "A7+A7+A7+A7+A7+A7+A7+A7+A7"},
	} {
		if tc.formula != "" {
			if err := x.SetCellFormula("Sheet1", tc.cell, tc.formula); err != nil {
				t.Fatal(err)
			}
		}
		v, got, ok := ev.value(t.Context(), "Sheet1", tc.cell)
		if v != tc.v || got != tc.got || ok != tc.ok {
			t.Errorf("%s %s: %q %q %v, want %q %q %v", tc.cell, tc.formula, v, got, ok, tc.v, tc.got, tc.ok)
		}
	}
}

func TestParseRef(t *testing.T) {
	for _, tc := range []struct {
		in, sheet string
		r         cellRange
		ok        bool
	}{
		{"A1", "S", cellRange{1, 1, 1, 1}, true},
		{"$B$2:A1", "S", cellRange{1, 1, 2, 2}, true},
		{"Other!C3", "Other", cellRange{3, 3, 3, 3}, true},
		{"'It''s here'!A1:B2", "It's here", cellRange{1, 1, 2, 2}, true},
		{"B:C", "S", cellRange{2, 1, 3, excelize.TotalRows}, true},
		{"$3:$1", "S", cellRange{1, 1, excelize.MaxColumns, 3}, true},
		{"XFD1048576", "S", cellRange{excelize.MaxColumns, excelize.TotalRows, excelize.MaxColumns, excelize.TotalRows}, true},
		{"XFE1", "", cellRange{}, false},
		{"A0", "", cellRange{}, false},
		{"A1048577", "", cellRange{}, false},
		{"B", "", cellRange{}, false}, // a name
		{"3", "", cellRange{}, false},
		{"A1:B", "", cellRange{}, false},
		{"Sales_Q1", "", cellRange{}, false},
		{"Sheet1:Sheet3!A1", "", cellRange{}, false},
		{"[1]Sheet1!A1", "", cellRange{}, false},
		{"!A1", "", cellRange{}, false},
		{"A1:B2:C3", "", cellRange{}, false},
		{"A+1", "", cellRange{}, false},
	} {
		sheet, r, ok := parseRef("S", tc.in)
		if sheet != tc.sheet || r != tc.r || ok != tc.ok {
			t.Errorf("parseRef(%q) = %q %+v %v, want %q %+v %v", tc.in, sheet, r, ok, tc.sheet, tc.r, tc.ok)
		}
	}
}

func TestMayHoldFormulas(t *testing.T) {
	pad := strings.Repeat("x", 64<<10) // the first read ends 2 bytes after it
	for _, tc := range []struct {
		xml  string
		want bool
	}{
		{`<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData>`, false},
		{`<sheetFormatPr defaultRowHeight="15"/><font/><fill/><c r="A1"><v>1</v></c>`, false},
		{`<c r="A1"><f>1+1</f></c>`, true},
		{`<c r="A1"><f t="shared" si="0"/></c>`, true},
		{`<c r="A1"><f/></c>`, true},
		{"<c r=\"A1\"><f\n>1</f></c>", true},
		{`<x:c r="A1"><x:f>1</x:f></x:c>`, true},
		{`<c r="A1" t="e"><v>#N/A</v></c>`, true},
		{`<c r='A1' t='e'><v>#N/A</v></c>`, true},
		{pad + `<f>1</f>`, true},
		{pad[1:] + `<f>1</f>`, true},
		{pad[2:] + `<f>1</f>`, true},
		{pad + `"e"`, true},
		{pad[1:] + `t="e"`, true},
		{pad + `<font/>`, false},
		{"", false},
	} {
		got, err := mayHoldFormulas(strings.NewReader(tc.xml))
		if err != nil || got != tc.want {
			t.Errorf("%.40q…: %v, %v; want %v", tc.xml[max(0, len(tc.xml)-40):], got, err, tc.want)
		}
	}
}
