package derive

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/graph/productkg"
)

const realDir = "../../../shared/data/chainkg"

func fixture(t *testing.T) *productkg.KG {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"company.json": `{"name": "甲公司", "fullname": "甲公司股份有限公司", "code": "600001.SH", "time": "2001-01-01"}
{"name": "乙公司", "fullname": "乙公司股份有限公司", "code": "000002", "time": "2002-02-02"}
{"name": "乙旧名", "fullname": "乙旧名股份有限公司", "code": "000002.SZ", "time": "2002-02-02"}
{"name": "丙科技", "fullname": "错误集团股份有限公司", "code": "688003"}
{"name": "丙科技", "fullname": "另一家有限公司", "code": "688003"}
`,
		"product.json": `{"name": "电池"}
{"name": "电池电芯"}
{"name": "正极\\n材料"}
{"name": "电解液"}
{"name": " 隔膜 "}
{"name": "锂盐"}
{"name": "碳酸锂"}
{"name": "电池包"}
`,
		"company_product.reconstructed.jsonl": `{"company_code": "600001.SH", "product_name": "电池", "rel": "主营产品", "rel_weight": 0.6}
{"company_code": "600001.SH", "product_name": "电解液", "rel": "主营产品", "rel_weight": -0.2}
{"company_code": "000002.SZ", "product_name": "正极\\n材料", "rel": "主营产品", "rel_weight": 1.5}
{"company_code": "000002.SZ", "product_name": "电解液", "rel": "主营产品", "rel_weight": 0.3}
{"company_code": "688003", "product_name": "电池电芯", "rel": "主营产品", "rel_weight": 0.5}
{"company_code": "688003", "product_name": "电池", "rel": "主营产品", "rel_weight": 0.1}
`,
		"product_product.reconstructed.jsonl": `{"from_entity": "电池", "to_entity": "正极\\n材料", "rel": "上游材料"}
{"from_entity": "电池", "to_entity": "电解液", "rel": "上游材料"}
{"from_entity": "电池", "to_entity": "隔膜", "rel": "上游材料"}
{"from_entity": "正极\\n材料", "to_entity": "锂盐", "rel": "上游材料"}
{"from_entity": "锂盐", "to_entity": "碳酸锂", "rel": "上游材料"}
{"from_entity": "碳酸锂", "to_entity": "正极材料", "rel": "上游材料"}
{"from_entity": "电池", "to_entity": "电池电芯", "rel": "产品小类"}
{"from_entity": "电池电芯", "to_entity": "隔膜", "rel": "上游材料"}
{"from_entity": "电池", "to_entity": "不存在", "rel": "上游材料"}
`,
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	kg, _, err := productkg.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return kg
}

func mustCheck(t *testing.T, ds *graph.Dataset) {
	t.Helper()
	probs, err := graph.Check(context.Background(), ds, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range probs {
		t.Errorf("graph.Check: %+v", p)
	}
}

// names returns "link name/tier" per link and "from→to" per feed, by name.
func summary(r *Result) (links, feeds []string) {
	name := map[string]string{}
	for _, l := range r.Dataset.Links {
		name[l.ID] = l.Name
		links = append(links, l.Name+"/"+string(l.Tier))
	}
	for _, f := range r.Dataset.Feeds {
		feeds = append(feeds, name[f.From]+"→"+name[f.To])
	}
	return links, feeds
}

func TestChainFixture(t *testing.T) {
	kg := fixture(t)
	r, err := Chain(kg, "电池", 2, Options{})
	if err != nil {
		t.Fatal(err)
	}
	mustCheck(t, r.Dataset)
	links, feeds := summary(r)
	// Product names sort by UTF-8 bytes: 正(e6ad) < 电(e794) < 锂(e994) < 隔(e99a).
	wantLinks := "电池/downstream 正极材料/midstream 电解液/midstream 隔膜/midstream 锂盐/upstream"
	wantFeeds := "正极材料→电池 电解液→电池 隔膜→电池 锂盐→正极材料"
	if strings.Join(links, " ") != wantLinks || strings.Join(feeds, " ") != wantFeeds {
		t.Errorf("links %q\nfeeds %q", links, feeds)
	}
	if r.Links != 5 || r.Feeds != 4 || r.Companies != 3 || len(r.Cycles) != 0 || r.Root != "电池" {
		t.Errorf("result %d links %d feeds %d companies, cycles %q", r.Links, r.Feeds, r.Companies, r.Cycles)
	}
	root := r.Nodes[0]
	if strings.Join(root.Group, ",") != "电池,电池电芯" || len(root.Companies) != 2 ||
		root.Companies[0].CompanyID != "600001.SH" || root.Companies[1].Products != "电池 10.0%；电池电芯 50.0%" ||
		root.Companies[1].Name != "丙科技" {
		t.Errorf("root node %+v", root)
	}
	if r.ChainID != "KG-"+hash("电池", 8) || r.Dataset.Links[0].ID != r.ChainID+"-"+hash("电池", 8) {
		t.Errorf("ids %s %s", r.ChainID, r.Dataset.Links[0].ID)
	}
	if p := r.Dataset.Links[4].Provenance; p != "chainkg: 电池 ← 正极材料 ← 锂盐" {
		t.Errorf("provenance %q", p)
	}
	var cls []string
	for _, cl := range r.Dataset.CompanyLinks {
		cls = append(cls, cl.CompanyID+"@"+cl.Products)
	}
	if got := strings.Join(cls, " "); got != "600001.SH@电池 60.0% 688003.SH@电池 10.0%；电池电芯 50.0% 000002.SZ@正极材料 100.0% 000002.SZ@电解液 30.0%" {
		t.Errorf("company links %q", got)
	}
	for _, c := range r.Dataset.Companies {
		if c.RegionCode != UnknownRegion {
			t.Errorf("company %+v", c)
		}
	}
	if h, rows := r.Table(); len(h) != 8 || len(rows) != 5 {
		t.Errorf("table %q %d rows", h, len(rows))
	}

	// Depth 3 meets the cycle 正极材料 ← 锂盐 ← 碳酸锂 ← 正极材料 and breaks it.
	r, err = Chain(kg, "电池", 3, Options{})
	if err != nil {
		t.Fatal(err)
	}
	mustCheck(t, r.Dataset)
	links, feeds = summary(r)
	if strings.Join(links, " ") != wantLinks[:strings.LastIndex(wantLinks, "/")]+"/midstream 碳酸锂/upstream" ||
		strings.Join(feeds, " ") != wantFeeds+" 碳酸锂→锂盐" {
		t.Errorf("depth 3: links %q feeds %q", links, feeds)
	}
	if len(r.Cycles) != 1 || r.Cycles[0] != "正极材料 → 碳酸锂 → 锂盐 → 正极材料" {
		t.Errorf("cycles %q", r.Cycles)
	}

	// Without groups 电池电芯 is no link (not a material) and its maker drops out.
	r, err = Chain(kg, "电池", 1, Options{NoSubProducts: true, RegionCode: "310000", ClusterID: "C1"})
	if err != nil {
		t.Fatal(err)
	}
	links, _ = summary(r)
	if strings.Join(links, " ") != "电池/downstream 正极材料/upstream 电解液/upstream 隔膜/upstream" || r.Companies != 3 ||
		len(r.Dataset.Regions) != 0 || len(r.Dataset.Clusters) != 0 || r.Dataset.Companies[0].RegionCode != "310000" {
		t.Errorf("no groups: %q, %d companies, %+v", links, r.Companies, r.Dataset.Regions)
	}

	// Depth 0 and MaxLinks.
	r, err = Chain(kg, "电池", 0, Options{})
	if err != nil || r.Links != 1 || r.Feeds != 0 || r.Dataset.Links[0].Tier != graph.Downstream {
		t.Errorf("depth 0: %+v %v", r, err)
	}
	r, err = Chain(kg, "电池", 2, Options{MaxLinks: 2})
	if err != nil || r.Links != 2 || r.Skipped != 3 {
		t.Errorf("max links: %d links, %d skipped, %v", r.Links, r.Skipped, err)
	}
}

func TestResolveRoot(t *testing.T) {
	kg := fixture(t)
	if r, err := Chain(kg, "锂", 1, Options{}); err == nil || !strings.Contains(err.Error(), "锂盐、碳酸锂") {
		t.Errorf("ambiguous root: %v %v", r, err)
	}
	if r, err := Chain(kg, "碳酸", 1, Options{}); err != nil || r.Root != "碳酸锂" {
		t.Errorf("unique substring: %v", err)
	}
	if _, err := Chain(kg, "不存在的东西", 1, Options{}); err == nil {
		t.Error("unknown root accepted")
	}
	if _, err := Chain(kg, "电池", -1, Options{}); err == nil {
		t.Error("negative depth accepted")
	}
}

func TestChainReal(t *testing.T) {
	if _, err := os.Stat(realDir); err != nil {
		t.Skipf("chainkg data absent (%s): %v", realDir, err)
	}
	start := time.Now()
	kg, _, err := productkg.Load(realDir)
	if err != nil {
		t.Fatal(err)
	}
	loaded := time.Since(start)
	for _, root := range []string{"锂电池", "汽车"} {
		start = time.Now()
		r, err := Chain(kg, root, 2, Options{})
		if err != nil {
			t.Fatal(err)
		}
		took := time.Since(start)
		mustCheck(t, r.Dataset)
		t.Logf("%s: load %v, derive %v: %d links, %d feeds, %d companies, %d cycles, %d skipped", root, loaded, took,
			r.Links, r.Feeds, r.Companies, len(r.Cycles), r.Skipped)
		h, rows := r.Table()
		t.Log(h)
		for _, row := range rows {
			t.Log(row)
		}
		if r.Links < 5 || r.Feeds < r.Links-1 || r.Companies == 0 {
			t.Errorf("%s: trivial chain", root)
		}
		tiers := map[graph.Tier]int{}
		for _, l := range r.Dataset.Links {
			tiers[l.Tier]++
		}
		if tiers[graph.Downstream] != 1 || tiers[graph.Midstream] == 0 || tiers[graph.Upstream] == 0 {
			t.Errorf("%s: tiers %v", root, tiers)
		}
	}
}
