package api

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/chainmap/chainmap/analysis/snapshot"
	"github.com/chainmap/chainmap/api/pinyin"
	"github.com/chainmap/chainmap/graph"
	"github.com/gin-gonic/gin"
)

// RegionsView lists regions and region groups.
type RegionsView struct {
	Regions []graph.Region `json:"regions"`
	Groups  []GroupView    `json:"groups"`
}

// GroupView is a region group with its member codes.
type GroupView struct {
	Code    string   `json:"code"`
	Name    string   `json:"name"`
	Members []string `json:"members"`
}

// ChainView is a chain with its links, feeds and declared leaders.
type ChainView struct {
	graph.Chain
	Links   []graph.Link `json:"links"`
	Feeds   []graph.Feed `json:"feeds"`
	Leaders []CompanyRef `json:"leaders"`
}

// CompanyRef names a company.
type CompanyRef struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	RegionCode string `json:"region_code"`
}

// LinkView is a link with its chain, neighbours and companies.
type LinkView struct {
	graph.Link
	ChainName string       `json:"chain_name"`
	FeedsFrom []string     `json:"fed_by"`
	FeedsTo   []string     `json:"feeds"`
	Companies []CompanyRef `json:"companies"`
}

// CompanyView is a company in lists.
type CompanyView struct {
	graph.Company
	RegionName string   `json:"region_name"`
	Links      []string `json:"links"`
}

// CompanyDetail is a company's profile.
type CompanyDetail struct {
	CompanyView
	Leads     []string  `json:"leads"` // chain ids it is declared 链主 of
	Suppliers []TieView `json:"suppliers"`
	Customers []TieView `json:"customers"`
}

// TieView is one supply tie seen from a company.
type TieView struct {
	Company    CompanyRef     `json:"company"`
	LinkID     string         `json:"link_id,omitempty"`
	AmountWan  float64        `json:"amount_wan,omitempty"`
	Evidence   graph.Evidence `json:"evidence"`
	Confidence float64        `json:"confidence"`
	Since      graph.Date     `json:"since,omitempty"`
	Until      graph.Date     `json:"until,omitempty"`
	Current    bool           `json:"current"`
}

// LeaderView is a declared leader.
type LeaderView struct {
	ChainID   string     `json:"chain_id"`
	ChainName string     `json:"chain_name"`
	Company   CompanyRef `json:"company"`
}

// fromSnapshot answers a GET from the current snapshot through the result cache,
// keyed by the full URL; the ETag changes with every write.
func (s *Server) fromSnapshot(c *gin.Context, render func(snap *snapshot.Snapshot) (any, error)) {
	snap, v, err := s.snaps.get(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	r, err := s.snaps.result(c.Request.Context(), s.cacheKey(c), v, func() (any, error) { return render(snap) })
	if err != nil {
		s.fail(c, err)
		return
	}
	sendCached(c, r)
}

// cacheKey identifies a GET by its path and documented query parameters only, so
// unknown parameters cannot be used to bypass (and flood) the cache.
func (s *Server) cacheKey(c *gin.Context) string {
	var b strings.Builder
	b.WriteString(c.Request.URL.Path)
	q := c.Request.URL.Query()
	for _, p := range s.queryOf[c.Request.Method+" "+c.FullPath()] {
		for _, v := range q[p.Name] {
			b.WriteString("\x00" + p.Name + "=" + v)
		}
	}
	return b.String()
}

func ref(s *snapshot.Snapshot, i int32) CompanyRef {
	co := s.Companies[i]
	code := ""
	if co.Region >= 0 {
		code = s.Regions[co.Region].Code
	}
	return CompanyRef{ID: co.ID, Name: co.Name, RegionCode: code}
}

func notFound(what, id string) error {
	return graph.Errorf(graph.ENOTFOUND, "%s %q 不存在 / %s %q not found", what, id, what, id)
}

func (s *Server) regions(c *gin.Context) {
	s.fromSnapshot(c, func(snap *snapshot.Snapshot) (any, error) {
		v := RegionsView{Regions: snap.Regions, Groups: []GroupView{}}
		for _, g := range snap.Groups {
			gv := GroupView{Code: g.Code, Name: g.Name, Members: []string{}}
			for _, m := range g.Members {
				gv.Members = append(gv.Members, snap.Regions[m].Code)
			}
			v.Groups = append(v.Groups, gv)
		}
		return v, nil
	})
}

func (s *Server) clusters(c *gin.Context) {
	s.fromSnapshot(c, func(snap *snapshot.Snapshot) (any, error) { return nonNil(snap.Clusters), nil })
}

func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}

func chainView(snap *snapshot.Snapshot, ch int32) ChainView {
	v := ChainView{Chain: snap.Chains[ch], Links: []graph.Link{}, Feeds: []graph.Feed{}, Leaders: []CompanyRef{}}
	for _, l := range snap.ChainLinks[ch] {
		v.Links = append(v.Links, snap.Links[l])
		for _, to := range snap.FeedsOut[l] {
			v.Feeds = append(v.Feeds, graph.Feed{From: snap.Links[l].ID, To: snap.Links[to].ID})
		}
	}
	for _, co := range snap.ChainLeaders[ch] {
		v.Leaders = append(v.Leaders, ref(snap, co))
	}
	return v
}

func (s *Server) chains(c *gin.Context) {
	s.fromSnapshot(c, func(snap *snapshot.Snapshot) (any, error) {
		out := []ChainView{}
		for i := range snap.Chains {
			out = append(out, chainView(snap, int32(i)))
		}
		return out, nil
	})
}

func (s *Server) chain(c *gin.Context) {
	s.fromSnapshot(c, func(snap *snapshot.Snapshot) (any, error) {
		ch := snap.Chain(c.Param("id"))
		if ch == snapshot.None {
			return nil, notFound("产业链 chain", c.Param("id"))
		}
		return chainView(snap, ch), nil
	})
}

func (s *Server) link(c *gin.Context) {
	s.fromSnapshot(c, func(snap *snapshot.Snapshot) (any, error) {
		l := snap.Link(c.Param("id"))
		if l == snapshot.None {
			return nil, notFound("环节 link", c.Param("id"))
		}
		v := LinkView{Link: snap.Links[l], FeedsFrom: []string{}, FeedsTo: []string{}, Companies: []CompanyRef{}}
		if ch := snap.LinkChain[l]; ch >= 0 {
			v.ChainName = snap.Chains[ch].Name
		}
		for _, x := range snap.FeedsIn[l] {
			v.FeedsFrom = append(v.FeedsFrom, snap.Links[x].ID)
		}
		for _, x := range snap.FeedsOut[l] {
			v.FeedsTo = append(v.FeedsTo, snap.Links[x].ID)
		}
		for _, co := range snap.LinkCompanies[l] {
			v.Companies = append(v.Companies, ref(snap, co))
		}
		return v, nil
	})
}

func companyView(snap *snapshot.Snapshot, i int32) CompanyView {
	co := snap.Companies[i]
	v := CompanyView{Company: graph.Company{ID: co.ID, Name: co.Name, RevenueWan: co.RevenueWan, Employees: int(co.Employees),
		FoundedOn: co.FoundedOn, Tags: co.Tags.Tags(), Provenance: co.Provenance}, Links: []string{}}
	if co.Region >= 0 {
		v.RegionCode, v.RegionName = snap.Regions[co.Region].Code, snap.Regions[co.Region].Name
	}
	for _, l := range snap.CompanyLinks[i] {
		v.Links = append(v.Links, snap.Links[l].ID)
	}
	return v
}

// searchIndex caches the name index of one snapshot.
type searchIndex struct {
	mu   sync.Mutex
	snap *snapshot.Snapshot
	ix   *pinyin.Index
}

func (si *searchIndex) of(snap *snapshot.Snapshot) *pinyin.Index {
	si.mu.Lock()
	defer si.mu.Unlock()
	if si.snap != snap {
		names := make([]string, len(snap.Companies))
		for i, co := range snap.Companies {
			names[i] = co.Name
		}
		si.ix, si.snap = pinyin.NewIndex(names), snap
	}
	return si.ix
}

// MaxPage bounds ?page so that (page-1)*page_size cannot overflow: a page this
// far out holds nothing in any store chainmap serves (5 × 10⁹ records at 500 a page).
const MaxPage = 10_000_000

// boundedPaging is paging with page at most MaxPage, answering 400 beyond it:
// page=4611686018427387904&page_size=4 overflowed into a negative offset (500), and
// page=2305843009213693953&page_size=8 wrapped round to page 1.
func boundedPaging(c *gin.Context) (page, size int, ok bool) {
	if page, size, ok = paging(c); ok && page > MaxPage {
		problem(c, "bad_request", fmt.Sprintf("page 应为 1–%d 的整数", MaxPage),
			fmt.Sprintf("page must be a whole number from 1 to %d", MaxPage))
		return 0, 0, false
	}
	return page, size, ok
}

// maxSearchHits bounds a name search; total then says "at least".
const maxSearchHits = 5000

func (s *Server) companies(c *gin.Context) {
	page, size, ok := boundedPaging(c)
	if !ok {
		return
	}
	s.fromSnapshot(c, func(snap *snapshot.Snapshot) (any, error) {
		keep, err := companyFilter(snap, c)
		if err != nil {
			return nil, err
		}
		var hits []int32
		if q := strings.TrimSpace(c.Query("q")); q != "" {
			if i := snap.Company(q); i != snapshot.None && keep(i) {
				hits = append(hits, i)
			}
			for _, i := range s.search.of(snap).Search(q, maxSearchHits, func(i int) bool { return keep(int32(i)) }) {
				if len(hits) == 0 || hits[0] != int32(i) {
					hits = append(hits, int32(i))
				}
			}
		} else {
			for i := range snap.Companies {
				if keep(int32(i)) {
					hits = append(hits, int32(i))
				}
			}
			sort.SliceStable(hits, func(a, b int) bool {
				return snap.Companies[hits[a]].RevenueWan > snap.Companies[hits[b]].RevenueWan
			})
		}
		views := make([]CompanyView, 0, min(size, len(hits)))
		p := pageOf(hits, page, size)
		for _, i := range p.Items {
			views = append(views, companyView(snap, i))
		}
		return Page[CompanyView]{Items: views, Total: p.Total, Page: page, PageSize: size}, nil
	})
}

// companyFilter builds the region/chain/link/tag filter of a company query.
func companyFilter(snap *snapshot.Snapshot, c *gin.Context) (func(int32) bool, error) {
	var within []bool
	if code := c.Query("region"); code != "" {
		r := snap.Region(code)
		if r == snapshot.None {
			return nil, notFound("地区 region", code)
		}
		within = snap.Within(r)
	}
	chain, link := int32(snapshot.None), int32(snapshot.None)
	if id := c.Query("chain"); id != "" {
		if chain = snap.Chain(id); chain == snapshot.None {
			return nil, notFound("产业链 chain", id)
		}
	}
	if id := c.Query("link"); id != "" {
		if link = snap.Link(id); link == snapshot.None {
			return nil, notFound("环节 link", id)
		}
	}
	var tags []graph.Tag
	for _, t := range c.QueryArray("tag") {
		tag, ok := graph.ParseTag(t)
		if !ok {
			return nil, graph.Errorf(graph.EINVALID, "未知标签 %q / unknown tag %q", t, t)
		}
		tags = append(tags, tag)
	}
	return func(i int32) bool {
		co := &snap.Companies[i]
		if within != nil && (co.Region < 0 || !within[co.Region]) {
			return false
		}
		if chain != snapshot.None || link != snapshot.None {
			found := false
			for _, l := range snap.CompanyLinks[i] {
				if l == link || (link == snapshot.None && snap.LinkChain[l] == chain) {
					found = true
				}
			}
			if !found {
				return false
			}
		}
		for _, t := range tags {
			if !co.Tags.Has(t) {
				return false
			}
		}
		return true
	}, nil
}

func tieView(snap *snapshot.Snapshot, t *snapshot.Tie, other int32) TieView {
	v := TieView{Company: ref(snap, other), AmountWan: float64(t.AmountWan), Evidence: t.Evidence,
		Confidence: float64(t.Confidence), Since: t.Since, Until: t.Until, Current: snap.Active(t)}
	if t.Link >= 0 {
		v.LinkID = snap.Links[t.Link].ID
	}
	return v
}

func (s *Server) company(c *gin.Context) {
	s.fromSnapshot(c, func(snap *snapshot.Snapshot) (any, error) {
		i := snap.Company(c.Param("id"))
		if i == snapshot.None {
			return nil, notFound("企业 company", c.Param("id"))
		}
		d := CompanyDetail{CompanyView: companyView(snap, i), Leads: []string{}, Suppliers: []TieView{}, Customers: []TieView{}}
		for ch, ls := range snap.ChainLeaders {
			for _, l := range ls {
				if l == i {
					d.Leads = append(d.Leads, snap.Chains[ch].ID)
				}
			}
		}
		for _, ti := range snap.In(i) {
			t := &snap.Ties[ti]
			d.Suppliers = append(d.Suppliers, tieView(snap, t, t.Supplier))
		}
		for k := range snap.Out(i) {
			t := &snap.Out(i)[k]
			d.Customers = append(d.Customers, tieView(snap, t, t.Customer))
		}
		return d, nil
	})
}

func (s *Server) supplies(c *gin.Context) {
	page, size, ok := boundedPaging(c)
	if !ok {
		return
	}
	s.fromSnapshot(c, func(snap *snapshot.Snapshot) (any, error) {
		sup, cus, link := int32(snapshot.None), int32(snapshot.None), int32(snapshot.None)
		for _, f := range []struct {
			q    string
			dst  *int32
			find func(string) int32
			what string
		}{{"supplier", &sup, snap.Company, "企业 company"}, {"customer", &cus, snap.Company, "企业 company"}, {"link", &link, snap.Link, "环节 link"}} {
			if id := c.Query(f.q); id != "" {
				if *f.dst = f.find(id); *f.dst == snapshot.None {
					return nil, notFound(f.what, id)
				}
			}
		}
		var idx []int
		match := func(k int) {
			t := &snap.Ties[k]
			if (cus == snapshot.None || t.Customer == cus) && (link == snapshot.None || t.Link == link) &&
				(sup == snapshot.None || t.Supplier == sup) {
				idx = append(idx, k)
			}
		}
		switch {
		case sup != snapshot.None:
			for k := snap.OutStart[sup]; k < snap.OutStart[sup+1]; k++ {
				match(int(k))
			}
		case cus != snapshot.None:
			for _, k := range snap.In(cus) {
				match(int(k))
			}
		default:
			for k := range snap.Ties {
				match(k)
			}
		}
		p := pageOf(idx, page, size)
		out := Page[graph.Supply]{Items: []graph.Supply{}, Total: p.Total, Page: page, PageSize: size}
		for _, k := range p.Items {
			t := &snap.Ties[k]
			x := graph.Supply{SupplierID: snap.Companies[t.Supplier].ID, CustomerID: snap.Companies[t.Customer].ID,
				AmountWan: float64(t.AmountWan), Evidence: t.Evidence, Confidence: float64(t.Confidence), Since: t.Since, Until: t.Until}
			if t.Link >= 0 {
				x.LinkID = snap.Links[t.Link].ID
			}
			out.Items = append(out.Items, x)
		}
		return out, nil
	})
}

func (s *Server) declaredLeaders(c *gin.Context) {
	s.fromSnapshot(c, func(snap *snapshot.Snapshot) (any, error) {
		out := []LeaderView{}
		for ch, ls := range snap.ChainLeaders {
			for _, l := range ls {
				out = append(out, LeaderView{ChainID: snap.Chains[ch].ID, ChainName: snap.Chains[ch].Name, Company: ref(snap, l)})
			}
		}
		return out, nil
	})
}

func (s *Server) projects(c *gin.Context) {
	page, size, ok := boundedPaging(c)
	if !ok {
		return
	}
	s.fromSnapshot(c, func(snap *snapshot.Snapshot) (any, error) {
		var within []bool
		if code := c.Query("district"); code != "" {
			r := snap.Region(code)
			if r == snapshot.None {
				return nil, notFound("地区 region", code)
			}
			within = snap.Within(r)
		}
		chain := int32(snapshot.None)
		if id := c.Query("chain"); id != "" {
			if chain = snap.Chain(id); chain == snapshot.None {
				return nil, notFound("产业链 chain", id)
			}
		}
		stage := graph.Stage(c.Query("stage"))
		// Positions, not copies: a project is half a kilobyte and only a page of
		// the matches is sent.
		var out []int32
		for i := range snap.Projects {
			p := &snap.Projects[i]
			if within != nil {
				if r := snap.Region(p.RegionCode); r < 0 || !within[r] {
					continue
				}
			}
			if stage != "" && p.Stage != stage {
				continue
			}
			if chain != snapshot.None {
				if l := snap.Link(p.LinkID); l < 0 || snap.LinkChain[l] != chain {
					continue
				}
			}
			out = append(out, int32(i))
		}
		at := pageOf(out, page, size)
		items := make([]graph.Project, len(at.Items))
		for k, i := range at.Items {
			items[k] = snap.Projects[i]
		}
		return Page[graph.Project]{Total: at.Total, Page: at.Page, PageSize: at.PageSize, Items: items}, nil
	})
}

func (s *Server) project(c *gin.Context) {
	s.fromSnapshot(c, func(snap *snapshot.Snapshot) (any, error) {
		for _, p := range snap.Projects {
			if p.ID == c.Param("id") {
				return p, nil
			}
		}
		return nil, notFound("项目 project", c.Param("id"))
	})
}

func (s *Server) projectHistory(c *gin.Context) {
	id := c.Param("id")
	stored, err := s.store.StoredProjects(c.Request.Context(), []string{id})
	if err != nil {
		s.fail(c, err)
		return
	}
	if _, ok := stored[id]; !ok {
		s.fail(c, notFound("项目 project", id))
		return
	}
	out := []graph.ProjectEvent{}
	for e, err := range s.store.ProjectEvents(c.Request.Context()) {
		if err != nil {
			s.fail(c, err)
			return
		}
		if e.ProjectID == id {
			out = append(out, e)
		}
	}
	c.JSON(200, out)
}
