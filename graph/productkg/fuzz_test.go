package productkg

import (
	"bytes"
	"fmt"
	"math"
	"reflect"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// fuzzSeeds are hand-written synthetic inputs (no rows of the real dump): one
// well-formed graph and a few hostile ones. Fields: company, product, makes,
// product edges, industries, industry parents, company industries.
var fuzzSeeds = [][7]string{
	{
		`{"name": "示例甲", "fullname": "示例甲股份有限公司", "code": "600001.SH", "location": "上海", "time": "2001-01-01"}
{"name": "示例乙", "fullname": "示例乙股份有限公司", "code": "sz000002", "location": "深圳", "time": "2002-02-02"}
{"name": "示例乙旧名", "fullname": "旧名有限公司", "code": "000002", "location": "深圳", "time": "x"}`,
		`{"name": "整机"}
{"name": "部件\\n一"}
{"name": "原料 A"}
{"name": "原料A"}
{"name": "合计"}`,
		`{"company_code": "600001.SH", "company_name": "示例甲", "product_name": "整机", "rel": "主营产品", "rel_weight": 0.7}
{"company_code": "600001", "company_name": "示例甲", "product_name": "整机", "rel": "主营产品", "rel_weight": 1.2}
{"company_code": "000002.SZ", "company_name": "示例乙", "product_name": "部件一", "rel": "主营产品", "rel_weight": -3}
{"company_code": "000002.SZ", "company_name": "示例乙", "product_name": "合计", "rel": "主营产品", "rel_weight": 0.1}
{"company_code": "000002.SZ", "company_name": "示例乙", "product_name": "原料A", "rel": "主营产品"}`,
		`{"from_entity": "整机", "to_entity": "部件一", "rel": "上游材料"}
{"from_entity": "部件一", "to_entity": "整机", "rel": "上游材料"}
{"from_entity": "原料A", "to_entity": "部件一", "rel": "下游产品"}
{"from_entity": "整机", "to_entity": "原料 A", "rel": "产品小类"}
{"from_entity": "整机", "to_entity": "整机", "rel": "产品小类"}
{"from_entity": "整机", "to_entity": "无此产品", "rel": "别的关系"}`,
		`{"code": "1", "name": "一级行业"}
{"code": "11", "name": "二级行业"}
{"code": " 11", "name": "重复"}`,
		`{"from_code": "11", "to_code": "1"}
{"from_code": "1", "to_code": " 1"}
{"from_code": "9", "to_code": "1"}`,
		`{"company_code": "600001", "industry_code": "11"}
{"company_code": "600001.SH", "industry_code": "1"}
{"company_code": "000002", "industry_code": "404"}`,
	},
	{
		"not json\n{\"code\": 600001}\n[]\n{}\n\ufeff{\"name\": \"x\", \"code\": \"600001\"}\r\n",
		"{\"name\": \"\\u200b\"}\n{\"name\": \"\\\\\\\"\"}\n{\"name\": \"a\\u0000b\"}\n{\"name\": \"\xff\xfe\"}\nnull\n",
		`{"company_code": "600001", "product_name": "x", "rel_weight": "NaN"}
{"company_code": "600001", "product_name": "x", "rel_weight": 1e999}
{"company_code": "60000１", "product_name": "x", "rel_weight": 0.5}`,
		"{\"from_entity\": \"x\", \"to_entity\": \"\\\\\\\"\", \"rel\": \"下游产品\"}\n" + strings.Repeat(" ", 4096),
		"", "", "",
	},
}

// FuzzLoad feeds arbitrary bytes as the loader's files: it must return without
// panicking or hanging, and what it returns must keep checkKG's invariants.
func FuzzLoad(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(uint8(0xff), []byte(s[0]), []byte(s[1]), []byte(s[2]), []byte(s[3]), []byte(s[4]), []byte(s[5]), []byte(s[6]))
	}
	f.Add(uint8(0), []byte{}, []byte{}, []byte{}, []byte{}, []byte{}, []byte{}, []byte{})
	f.Fuzz(func(t *testing.T, variant uint8, company, product, makes, edges, ind, indPar, compInd []byte) {
		fsys := fuzzFS(variant, company, product, makes, edges, ind, indPar, compInd)
		kg, cl := loadWithin(t, fsys, 10*time.Second)
		checkKG(t, fsys, kg, cl)
		// The same input gives the same graph and report: map order must not leak.
		kg2, cl2 := loadWithin(t, fsys, 10*time.Second)
		if !reflect.DeepEqual(kg.Companies, kg2.Companies) || !reflect.DeepEqual(kg.Products, kg2.Products) ||
			!reflect.DeepEqual(kg.Industries, kg2.Industries) || !reflect.DeepEqual(cl.Issues, cl2.Issues) {
			t.Fatal("two loads of the same input differ")
		}
	})
}

// fuzzFS lays out the files; variant's bits pick the alternative file names and
// which optional files exist, so every candidate name is exercised.
func fuzzFS(variant uint8, company, product, makes, edges, ind, indPar, compInd []byte) fstest.MapFS {
	fsys := fstest.MapFS{
		companyFiles[variant&1]:         {Data: company},
		productFiles[variant>>1&1]:      {Data: product},
		makesFiles[int(variant>>2&3)%3]: {Data: makes},
		edgeFiles[int(variant>>4&3)%3]:  {Data: edges},
	}
	if variant&0x40 != 0 {
		fsys[industryFiles[0]] = &fstest.MapFile{Data: ind}
		fsys[indParent[0]] = &fstest.MapFile{Data: indPar}
	}
	if variant&0x80 != 0 {
		fsys[companyInd[0]] = &fstest.MapFile{Data: compInd}
	}
	return fsys
}

// loadWithin runs LoadFS and fails on a panic, an error (every required file
// exists, so nothing may fail) or a load slower than limit.
func loadWithin(t *testing.T, fsys fstest.MapFS, limit time.Duration) (*KG, *Cleaning) {
	t.Helper()
	type result struct {
		kg    *KG
		cl    *Cleaning
		err   error
		panic string
	}
	done := make(chan result, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- result{panic: fmt.Sprintf("%v\n%s", p, debug.Stack())}
			}
		}()
		kg, cl, err := LoadFS(fsys)
		done <- result{kg: kg, cl: cl, err: err}
	}()
	select {
	case r := <-done:
		switch {
		case r.panic != "":
			t.Fatalf("LoadFS panicked: %s", r.panic)
		case r.err != nil:
			t.Fatalf("LoadFS failed with every required file present: %v", r.err)
		}
		return r.kg, r.cl
	case <-time.After(limit):
		t.Fatalf("LoadFS did not return within %v", limit)
	}
	return nil, nil
}

// nonBlankLines counts the lines the loader reads: bufio.ScanLines splits at \n,
// and lines that are blank after trimming are skipped.
func nonBlankLines(b []byte) int {
	n := 0
	for line := range bytes.SplitSeq(b, []byte("\n")) {
		if len(bytes.TrimSpace(line)) > 0 {
			n++
		}
	}
	return n
}

// checkKG asserts what kg.go and the package documentation promise of any loaded
// graph, and that the cleaning report adds up.
func checkKG(t *testing.T, fsys fstest.MapFS, kg *KG, cl *Cleaning) {
	t.Helper()
	// Cleaning: every issue once, in report order; counts bound the examples.
	if len(cl.Issues) != len(issueTexts) {
		t.Fatalf("%d issues, want %d", len(cl.Issues), len(issueTexts))
	}
	for i, is := range cl.Issues {
		if is.Code != issueTexts[i].code || is.ZH == "" || is.EN == "" {
			t.Fatalf("issue %d = %+v", i, is)
		}
		if is.Count < len(is.Examples) || len(is.Examples) > MaxExamples {
			t.Fatalf("%s: count %d with %d examples", is.Code, is.Count, len(is.Examples))
		}
		if len(slices.Compact(slices.Sorted(slices.Values(is.Examples)))) != len(is.Examples) {
			t.Fatalf("%s: repeated examples %q", is.Code, is.Examples)
		}
	}
	// fuzzFS holds one candidate of each kind, so every file present is read.
	for name := range cl.Lines {
		if _, ok := fsys[name]; !ok {
			t.Fatalf("lines counted for absent file %s", name)
		}
	}
	total := 0
	for name, file := range fsys {
		if n, want := cl.Lines[name], nonBlankLines(file.Data); n != want {
			t.Fatalf("%s: %d lines counted, want %d", name, n, want)
		}
		total += cl.Lines[name]
	}
	lines := func(names []string) int {
		for _, n := range names {
			if _, ok := fsys[n]; ok {
				return cl.Lines[n]
			}
		}
		return 0
	}
	if n := cl.Count(IBadLine); n > total {
		t.Fatalf("%d bad lines out of %d", n, total)
	}

	// Companies: sorted by unique six-digit code, named, findable by code.
	if len(kg.Companies)+cl.Count(IDuplicateCode) > lines(companyFiles) {
		t.Fatalf("%d companies + %d duplicates from %d lines", len(kg.Companies), cl.Count(IDuplicateCode), lines(companyFiles))
	}
	for i := range kg.Companies {
		c := &kg.Companies[i]
		if i > 0 && kg.Companies[i-1].Code >= c.Code {
			t.Fatalf("companies not sorted by unique code at %d: %q, %q", i, kg.Companies[i-1].Code, c.Code)
		}
		if len(c.Code) != 6 || strings.Trim(c.Code, "0123456789") != "" {
			t.Fatalf("company code %q", c.Code)
		}
		if !slices.Contains([]string{"", "SH", "SZ", "BJ"}, c.Exchange) || c.Name == "" {
			t.Fatalf("company %+v", c)
		}
		if got, ok := kg.Company(c.Ticker()); !ok || got != c {
			t.Fatalf("Company(%q) does not find company %d", c.Ticker(), i)
		}
		if c.ListedOn != "" && !isDate(c.ListedOn) {
			t.Fatalf("company %s listed on %q", c.Code, c.ListedOn)
		}
		for _, m := range c.Products {
			if m.Company != i {
				t.Fatalf("company %d lists make %+v", i, m)
			}
		}
		if !slices.IsSortedFunc(c.Products, largestShareFirst) {
			t.Fatalf("company %s products not largest share first: %+v", c.Code, c.Products)
		}
	}
	if len(kg.byCode) != len(kg.Companies) {
		t.Fatalf("%d codes indexed for %d companies", len(kg.byCode), len(kg.Companies))
	}

	// Products: sorted by unique clean name, findable by name; every edge index
	// valid, mirrored on the other end, sorted, without self-loops.
	if len(kg.Products)+cl.Count(IDuplicateProduct) > lines(productFiles) {
		t.Fatalf("%d products + %d merged from %d lines", len(kg.Products), cl.Count(IDuplicateProduct), lines(productFiles))
	}
	if len(kg.byName) != len(kg.Products) {
		t.Fatalf("%d names indexed for %d products", len(kg.byName), len(kg.Products))
	}
	makes, companyMakes := 0, 0
	for i := range kg.Companies {
		companyMakes += len(kg.Companies[i].Products)
	}
	for i := range kg.Products {
		p := &kg.Products[i]
		if p.Name == "" || (i > 0 && kg.Products[i-1].Name >= p.Name) {
			t.Fatalf("products not sorted by unique non-empty name at %d: %q", i, p.Name)
		}
		if j, ok := kg.ProductIndex(p.Name); !ok || j != i {
			t.Fatalf("ProductIndex(%q) = %d, %v; want %d", p.Name, j, ok, i)
		}
		for _, e := range []struct {
			name string
			out  []int
			back func(j int) []int
		}{
			{"materials", p.Materials, func(j int) []int { return kg.Products[j].UsedIn }},
			{"used_in", p.UsedIn, func(j int) []int { return kg.Products[j].Materials }},
			{"sub_products", p.SubProducts, func(j int) []int { return kg.Products[j].Parents }},
			{"parents", p.Parents, func(j int) []int { return kg.Products[j].SubProducts }},
		} {
			for k, j := range e.out {
				if j < 0 || j >= len(kg.Products) || j == i || (k > 0 && e.out[k-1] >= j) {
					t.Fatalf("product %q %s %v: out of range, self-loop or unsorted", p.Name, e.name, e.out)
				}
				if _, found := slices.BinarySearch(e.back(j), i); !found {
					t.Fatalf("product %q %s holds %q but not the other way round", p.Name, e.name, kg.Products[j].Name)
				}
			}
		}
		for _, m := range p.Makers {
			if m.Product != i || m.Company < 0 || m.Company >= len(kg.Companies) {
				t.Fatalf("product %q maker %+v", p.Name, m)
			}
			if math.IsNaN(m.Share) || m.Share < 0 || m.Share > 1 {
				t.Fatalf("product %q share %v outside 0–1", p.Name, m.Share)
			}
			if !slices.Contains(kg.Companies[m.Company].Products, m) {
				t.Fatalf("make %+v missing from its company", m)
			}
			if isAccountingItem(p.Name) {
				t.Fatalf("accounting item %q kept as a main product", p.Name)
			}
		}
		if !slices.IsSortedFunc(p.Makers, largestShareFirst) {
			t.Fatalf("product %q makers not largest share first: %+v", p.Name, p.Makers)
		}
		makes += len(p.Makers)
	}
	if makes != companyMakes {
		t.Fatalf("%d makes on products, %d on companies", makes, companyMakes)
	}
	st := kg.Stats()
	if st.Makes+cl.Count(IWeightNegative) > lines(makesFiles) || st.Materials+st.SubProducts > lines(edgeFiles) {
		t.Fatalf("stats %+v exceed the lines read %v", st, cl.Lines)
	}

	// Industries: sorted by unique code; parents and company industries exist.
	ind := map[string]string{}
	for i, in := range kg.Industries {
		if in.Code == "" || in.Name == "" || (i > 0 && kg.Industries[i-1].Code >= in.Code) {
			t.Fatalf("industries not sorted by unique named code at %d: %+v", i, in)
		}
		ind[in.Code] = in.Name
	}
	for _, in := range kg.Industries {
		if _, ok := ind[in.ParentCode]; in.ParentCode != "" && (!ok || in.ParentCode == in.Code) {
			t.Fatalf("industry %q has parent %q: missing or itself", in.Code, in.ParentCode)
		}
	}
	for _, c := range kg.Companies {
		if name, ok := ind[c.IndustryCode]; c.IndustryCode != "" && (!ok || name != c.IndustryName) {
			t.Fatalf("company %s industry %q %q not in the industry table", c.Code, c.IndustryCode, c.IndustryName)
		}
	}
}

// largestShareFirst is the order finishEdges promises for makes.
func largestShareFirst(a, b Make) int {
	switch {
	case a.Share != b.Share:
		if a.Share > b.Share {
			return -1
		}
		return 1
	case a.Company != b.Company:
		return a.Company - b.Company
	}
	return a.Product - b.Product
}
