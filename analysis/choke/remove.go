package choke

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/chainmap/chainmap/analysis"
	"github.com/chainmap/chainmap/analysis/snapshot"
	"github.com/chainmap/chainmap/graph"
)

// Removal is what a region would lose if one firm disappeared.
type Removal struct {
	Region     string     `json:"region"`
	RegionName string     `json:"region_name"`
	CompanyID  string     `json:"company_id"`
	Name       string     `json:"name"`
	AsOf       graph.Date `json:"as_of"`
	Local      bool       `json:"local"` // the firm itself is local to the region
	// Stranded are the local customers left with no Active supplier of a link the
	// firm sold them.
	Stranded []Stranded `json:"stranded"`
	// AnchorLost are the local suppliers for whom the firm is an anchor customer: it
	// takes at least MinSalesShare of their current sales.
	AnchorLost []AnchorLost `json:"anchor_lost"`
	// LostLinks are the firm's links in which no other local firm operates.
	LostLinks []LostLink        `json:"lost_links"`
	Reasons   []analysis.Reason `json:"reasons"`
}

// MinSalesShare is the share of a supplier's current sales above which a customer
// is its anchor customer: losing it is a blow to the supplier, not a lost order.
const MinSalesShare = 0.3

// AnchorLost is a local supplier that would lose an anchor customer.
type AnchorLost struct {
	SupplierID   string `json:"supplier_id"`
	SupplierName string `json:"supplier_name"`
	// Share of its current sales that go to the firm, by amount when every current
	// sale has one, else by evidence-weighted ties (Basis).
	Share   float64           `json:"share"`
	Basis   string            `json:"basis"`
	Links   []string          `json:"links"`
	Reasons []analysis.Reason `json:"reasons"`
}

// Stranded is a (local customer, link) pair whose every Active supplier is the firm.
type Stranded struct {
	CustomerID   string            `json:"customer_id"`
	CustomerName string            `json:"customer_name"`
	LinkID       string            `json:"link_id"`
	LinkName     string            `json:"link_name"`
	AmountWan    float64           `json:"amount_wan"` // the lost tie's amount; 0 = unknown
	Reasons      []analysis.Reason `json:"reasons"`
}

// LostLink is a link the region would have no local firm in.
type LostLink struct {
	LinkID    string            `json:"link_id"`
	LinkName  string            `json:"link_name"`
	ChainID   string            `json:"chain_id"`
	ChainName string            `json:"chain_name"`
	Reasons   []analysis.Reason `json:"reasons"`
}

// Remove reports what region would lose if company disappeared: the local customers
// left without any Active supplier of a link it sold them (ties without a link are
// not judged), and the links where it is the only local firm.
func Remove(s *snapshot.Snapshot, region, company string) (*Removal, error) {
	r := s.Region(region)
	if r == snapshot.None {
		return nil, graph.Errorf(graph.ENOTFOUND, "地区 %q 不存在 / region %q not found", region, region)
	}
	f := s.Company(company)
	if f == snapshot.None {
		return nil, graph.Errorf(graph.ENOTFOUND, "企业 %q 不存在 / company %q not found", company, company)
	}
	loc := locality{s: s, within: s.Within(r)}
	co := &s.Companies[f]
	res := &Removal{Region: region, RegionName: s.Regions[r].Name, CompanyID: co.ID, Name: co.Name, AsOf: s.AsOf,
		Local: loc.local(f), Stranded: []Stranded{}, AnchorLost: []AnchorLost{}, LostLinks: []LostLink{}}
	for i := range s.Out(f) {
		t := &s.Out(f)[i]
		c := t.Customer
		if c == f || t.Link == snapshot.None || !loc.local(c) || !s.Active(t) {
			continue
		}
		if other := slices.ContainsFunc(s.In(c), func(ti int32) bool {
			u := &s.Ties[ti]
			return u.Supplier != f && u.Link == t.Link && s.Active(u)
		}); other {
			continue
		}
		cu, l := &s.Companies[c], &s.Links[t.Link]
		res.Stranded = append(res.Stranded, Stranded{CustomerID: cu.ID, CustomerName: cu.Name, LinkID: l.ID, LinkName: l.Name,
			AmountWan: float64(t.AmountWan), Reasons: []analysis.Reason{analysis.Because("sole_supplier",
				"%[1]s 的「%[2]s」现行供货全部来自 %[3]s", "%[3]s is the only current supplier of %[4]s to %[1]s",
				cu.Name, l.Name, co.Name, linkEN(l)).With("amount_wan", float64(t.AmountWan))}})
	}
	slices.SortFunc(res.Stranded, func(a, b Stranded) int {
		return cmp.Or(cmp.Compare(a.LinkID, b.LinkID), cmp.Compare(b.AmountWan, a.AmountWan), cmp.Compare(a.CustomerID, b.CustomerID))
	})
	res.AnchorLost = anchorLost(s, loc, f)
	if res.Local {
		for _, l := range s.CompanyLinks[f] {
			if slices.ContainsFunc(s.LinkCompanies[l], func(c int32) bool { return c != f && loc.local(c) }) {
				continue
			}
			lk := &s.Links[l]
			x := LostLink{LinkID: lk.ID, LinkName: lk.Name, Reasons: []analysis.Reason{analysis.Because("only_local_firm",
				"%[1]s 是本地唯一从事「%[2]s」环节的企业，退出后该环节将成缺链",
				"%[1]s is the only local firm in %[3]s: without it the link would be missing", co.Name, lk.Name, linkEN(lk))}}
			if ch := s.LinkChain[l]; ch != snapshot.None {
				x.ChainID, x.ChainName = s.Chains[ch].ID, s.Chains[ch].Name
			}
			res.LostLinks = append(res.LostLinks, x)
		}
	}
	customers := map[string]bool{}
	for _, x := range res.Stranded {
		customers[x.CustomerID] = true
	}
	res.Reasons = []analysis.Reason{analysis.Because("removal",
		"若 %[1]s 退出：本地 %[2]d 家企业的 %[3]d 项环节供应将完全中断，%[5]d 家本地供应商将失去主要客户（占其销售 %.0[6]f%% 以上），%[4]d 个环节本地将无企业",
		"if %[1]s disappeared: %[2]d local firms would lose all current supply of %[3]d (firm, link) inputs, %[5]d local suppliers would lose an anchor customer (%.0[6]f%% or more of their sales), and %[4]d links would have no local firm",
		co.Name, len(customers), len(res.Stranded), len(res.LostLinks), len(res.AnchorLost), 100*MinSalesShare).
		With("customers", float64(len(customers))).With("stranded", float64(len(res.Stranded))).
		With("anchor_lost", float64(len(res.AnchorLost))).With("lost_links", float64(len(res.LostLinks)))}
	return res, nil
}

// anchorLost lists the local suppliers of f for whom f takes at least MinSalesShare
// of their current sales, largest share first.
func anchorLost(s *snapshot.Snapshot, loc locality, f int32) []AnchorLost {
	out := []AnchorLost{}
	for _, u := range s.Suppliers(f) {
		if u == f || !loc.local(u) {
			continue
		}
		byAmount := true
		var all, allW, toF, toFW float64
		links := map[string]bool{}
		for i := range s.Out(u) {
			t := &s.Out(u)[i]
			if !s.Active(t) || t.Customer == u {
				continue
			}
			w := snapshot.TieWeight(t)
			if t.AmountWan <= 0 {
				byAmount = false
			}
			all, allW = all+w*float64(t.AmountWan), allW+w
			if t.Customer == f {
				toF, toFW = toF+w*float64(t.AmountWan), toFW+w
				if t.Link != snapshot.None {
					links[s.Links[t.Link].ID] = true
				}
			}
		}
		if toFW == 0 {
			continue // only ended ties to f
		}
		share, basis, basisZH, basisEN := toFW/allW, "evidence", "按证据加权的供应关系", "by evidence-weighted ties"
		if byAmount && all > 0 {
			share, basis, basisZH, basisEN = toF/all, "amount", "按金额", "by amount"
		}
		if share < MinSalesShare {
			continue
		}
		sup, cu := &s.Companies[u], &s.Companies[f]
		x := AnchorLost{SupplierID: sup.ID, SupplierName: sup.Name, Share: round3(share), Basis: basis}
		for l := range links {
			x.Links = append(x.Links, l)
		}
		slices.Sort(x.Links)
		x.Reasons = []analysis.Reason{analysis.Reason{Code: "anchor_customer",
			ZH: fmt.Sprintf("%s 的现行销售有 %.0f%% 供给 %s（%s），失去这一主要客户将重创其经营", sup.Name, 100*share, cu.Name, basisZH),
			EN: fmt.Sprintf("%.0f%% of %s's current sales go to %s (%s): losing this anchor customer would hit it hard", 100*share, sup.Name, cu.Name, basisEN)}.
			With("share", round3(share))}
		out = append(out, x)
	}
	slices.SortFunc(out, func(a, b AnchorLost) int {
		return cmp.Or(cmp.Compare(b.Share, a.Share), cmp.Compare(a.SupplierID, b.SupplierID))
	})
	return out
}
