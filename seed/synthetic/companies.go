package synthetic

import (
	"context"
	"iter"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/chainmap/chainmap/graph"
)

// Dates are day numbers from 1950-01-01; dateText holds every date up to the end of
// 2031 back to back so a Date is a substring, not an allocation.
var (
	epoch    = time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC)
	lastDay  = int(time.Date(2031, 12, 31, 0, 0, 0, 0, time.UTC).Sub(epoch).Hours() / 24)
	dateText = func() string {
		var b strings.Builder
		b.Grow((lastDay + 1) * 10)
		for d := 0; d <= lastDay; d++ {
			b.WriteString(epoch.AddDate(0, 0, d).Format(time.DateOnly))
		}
		return b.String()
	}()
	// refDay is "today" of the synthetic world, fixed so output does not depend on the clock.
	refDay = dayOf(2025, 6, 30)
)

func dayOf(y int, m time.Month, d int) int {
	return int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Sub(epoch).Hours() / 24)
}

func date(day int) graph.Date {
	day = max(0, min(day, lastDay))
	return graph.Date(dateText[day*10 : day*10+10])
}

// core holds the attributes of a company that other tables depend on. It is a pure
// function of (seed, i).
type core struct {
	link1, link2 int // link2 is -1 when the company operates in one link
	size         float64
	activity     float64 // propensity to supply, drives out-degree
	founded      int
	leader       int // chain led, or -1
}

const (
	sizeMedianWan = 1500 // median revenue, 万元
	sizeSigma     = 1.9
	maxSize       = 5e6
)

// core computes company i's core attributes, leaving r positioned for the
// attributes only the companies table needs.
func (e *Ecosystem) core(r *rng, i int, c *core) {
	r.reset(saltCompany, uint64(i))
	c.link1 = e.pickLink(r.Float64())
	c.link2 = -1
	if r.Float64() < 0.1 {
		if r.Float64() < 0.6 {
			c.link2 = e.otherLinkOfChain(r, c.link1)
		} else if l := e.pickLink(r.Float64()); l != c.link1 {
			c.link2 = l
		} else {
			c.link2 = e.otherLinkOfChain(r, c.link1)
		}
	}
	c.size = min(maxSize, r.lognormal(math.Log(sizeMedianWan), sizeSigma))
	c.activity = math.Sqrt(c.size) * r.lognormal(0, 0.8)
	c.founded = max(0, refDay-180-int(r.ExpFloat64()*11*365))
	c.leader = -1
	if ch, ok := e.leaders[i]; ok {
		c.leader = ch
		var cand []int
		for _, l := range e.chainLink[ch] {
			if e.links[l].Tier != graph.Upstream {
				cand = append(cand, l)
			}
		}
		c.link1 = cand[r.IntN(len(cand))]
		c.link2 = -1
		c.size = min(9e8, r.lognormal(math.Log(3e6), 0.8))
		c.activity = math.Sqrt(c.size)
		c.founded = refDay - 365*r.between(15, 60) - r.IntN(365)
	}
}

// pickLink maps u in [0,1) to a link by the primary-link weights.
func (e *Ecosystem) pickLink(u float64) int {
	l, _ := slices.BinarySearch(e.linkCum, u*e.linkCum[len(e.linkCum)-1])
	return min(l, len(e.linkCum)-1)
}

func (e *Ecosystem) otherLinkOfChain(r *rng, l int) int {
	ls := e.chainLink[e.linkChain[l]]
	k := slices.Index(ls, l)
	return ls[(k+1+r.IntN(len(ls)-1))%len(ls)]
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }

// company builds company i's record from its core, continuing r's stream.
func (e *Ecosystem) company(r *rng, i, h int, c *core, idBuf []byte) graph.Company {
	x := graph.Company{
		ID:         string(e.appendID(idBuf[:0], i, e.hosts[h].code)),
		RegionCode: e.hosts[h].code,
		FoundedOn:  date(c.founded),
		Provenance: Provenance,
	}
	if r.Float64() >= 0.04 {
		x.RevenueWan = round2(c.size)
	}
	if r.Float64() >= 0.05 {
		x.Employees = min(graph.MaxEmployees/10, max(1, int(c.size/r.lognormal(math.Log(60), 0.5))))
	}
	leader := c.leader >= 0
	young := c.founded > refDay-10*365
	has := [12]bool{}
	const (
		tSRDI = iota
		tGiant
		tChampion
		tHighTech
		tListed
		tF500
		tCentralSOE
		tLocalSOE
		tForeign
		tGazelle
		tUnicorn
		tAboveSize
	)
	p := func(prob float64) bool { return r.Float64() < prob }
	srdi := 0.01
	if c.size >= 2000 && c.size <= 200000 {
		srdi = 0.08
	}
	has[tSRDI] = p(srdi)
	has[tGiant] = has[tSRDI] && p(0.12)
	has[tChampion] = c.size > 50000 && p(0.03)
	has[tHighTech] = p(0.18) || (leader && p(0.6))
	switch {
	case leader:
		has[tListed] = p(0.8)
	case c.size > 100000:
		has[tListed] = p(0.25)
	case c.size > 10000:
		has[tListed] = p(0.02)
	}
	has[tF500] = c.size >= 4e6 && p(0.9)
	soe := r.Float64()
	if leader {
		soe /= 8
	}
	has[tCentralSOE] = soe < 0.003
	has[tLocalSOE] = !has[tCentralSOE] && soe < 0.033
	has[tForeign] = !has[tCentralSOE] && !has[tLocalSOE] && p(0.05)
	has[tGazelle] = young && !leader && c.size > 1000 && p(0.04)
	has[tUnicorn] = young && c.size > 5000 && p(0.002)
	has[tAboveSize] = c.size >= 2000
	for k, ok := range has {
		if ok {
			x.Tags = append(x.Tags, graph.TagVocabulary[k].Tag)
		}
	}
	suffix := "有限公司"
	if has[tListed] {
		suffix = "股份有限公司"
	}
	x.Name = e.hosts[h].place + tradeChars[r.IntN(len(tradeChars))] + tradeChars[r.IntN(len(tradeChars))] +
		e.links[c.link1].Name + suffix
	return x
}

// eachCompany calls fn for each company in id order with its index, host region and
// core attributes, until fn returns false; it checks ctx every 1024 companies.
func (e *Ecosystem) eachCompany(ctx context.Context, fn func(r *rng, i, h int, c *core) bool) error {
	r := newRNG(e.cfg.Seed)
	var c core
	h := 0
	for i := range e.cfg.Companies {
		if i&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		for i >= e.hostStart[h+1] {
			h++
		}
		e.core(r, i, &c)
		if !fn(r, i, h, &c) {
			return nil
		}
	}
	return nil
}

// Companies streams the companies in id order.
func (e *Ecosystem) Companies(ctx context.Context) iter.Seq2[graph.Company, error] {
	return func(yield func(graph.Company, error) bool) {
		buf := make([]byte, 0, 18)
		err := e.eachCompany(ctx, func(r *rng, i, h int, c *core) bool {
			return yield(e.company(r, i, h, c, buf), nil)
		})
		if err != nil {
			yield(graph.Company{}, err)
		}
	}
}

// CompanyLinks streams each company's links by (company_id, link_id).
func (e *Ecosystem) CompanyLinks(ctx context.Context) iter.Seq2[graph.CompanyLink, error] {
	return func(yield func(graph.CompanyLink, error) bool) {
		buf := make([]byte, 0, 18)
		err := e.eachCompany(ctx, func(_ *rng, i, h int, c *core) bool {
			id := string(e.appendID(buf[:0], i, e.hosts[h].code))
			ls := [2]int{c.link1, c.link2}
			n := 1
			if c.link2 >= 0 {
				n = 2
				if ls[1] < ls[0] {
					ls[0], ls[1] = ls[1], ls[0]
				}
			}
			for _, l := range ls[:n] {
				if !yield(graph.CompanyLink{CompanyID: id, LinkID: e.links[l].ID, Products: e.links[l].Name,
					Provenance: Provenance}, nil) {
					return false
				}
			}
			return true
		})
		if err != nil {
			yield(graph.CompanyLink{}, err)
		}
	}
}
