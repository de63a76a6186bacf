package interchange

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/graph/storetest"
	"github.com/xuri/excelize/v2"
)

// badCase is one malformed, hostile or merely unusual input. Inputs live in
// testdata/bad/<name>/ (a folder of .csv files) unless gen builds them in a temp
// directory (workbooks and very large files).
type badCase struct {
	name string
	// gen writes the input under dir and returns the path to import; nil means
	// testdata/bad/<name>.
	gen func(t *testing.T, dir string) string
	// want lists problems that must be reported, as file:row:column:code (row and
	// column empty where the problem has none). Empty want means the import must
	// succeed and check is called on the store's content.
	want  []string
	check func(t *testing.T, ds *graph.Dataset)
	// probs, when set, also checks the problems of a rejected input.
	probs func(t *testing.T, ps []graph.Problem)
	// wantErr, when set, is part of the error reading must fail with: a file refused
	// as a whole (a zip bomb) rather than row by row.
	wantErr string
	// maxDur bounds the read and import time when set.
	maxDur time.Duration
	// bug describes a known wrong behaviour: while want is not met the case is
	// skipped with this text instead of failing, so a fix turns it into a check.
	bug string
}

func companyByID(t *testing.T, ds *graph.Dataset, id string) graph.Company {
	t.Helper()
	for _, c := range ds.Companies {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("company %q not stored", id)
	return graph.Company{}
}

func wantName(id, name string) func(t *testing.T, ds *graph.Dataset) {
	return func(t *testing.T, ds *graph.Dataset) {
		if c := companyByID(t, ds, id); c.Name != name {
			t.Errorf("company %s name = %q, want %q", id, c.Name, name)
		}
	}
}

// wantRegion checks the stored name of a region.
func wantRegion(code, name string) func(t *testing.T, ds *graph.Dataset) {
	return func(t *testing.T, ds *graph.Dataset) {
		i := slices.IndexFunc(ds.Regions, func(r graph.Region) bool { return r.Code == code })
		if i < 0 || ds.Regions[i].Name != name {
			t.Errorf("region %s not stored as %q: %+v", code, name, ds.Regions)
		}
	}
}

// wantRoles checks the stored role of each listed link.
func wantRoles(want map[string]graph.Role) func(t *testing.T, ds *graph.Dataset) {
	return func(t *testing.T, ds *graph.Dataset) {
		for id, role := range want {
			i := slices.IndexFunc(ds.Links, func(l graph.Link) bool { return l.ID == id })
			if i < 0 {
				t.Errorf("link %s not stored", id)
			} else if ds.Links[i].Role != role {
				t.Errorf("link %s role = %q, want %q", id, ds.Links[i].Role, role)
			}
		}
	}
}

// xlsxCase builds a workbook with the given sheets (name → rows) and lets edit
// adjust it (styles, formulas, merges) before saving.
func xlsxCase(sheets []string, rows map[string][][]any, edit func(t *testing.T, x *excelize.File)) func(t *testing.T, dir string) string {
	return func(t *testing.T, dir string) string {
		path := filepath.Join(dir, "in.xlsx")
		x := excelize.NewFile()
		defer x.Close()
		for i, s := range sheets {
			if i == 0 {
				x.SetSheetName("Sheet1", s)
			} else if _, err := x.NewSheet(s); err != nil {
				t.Fatal(err)
			}
			for r, row := range rows[s] {
				cell, _ := excelize.CoordinatesToCellName(1, r+1)
				if err := x.SetSheetRow(s, cell, &row); err != nil {
					t.Fatal(err)
				}
			}
		}
		if edit != nil {
			edit(t, x)
		}
		if err := x.SaveAs(path); err != nil {
			t.Fatal(err)
		}
		return path
	}
}

// patchSheets rewrites the worksheet XML of the workbook gen builds, replacing
// each old string (which must occur) by its new one: excelize cannot write a
// formula's cached value, an error cell or openpyxl's empty <v></v>.
func patchSheets(gen func(t *testing.T, dir string) string, oldnew ...string) func(t *testing.T, dir string) string {
	return func(t *testing.T, dir string) string {
		path := gen(t, dir)
		body, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, patchXLSX(t, body, oldnew...), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
}

// patchXLSX rewrites the worksheet parts (xl/worksheets/*) of a workbook.
func patchXLSX(tb testing.TB, body []byte, oldnew ...string) []byte {
	tb.Helper()
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		tb.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	found := make([]bool, len(oldnew)/2)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			tb.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			tb.Fatal(err)
		}
		if strings.HasPrefix(f.Name, "xl/worksheets/") {
			for i := 0; i < len(oldnew); i += 2 {
				if bytes.Contains(data, []byte(oldnew[i])) {
					found[i/2] = true
					data = bytes.ReplaceAll(data, []byte(oldnew[i]), []byte(oldnew[i+1]))
				}
			}
		}
		w, err := zw.Create(f.Name)
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := w.Write(data); err != nil {
			tb.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	for i, ok := range found {
		if !ok {
			tb.Fatalf("patchXLSX: %q not in any worksheet", oldnew[2*i])
		}
	}
	return out.Bytes()
}

// formulas sets cell formulas of one sheet, as xlsxCase's edit.
func formulas(sheet string, cellFormula ...string) func(t *testing.T, x *excelize.File) {
	return func(t *testing.T, x *excelize.File) {
		for i := 0; i < len(cellFormula); i += 2 {
			if err := x.SetCellFormula(sheet, cellFormula[i], cellFormula[i+1]); err != nil {
				t.Fatal(err)
			}
		}
	}
}

var companyHeader = []any{"id", "name", "region_code", "revenue_wan", "employees", "founded_on"}

func badCases() []badCase {
	return append(baseCases(), hostileCases()...)
}

func baseCases() []badCase {
	return []badCase{
		// ---- unusual but valid: must import with exact values ----
		{name: "ok_gbk_excel", check: func(t *testing.T, ds *graph.Dataset) {
			c := companyByID(t, ds, "B-001")
			if c.Name != "镇江甲医疗器械有限公司" || c.RegionCode != "321181" || c.RevenueWan != 1200 ||
				c.FoundedOn != "2015-06-30" || !slices.Equal(c.Tags, []graph.Tag{"专精特新", "高新技术企业"}) {
				t.Errorf("GBK company = %+v", c)
			}
		}},
		{name: "ok_gb18030_rare", check: wantName("B-002", "𠮷野家餐饮（镇江）有限公司")},
		// UTF-16 with its BOM is decoded (it was read as GB18030 and refused for headers
		// it did not have).
		{name: "ok_utf16le_bom", check: wantRegion("321102", "京口区")},
		{name: "ok_utf16be_bom", check: wantRegion("321102", "京口区")},
		{name: "ok_utf8_bom", check: func(t *testing.T, ds *graph.Dataset) {
			i := slices.IndexFunc(ds.Regions, func(r graph.Region) bool { return r.Code == "321102" })
			if i < 0 || ds.Regions[i].Name != "京口区" || ds.Regions[i].Kind != graph.District || ds.Regions[i].ParentCode != "321100" {
				t.Errorf("BOM region not imported: %+v", ds.Regions)
			}
		}},
		{name: "ok_bom_every_file", check: func(t *testing.T, ds *graph.Dataset) {
			if c := companyByID(t, ds, "B-003"); c.RegionCode != "321111" || c.Name != "润州公司" {
				t.Errorf("company = %+v", c)
			}
		}},
		{name: "ok_serial_dates", check: func(t *testing.T, ds *graph.Dataset) {
			if c := companyByID(t, ds, "B-004"); c.FoundedOn != "2024-01-05" {
				t.Errorf("serial 45296 = %q, want 2024-01-05", c.FoundedOn)
			}
			i := slices.IndexFunc(ds.Supplies, func(s graph.Supply) bool {
				return s.SupplierID == "ZJ-001" && s.CustomerID == "ZJ-002"
			})
			if i < 0 || ds.Supplies[i].Since != "2024-01-01" || ds.Supplies[i].Until != "2024-12-31" {
				t.Errorf("serial supply dates: %+v", ds.Supplies)
			}
		}},
		{name: "ok_inject_sql", check: wantName("B-005", "'; DROP TABLE companies; --")},
		{name: "ok_inject_formula", check: wantName("B-006", "=cmd|' /C calc'!A0")},
		{name: "ok_inject_script", check: wantName("B-007", "<script>alert('x')</script>")},
		{name: "ok_inject_products", check: func(t *testing.T, ds *graph.Dataset) {
			i := slices.IndexFunc(ds.CompanyLinks, func(c graph.CompanyLink) bool { return c.CompanyID == "ZJ-002" && c.LinkID == "MD_M1" })
			if i < 0 || ds.CompanyLinks[i].Products != "+SUM(1,2)；@A1；-2+3" {
				t.Errorf("company links: %+v", ds.CompanyLinks)
			}
		}},
		{name: "ok_crlf_and_blank_tail", check: wantName("B-008", "回车换行公司")},
		{name: "ok_mixed_headers", check: func(t *testing.T, ds *graph.Dataset) {
			if c := companyByID(t, ds, "B-009"); c.RevenueWan != 88.5 || c.Employees != 12 || c.FoundedOn != "2020-03-01" {
				t.Errorf("company = %+v", c)
			}
		}},
		{name: "ok_leading_blank_rows", check: wantName("B-010", "前置空行公司")},
		{name: "ok_header_only", check: func(t *testing.T, ds *graph.Dataset) {
			if ok, table := storetest.Equal(ds, storetest.Fixture()); !ok {
				t.Errorf("header-only file changed %s", table)
			}
		}},
		{name: "ok_empty_file", check: func(t *testing.T, ds *graph.Dataset) {
			if ok, table := storetest.Equal(ds, storetest.Fixture()); !ok {
				t.Errorf("empty file changed %s", table)
			}
		}},
		{name: "ok_many_blank_rows", check: wantName("B-011", "空行之后公司")},
		{name: "ok_role_words", check: wantRoles(map[string]graph.Role{"R1": graph.Production, "R2": graph.Service,
			"R3": graph.Trade, "R4": graph.Institution, "R5": graph.Construction, "R6": graph.Service, "R7": ""})},
		{name: "ok_links_without_role", check: wantRoles(map[string]graph.Role{"R8": "", "MD_D1": graph.Institution})},
		{name: "xlsx_role_header_zh", gen: xlsxCase([]string{"环节"}, map[string][][]any{"环节": {
			{"环节编号", "产业链编号", "环节名称", "层级", "角色"},
			{"R9", "CH_MD", "医疗器械零售", "下游", "贸易"},
			{"R10", "CH_MD", "医学院", "下游", "机构"},
			{"R11", "CH_MD", "工程总承包", "下游", "construction"},
		}}, nil), check: wantRoles(map[string]graph.Role{"R9": graph.Trade, "R10": graph.Institution, "R11": graph.Construction})},
		{name: "ok_quoted_newlines", check: wantName("B-012", "多行\n名称, with comma and \"quotes\"")},
		{name: "xlsx_ok_dates_and_injection", gen: xlsxCase([]string{"企业"}, map[string][][]any{"企业": {
			companyHeader,
			{"X-001", "=cmd|' /C calc'!A0", "321181", 12.5, 7, 45296},
			{"X-002", "<script>alert(1)</script>", "321181", nil, nil, "2020/2/29"},
			{"X-003", "'; DROP TABLE companies; --", "321181", nil, nil, time.Date(2019, 12, 31, 0, 0, 0, 0, time.UTC)},
		}}, func(t *testing.T, x *excelize.File) {
			style, _ := x.NewStyle(&excelize.Style{NumFmt: 14})
			x.SetCellStyle("企业", "F2", "F2", style)
		}), check: func(t *testing.T, ds *graph.Dataset) {
			if c := companyByID(t, ds, "X-001"); c.Name != "=cmd|' /C calc'!A0" || c.FoundedOn != "2024-01-05" || c.RevenueWan != 12.5 || c.Employees != 7 {
				t.Errorf("X-001 = %+v", c)
			}
			if c := companyByID(t, ds, "X-002"); c.Name != "<script>alert(1)</script>" || c.FoundedOn != "2020-02-29" {
				t.Errorf("X-002 = %+v", c)
			}
			if c := companyByID(t, ds, "X-003"); c.Name != "'; DROP TABLE companies; --" || c.FoundedOn != "2019-12-31" {
				t.Errorf("X-003 = %+v", c)
			}
		}},
		{name: "csv_1M_empty_rows", maxDur: 20 * time.Second, gen: func(t *testing.T, dir string) string {
			var b strings.Builder
			b.WriteString("id,name,region_code,revenue_wan\n")
			for range 1_000_000 {
				b.WriteString(",,,\n")
			}
			b.WriteString("B-100,百万空行之后,321181,1\n")
			writeFile(t, dir, "companies.csv", b.String())
			return dir
		}, check: wantName("B-100", "百万空行之后")},
		{name: "csv_1M_empty_rows_then_bad", maxDur: 20 * time.Second, gen: func(t *testing.T, dir string) string {
			writeFile(t, dir, "companies.csv", "id,name,region_code\n"+strings.Repeat("\n", 1_000_000)+"B-101,甲,nowhere\n")
			return dir
		}, want: []string{"companies.csv:1000002:region_code:unknown_ref"}},

		// ---- rejected: located problems, store unchanged ----
		{name: "latin1_mojibake_header", want: []string{"regions.csv:1::bad_encoding"}}, // é in Latin-1 is no GBK either
		{name: "merged_cell_blanks", want: []string{"companies.csv:3:region_code:required", "companies.csv:4:region_code:required"}},
		{name: "merged_cell_blank_key", want: []string{"company_links.csv:3:company_id:required"}},
		{name: "xlsx_merged_cells", gen: xlsxCase([]string{"companies"}, map[string][][]any{"companies": {
			companyHeader,
			{"X-010", "甲", "321181"},
			{"X-011", "乙", nil},
			{"X-012", "丙", nil},
		}}, func(t *testing.T, x *excelize.File) {
			if err := x.MergeCell("companies", "C2", "C4"); err != nil {
				t.Fatal(err)
			}
		}), want: []string{"in.xlsx [companies]:3:region_code:required", "in.xlsx [companies]:4:region_code:required"}},
		{name: "formula_in_number", want: []string{"companies.csv:2:revenue_wan:bad_number"}},
		{name: "xlsx_formula_text", gen: xlsxCase([]string{"companies"}, map[string][][]any{"companies": {
			companyHeader, {"X-020", "甲", "321181", "=SUM(A1:A9)"},
		}}, nil), want: []string{"in.xlsx [companies]:2:revenue_wan:bad_number"}},
		{name: "huge_cell", want: []string{"companies.csv:2:name:too_long"}},
		{name: "xlsx_huge_cell", gen: xlsxCase([]string{"companies"}, map[string][][]any{"companies": {
			companyHeader, {"X-021", strings.Repeat("名", 12000), "321181"},
		}}, nil), want: []string{"in.xlsx [companies]:2:name:too_long"}},
		{name: "long_name", want: []string{"companies.csv:2:name:too_long"}},
		{name: "long_id", want: []string{"companies.csv:2:id:too_long"}},
		{name: "long_text", want: []string{"company_links.csv:2:products:too_long"}},
		{name: "dup_ids", want: []string{"companies.csv:3:id:duplicate"}},
		{name: "dup_composite_key", want: []string{"leaders.csv:3:chain_id:duplicate"}},
		{name: "dup_header", want: []string{"companies.csv:1:C:duplicate_header"}},
		{name: "dup_table_files", want: []string{"企业.csv:::duplicate_table"}, probs: wantMessage("企业.csv", "companies.csv", "行", "row")},
		{name: "xlsx_dup_sheets", gen: xlsxCase([]string{"companies", "企业"}, map[string][][]any{
			"companies": {companyHeader, {"X-030", "甲", "321181"}},
			"企业":        {companyHeader, {"X-031", "乙", "321181"}},
		}, nil), want: []string{"in.xlsx [企业]:::duplicate_table"}},
		{name: "dangling_region", want: []string{"companies.csv:2:region_code:unknown_ref"}},
		{name: "dangling_feed", want: []string{"link_feeds.csv:2:to_link_id:unknown_ref"}},
		{name: "dangling_supply", want: []string{"supplies.csv:2:customer_id:unknown_ref"}},
		{name: "feed_cycle_with_base", want: []string{"link_feeds.csv:2:to_link_id:feed_cycle"}},
		{name: "feed_cycle_new", want: []string{"link_feeds.csv:4:to_link_id:feed_cycle"}},
		{name: "feed_self", want: []string{"link_feeds.csv:2:to_link_id:self_ref"}},
		{name: "region_cycle_new", want: []string{"regions.csv:2:parent_code:region_cycle"}},
		{name: "region_cycle_with_base", want: []string{"regions.csv:2:parent_code:region_cycle"}},
		{name: "region_self_parent", want: []string{"regions.csv:2:parent_code:self_ref"}},
		{name: "negative_revenue", want: []string{"companies.csv:2:revenue_wan:negative"}},
		{name: "absurd_revenue", want: []string{"companies.csv:2:revenue_wan:absurd_value"}},
		{name: "negative_employees", want: []string{"companies.csv:2:employees:negative"}},
		{name: "absurd_employees", want: []string{"companies.csv:2:employees:absurd_value"}},
		{name: "fractional_employees", want: []string{"companies.csv:2:employees:bad_integer"}},
		{name: "bad_number", want: []string{"companies.csv:2:revenue_wan:bad_number"}},
		{name: "nan_inf_amount", want: []string{"supplies.csv:2:amount_wan:bad_number", "supplies.csv:3:amount_wan:bad_number"}},
		{name: "negative_amount", want: []string{"supplies.csv:2:amount_wan:negative"}},
		{name: "negative_investment", want: []string{"projects.csv:2:investment_yi:negative"}},
		{name: "absurd_investment", want: []string{"projects.csv:2:investment_yi:absurd_value"}},
		{name: "investment_too_precise", want: []string{"projects.csv:2:investment_yi:bad_number"}},
		{name: "confidence_over_1", want: []string{"supplies.csv:2:confidence:range_0_1"}},
		{name: "confidence_negative", want: []string{"supplies.csv:2:confidence:range_0_1"}},
		{name: "self_supply", want: []string{"supplies.csv:2:customer_id:self_ref"}},
		{name: "supply_until_before_since", want: []string{"supplies.csv:2:until:date_order"}},
		{name: "missing_required_header", want: []string{"companies.csv:1::missing_header"}},
		{name: "unknown_header", want: []string{"companies.csv:1:D:unknown_header"}},
		{name: "wrong_file_name", want: []string{"compnies.csv:::unknown_table"}},
		{name: "wrong_file_name_txt_ignored_plus_bad", want: []string{"Sheet1.csv:::unknown_table"}},
		{name: "xlsx_wrong_sheet_name", gen: xlsxCase([]string{"Sheet1", "说明"}, map[string][][]any{
			"Sheet1": {companyHeader, {"X-040", "甲", "321181"}},
		}, nil), want: []string{"in.xlsx [Sheet1]:::unknown_table"}},
		{name: "ragged_long_row", want: []string{"companies.csv:2:D:unknown_header", "companies.csv:2:E:unknown_header"}},
		{name: "ragged_short_row", want: []string{"companies.csv:2:region_code:required"}},
		{name: "unterminated_quote", want: []string{"companies.csv:2::bad_file"}},
		{name: "bare_quote_in_field", want: []string{"regions.csv:2::bad_file"}},
		{name: "uscc_bad_check", want: []string{"companies.csv:2:id:uscc_check"}},
		{name: "uscc_bad_char", want: []string{"companies.csv:2:id:uscc_check"}}, // an I in the check position
		{name: "uscc_bad_char_middle", want: []string{"companies.csv:2:id:uscc_char"}},
		{name: "uscc_lowercase", want: []string{"companies.csv:2:id:uscc_check"}},
		{name: "bad_date_feb30", want: []string{"companies.csv:2:founded_on:bad_date"}},
		{name: "bad_date_month13", want: []string{"supplies.csv:2:since:bad_date"}},
		{name: "bad_date_serial_small", want: []string{"companies.csv:2:founded_on:bad_date"}},
		{name: "bad_date_text", want: []string{"companies.csv:2:founded_on:bad_date"}},
		{name: "bad_enum_kind", want: []string{"regions.csv:2:kind:bad_enum"}},
		{name: "bad_enum_tier", want: []string{"links.csv:2:tier:bad_enum"}},
		{name: "bad_enum_stage", want: []string{"projects.csv:2:stage:bad_enum"}},
		{name: "bad_enum_evidence", want: []string{"supplies.csv:2:evidence:bad_enum"}},
		{name: "bad_enum_role", want: []string{"links.csv:2:role:bad_enum"}},
		{name: "bad_bool", want: []string{"chains.csv:2:key:bad_bool"}},
		{name: "bad_tag", want: []string{"companies.csv:2:tags:bad_tag"}},
		{name: "stage_date_missing", want: []string{"projects.csv:2:started_on:stage_date_missing"}},
		{name: "stage_date_extra", want: []string{"projects.csv:2:started_on:stage_date_extra"}},
		{name: "stage_dates_backwards", want: []string{"projects.csv:2:started_on:date_order"}},
		{name: "future_founding", want: []string{"companies.csv:2:founded_on:future_date"}},
		{name: "missing_required_value", want: []string{"companies.csv:2:name:required"}},
		{name: "group_name_conflict", want: []string{"region_groups.csv:3:group_name:group_name_conflict"}},
		{name: "history_bad_timestamp", want: []string{"project_history.csv:2:at:bad_timestamp"}},
		// ---- formulas: the cached value is read; without one the formula is
		// evaluated, and a value that cannot be had is a located problem ----
		{name: "xlsx_real_formula", gen: xlsxCase([]string{"companies"}, map[string][][]any{"companies": {
			companyHeader, {"X-050", "甲", "321181"},
		}}, formulas("companies", "D2", "SUM(1,2)")), check: func(t *testing.T, ds *graph.Dataset) {
			if c := companyByID(t, ds, "X-050"); c.RevenueWan != 3 {
				t.Errorf("uncached SUM(1,2) read as revenue %v, want 3", c.RevenueWan)
			}
		}},
		{name: "xlsx_formula_cached", gen: patchSheets(xlsxCase([]string{"companies"}, map[string][][]any{"companies": {
			append(companyHeader, "tags"), {"X-051", "甲", "321181"},
		}}, formulas("companies", "D2", "SUM(1,2)", "G2", `"专精特新"`)),
			// Cached values differing from what evaluating would give: the cache wins.
			`<c r="D2" t="str"><f>SUM(1,2)</f></c>`, `<c r="D2"><f>SUM(1,2)</f><v>42</v></c>`,
			// Excel's cached empty string: t="str" with an empty <v>.
			`<c r="G2" t="str"><f>&#34;专精特新&#34;</f></c>`, `<c r="G2" t="str"><f>&#34;专精特新&#34;</f><v></v></c>`,
		), check: func(t *testing.T, ds *graph.Dataset) {
			if c := companyByID(t, ds, "X-051"); c.RevenueWan != 42 || len(c.Tags) != 0 {
				t.Errorf("cached values not read: revenue %v (want 42), tags %q (want none)", c.RevenueWan, c.Tags)
			}
		}},
		{name: "xlsx_formula_uncached_computed", gen: patchSheets(xlsxCase([]string{"companies", "说明"}, map[string][][]any{
			"companies": {companyHeader, {"X-052", nil, "321181"}},
			"说明":        {{"营收", 12.5}},
		}, formulas("companies", "B2", `"乙"&"公司"`, "D2", "说明!B1*2", "E2", "ROUND(7.4,0)", "F2", "DATE(2024,1,5)")),
			// openpyxl writes an empty <v> after an uncached formula.
			`<c r="E2" t="str"><f>ROUND(7.4,0)</f></c>`, `<c r="E2"><f>ROUND(7.4,0)</f><v></v></c>`,
		), check: func(t *testing.T, ds *graph.Dataset) {
			if c := companyByID(t, ds, "X-052"); c.Name != "乙公司" || c.RevenueWan != 25 || c.Employees != 7 || c.FoundedOn != "2024-01-05" {
				t.Errorf("evaluated formulas: %+v", c)
			}
		}},
		{name: "xlsx_formula_uncomputable", gen: xlsxCase([]string{"companies"}, map[string][][]any{"companies": {
			companyHeader, {"X-053", "甲", "321181"}, {"X-054", nil, "321181"}, {"X-055", "丙", nil},
		}}, formulas("companies", "D2", "1/0", "B3", "NOSUCHFUNCTION(1)", "C4", "NoSheet!A1")),
			want: []string{"in.xlsx [companies]:2:revenue_wan:formula_no_value", "in.xlsx [companies]:3:name:formula_no_value",
				"in.xlsx [companies]:4:region_code:formula_no_value"}},
		{name: "xlsx_cached_error", gen: patchSheets(xlsxCase([]string{"companies"}, map[string][][]any{"companies": {
			append(companyHeader, "备注"), {"X-056", nil, "321181"}, {"X-057", "乙", "321181", 1, nil, nil, 1},
		}}, formulas("companies", "B2", `VLOOKUP("x",说明!A:B,2,FALSE)`)),
			`<c r="B2" t="str"><f>`, `<c r="B2" t="e"><f>`, `FALSE)</f></c>`, `FALSE)</f><v>#N/A</v></c>`,
			// A typed-in error, no formula; and one in a column that is not read.
			`<c r="D3"><v>1</v></c>`, `<c r="D3" t="e"><v>#REF!</v></c>`,
			`<c r="G3"><v>1</v></c>`, `<c r="G3" t="e"><v>#DIV/0!</v></c>`,
		), want: []string{"in.xlsx [companies]:2:name:error_value", "in.xlsx [companies]:3:revenue_wan:error_value"}},
		{name: "xlsx_error_in_unread_column", gen: patchSheets(xlsxCase([]string{"companies"}, map[string][][]any{"companies": {
			append(companyHeader, "备注"), {"X-058", "甲", "321181", nil, nil, nil, 1},
		}}, formulas("companies", "H2", "1/0")),
			`<c r="G2"><v>1</v></c>`, `<c r="G2" t="e"><v>#REF!</v></c>`,
		), check: wantName("X-058", "甲")},
		// Not evaluated, as evaluating could crash or exhaust the server (see
		// evalFunctions): a formula referring to another formula, cached or not;
		// REPT, INDIRECT; any formula in a workbook with too many formulas or a huge
		// array formula.
		{name: "xlsx_formula_refers_to_formula", gen: patchSheets(xlsxCase([]string{"companies"}, map[string][][]any{"companies": {
			companyHeader, {"X-059", "甲", "321181"}, {"X-060", "乙", "321181"},
		}}, formulas("companies", "E2", "5", "D2", "E2*2", "D3", "E4+1", "E4", "6")),
			`<c r="E4" t="str"><f>6</f></c>`, `<c r="E4"><f>6</f><v>6</v></c>`,
		), want: []string{"in.xlsx [companies]:2:revenue_wan:formula_no_value", "in.xlsx [companies]:3:revenue_wan:formula_no_value"}},
		{name: "xlsx_formula_unsafe_function", maxDur: 10 * time.Second, gen: xlsxCase([]string{"companies"}, map[string][][]any{"companies": {
			companyHeader, {"X-061", nil, "321181"}, {"X-062", "乙", nil},
		}}, formulas("companies", "B2", `REPT("x",1000000000)`, "C3", `INDIRECT("C2")`)),
			want: []string{"in.xlsx [companies]:2:name:formula_no_value", "in.xlsx [companies]:3:region_code:formula_no_value"}},
		{name: "xlsx_formula_chain_too_long", maxDur: 20 * time.Second, gen: xlsxCase([]string{"companies", "说明"}, map[string][][]any{
			"companies": {companyHeader, {"X-063", "甲", "321181"}},
		}, func(t *testing.T, x *excelize.File) {
			// Evaluating D2 would recurse 20k deep, and at ~100k overflow the stack.
			for i := 1; i <= 20_000; i++ {
				if err := x.SetCellFormula("说明", "A"+strconv.Itoa(i), "A"+strconv.Itoa(i+1)+"+1"); err != nil {
					t.Fatal(err)
				}
			}
			formulas("companies", "D2", "说明!A1")(t, x)
		}), want: []string{"in.xlsx [companies]:2:revenue_wan:formula_no_value"}},
		{name: "xlsx_formula_huge_array", maxDur: 10 * time.Second, gen: patchSheets(xlsxCase([]string{"companies", "说明"}, map[string][][]any{
			"companies": {companyHeader, {"X-064", "甲", "321181"}},
		}, func(t *testing.T, x *excelize.File) {
			formulas("说明", "A1", "ROW()")(t, x)
			formulas("companies", "D2", "SUM(1,2)")(t, x)
		}),
			// Evaluating anything would first fill the whole sheet with this array.
			`<f>ROW()</f>`, `<f t="array" ref="A1:XFD1048576">ROW()</f>`,
		), want: []string{"in.xlsx [companies]:2:revenue_wan:formula_no_value"}},
		{name: "xlsx_uscc_as_number", gen: xlsxCase([]string{"companies"}, map[string][][]any{"companies": {
			companyHeader, {914403001922038216.0, "数字编号", "321181"},
		}}, nil), want: []string{"in.xlsx [companies]:2:id:uscc_check"}},
		{name: "nul_byte_in_id", want: []string{"companies.csv:2:id:control_char"}},
		{name: "unterminated_quote_last_column", want: []string{"companies.csv:2::bad_file"}},
		{name: "many_blank_rows_then_bad", want: []string{"companies.csv:502:revenue_wan:bad_number"}},
		{name: "many_problems_one_pass", want: []string{
			"companies.csv:2:employees:bad_integer",
			"companies.csv:2:founded_on:bad_date",
			"companies.csv:2:name:required",
			"companies.csv:2:revenue_wan:negative",
			"companies.csv:2:tags:bad_tag",
			"companies.csv:2:region_code:unknown_ref",
		}},
	}
}

// sheetProblems are about a whole sheet or file and have no row.
var sheetProblems = []string{graph.PUnknownTable, graph.PDupTable, graph.PHiddenSheet}

func problemKey(p graph.Problem) string {
	row := ""
	if p.Row > 0 {
		row = strconv.Itoa(p.Row)
	}
	return p.File + ":" + row + ":" + p.Column + ":" + p.Code
}

// TestBadInputs imports every case into a store holding storetest.Fixture: valid
// inputs must store exactly the expected values; invalid ones must report located
// problems and leave the store as it was.
func TestBadInputs(t *testing.T) {
	cases := badCases()
	// Every folder under testdata/bad is a case, and every case without gen has one.
	ents, err := os.ReadDir(filepath.Join("testdata", "bad"))
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]bool{}
	for _, c := range cases {
		if byName[c.name] {
			t.Fatalf("case %s listed twice", c.name)
		}
		byName[c.name] = true
	}
	for _, e := range ents {
		if !byName[e.Name()] {
			t.Errorf("testdata/bad/%s has no case", e.Name())
		}
	}
	t.Logf("%d cases", len(cases))
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			path := filepath.Join("testdata", "bad", c.name)
			if c.gen != nil {
				path = c.gen(t, t.TempDir())
			} else if _, err := os.Stat(path); err != nil {
				t.Fatalf("missing input: %v", err)
			}
			s := openStore(t)
			if _, err := s.Import(ctx, storetest.Fixture(), graph.ImportOptions{}); err != nil {
				t.Fatal(err)
			}
			before, err := graph.ReadAll(ctx, s)
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			if c.wantErr != "" {
				_, _, err := Read(ctx, path)
				if took := time.Since(start); c.maxDur > 0 && took > c.maxDur {
					t.Errorf("took %v, want under %v", took, c.maxDur)
				}
				if err == nil || !strings.Contains(err.Error(), c.wantErr) || graph.ErrorCode(err) != graph.EINVALID {
					t.Fatalf("read error = %v, want EINVALID with %q", err, c.wantErr)
				}
				if !utf8.ValidString(err.Error()) {
					t.Errorf("error is not valid UTF-8: %q", err)
				}
				return // nothing was read, so nothing can have been written
			}
			_, probs := importPath(t, s, path)
			if took := time.Since(start); c.maxDur > 0 && took > c.maxDur {
				t.Errorf("took %v, want under %v", took, c.maxDur)
			} else if c.maxDur > 0 {
				t.Logf("read and import took %v", took)
			}
			after, err := graph.ReadAll(ctx, s)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range probs {
				got = append(got, problemKey(p))
				if p.File == "" {
					t.Errorf("problem without a file: %s", p)
				}
				if p.Row == 0 && !slices.Contains(sheetProblems, p.Code) {
					t.Errorf("problem without a row: %s", p)
				}
				if !utf8.ValidString(p.Message("zh")) || !utf8.ValidString(p.Message("en")) || !utf8.ValidString(p.Value) {
					t.Errorf("problem text is not valid UTF-8: %q", p.String())
				}
			}
			if len(c.want) == 0 {
				if len(probs) > 0 {
					t.Fatalf("want a clean import, got:\n%s", strings.Join(got, "\n"))
				}
				c.check(t, after)
				return
			}
			missing := []string{}
			for _, w := range c.want {
				if !slices.Contains(got, w) {
					missing = append(missing, w)
				}
			}
			if len(missing) > 0 && c.bug != "" {
				t.Skipf("known bug: %s (missing %v; got %v)", c.bug, missing, got)
			}
			if len(probs) == 0 {
				t.Fatalf("import accepted, want %v", c.want)
			}
			for _, w := range missing {
				t.Errorf("missing problem %s; got:\n%s", w, strings.Join(got, "\n"))
			}
			if c.probs != nil {
				c.probs(t, probs)
			}
			if ok, table := storetest.Equal(before, after); !ok {
				t.Errorf("rejected import changed %s", table)
			}
		})
	}
}
