package productkg

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// realDir is the shared chainkg dump, relative to this package.
const realDir = "../../../shared/data/chainkg"

// WriteFixture writes a small chainkg directory with one of every quirk.
func writeFixture(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"company.json": `{"name": "甲公司", "fullname": "甲公司股份有限公司", "code": "600001.SH", "location": "上海证券交易所", "time": "2001-01-01"}
{"name": "乙公司", "fullname": "乙公司股份有限公司", "code": "000002", "location": "深圳证券交易所", "time": "2002-02-02"}
{"name": "乙旧名", "fullname": "乙旧名股份有限公司", "code": "000002.SZ", "location": "深圳证券交易所", "time": "2002-02-02"}
not json
{"name": "丙科技", "fullname": "错误集团股份有限公司", "code": "688003", "location": "上海证券交易所", "time": "2020-01-01"}
{"name": "丙科技", "fullname": "另一家有限公司", "code": "688003", "location": "2020-01-01", "time": "2010-01-01"}

`,
		"product.json": `{"name": "电池"}
{"name": "电池电芯"}
{"name": "正极\\n材料"}
{"name": "电解液"}
{"name": " 隔膜 "}
{"name": "锂盐"}
{"name": "碳酸锂"}
{"name": "分部间抵销"}
`,
		"company_product.reconstructed.jsonl": `{"company_code": "600001.SH", "company_name": "甲公司", "product_name": "电池", "rel": "主营产品", "rel_weight": 0.6}
{"company_code": "600001.SH", "company_name": "甲公司", "product_name": "分部间抵销", "rel": "主营产品", "rel_weight": -0.2}
{"company_code": "000002.SZ", "company_name": "乙公司", "product_name": "正极\\n材料", "rel": "主营产品", "rel_weight": 1.5}
{"company_code": "000002.SZ", "company_name": "乙公司", "product_name": "电解液", "rel": "主营产品", "rel_weight": 0.3}
{"company_code": "000002", "company_name": "乙公司", "product_name": "电解液", "rel": "主营产品", "rel_weight": 0.2}
{"company_code": "688003", "company_name": "丙科技", "product_name": "电池电芯", "rel": "主营产品", "rel_weight": 0.5}
{"company_code": "999999.SH", "company_name": "无此公司", "product_name": "电池", "rel": "主营产品", "rel_weight": 0.1}
{"company_code": "600001.SH", "company_name": "甲公司", "product_name": "分部间抵销", "rel": "主营产品", "rel_weight": 0.1}
`,
		"product_product.reconstructed.jsonl": `{"from_entity": "电池", "to_entity": "正极\\n材料", "rel": "上游材料"}
{"from_entity": "电池", "to_entity": "电解液", "rel": "上游材料"}
{"from_entity": "电池", "to_entity": "隔膜", "rel": "上游材料"}
{"from_entity": "正极\\n材料", "to_entity": "锂盐", "rel": "上游材料"}
{"from_entity": "锂盐", "to_entity": "碳酸锂", "rel": "上游材料"}
{"from_entity": "碳酸锂", "to_entity": "正极材料", "rel": "上游材料"}
{"from_entity": "电池", "to_entity": "电池电芯", "rel": "产品小类"}
{"from_entity": "电池", "to_entity": "电池", "rel": "上游材料"}
{"from_entity": "电池", "to_entity": "不存在", "rel": "上游材料"}
{"from_entity": "碳酸锂", "to_entity": "锂盐", "rel": "下游产品"}
`,
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// Fixture loads the hand-built fixture; shared with no other package.
func TestLoadFixture(t *testing.T) {
	kg, cl, err := Load(writeFixture(t))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{
		IBadLine:          1,
		ICodeSuffix:       8, // 2 in company.json, 6 in company_product
		IBadCode:          0,
		IDuplicateCode:    2, // 000002 and 688003
		IFullNameMismatch: 1, // 688003: neither record's full name fits 丙科技
		INameCleaned:      2, // "正极\n材料", " 隔膜 "
		IEmptyName:        0,
		IDuplicateProduct: 0,
		IWeightNegative:   1,
		IWeightClamped:    1,
		IWeightInvalid:    0,
		IAccountingItem:   1,
		IDuplicateEdge:    2, // 000002 → 电解液 twice; 锂盐 → 碳酸锂 again via 下游产品
		IDanglingRef:      2, // company 999999, product 不存在
		ISelfLoop:         1,
		IReversed:         1,
		IUnknownRelation:  0,
		IMaterialCycle:    1,
		ISubproductCycle:  0,
	}
	for _, is := range cl.Issues {
		if is.Count != want[is.Code] {
			t.Errorf("%s: count %d, want %d (examples %q)", is.Code, is.Count, want[is.Code], is.Examples)
		}
	}
	if got := cl.Issue(IMaterialCycle).Examples; len(got) != 1 || got[0] != "{正极材料, 碳酸锂, 锂盐}" {
		t.Errorf("cycle examples %q", got)
	}
	st := kg.Stats()
	if st != (Stats{Companies: 3, Products: 8, Makes: 4, Materials: 6, SubProducts: 1}) {
		t.Errorf("stats %+v", st)
	}
	c, ok := kg.Company("000002.SZ")
	if !ok || c.Name != "乙公司" || c.Exchange != "SZ" || c.Ticker() != "000002.SZ" {
		t.Errorf("000002: %+v", c)
	}
	c, ok = kg.Company("SH688003")
	if !ok || c.FullName != "" || c.DisplayName() != "丙科技" || c.ListedOn != "2020-01-01" {
		t.Errorf("688003: %+v", c)
	}
	pi, ok := kg.ProductIndex("正极材料")
	if !ok {
		t.Fatal("正极材料 missing")
	}
	p := kg.Products[pi]
	if len(p.Makers) != 1 || p.Makers[0].Share != 1 {
		t.Errorf("正极材料 makers %+v (weight 1.5 must clamp to 1)", p.Makers)
	}
	ei, _ := kg.ProductIndex("电解液")
	if m := kg.Products[ei].Makers; len(m) != 1 || m[0].Share != 0.3 {
		t.Errorf("电解液 makers %+v (duplicate keeps the larger share)", m)
	}
	h, rows := cl.Table()
	if strings.Join(h, "|") != "问题 issue|数量 count|示例 examples" || len(rows) != 13 {
		t.Errorf("table %q with %d rows", h, len(rows))
	}
}

func TestCleanName(t *testing.T) {
	for in, want := range map[string]string{
		"维生素A系\\n列":         "维生素A系列",
		"合成维生素\\nE系列":       "合成维生素E系列",
		"光纤复合\\n架空地线\\n":    "光纤复合架空地线",
		"绿化工 程施工":           "绿化工程施工",
		"LED 显示屏":           "LED 显示屏",
		"  KG  型纺织 ":        "KG 型纺织",
		"北极虾\u200d":         "北极虾",
		"a\r\nb":            "ab",
		"\\\"经公司登记机关核准":     "\"经公司登记机关核准",
		"全角\u3000空格":        "全角空格",
		"":                  "",
		"lithium  ion cell": "lithium ion cell",
	} {
		if got := CleanName(in); got != want {
			t.Errorf("CleanName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNormCode(t *testing.T) {
	for _, tc := range []struct {
		in, code, ex string
		stripped, ok bool
	}{
		{"600000.SH", "600000", "SH", true, true},
		{"600000", "600000", "SH", false, true},
		{"sz000001", "000001", "SZ", true, true},
		{"300750SZ", "300750", "SZ", true, true},
		{"000001.XSHE", "000001", "SZ", true, true},
		{"830799.BJ", "830799", "BJ", true, true},
		{" 688008 ", "688008", "SH", false, true},
		{"60000", "", "", false, false},
		{"600000.HK", "", "", false, false},
		{"12-345678", "", "", false, false},
	} {
		code, ex, stripped, ok := NormCode(tc.in)
		if code != tc.code || ex != tc.ex || stripped != tc.stripped || ok != tc.ok {
			t.Errorf("NormCode(%q) = %q %q %v %v", tc.in, code, ex, stripped, ok)
		}
	}
}

func TestLoadMissing(t *testing.T) {
	if _, _, err := Load(t.TempDir()); err == nil {
		t.Fatal("empty directory loaded")
	}
}

func TestLoadReal(t *testing.T) {
	if _, err := os.Stat(realDir); err != nil {
		t.Skipf("chainkg data absent (%s): %v", realDir, err)
	}
	start := time.Now()
	kg, cl, err := Load(realDir)
	if err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	t.Logf("loaded in %v: %+v", took, kg.Stats())
	h, rows := cl.Table()
	t.Log(h)
	for _, r := range rows {
		t.Log(r)
	}
	if n := cl.Count(IDuplicateCode); n != 68 {
		t.Errorf("duplicate codes %d, want the 68 the data README documents", n)
	}
	if cl.Count(IWeightNegative) == 0 || cl.Count(IWeightClamped) == 0 {
		t.Error("no negative or clamped weights reported")
	}
	newline := 0
	for _, ex := range cl.Issue(INameCleaned).Examples {
		if strings.Contains(ex, `\\n`) {
			newline++
		}
	}
	if newline == 0 {
		t.Errorf("no newline names among %q", cl.Issue(INameCleaned).Examples)
	}
	if st := kg.Stats(); st.Companies != 4654-68 || st.Products < 95000 || st.Materials < 50000 || st.SubProducts < 50000 {
		t.Errorf("stats %+v", st)
	}
	if c, ok := kg.Company("688078"); !ok || c.FullName != "" {
		t.Errorf("688078 should keep no full name: %+v", c)
	}
	if c, ok := kg.Company("600690"); !ok || c.Name != "海尔智家" {
		t.Errorf("600690 should be 海尔智家: %+v", c)
	}
	if took > 10*time.Second {
		t.Errorf("load took %v", took)
	}
}
