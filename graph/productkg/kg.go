package productkg

import (
	"slices"
	"strings"
)

// Company is a listed company.
type Company struct {
	Code         string `json:"code"`     // six digits, no exchange suffix
	Exchange     string `json:"exchange"` // SH, SZ or BJ
	Name         string `json:"name"`     // short name (简称)
	FullName     string `json:"fullname,omitempty"`
	ListedOn     string `json:"listed_on,omitempty"` // YYYY-MM-DD when given
	IndustryCode string `json:"industry_code,omitempty"`
	IndustryName string `json:"industry_name,omitempty"`
	Products     []Make `json:"products,omitempty"` // main products, largest share first
}

// Ticker returns the code with its exchange suffix, e.g. "600000.SH".
func (c *Company) Ticker() string {
	if c.Exchange == "" {
		return c.Code
	}
	return c.Code + "." + c.Exchange
}

// DisplayName returns the full name when known, else the short name.
func (c *Company) DisplayName() string {
	if c.FullName != "" {
		return c.FullName
	}
	return c.Name
}

// Make says company Company makes product Product, Share of its revenue (0–1; 0 is
// unknown or negligible). Company and Product index KG.Companies and KG.Products.
type Make struct {
	Company int     `json:"company"`
	Product int     `json:"product"`
	Share   float64 `json:"share"`
}

// Product is one product with its edges; the ints index KG.Products, sorted by name.
type Product struct {
	Name        string `json:"name"`
	Materials   []int  `json:"materials,omitempty"`    // its raw materials (上游材料)
	UsedIn      []int  `json:"used_in,omitempty"`      // products it is a raw material of
	SubProducts []int  `json:"sub_products,omitempty"` // its sub-products (产品小类)
	Parents     []int  `json:"parents,omitempty"`      // products it is a sub-product of
	Makers      []Make `json:"makers,omitempty"`       // largest share first
}

// Industry is a Shenwan (申万) industry.
type Industry struct {
	Code       string `json:"code"`
	Name       string `json:"name"`
	ParentCode string `json:"parent_code,omitempty"`
}

// KG is a loaded product knowledge graph. Companies are sorted by code, products by
// name, industries by code.
type KG struct {
	Companies  []Company
	Products   []Product
	Industries []Industry

	byCode map[string]int
	byName map[string]int
}

// Company returns the company of a stock code, with or without exchange suffix.
func (k *KG) Company(code string) (*Company, bool) {
	c, _, _, ok := NormCode(code)
	if !ok {
		return nil, false
	}
	i, ok := k.byCode[c]
	if !ok {
		return nil, false
	}
	return &k.Companies[i], true
}

// ProductIndex returns the index of the product of a name: as stored, else cleaned
// first. A stored name is not always clean: cleaning a name once, as Load does,
// can leave an escape behind (`\\"` cleans to `\"`, which cleans to `"`).
func (k *KG) ProductIndex(name string) (int, bool) {
	if i, ok := k.byName[name]; ok {
		return i, true
	}
	i, ok := k.byName[CleanName(name)]
	return i, ok
}

// Find returns the products whose name contains query (cleaned first), shortest
// name first then by name; an exact match comes first.
func (k *KG) Find(query string) []int {
	q := CleanName(query)
	if q == "" {
		return nil
	}
	var out []int
	for i := range k.Products {
		if strings.Contains(k.Products[i].Name, q) {
			out = append(out, i)
		}
	}
	slices.SortStableFunc(out, func(a, b int) int {
		return len([]rune(k.Products[a].Name)) - len([]rune(k.Products[b].Name))
	})
	return out
}

// Stats counts the records and edges of the graph.
type Stats struct {
	Companies, Products, Industries int
	Makes, Materials, SubProducts   int
}

// Stats returns the graph's record and edge counts.
func (k *KG) Stats() Stats {
	s := Stats{Companies: len(k.Companies), Products: len(k.Products), Industries: len(k.Industries)}
	for i := range k.Products {
		p := &k.Products[i]
		s.Makes += len(p.Makers)
		s.Materials += len(p.Materials)
		s.SubProducts += len(p.SubProducts)
	}
	return s
}
