package interchange

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chainmap/chainmap/graph"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// hostileCases are the inputs of issue 15: numbers, dates, ids, encodings, hidden
// sheets, text normalisation and resource limits that were mangled or accepted.
func hostileCases() []badCase {
	return []badCase{
		// #9: ids are measured in characters; a character named in a message is whole.
		{name: "ok_chinese_company_id", check: wantName("镇江鱼跃医疗", "六个汉字编号的企业")},
		{name: "uscc_chinese_char", want: []string{"companies.csv:2:id:uscc_char"}},

		// #8 dates: truncated dates, ranges and trailing text are refused, not guessed;
		// stage dates cannot lie ahead, planned and observed ones at most 20 years.
		{name: "date_7_digits", want: []string{"companies.csv:2:founded_on:bad_date"}},
		{name: "date_6_digits", want: []string{"supplies.csv:2:since:bad_date"}},
		{name: "date_range", want: []string{"projects.csv:2:signed_on:bad_date"}},
		{name: "date_trailing_text", want: []string{"projects.csv:2:signed_on:bad_date"}},
		{name: "date_time_trailing_text", want: []string{"companies.csv:2:founded_on:bad_date"}},
		{name: "date_bad_clock", want: []string{"companies.csv:2:founded_on:bad_date"}},
		{name: "date_year_1700", want: []string{"supplies.csv:2:since:bad_date"}},
		{name: "date_history_on_bad", want: []string{"project_history.csv:2:on:bad_date"}},
		{name: "future_signed_9999", want: []string{"projects.csv:2:signed_on:future_date"}},
		{name: "future_started", want: []string{"projects.csv:2:started_on:future_date"}},
		{name: "future_producing_serial", want: []string{"projects.csv:2:producing_on:future_date"}},
		{name: "planned_beyond_horizon", want: []string{"projects.csv:2:planned_producing_on:absurd_value"}},
		{name: "supply_until_9999", want: []string{"supplies.csv:2:until:absurd_value"}},
		{name: "ok_planned_future", check: wantProject("P-207", func(p graph.Project) bool {
			return p.PlannedStartOn == "2031-03-01" && p.PlannedProduceOn == "2033-12-31"
		})},
		{name: "ok_timestamp_dates", check: wantProject("P-208", func(p graph.Project) bool {
			return p.SignedOn == "2024-01-05" && p.StartedOn == "2024-02-01"
		})},
		{name: "ok_serial_5_digits", check: func(t *testing.T, ds *graph.Dataset) {
			if c := companyByID(t, ds, "B-204"); c.FoundedOn != "2024-01-05" {
				t.Errorf("serial 45296 = %q", c.FoundedOn)
			}
		}},
		// #4 encodings: decided on the whole file and checked to its end; a byte that is
		// not valid in the file's encoding is a located error, never U+FFFD or broken
		// UTF-8 in the store.
		{name: "ok_ascii_1mib_then_gbk", maxDur: 20 * time.Second, gen: func(t *testing.T, dir string) string {
			writeFile(t, dir, "companies.csv", "id,name,region_code\n"+strings.Repeat(",,\n", 400_000)+gbk(t, "E-401,镇江甲医疗器械有限公司,321181\n"))
			return dir
		}, check: wantName("E-401", "镇江甲医疗器械有限公司")},
		{name: "utf8_1mib_then_gbk", maxDur: 20 * time.Second, gen: func(t *testing.T, dir string) string {
			writeFile(t, dir, "companies.csv", "id,name,region_code\nE-402,镇江乙医疗器械有限公司镇江乙医疗器械有限公司,321181\n"+
				strings.Repeat(",,\n", 400_000)+gbk(t, "E-403,镇江丙公司,321181\n"))
			return dir
		}, want: []string{"companies.csv:400003::bad_encoding"}},
		{name: "utf8_then_gbk_small", gen: func(t *testing.T, dir string) string {
			writeFile(t, dir, "companies.csv", "id,name,region_code\nE-404,镇江丁医疗器械有限公司镇江丁医疗器械有限公司,321181\n"+gbk(t, "E-405,镇江戊公司,321181\n"))
			return dir
		}, want: []string{"companies.csv:3::bad_encoding"}},
		{name: "gbk_invalid_byte", gen: func(t *testing.T, dir string) string {
			writeFile(t, dir, "companies.csv", gbk(t, "id,name,region_code\nE-406,镇江己公司,321181\nE-407,坏")+"\xff"+gbk(t, "字节,321181\n"))
			return dir
		}, want: []string{"companies.csv:3::bad_encoding"}},
		{name: "gbk_truncated_last_char", gen: func(t *testing.T, dir string) string {
			writeFile(t, dir, "companies.csv", gbk(t, "id,name,region_code\nE-408,镇江庚公司,321181\nE-409,末尾")+"\xd5")
			return dir
		}, want: []string{"companies.csv:3::bad_encoding"}},
		{name: "utf8_bom_then_invalid", gen: func(t *testing.T, dir string) string {
			writeFile(t, dir, "companies.csv", "\ufeffid,name,region_code\nE-410,辛公司,321181\nE-411,坏\xc3(,321181\n")
			return dir
		}, want: []string{"companies.csv:3::bad_encoding"}},
		{name: "utf16_lone_surrogate", gen: func(t *testing.T, dir string) string {
			var b []byte
			for _, r := range "code,name,kind\n321102,京" {
				b = append(b, byte(r), byte(r>>8))
			}
			b = append(b, 0x00, 0xD8) // a high surrogate with nothing after it
			for _, r := range "口区,district\n" {
				b = append(b, byte(r), byte(r>>8))
			}
			writeFile(t, dir, "regions.csv", "\xff\xfe"+string(b))
			return dir
		}, want: []string{"regions.csv:2::bad_encoding"}},
		{name: "utf8_invalid_in_last_row_no_newline", gen: func(t *testing.T, dir string) string {
			writeFile(t, dir, "companies.csv", "id,name,region_code\nE-412,壬公司,321181\nE-413,癸公司,321181\nE-414,\xe9\x95")
			return dir
		}, want: []string{"companies.csv:4::bad_encoding"}},

		// #11: a hidden or veryHidden sheet's rows are nobody's to see: refused, located
		// at the sheet. #13: a repeated table names the sheet it repeats.
		{name: "xlsx_very_hidden_sheet", gen: xlsxCase([]string{"regions", "companies"}, map[string][][]any{
			"regions":   {{"code", "name", "kind"}, {"321102", "京口区", "district"}},
			"companies": {companyHeader, {"X-501", "看不见的企业", "321181"}},
		}, hide("companies", true)), want: []string{"in.xlsx [companies]:::hidden_sheet"}},
		{name: "xlsx_hidden_sheet", gen: xlsxCase([]string{"regions", "supplies"}, map[string][][]any{
			"regions":  {{"code", "name", "kind"}, {"321102", "京口区", "district"}},
			"supplies": {{"supplier_id", "customer_id"}, {"ZJ-002", "ZJ-003"}},
		}, hide("supplies", false)), want: []string{"in.xlsx [supplies]:::hidden_sheet"}},
		{name: "xlsx_hidden_unknown_sheet", gen: xlsxCase([]string{"companies", "lookup"}, map[string][][]any{
			"companies": {companyHeader, {"X-502", "甲", "321181"}},
			"lookup":    {{"a", "b"}},
		}, hide("lookup", true)), want: []string{"in.xlsx [lookup]:::hidden_sheet"}},
		{name: "xlsx_ok_hidden_notes", gen: xlsxCase([]string{"companies", "说明"}, map[string][][]any{
			"companies": {companyHeader, {"X-503", "说明页隐藏", "321181"}},
			"说明":        {{"隐藏的说明页照常忽略"}},
		}, hide("说明", true)), check: wantName("X-503", "说明页隐藏")},
		{name: "xlsx_dup_sheet_names_sheet", gen: xlsxCase([]string{"项目", "projects"}, map[string][][]any{
			"项目":       {{"id", "name", "region_code", "investment_yi", "stage"}},
			"projects": {{"id", "name", "region_code", "investment_yi", "stage"}},
		}, nil), want: []string{"in.xlsx [projects]:::duplicate_table"},
			probs: wantMessage("in.xlsx [projects]", "项目", "行", "row")},

		// #12: text is stored normalised; an invisible or look-alike character in an
		// id is a located problem, and ids equal once normalised are duplicates.
		{name: "id_zero_width_space", want: []string{"companies.csv:2:id:invisible_char"}},
		{name: "id_bom_in_cell", want: []string{"companies.csv:3:id:invisible_char"}},
		{name: "id_rtl_override", want: []string{"companies.csv:2:id:invisible_char"}},
		{name: "id_nbsp_inside", want: []string{"companies.csv:2:id:invisible_char"}},
		{name: "id_ideographic_space", want: []string{"companies.csv:2:id:invisible_char"}},
		{name: "ref_zero_width", want: []string{"supplies.csv:2:supplier_id:invisible_char"}},
		{name: "region_code_tab_inside", want: []string{"companies.csv:2:region_code:control_char"}},
		{name: "id_trailing_nbsp_duplicate", want: []string{"companies.csv:3:id:duplicate"}},
		{name: "id_nfd_duplicate", want: []string{"companies.csv:3:id:duplicate"}},
		{name: "ok_name_whitespace_normalised", check: wantName("B-608", "名称 中间\n第二行")},
		{name: "ok_name_invisible_stripped", check: wantName("B-609", "零宽字符")},
		{name: "ok_formula_behind_space", check: func(t *testing.T, ds *graph.Dataset) {
			wantName("B-610", "=1+1")(t, ds)
			wantName("B-611", "@SUM(A1)")(t, ds)
			wantName("B-612", "-2")(t, ds)
		}},
		{name: "xlsx_ok_text_normalised", gen: xlsxCase([]string{"companies"}, map[string][][]any{"companies": {
			companyHeader, {" X-601\u00a0", "\u00a0工作簿\t名称\r\n", "321181"},
		}}, nil), check: wantName("X-601", "工作簿 名称")},
		{name: "xlsx_id_zero_width", gen: xlsxCase([]string{"companies"}, map[string][][]any{"companies": {
			companyHeader, {"ZJ-002\u200b", "乙", "321181"},
		}}, nil), want: []string{"in.xlsx [companies]:2:id:invisible_char"}},

		// #10: limits enforced while the file streams — a workbook part holding a run
		// of text or markup over 1 MiB (a zip bomb of white space) is refused before
		// excelize decodes it; rows and cells out of order, a row over 256 columns or
		// a csv header of a million cells are located problems; problems of one kind
		// are listed 20 per column and counted.
		{name: "xlsx_whitespace_bomb_600mb", maxDur: 15 * time.Second, gen: bombXLSX("<row r=\"2\"", 600<<20, " "),
			wantErr: "holds a run of text over 1048576 bytes"},
		{name: "xlsx_whitespace_in_shared_strings", gen: bombPart("xl/sharedStrings.xml", "<si>", 8<<20, "\n"),
			wantErr: "xl/sharedStrings.xml holds a run of text"},
		{name: "xlsx_huge_attribute", gen: bombXLSX("<row r=\"2\"", 4<<20, "", `<x a="`, `"/>`),
			wantErr: "holds a tag over 1048576 bytes"},
		{name: "xlsx_huge_comment", gen: bombXLSX("<row r=\"2\"", 4<<20, "<>", "<!--", "-->"),
			wantErr: "holds a comment or CDATA section over"},
		{name: "xlsx_huge_cdata", gen: bombPart("xl/workbook.xml", "<sheets>", 4<<20, "]]", "<![CDATA[", "]]>"),
			wantErr: "holds a comment or CDATA section over"},
		{name: "xlsx_ok_comment_and_cdata", gen: bombXLSX("<row r=\"2\"", 64<<10, "<>]-", "<!-- ", " -->"),
			check: wantName("X-701", "甲")},
		{name: "xlsx_cells_out_of_order", gen: patchSheets(xlsxCase([]string{"companies"}, map[string][][]any{"companies": {
			companyHeader, {"X-702", "甲", "321181", nil, 5},
		}}, nil), `<c r="A2" t="s"><v>6</v></c><c r="B2" t="s"><v>7</v></c><c r="C2" t="s"><v>8</v></c><c r="E2"><v>5</v></c>`,
			`<c r="E2"><v>5</v></c><c r="C2" t="s"><v>8</v></c><c r="B2" t="s"><v>7</v></c><c r="A2" t="s"><v>6</v></c>`),
			want: []string{"in.xlsx [companies]:2:C:unordered_cells"}},
		{name: "xlsx_rows_out_of_order", gen: patchSheets(xlsxCase([]string{"companies"}, map[string][][]any{"companies": {
			companyHeader, {"X-703", "甲", "321181"}, {"X-704", "乙", "321181"}, {"X-705", "丙", "321181"},
		}}, nil), `<row r="2"`, `<row r="9"`, `<c r="A2"`, `<c r="A9"`, `<c r="B2"`, `<c r="B9"`, `<c r="C2"`, `<c r="C9"`),
			want: []string{"in.xlsx [companies]:3::unordered_cells"}},
		{name: "xlsx_cell_in_other_row", gen: patchSheets(xlsxCase([]string{"companies"}, map[string][][]any{"companies": {
			companyHeader, {"X-706", "甲", "321181"},
		}}, nil), `<c r="B2"`, `<c r="B5"`), want: []string{"in.xlsx [companies]:2:B:unordered_cells"}},
		{name: "xlsx_row_past_excel", gen: patchSheets(xlsxCase([]string{"companies"}, map[string][][]any{"companies": {
			companyHeader, {"X-707", "甲", "321181"},
		}}, nil), `<row r="2"`, `<row r="1048577"`), want: []string{"in.xlsx [companies]:1048577::unordered_cells"}},
		{name: "xlsx_too_many_columns", gen: patchSheets(xlsxCase([]string{"companies"}, map[string][][]any{"companies": {
			companyHeader, {"X-708", "甲", "321181"},
		}}, nil), `<c r="C2" t="s"><v>8</v></c>`, `<c r="C2" t="s"><v>8</v></c><c r="XFD2"><v>1</v></c>`),
			want: []string{"in.xlsx [companies]:2:XFD:too_many_columns"}},
		{name: "csv_1M_header_cells", maxDur: 10 * time.Second, gen: func(t *testing.T, dir string) string {
			writeFile(t, dir, "companies.csv", "id,name,region_code"+strings.Repeat(",x", 1_000_000)+"\nB-701,甲,321181\n")
			return dir
		}, want: []string{"companies.csv:1:" + excelColumn(1_000_002) + ":too_many_columns"}},
		{name: "csv_wide_data_row", gen: func(t *testing.T, dir string) string {
			writeFile(t, dir, "companies.csv", "id,name,region_code\nB-702,甲,321181"+strings.Repeat(",", 300)+"1\n")
			return dir
		}, want: []string{"companies.csv:2:" + excelColumn(302) + ":too_many_columns"}},
		{name: "many_problems_counted", maxDur: 20 * time.Second, gen: func(t *testing.T, dir string) string {
			var b strings.Builder
			b.WriteString("id,name,region_code,revenue_wan,x1,x2\n")
			for i := range 50_000 {
				fmt.Fprintf(&b, "M-%d,名%d,321181,一千,a,b\n", i, i)
			}
			writeFile(t, dir, "companies.csv", b.String())
			return dir
		}, want: []string{"companies.csv:2:revenue_wan:bad_number", "companies.csv:22:revenue_wan:more_problems",
			"companies.csv:1:E:unknown_header"}, probs: func(t *testing.T, ps []graph.Problem) {
			n := map[string]int{}
			for _, p := range ps {
				n[p.Code]++
				if p.Code == graph.PMoreProblems && p.Column == "revenue_wan" && p.Args[0] != "49980" {
					t.Errorf("more_problems counts %s, want 49980", p.Args[0])
				}
			}
			if n[graph.PBadNumber] != 20 || n[graph.PMoreProblems] != 1 {
				t.Errorf("listed %v, want 20 bad_number and one more_problems", n)
			}
		}},

		// More of the same kinds: numbers, dates and ids in forms officials type.
		{name: "number_percent", want: []string{"supplies.csv:2:confidence:bad_number"}},
		{name: "number_currency", want: []string{"companies.csv:2:revenue_wan:bad_number"}},
		{name: "number_european_decimal", want: []string{"companies.csv:2:revenue_wan:bad_number"}},
		{name: "ok_number_signs", check: func(t *testing.T, ds *graph.Dataset) {
			if c := companyByID(t, ds, "B-803"); c.RevenueWan != 12.5 || c.Employees != 1000 {
				t.Errorf("B-803 = %+v", c)
			}
		}},
		{name: "date_two_digit_year", want: []string{"companies.csv:2:founded_on:bad_date"}},
		{name: "date_us_order", want: []string{"companies.csv:2:founded_on:bad_date"}},
		{name: "date_month_name", want: []string{"companies.csv:2:founded_on:bad_date"}},
		{name: "date_chinese_range", want: []string{"projects.csv:2:signed_on:bad_date"}},
		{name: "date_iso_week", want: []string{"companies.csv:2:founded_on:bad_date"}},
		{name: "date_serial_decimal_6_digits", want: []string{"supplies.csv:2:since:bad_date"}},
		{name: "ok_date_forms", check: func(t *testing.T, ds *graph.Dataset) {
			for _, id := range []string{"B-808", "B-809", "B-810", "B-811"} {
				if c := companyByID(t, ds, id); c.FoundedOn != "2024-01-05" {
					t.Errorf("%s founded %q", id, c.FoundedOn)
				}
			}
		}},
		{name: "future_founding_serial", want: []string{"companies.csv:2:founded_on:future_date"}},
		{name: "future_at_capacity", want: []string{"projects.csv:2:at_capacity_on:future_date"}},
		{name: "id_soft_hyphen", want: []string{"companies.csv:2:id:invisible_char"}},
		{name: "id_word_joiner", want: []string{"companies.csv:2:id:invisible_char"}},
		{name: "id_line_separator", want: []string{"companies.csv:2:id:invisible_char"}},
		{name: "project_id_zero_width", want: []string{"projects.csv:2:id:invisible_char"}},
		{name: "feed_id_zero_width", want: []string{"link_feeds.csv:2:from_link_id:invisible_char"}},
		{name: "region_parent_nbsp", want: []string{"regions.csv:2:parent_code:invisible_char"}},
		{name: "ok_tags_with_nbsp", check: func(t *testing.T, ds *graph.Dataset) {
			if c := companyByID(t, ds, "B-816"); !slices.Equal(c.Tags, []graph.Tag{"专精特新", "规上"}) {
				t.Errorf("tags %q", c.Tags)
			}
		}},
		{name: "header_nbsp_duplicate", want: []string{"companies.csv:1:D:duplicate_header"}},
		{name: "header_zero_width", want: []string{"companies.csv:1:B:unknown_header"}},
		{name: "xlsx_text_decimal_comma", gen: xlsxCase([]string{"companies"}, map[string][][]any{"companies": {
			companyHeader, {"X-801", "甲", "321181", "1,5"},
		}}, nil), want: []string{"in.xlsx [companies]:2:revenue_wan:bad_number"}},
		{name: "xlsx_text_date_range", gen: xlsxCase([]string{"companies"}, map[string][][]any{"companies": {
			companyHeader, {"X-802", "甲", "321181", nil, nil, "2024-01-31 至 2024-12-31"},
		}}, nil), want: []string{"in.xlsx [companies]:2:founded_on:bad_date"}},

		// #8 numbers: what strconv reads as something else is refused; #13 float
		// noise in 亿元 is rounded to the 万元 it stands for.
		{name: "number_decimal_comma", want: []string{"projects.csv:2:investment_yi:bad_number"}},
		{name: "number_bad_grouping", want: []string{"companies.csv:2:revenue_wan:bad_number"}},
		{name: "number_underscore", want: []string{"companies.csv:2:revenue_wan:bad_number"}},
		{name: "number_hex_float", want: []string{"supplies.csv:2:amount_wan:bad_number"}},
		{name: "number_hex_int", want: []string{"companies.csv:2:employees:bad_integer"}},
		{name: "number_exponent_overflow", want: []string{"companies.csv:2:revenue_wan:bad_number"}},
		{name: "number_infinity_confidence", want: []string{"supplies.csv:2:confidence:bad_number"}},
		{name: "number_nan_yi", want: []string{"projects.csv:2:investment_yi:bad_number"}},
		{name: "number_fullwidth", want: []string{"companies.csv:2:revenue_wan:bad_number"}},
		{name: "number_space_grouping", want: []string{"companies.csv:2:revenue_wan:bad_number"}},
		{name: "number_trailing_dot", want: []string{"companies.csv:2:revenue_wan:bad_number"}},
		{name: "number_two_dots", want: []string{"supplies.csv:2:amount_wan:bad_number"}},
		{name: "number_unit_suffix", want: []string{"companies.csv:2:revenue_wan:bad_number"}},
		{name: "number_grouped_employees_bad", want: []string{"companies.csv:2:employees:bad_integer"}},
		{name: "number_exponent_employees_fraction", want: []string{"companies.csv:2:employees:bad_integer"}},
		{name: "investment_real_fifth_decimal", want: []string{"projects.csv:2:investment_yi:bad_number"}},
		{name: "ok_investment_float_noise", check: func(t *testing.T, ds *graph.Dataset) {
			wantProject("P-304", func(p graph.Project) bool { return p.InvestmentWan == 33000 })(t, ds)
			wantProject("P-305", func(p graph.Project) bool { return p.InvestmentWan == 1 })(t, ds)
		}},
		{name: "ok_number_groupings", check: func(t *testing.T, ds *graph.Dataset) {
			if c := companyByID(t, ds, "B-311"); c.RevenueWan != 1234567.5 || c.Employees != 1200 {
				t.Errorf("B-311 = %+v", c)
			}
			if c := companyByID(t, ds, "B-312"); c.RevenueWan != 1500 || c.Employees != 7 {
				t.Errorf("B-312 = %+v", c)
			}
		}},
		{name: "xlsx_investment_float_noise", gen: patchSheets(xlsxCase([]string{"projects"}, map[string][][]any{"projects": {
			{"id", "name", "region_code", "investment_yi", "stage"}, {"X-301", "甲", "321181", 3.3, "在谈"},
		}}, nil), `<v>3.3</v>`, `<v>3.3000000000000003</v>`), check: wantProject("X-301", func(p graph.Project) bool { return p.InvestmentWan == 33000 })},
		{name: "xlsx_date_6_digit_number", gen: xlsxCase([]string{"companies"}, map[string][][]any{"companies": {
			companyHeader, {"X-201", "甲", "321181", nil, nil, 202401}, {"X-202", "乙", "321181", nil, nil, 2024013},
		}}, nil), want: []string{"in.xlsx [companies]:2:founded_on:bad_date", "in.xlsx [companies]:3:founded_on:bad_date"}},
	}
}

// wantProject checks one stored project with ok.
func wantProject(id string, ok func(graph.Project) bool) func(t *testing.T, ds *graph.Dataset) {
	return func(t *testing.T, ds *graph.Dataset) {
		i := slices.IndexFunc(ds.Projects, func(p graph.Project) bool { return p.ID == id })
		if i < 0 {
			t.Fatalf("project %s not stored", id)
		}
		if !ok(ds.Projects[i]) {
			t.Errorf("project %s = %+v", id, ds.Projects[i])
		}
	}
}

// gbk encodes s as GBK, as Excel on Chinese Windows saves a "CSV".
func gbk(t *testing.T, s string) string {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().String(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// hide hides a sheet (veryHidden: only a macro can show it), as xlsxCase's edit.
func hide(sheet string, very bool) func(t *testing.T, x *excelize.File) {
	return func(t *testing.T, x *excelize.File) {
		if err := x.SetSheetVisible(sheet, false, very); err != nil {
			t.Fatal(err)
		}
	}
}

// wantMessage checks that the problem of file names has, in both languages, a
// message holding want and neither of the words it must not use.
func wantMessage(file, want, notZH, notEN string) func(t *testing.T, ps []graph.Problem) {
	return func(t *testing.T, ps []graph.Problem) {
		for _, p := range ps {
			if p.File != file {
				continue
			}
			zh, en := p.Message("zh"), p.Message("en")
			if !strings.Contains(zh, want) || !strings.Contains(en, want) || strings.Contains(zh, notZH) || strings.Contains(en, notEN) {
				t.Errorf("%s: message %q / %q; want %q in it and no %q/%q", file, zh, en, want, notZH, notEN)
			}
			return
		}
		t.Errorf("no problem for %s", file)
	}
}

// bombXLSX builds a companies workbook (header and the row X-701 甲 321181) whose
// worksheet holds, before at, open + size bytes repeating fill + close: white space
// between rows, an attribute, a comment. It streams, so that 600 MB of white space
// costs neither the test's memory nor much of its time.
func bombXLSX(at string, size int, fill string, openClose ...string) func(t *testing.T, dir string) string {
	return bomb("xl/worksheets/sheet1.xml", at, size, fill, openClose...)
}

// bombPart is bombXLSX for another part of the same workbook.
func bombPart(part, at string, size int, fill string, openClose ...string) func(t *testing.T, dir string) string {
	return bomb(part, at, size, fill, openClose...)
}

func bomb(part, at string, size int, fill string, openClose ...string) func(t *testing.T, dir string) string {
	return func(t *testing.T, dir string) string {
		base := xlsxCase([]string{"companies"}, map[string][][]any{"companies": {companyHeader, {"X-701", "甲", "321181"}}}, nil)(t, dir)
		body, err := os.ReadFile(base)
		if err != nil {
			t.Fatal(err)
		}
		zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
		if err != nil {
			t.Fatal(err)
		}
		out, err := os.Create(filepath.Join(dir, "bomb.xlsx"))
		if err != nil {
			t.Fatal(err)
		}
		defer out.Close()
		zw := zip.NewWriter(out)
		zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestSpeed) })
		found := false
		for _, f := range zr.File {
			rc, _ := f.Open()
			data, _ := io.ReadAll(rc)
			rc.Close()
			w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate})
			if err != nil {
				t.Fatal(err)
			}
			i := bytes.Index(data, []byte(at))
			if f.Name != part || i < 0 {
				w.Write(data)
				continue
			}
			found = true
			w.Write(data[:i])
			if len(openClose) == 2 {
				io.WriteString(w, openClose[0])
			}
			if fill == "" {
				fill = "x"
			}
			chunk := []byte(strings.Repeat(fill, (1<<20)/len(fill)+1)[:1<<20])
			for n := 0; n < size; n += len(chunk) {
				w.Write(chunk[:min(len(chunk), size-n)])
			}
			if len(openClose) == 2 {
				io.WriteString(w, openClose[1])
			}
			w.Write(data[i:])
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		if !found {
			t.Fatalf("%q not in %s", at, part)
		}
		os.Remove(base)
		return out.Name()
	}
}
