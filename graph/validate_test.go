package graph

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// problemCodes returns "column:code" for each problem of a Validate error.
func problemCodes(err error) []string {
	var v *ValidationError
	if !errors.As(err, &v) {
		return nil
	}
	var out []string
	for _, p := range v.Problems {
		out = append(out, p.Column+":"+p.Code)
	}
	return out
}

func okProject() Project {
	return Project{ID: "P1", Name: "项目", RegionCode: "321181", InvestmentWan: 50000, Stage: Started,
		SignedOn: "2024-01-10", StartedOn: "2024-03-01"}
}

func TestValidateRecords(t *testing.T) {
	long := strings.Repeat("长", MaxNameLen+1)
	tests := []struct {
		name string
		rec  interface{ Validate() error }
		want []string // "column:code" in order; nil = valid
	}{
		{"region ok", Region{Code: "321100", Name: "镇江市", ParentCode: "320000", Kind: City}, nil},
		{"region missing fields", Region{}, []string{"code:required", "name:required", "kind:required"}},
		{"region bad kind", Region{Code: "1", Name: "x", Kind: "county"}, []string{"kind:bad_enum"}},
		{"region own parent", Region{Code: "1", Name: "x", ParentCode: "1", Kind: City}, []string{"parent_code:self_ref"}},
		{"group ok", RegionGroupMember{GroupCode: "GBA", GroupName: "大湾区", RegionCode: "440300"}, nil},
		{"group missing", RegionGroupMember{}, []string{"group_code:required", "group_name:required", "region_code:required"}},
		{"cluster ok", Cluster{ID: "C1", Name: "高端装备"}, nil},
		{"cluster long name", Cluster{ID: "C1", Name: long}, []string{"name:too_long"}},
		{"chain missing cluster", Chain{ID: "CH", Name: "x"}, []string{"cluster_id:required"}},
		{"link bad tier", Link{ID: "L", ChainID: "CH", Name: "x", Tier: "top"}, []string{"tier:bad_enum"}},
		{"link no role", Link{ID: "L", ChainID: "CH", Name: "x", Tier: Midstream}, nil},
		{"link role", Link{ID: "L", ChainID: "CH", Name: "医院", Tier: Downstream, Role: Institution}, nil},
		{"link bad role", Link{ID: "L", ChainID: "CH", Name: "x", Tier: Midstream, Role: "hospital"}, []string{"role:bad_enum"}},
		{"link role in Chinese", Link{ID: "L", ChainID: "CH", Name: "x", Tier: Midstream, Role: "服务"}, []string{"role:bad_enum"}},
		{"feed self", Feed{From: "A", To: "A"}, []string{"to_link_id:self_ref"}},
		{"company ok uscc", Company{ID: "914403001922038216", Name: "华为", RegionCode: "440300"}, nil},
		{"company ok own id", Company{ID: "SYN-1", Name: "x", RegionCode: "1", Tags: []Tag{"专精特新", "规上"}}, nil},
		{"company bad uscc", Company{ID: "914403001922038217", Name: "x", RegionCode: "1"}, []string{"id:uscc_check"}},
		{"company negative", Company{ID: "A", Name: "x", RegionCode: "1", RevenueWan: -1, Employees: -3},
			[]string{"revenue_wan:negative", "employees:negative"}},
		{"company absurd revenue", Company{ID: "A", Name: "x", RegionCode: "1", RevenueWan: 2e9}, []string{"revenue_wan:absurd_value"}},
		{"company bad tag", Company{ID: "A", Name: "x", RegionCode: "1", Tags: []Tag{"明星"}}, []string{"tags:bad_tag"}},
		{"company future founding", Company{ID: "A", Name: "x", RegionCode: "1", FoundedOn: "2999-01-01"}, []string{"founded_on:future_date"}},
		{"company ancient founding", Company{ID: "A", Name: "x", RegionCode: "1", FoundedOn: "1700-01-01"}, []string{"founded_on:bad_date"}},
		{"supply ok", Supply{SupplierID: "A", CustomerID: "B", Evidence: Observed, Confidence: 1}, nil},
		{"supply self", Supply{SupplierID: "A", CustomerID: "A", Evidence: Observed, Confidence: 1}, []string{"customer_id:self_ref"}},
		{"supply confidence", Supply{SupplierID: "A", CustomerID: "B", Evidence: Inferred, Confidence: 1.5}, []string{"confidence:range_0_1"}},
		{"supply evidence", Supply{SupplierID: "A", CustomerID: "B", Evidence: "rumour", Confidence: 1}, []string{"evidence:bad_enum"}},
		{"supply until before since", Supply{SupplierID: "A", CustomerID: "B", Evidence: Observed, Confidence: 1,
			Since: "2020-01-01", Until: "2019-01-01"}, []string{"until:date_order"}},
		{"project ok", okProject(), nil},
		{"project negotiating with date", Project{ID: "P", Name: "x", RegionCode: "1", Stage: Negotiating, SignedOn: "2024-01-01"},
			[]string{"signed_on:stage_date_extra"}},
		{"project producing missing dates", Project{ID: "P", Name: "x", RegionCode: "1", Stage: Producing, SignedOn: "2024-01-01"},
			[]string{"started_on:stage_date_missing", "producing_on:stage_date_missing"}},
		{"project dates go back", Project{ID: "P", Name: "x", RegionCode: "1", Stage: Started, SignedOn: "2024-05-01", StartedOn: "2024-04-01"},
			[]string{"started_on:date_order"}},
		{"project dropped after start", Project{ID: "P", Name: "x", RegionCode: "1", Stage: Dropped, SignedOn: "2024-05-01", StartedOn: "2024-06-01"}, nil},
		{"project dropped with gap", Project{ID: "P", Name: "x", RegionCode: "1", Stage: Dropped, StartedOn: "2024-06-01"},
			[]string{"signed_on:stage_date_missing"}},
		{"project bad stage", Project{ID: "P", Name: "x", RegionCode: "1", Stage: "done"}, []string{"stage:bad_enum"}},
		{"project negative investment", Project{ID: "P", Name: "x", RegionCode: "1", Stage: Negotiating, InvestmentWan: -1},
			[]string{"investment_yi:negative"}},
		{"project plan order", Project{ID: "P", Name: "x", RegionCode: "1", Stage: Negotiating,
			PlannedStartOn: "2025-01-01", PlannedProduceOn: "2024-01-01"}, []string{"planned_producing_on:date_order"}},
	}
	tests = append(tests, dateTests()...)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := problemCodes(tt.rec.Validate())
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestProblemMessagesExistInBothLanguages(t *testing.T) {
	for code, m := range catalogue {
		if m[0] == "" || m[1] == "" {
			t.Errorf("%s lacks a message", code)
		}
	}
	p := Problem{Table: TCompanies, Index: 3, File: "companies.csv", Row: 5, Column: "region_code", Value: "999",
		Code: PUnknownRef, Args: []string{"地区"}, enArgs: []string{"region"}}
	if got := p.String(); got != `companies.csv 第5行 列 region_code "999": 引用的地区不存在 / refers to a region that does not exist` {
		t.Errorf("String() = %s", got)
	}
}

// dateTests: dates from a JSON body are checked for form, stage dates may not lie
// ahead, planned and observed dates at most PlanHorizonYears (issue 15 #8).
func dateTests() []struct {
	name string
	rec  interface{ Validate() error }
	want []string
} {
	today := DateOf(time.Now())
	soon, far := today.AddYears(1), today.AddYears(PlanHorizonYears+1)
	signed := func(d Date) Project {
		return Project{ID: "P", Name: "x", RegionCode: "1", Stage: Signed, SignedOn: d}
	}
	planned := Project{ID: "P", Name: "x", RegionCode: "1", Stage: Negotiating, PlannedStartOn: soon, PlannedProduceOn: soon}
	return []struct {
		name string
		rec  interface{ Validate() error }
		want []string
	}{
		{"signed 9999-12-31", signed("9999-12-31"), []string{"signed_on:future_date"}},
		{"signed next year", signed(soon), []string{"signed_on:future_date"}},
		{"signed today", signed(today), nil},
		{"signed garbage", signed("2024-01-31 garbage"), []string{"signed_on:bad_date"}},
		{"signed not canonical", signed("2024/1/31"), []string{"signed_on:bad_date"}},
		{"signed broken UTF-8", signed("\xff"), []string{"signed_on:bad_date"}},
		{"started far ahead", Project{ID: "P", Name: "x", RegionCode: "1", Stage: Started, SignedOn: "2024-01-01", StartedOn: "9999-12-31"},
			[]string{"started_on:future_date"}},
		{"planned next year", planned, nil},
		{"planned beyond the horizon", Project{ID: "P", Name: "x", RegionCode: "1", Stage: Negotiating, PlannedProduceOn: far},
			[]string{"planned_producing_on:absurd_value"}},
		{"planned garbage", Project{ID: "P", Name: "x", RegionCode: "1", Stage: Negotiating, PlannedStartOn: "soon"},
			[]string{"planned_start_on:bad_date"}},
		{"supply until 9999", Supply{SupplierID: "A", CustomerID: "B", Evidence: Observed, Confidence: 1, Until: "9999-12-31"},
			[]string{"until:absurd_value"}},
		{"supply since garbage", Supply{SupplierID: "A", CustomerID: "B", Evidence: Observed, Confidence: 1, Since: "2024-13-01"},
			[]string{"since:bad_date"}},
		{"company founded garbage", Company{ID: "A", Name: "x", RegionCode: "1", FoundedOn: "2024013"}, []string{"founded_on:bad_date"}},
	}
}

// TestParseNumber: what strconv reads differently from what was meant is refused
// (issue 15 #8): a decimal comma, odd groupings, underscores, hexadecimal, NaN.
func TestParseNumber(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want float64
		ok   bool
	}{
		{"1.5", 1.5, true}, {"-3", -3, true}, {"+2", 2, true}, {".5", 0.5, true}, {"1.2E-4", 0.00012, true},
		{"1,234", 1234, true}, {"1,234,567.5", 1234567.5, true}, {"100,000,000", 1e8, true}, {" 7 ", 7, true},
		{"1,5", 0, false}, {"1,2,3,4", 0, false}, {"1_000", 0, false}, {"0x1p4", 0, false}, {"0x10", 0, false},
		{"NaN", 0, false}, {"Inf", 0, false}, {"-Infinity", 0, false}, {"1e400", 0, false}, {"1,234e3", 0, false},
		{"12,34", 0, false}, {",123", 0, false}, {"1234,567", 0, false}, {"5.", 0, false}, {"", 0, false},
		{"-", 0, false}, {"1e", 0, false}, {"1e1000", 0, false}, {"１２", 0, false}, {"1 234", 0, false},
		{"1.2.3", 0, false}, {"--1", 0, false}, {"1,234.5,6", 0, false},
	} {
		got, ok := ParseNumber(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseNumber(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// TestParseYiRoundsFloatNoise: a spreadsheet's 3.3000000000000003 is 3.3 亿元, but a
// real fifth decimal is refused (issue 15 #13), as are the ambiguous forms.
func TestParseYiRoundsFloatNoise(t *testing.T) {
	for _, tt := range []struct {
		in  string
		wan int64
		ok  bool
	}{
		{"3.3000000000000003", 33000, true}, {"0.30000000000000004", 3000, true}, {"1094.6000000000001", 10946000, true},
		{"5.0000000000000001E-4", 5, true}, {"100,000,000", 1e12, true}, {"1,234.5", 12345000, true},
		{"1.23456", 0, false}, {"0.00005", 0, false}, {"1,5", 0, false}, {"1_000", 0, false}, {"0x1p4", 0, false},
		{"NaN", 0, false}, {"1e12", 0, false}, {"-2.5", -25000, true},
	} {
		got, ok := ParseYi(tt.in)
		if got != tt.wan || ok != tt.ok {
			t.Errorf("ParseYi(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.wan, tt.ok)
		}
	}
}
