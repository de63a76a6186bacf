package interchange

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/graph/storetest"
	"github.com/chainmap/chainmap/seed/zhenjiang"
)

// hostileNames are free texts that changed on a round trip or hid a formula
// (issue 15 #12): spaces, tabs, CR/LF and NBSP around them, a formula behind white
// space, zero-width and bidirectional characters, decomposed accents.
var hostileNames = []struct{ raw, stored string }{
	{"  前后空格  ", "前后空格"},
	{"\t制表符\t", "制表符"},
	{"\r\n换行\r\n", "换行"},
	{"\u00a0不换行空格\u00a0", "不换行空格"},
	{" =HYPERLINK(\"http://evil.example\")", `=HYPERLINK("http://evil.example")`},
	{"\n=1+1", "=1+1"},
	{"\u00a0=cmd|' /C calc'!A0", "=cmd|' /C calc'!A0"},
	{"内部\u00a0空格\t与制表", "内部 空格 与制表"},
	{"多行\r\n名称\r第三行", "多行\n名称\n第三行"},
	{"零\u200b宽\ufeff字符\u202e反转", "零宽字符反转"},
	{"Cafe\u0301", "Café"},
	{"全角\u3000空格", "全角\u3000空格"},
	{"@SUM(1)", "@SUM(1)"},
	{"-负号", "-负号"},
	{"+86 511", "+86 511"},
	{"'单引号", "'单引号"},
	{"''=两个", "'=两个"}, // read as chainmap's own escape of "'=两个"
	{"emoji 👩\u200d💻", "emoji 👩\u200d💻"},
	{"NUL\x00与BEL\x07", "NUL与BEL"},
}

// writeRawCSV writes rows as csv without any escaping, as another program would.
func writeRawCSV(t *testing.T, dir, name string, rows [][]string) {
	t.Helper()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.WriteAll(rows)
	writeFile(t, dir, name, b.String())
}

// exportCSV writes s as a csv folder and returns it.
func exportCSV(t *testing.T, s graph.Store, dir string) string {
	t.Helper()
	if err := Write(context.Background(), s, dir, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	return dir
}

func sameFolders(t *testing.T, a, b string) {
	t.Helper()
	for _, f := range Formats {
		x, _ := os.ReadFile(filepath.Join(a, string(f.Table)+".csv"))
		y, _ := os.ReadFile(filepath.Join(b, string(f.Table)+".csv"))
		if !bytes.Equal(x, y) {
			t.Errorf("%s.csv differs between exports:\n%s\n---\n%s", f.Table, x, y)
		}
	}
}

// TestRoundTripIsByteIdentical: export → import → export gives the same bytes, on
// the demo and on hostile text, through csv and xlsx; the hostile text is stored
// normalised (issue 15 #12).
func TestRoundTripIsByteIdentical(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	raw := filepath.Join(dir, "raw")
	os.Mkdir(raw, 0o755)
	companies := [][]string{{"id", "name", "region_code", "provenance"}}
	for i, n := range hostileNames {
		companies = append(companies, []string{" H-" + string(rune('A'+i)) + "\u00a0", n.raw, "321181 ", "\t来源 " + n.raw})
	}
	writeRawCSV(t, raw, "companies.csv", companies)
	writeRawCSV(t, raw, "projects.csv", [][]string{{"id", "name", "region_code", "investment_yi", "stage", "signed_on"},
		{"\u00a0HP-1 ", " 项目\r\n名称 ", " 321181", " 1.5 ", " 签约 ", " 2024-01-05 "}})
	a := openStore(t)
	if _, err := a.Import(ctx, storetest.Fixture(), graph.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, probs := importPath(t, a, raw); probs != nil {
		t.Fatalf("hostile text refused: %v", probs)
	}
	got, _ := graph.ReadAll(ctx, a)
	for i, n := range hostileNames {
		c := companyByID(t, got, "H-"+string(rune('A'+i)))
		if c.Name != n.stored || c.RegionCode != "321181" || c.Provenance != graph.NormalizeText("来源 "+n.raw) {
			t.Errorf("%q stored as %q (region %q, provenance %q), want %q", n.raw, c.Name, c.RegionCode, c.Provenance, n.stored)
		}
	}
	wantProject("HP-1", func(p graph.Project) bool {
		return p.Name == "项目\n名称" && p.Stage == graph.Signed && p.SignedOn == "2024-01-05" && p.InvestmentWan == 15000
	})(t, got)

	for name, ds := range map[string]func(t *testing.T) graph.Store{
		"hostile": func(t *testing.T) graph.Store { return a },
		"demo": func(t *testing.T) graph.Store {
			s := openStore(t)
			if _, err := s.Import(ctx, zhenjiang.Dataset(), graph.ImportOptions{}); err != nil {
				t.Fatal(err)
			}
			return s
		},
	} {
		t.Run(name, func(t *testing.T) {
			src := ds(t)
			first := exportCSV(t, src, filepath.Join(t.TempDir(), "first"))
			b := openStore(t)
			if _, probs := importPath(t, b, first); probs != nil {
				t.Fatalf("re-import: %v", probs)
			}
			sameFolders(t, first, exportCSV(t, b, filepath.Join(t.TempDir(), "second")))
			// Through a workbook too.
			book := filepath.Join(t.TempDir(), "export.xlsx")
			if err := Write(ctx, src, book, WriteOptions{}); err != nil {
				t.Fatal(err)
			}
			c := openStore(t)
			if _, probs := importPath(t, c, book); probs != nil {
				t.Fatalf("re-import of the workbook: %v", probs)
			}
			sameFolders(t, first, exportCSV(t, c, filepath.Join(t.TempDir(), "third")))
			// No exported text cell starts a formula, however it is dressed.
			body, _ := os.ReadFile(filepath.Join(first, "companies.csv"))
			r := csv.NewReader(bytes.NewReader(body))
			r.FieldsPerRecord = -1
			recs, err := r.ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			for _, rec := range recs[1:] {
				for _, cell := range []string{rec[1], rec[len(rec)-1]} {
					if v := strings.TrimLeft(cell, " \t\r\n\u00a0\u200b\ufeff"); v != "" && strings.ContainsRune("=+-@", rune(v[0])) {
						t.Errorf("exported cell %q starts a formula", cell)
					}
				}
			}
		})
	}
}

// TestLookAlikeIdsAreRefused: ids differing only by an invisible character were
// different companies (issue 15 #12); such a character is a located problem, and
// ids differing by white space at their ends or by NFC are one id (duplicates).
func TestLookAlikeIdsAreRefused(t *testing.T) {
	dir := t.TempDir()
	writeRawCSV(t, dir, "companies.csv", [][]string{{"id", "name", "region_code"},
		{"LA-1", "甲", "321181"}, {"LA-1\u200b", "甲", "321181"}, {"\ufeffLA-1", "甲", "321181"}, {"LA\u202e-1", "甲", "321181"},
		{"LA\u00a01", "甲", "321181"}, {"LA\u30001", "甲", "321181"}, {"LA-1\u00a0", "甲", "321181"}, {"Cafe\u0301", "乙", "321181"},
		{"Café", "乙", "321181"}})
	s := openStore(t)
	if _, err := s.Import(context.Background(), storetest.Fixture(), graph.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	_, probs := importPath(t, s, dir)
	var got []string
	for _, p := range probs {
		got = append(got, problemKey(p)+" "+strings.Join(p.Args, ","))
	}
	want := []string{
		"companies.csv:3:id:invisible_char U+200B",
		"companies.csv:4:id:invisible_char U+FEFF",
		"companies.csv:5:id:invisible_char U+202E",
		"companies.csv:6:id:invisible_char U+00A0",
		"companies.csv:7:id:invisible_char U+3000",
		"companies.csv:8:id:duplicate 2",
		"companies.csv:10:id:duplicate 9",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if counts, _ := s.Counts(context.Background()); counts[graph.TCompanies] != len(storetest.Fixture().Companies) {
		t.Error("a rejected import wrote companies")
	}
}
