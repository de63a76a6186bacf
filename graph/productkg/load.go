package productkg

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
)

// Candidate file names, first found wins.
var (
	companyFiles  = []string{"company.json", "company.jsonl"}
	productFiles  = []string{"product.json", "product.jsonl"}
	makesFiles    = []string{"company_product.reconstructed.jsonl", "company_product.jsonl", "company_product.json"}
	edgeFiles     = []string{"product_product.reconstructed.jsonl", "product_product.jsonl", "product_product.json"}
	industryFiles = []string{"industry.json"}
	indParent     = []string{"industry_industry.json"}
	companyInd    = []string{"company_industry.json"}
)

// Load reads a chainkg directory into a KG and reports every fix made on the way.
// Missing required files and read errors fail; bad records are fixed or dropped
// and counted in the Cleaning.
func Load(dir string) (*KG, *Cleaning, error) {
	if dir == "" {
		dir = "." // as filepath.Join("", name) did before Load read through an fs.FS
	}
	return load(os.DirFS(dir), dir+": ")
}

// LoadFS is Load reading the files from the root of fsys (tests and fuzzing feed
// it an fstest.MapFS).
func LoadFS(fsys fs.FS) (*KG, *Cleaning, error) {
	return load(fsys, "")
}

// load does Load's work; where prefixes the missing-files error.
func load(fsys fs.FS, where string) (*KG, *Cleaning, error) {
	l := loader{fsys: fsys, where: where, cl: newCleaning(), kg: &KG{byCode: map[string]int{}, byName: map[string]int{}}}
	steps := []struct {
		files    []string
		required bool
		read     func(name string, line []byte) error
	}{
		{companyFiles, true, l.company},
		{productFiles, true, l.product},
	}
	for _, s := range steps {
		if err := l.each(s.files, s.required, s.read); err != nil {
			return nil, nil, err
		}
	}
	l.finishCompanies()
	l.finishProducts()
	for _, s := range []struct {
		files    []string
		required bool
		read     func(name string, line []byte) error
	}{
		{makesFiles, true, l.make},
		{edgeFiles, true, l.edge},
		{industryFiles, false, l.industry},
		{indParent, false, l.industryParent},
		{companyInd, false, l.companyIndustry},
	} {
		if err := l.each(s.files, s.required, s.read); err != nil {
			return nil, nil, err
		}
	}
	l.finishEdges()
	return l.kg, l.cl, nil
}

type rawCompany struct {
	Name     string `json:"name"`
	FullName string `json:"fullname"`
	Code     string `json:"code"`
	Location string `json:"location"`
	Time     string `json:"time"`
}

type edgeKey struct{ a, b int }

type loader struct {
	fsys  fs.FS
	where string // "dir: " for error messages, empty for LoadFS
	cl    *Cleaning
	kg    *KG

	companies []rawCompany // valid records in file order, code normalised
	exchanges []string
	products  []string          // cleaned names in file order, deduplicated
	seenName  map[string]bool   // cleaned product names
	cleaned   map[string]string // raw → cleaned name, for names already counted
	makes     map[edgeKey]int   // (company, product) → index in makeList
	makeList  []Make
	materials map[edgeKey]bool // (product, material)
	subs      map[edgeKey]bool // (parent, sub)
	indIdx    map[string]int   // code → index in kg.Industries
}

// each streams the lines of the first existing file of names into read.
func (l *loader) each(names []string, required bool, read func(name string, line []byte) error) error {
	var f fs.File
	var name string
	for _, n := range names {
		var err error
		f, err = l.fsys.Open(n)
		if err == nil {
			name = n
			break
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("productkg: opening %s: %w", n, err)
		}
	}
	if name == "" {
		if required {
			return fmt.Errorf("productkg: %snone of %s found", l.where, strings.Join(names, ", "))
		}
		return nil
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	// Start small (small files are common: tests, fuzzing); long lines grow it.
	sc.Buffer(make([]byte, 0, 64<<10), 64<<20)
	n := 0
	for sc.Scan() {
		n++
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		l.cl.Lines[name]++
		if err := read(name, line); err != nil {
			l.cl.add(IBadLine, name+":"+strconv.Itoa(n)+": "+err.Error())
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("productkg: reading %s: %w", name, err)
	}
	return nil
}

// clean cleans a name and counts the fix once per distinct raw name.
func (l *loader) clean(raw string) string {
	c := CleanName(raw)
	if c != raw {
		if l.cleaned == nil {
			l.cleaned = map[string]string{}
		}
		if _, done := l.cleaned[raw]; !done {
			l.cleaned[raw] = c
			l.cl.add(INameCleaned, strconv.Quote(raw)+" → "+c)
		}
	}
	return c
}

func (l *loader) code(raw string) (code, exchange string, ok bool) {
	code, exchange, stripped, ok := NormCode(raw)
	if !ok {
		l.cl.add(IBadCode, strconv.Quote(raw))
		return "", "", false
	}
	if stripped {
		l.cl.add(ICodeSuffix, raw+" → "+code)
	}
	return code, exchange, true
}

func (l *loader) company(_ string, line []byte) error {
	var r rawCompany
	if err := json.Unmarshal(line, &r); err != nil {
		return err
	}
	code, ex, ok := l.code(r.Code)
	if !ok {
		return nil
	}
	r.Code = code
	r.Name, r.FullName = l.clean(r.Name), l.clean(r.FullName)
	if r.Name == "" {
		r.Name = r.FullName
	}
	if r.Name == "" {
		l.cl.add(IEmptyName, "company "+code)
		return nil
	}
	l.companies = append(l.companies, r)
	l.exchanges = append(l.exchanges, ex)
	return nil
}

// finishCompanies resolves duplicate codes and builds the sorted company table.
func (l *loader) finishCompanies() {
	groups := map[string][]int{}
	var order []string
	for i, r := range l.companies {
		if _, ok := groups[r.Code]; !ok {
			order = append(order, r.Code)
		}
		groups[r.Code] = append(groups[r.Code], i)
	}
	slices.Sort(order)
	for _, code := range order {
		g := groups[code]
		win := g[0]
		for _, i := range g {
			if consistent(l.companies[i].Name, l.companies[i].FullName) {
				win = i
				break
			}
		}
		r := l.companies[win]
		if len(g) > 1 {
			var dropped []string
			for _, i := range g {
				if i != win {
					dropped = append(dropped, l.companies[i].Name+"/"+l.companies[i].FullName)
				}
			}
			for range g[1:] {
				l.cl.add(IDuplicateCode, fmt.Sprintf("%s: kept %s/%s, dropped %d (%s)", code, r.Name, r.FullName,
					len(dropped), strings.Join(dropped, ", ")))
			}
		}
		if len(g) > 1 && !consistent(r.Name, r.FullName) {
			l.cl.add(IFullNameMismatch, code+" "+r.Name+" ≠ "+r.FullName)
			r.FullName = ""
		}
		c := Company{Code: code, Exchange: l.exchanges[win], Name: r.Name, FullName: r.FullName}
		if isDate(r.Time) {
			c.ListedOn = r.Time
		}
		l.kg.byCode[code] = len(l.kg.Companies)
		l.kg.Companies = append(l.kg.Companies, c)
	}
	l.companies, l.exchanges = nil, nil
}

func isDate(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	for i := range len(s) {
		if i != 4 && i != 7 && (s[i] < '0' || s[i] > '9') {
			return false
		}
	}
	return true
}

func (l *loader) product(_ string, line []byte) error {
	var r struct {
		Name string `json:"name"`
	}
	if err := json.Unmarshal(line, &r); err != nil {
		return err
	}
	name := l.clean(r.Name)
	if name == "" {
		l.cl.add(IEmptyName, "product "+strconv.Quote(r.Name))
		return nil
	}
	if l.seenName == nil {
		l.seenName = map[string]bool{}
	}
	if l.seenName[name] {
		l.cl.add(IDuplicateProduct, strconv.Quote(r.Name)+" → "+name)
		return nil
	}
	l.seenName[name] = true
	l.products = append(l.products, name)
	return nil
}

func (l *loader) finishProducts() {
	slices.Sort(l.products)
	l.kg.Products = make([]Product, len(l.products))
	for i, n := range l.products {
		l.kg.Products[i].Name = n
		l.kg.byName[n] = i
	}
	l.products, l.seenName = nil, nil
	l.makes = map[edgeKey]int{}
	l.materials = map[edgeKey]bool{}
	l.subs = map[edgeKey]bool{}
}

func (l *loader) make(_ string, line []byte) error {
	var r struct {
		Code    string   `json:"company_code"`
		Company string   `json:"company_name"`
		Product string   `json:"product_name"`
		Rel     string   `json:"rel"`
		Weight  *float64 `json:"rel_weight"`
	}
	if err := json.Unmarshal(line, &r); err != nil {
		return err
	}
	if r.Rel != "" && r.Rel != "主营产品" {
		l.cl.add(IUnknownRelation, r.Rel)
		return nil
	}
	code, _, ok := l.code(r.Code)
	if !ok {
		return nil
	}
	name := l.clean(r.Product)
	ci, okc := l.kg.byCode[code]
	pi, okp := l.kg.byName[name]
	switch {
	case name == "":
		l.cl.add(IEmptyName, "main product of "+code)
		return nil
	case !okc:
		l.cl.add(IDanglingRef, "company "+r.Code+" → "+name)
		return nil
	case !okp:
		l.cl.add(IDanglingRef, r.Code+" → product "+name)
		return nil
	}
	share := 0.0
	ex := code + " " + r.Company + " → " + name
	switch w := r.Weight; {
	case w == nil || math.IsNaN(*w) || math.IsInf(*w, 0):
		l.cl.add(IWeightInvalid, ex)
	case *w < 0:
		l.cl.add(IWeightNegative, ex+" "+strconv.FormatFloat(*w, 'f', -1, 64))
		return nil
	case *w > 1:
		l.cl.add(IWeightClamped, ex+" "+strconv.FormatFloat(*w, 'f', -1, 64)+" → 1")
		share = 1
	default:
		share = *w
	}
	if isAccountingItem(name) {
		l.cl.add(IAccountingItem, name)
		return nil
	}
	k := edgeKey{ci, pi}
	if j, dup := l.makes[k]; dup {
		l.cl.add(IDuplicateEdge, ex)
		l.makeList[j].Share = max(l.makeList[j].Share, share)
		return nil
	}
	l.makes[k] = len(l.makeList)
	l.makeList = append(l.makeList, Make{Company: ci, Product: pi, Share: share})
	return nil
}

func (l *loader) edge(_ string, line []byte) error {
	var r struct {
		From string `json:"from_entity"`
		To   string `json:"to_entity"`
		Rel  string `json:"rel"`
	}
	if err := json.Unmarshal(line, &r); err != nil {
		return err
	}
	from, to := l.clean(r.From), l.clean(r.To)
	ex := from + " " + r.Rel + " " + to
	var set map[edgeKey]bool
	switch r.Rel {
	case "上游材料":
		set = l.materials
	case "下游产品":
		set = l.materials
		from, to = to, from
	case "产品小类":
		set = l.subs
	default:
		l.cl.add(IUnknownRelation, ex)
		return nil
	}
	fi, okf := l.kg.byName[from]
	ti, okt := l.kg.byName[to]
	switch {
	case !okf || !okt:
		l.cl.add(IDanglingRef, ex)
		return nil
	case fi == ti:
		l.cl.add(ISelfLoop, ex)
		return nil
	}
	if r.Rel == "下游产品" {
		l.cl.add(IReversed, ex+" ⇒ "+from+" 上游材料 "+to)
	}
	k := edgeKey{fi, ti}
	if set[k] {
		l.cl.add(IDuplicateEdge, ex)
		return nil
	}
	set[k] = true
	return nil
}

func (l *loader) industry(_ string, line []byte) error {
	var r struct {
		Code string `json:"code"`
		Name string `json:"name"`
	}
	if err := json.Unmarshal(line, &r); err != nil {
		return err
	}
	code, name := strings.TrimSpace(r.Code), l.clean(r.Name)
	if code == "" || name == "" {
		l.cl.add(IEmptyName, "industry "+strconv.Quote(r.Code)+" "+strconv.Quote(r.Name))
		return nil
	}
	if l.indIdx == nil {
		l.indIdx = map[string]int{}
	}
	if _, dup := l.indIdx[code]; dup {
		l.cl.add(IDuplicateEdge, "industry "+code)
		return nil
	}
	l.indIdx[code] = len(l.kg.Industries)
	l.kg.Industries = append(l.kg.Industries, Industry{Code: code, Name: name})
	return nil
}

func (l *loader) industryParent(_ string, line []byte) error {
	var r struct {
		From string `json:"from_code"`
		To   string `json:"to_code"`
	}
	if err := json.Unmarshal(line, &r); err != nil {
		return err
	}
	from, to := strings.TrimSpace(r.From), strings.TrimSpace(r.To)
	fi, okf := l.indIdx[from]
	_, okt := l.indIdx[to]
	switch {
	case !okf || !okt:
		l.cl.add(IDanglingRef, "industry "+r.From+" 上级行业 "+r.To)
	case from == to: // trimmed, as the lookups are: "1" and " 1" are one industry
		l.cl.add(ISelfLoop, "industry "+from)
	default:
		l.kg.Industries[fi].ParentCode = to
	}
	return nil
}

func (l *loader) companyIndustry(_ string, line []byte) error {
	var r struct {
		Company string `json:"company_code"`
		Code    string `json:"industry_code"`
	}
	if err := json.Unmarshal(line, &r); err != nil {
		return err
	}
	code, _, ok := l.code(r.Company)
	if !ok {
		return nil
	}
	ci, okc := l.kg.byCode[code]
	ii, oki := l.indIdx[strings.TrimSpace(r.Code)]
	if !okc || !oki {
		l.cl.add(IDanglingRef, "company "+r.Company+" 所属行业 "+r.Code)
		return nil
	}
	c := &l.kg.Companies[ci]
	if c.IndustryCode != "" {
		if c.IndustryCode != l.kg.Industries[ii].Code {
			l.cl.add(IDuplicateEdge, "company "+code+" industries "+c.IndustryCode+", "+r.Code)
		} else {
			l.cl.add(IDuplicateEdge, "company "+code+" 所属行业 "+r.Code)
		}
		return nil
	}
	c.IndustryCode, c.IndustryName = l.kg.Industries[ii].Code, l.kg.Industries[ii].Name
	return nil
}

// finishEdges fills the adjacency lists in a deterministic order and reports cycles.
func (l *loader) finishEdges() {
	k := l.kg
	slices.SortFunc(k.Industries, func(a, b Industry) int { return strings.Compare(a.Code, b.Code) })
	for m := range l.materials {
		k.Products[m.a].Materials = append(k.Products[m.a].Materials, m.b)
		k.Products[m.b].UsedIn = append(k.Products[m.b].UsedIn, m.a)
	}
	for s := range l.subs {
		k.Products[s.a].SubProducts = append(k.Products[s.a].SubProducts, s.b)
		k.Products[s.b].Parents = append(k.Products[s.b].Parents, s.a)
	}
	for _, m := range l.makeList {
		k.Products[m.Product].Makers = append(k.Products[m.Product].Makers, m)
		k.Companies[m.Company].Products = append(k.Companies[m.Company].Products, m)
	}
	byShare := func(a, b Make) int {
		switch {
		case a.Share > b.Share:
			return -1
		case a.Share < b.Share:
			return 1
		case a.Company != b.Company:
			return a.Company - b.Company
		}
		return a.Product - b.Product
	}
	for i := range k.Products {
		p := &k.Products[i]
		slices.Sort(p.Materials)
		slices.Sort(p.UsedIn)
		slices.Sort(p.SubProducts)
		slices.Sort(p.Parents)
		slices.SortFunc(p.Makers, byShare)
	}
	for i := range k.Companies {
		slices.SortFunc(k.Companies[i].Products, byShare)
	}
	for _, scc := range Cycles(len(k.Products), func(i int) []int { return k.Products[i].Materials }) {
		l.cl.add(IMaterialCycle, k.cycleText(scc))
	}
	for _, scc := range Cycles(len(k.Products), func(i int) []int { return k.Products[i].SubProducts }) {
		l.cl.add(ISubproductCycle, k.cycleText(scc))
	}
	l.materials, l.subs, l.makes, l.makeList, l.cleaned, l.indIdx = nil, nil, nil, nil, nil, nil
}

func (k *KG) cycleText(scc []int) string {
	const show = 6
	names := make([]string, 0, show)
	for _, i := range scc[:min(len(scc), show)] {
		names = append(names, k.Products[i].Name)
	}
	s := strings.Join(names, ", ")
	if len(scc) > show {
		s += fmt.Sprintf(" … (%d products)", len(scc))
	}
	return "{" + s + "}"
}

// Cycles returns the strongly connected components with more than one node of the
// directed graph on nodes 0…n-1 with successors next, each sorted, in order of
// their smallest node (Tarjan's algorithm, iterative).
func Cycles(n int, next func(int) []int) [][]int {
	index := make([]int, n)
	low := make([]int, n)
	on := make([]bool, n)
	for i := range index {
		index[i] = -1
	}
	var stack []int
	var out [][]int
	counter := 0
	type frame struct{ v, e int }
	for s := range n {
		if index[s] >= 0 {
			continue
		}
		call := []frame{{s, 0}}
		index[s], low[s] = counter, counter
		counter++
		stack = append(stack, s)
		on[s] = true
		for len(call) > 0 {
			f := &call[len(call)-1]
			succ := next(f.v)
			if f.e < len(succ) {
				w := succ[f.e]
				f.e++
				if index[w] < 0 {
					index[w], low[w] = counter, counter
					counter++
					stack = append(stack, w)
					on[w] = true
					call = append(call, frame{w, 0})
				} else if on[w] {
					low[f.v] = min(low[f.v], index[w])
				}
				continue
			}
			v := f.v
			call = call[:len(call)-1]
			if len(call) > 0 {
				u := call[len(call)-1].v
				low[u] = min(low[u], low[v])
			}
			if low[v] == index[v] {
				var comp []int
				for {
					w := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					on[w] = false
					comp = append(comp, w)
					if w == v {
						break
					}
				}
				if len(comp) > 1 {
					slices.Sort(comp)
					out = append(out, comp)
				}
			}
		}
	}
	slices.SortFunc(out, func(a, b []int) int { return a[0] - b[0] })
	return out
}
