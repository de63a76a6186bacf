package interchange

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

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
		if !utf8.ValidString(p.Message("zh")) || !utf8.ValidString(p.Message("en")) {
			t.Fatalf("problem text is not valid UTF-8: %+v", p)
		}
	}
	// What a reader returns is in stored form already: normalising it again changes
	// nothing, and every date it produced is a valid Date.
	before, _ := json.Marshal(ds)
	var again graph.Dataset
	json.Unmarshal(before, &again)
	again.Normalize()
	if after, _ := json.Marshal(&again); !bytes.Equal(before, after) {
		t.Fatalf("read records are not normalised:\n%s\n%s", before, after)
	}
	for _, c := range ds.Companies {
		if !c.FoundedOn.Valid() {
			t.Fatalf("founded_on %q", c.FoundedOn)
		}
	}
	for _, p := range ds.Projects {
		for _, d := range []graph.Date{p.SignedOn, p.StartedOn, p.ProducingOn, p.AtCapacityOn, p.PlannedStartOn, p.PlannedProduceOn} {
			if !d.Valid() {
				t.Fatalf("project date %q", d)
			}
		}
	}
}

func FuzzReadCSV(f *testing.F) {
	f.Add(uint8(6), []byte("id,name,region_code,revenue_wan,tags\nA,甲,321100,12.5,专精特新;规上\n"))
	f.Add(uint8(9), []byte("supplier_id,customer_id,confidence,since\nA,B,0.5,2020-01-01\n\"x\"\"\",B,,45000\n"))
	f.Add(uint8(10), []byte("\ufeffid,name,region_code,investment_yi,stage,signed_on\nP,项目,1,1.5,签约,2024年1月5日\n"))
	f.Add(uint8(0), []byte("code,name,kind\n\"unterminated,x,y\n"))
	f.Add(uint8(0), []byte{0xb5, 0xd8, 0xc7, 0xf8, ',', 'a', '\n'}) // GBK 地区
	// Issue 15: numbers, dates and ids in the forms that were mangled or accepted.
	f.Add(uint8(6), []byte("id,name,region_code,revenue_wan,employees,founded_on\nA,甲,1,\"1,5\",1_000,2024013\nB,乙,1,0x1p4,\"1,2,3,4\",202401\n"))
	f.Add(uint8(6), []byte("id,name,region_code,revenue_wan,founded_on\nA,甲,1,\"1,234,567.5\",2024-01-31 至 2024-12-31\nB,乙,1,NaN,2024-01-31 garbage\n"))
	f.Add(uint8(10), []byte("id,name,region_code,investment_yi,stage,signed_on,planned_start_on\nP,项目,1,3.3000000000000003,签约,9999-12-31,2199-01-01\n"))
	f.Add(uint8(6), []byte("id,name,region_code\nZJ-001\u200b,甲,1\n\ufeffZJ-001,乙,1\nZJ\u202e-001,丙,1\n 镇江鱼跃医疗\u00a0, =1+1\u00a0,1\n"))
	f.Add(uint8(6), []byte("id,name,region_code\n91甲10108551385082Q,\"\t名\r\n称\",1\nCafe\u0301,x,1\n"))
	f.Add(uint8(6), append([]byte("id,name,region_code\nA,"+strings.Repeat("甲", 20)+",1\n"), 0xd5, 0xe3, ',', '1', '\n'))
	f.Add(uint8(0), []byte("code,name,kind"+strings.Repeat(",x", 300)+"\n"))
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
	// Issue 15: numbers, dates and ids as text cells; a hidden sheet; cells out of
	// order; a long run of white space.
	x.SetSheetRow("companies", "A4", &[]any{"ZJ-001\u200b", " 名\u00a0", "321100", "2024013", "1,5"})
	x.SetSheetRow("companies", "A5", &[]any{"镇江鱼跃医疗", "=1+1", "321100", "2024-01-31 garbage", 3.3000000000000003})
	x.NewSheet("projects")
	x.SetSheetRow("projects", "A1", &[]any{"id", "name", "region_code", "investment_yi", "stage", "signed_on"})
	x.SetSheetRow("projects", "A2", &[]any{"P", "项目", "321100", 3.3000000000000003, "签约", "9999-12-31"})
	x.SetSheetVisible("projects", false, true)
	if buf, err = x.WriteToBuffer(); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add(patchXLSX(f, buf.Bytes(), `<row r="2"`, `<row r="7"`))
	f.Add(patchXLSX(f, buf.Bytes(), `<row r="3"`, strings.Repeat(" ", 4096)+`<!-- x --><row r="3"`))
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
