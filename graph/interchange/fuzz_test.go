package interchange

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/chainmap/chainmap/graph"
	"github.com/xuri/excelize/v2"
)

// consistent checks what must hold for any input: records and their source rows
// line up, and every problem carries a code with messages in both languages.
func consistent(t *testing.T, ds *graph.Dataset, origin *graph.Origin) {
	for _, tbl := range graph.Tables {
		if rows := origin.Rows[tbl]; rows != nil && len(rows) != ds.Len(tbl) {
			t.Fatalf("%s: %d records but %d rows", tbl, ds.Len(tbl), len(rows))
		}
	}
	ps, err := graph.Check(context.Background(), ds, nil, origin)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if p.Code == "" || p.Message("zh") == p.Code || p.Message("en") == p.Code {
			t.Fatalf("problem without a catalogued message: %+v", p)
		}
	}
}

func FuzzReadCSV(f *testing.F) {
	f.Add(uint8(6), []byte("id,name,region_code,revenue_wan,tags\nA,甲,321100,12.5,专精特新;规上\n"))
	f.Add(uint8(9), []byte("supplier_id,customer_id,confidence,since\nA,B,0.5,2020-01-01\n\"x\"\"\",B,,45000\n"))
	f.Add(uint8(10), []byte("\ufeffid,name,region_code,investment_yi,stage,signed_on\nP,项目,1,1.5,签约,2024年1月5日\n"))
	f.Add(uint8(0), []byte("code,name,kind\n\"unterminated,x,y\n"))
	f.Add(uint8(0), []byte{0xb5, 0xd8, 0xc7, 0xf8, ',', 'a', '\n'}) // GBK 地区
	f.Fuzz(func(t *testing.T, table uint8, body []byte) {
		tbl := graph.Tables[int(table)%len(graph.Tables)]
		ds, origin := &graph.Dataset{}, newOrigin()
		if err := ReadCSV(context.Background(), bytes.NewReader(body), "fuzz.csv", tbl, ds, origin); err != nil {
			return // an unreadable stream is reported as an error, not a panic
		}
		consistent(t, ds, origin)
	})
}

func FuzzReadXLSX(f *testing.F) {
	x := excelize.NewFile()
	x.SetSheetName("Sheet1", "companies")
	x.SetSheetRow("companies", "A1", &[]any{"id", "name", "region_code", "founded_on", "employees"})
	x.SetSheetRow("companies", "A2", &[]any{"A", "甲", "321100", 45296})
	buf, err := x.WriteToBuffer()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	// Formulas: uncached ones to evaluate (one failing), a cached error.
	x.SetSheetRow("companies", "A3", &[]any{"B", nil, "321100", nil})
	x.SetCellFormula("companies", "B3", `"乙"&A3`)
	x.SetCellFormula("companies", "D2", "DATE(2024,1,5)")
	x.SetCellFormula("companies", "D3", "1/0")
	x.SetCellFormula("companies", "E2", "A1")
	if buf, err = x.WriteToBuffer(); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add(patchXLSX(f, buf.Bytes(), `<c r="E2" t="str"><f>A1</f></c>`, `<c r="E2" t="e"><f>A1</f><v>#REF!</v></c>`))
	f.Add([]byte("PK\x03\x04 not really a zip"))
	f.Add([]byte{})
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, body []byte) {
		path := filepath.Join(dir, "fuzz.xlsx")
		if err := os.WriteFile(path, body, 0o644); err != nil {
			t.Fatal(err)
		}
		ds, origin, err := ReadXLSX(context.Background(), path)
		if err != nil {
			if graph.ErrorCode(err) != graph.EINVALID {
				t.Fatalf("unreadable workbook should be EINVALID: %v", err)
			}
			return
		}
		consistent(t, ds, origin)
	})
}
