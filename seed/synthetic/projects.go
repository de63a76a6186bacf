package synthetic

import (
	"context"
	"iter"
	"math"
	"strconv"

	"github.com/chainmap/chainmap/graph"
)

// stageShares are the cumulative shares of negotiating, signed, started, producing,
// at_capacity and dropped projects.
var stageShares = [6]float64{0.18, 0.38, 0.58, 0.78, 0.92, 1}

// Projects streams the investment projects in id order (P000001, …).
func (e *Ecosystem) Projects(ctx context.Context) iter.Seq2[graph.Project, error] {
	return func(yield func(graph.Project, error) bool) {
		width := max(6, len(strconv.Itoa(e.projects)))
		r := newRNG(e.cfg.Seed)
		cr := newRNG(e.cfg.Seed)
		for j := range e.projects {
			if j&1023 == 0 {
				if err := ctx.Err(); err != nil {
					yield(graph.Project{}, err)
					return
				}
			}
			if !yield(e.project(r, cr, j, width), nil) {
				return
			}
		}
	}
}

func (e *Ecosystem) project(r, cr *rng, j, width int) graph.Project {
	r.reset(saltProject, uint64(j))
	x := graph.Project{
		ID:         "P" + pad(j+1, width),
		RegionCode: e.hosts[e.homeHosts[r.IntN(len(e.homeHosts))]].code,
		Provenance: Provenance,
	}
	kind := projectKinds[r.IntN(len(projectKinds))]
	var c core
	if r.Float64() < 0.75 {
		// The investor: the biggest of three random companies.
		best, bestSize := 0, -1.0
		for range 3 {
			i := r.IntN(e.cfg.Companies)
			e.core(cr, i, &c)
			if c.size > bestSize {
				best, bestSize = i, c.size
			}
		}
		e.core(cr, best, &c)
		h := e.hostOf(best)
		x.CompanyID = e.companyID(best)
		x.SourceRegionCode = e.hosts[h].code
		if r.Float64() < 0.85 {
			x.LinkID = e.links[c.link1].ID
		}
		x.Name = e.hosts[h].place + e.links[c.link1].Name + kind + "项目"
	} else {
		l := e.pickLink(r.Float64())
		if r.Float64() < 0.7 {
			x.LinkID = e.links[l].ID
		}
		x.Name = e.links[l].Name + "产业园" + kind + "项目"
	}
	if r.Float64() < 0.1 {
		x.Foreign = true
		x.SourceRegionCode = e.extCodes[r.IntN(len(e.extCodes))]
	} else if r.Float64() < 0.1 {
		x.SourceRegionCode = "" // unknown
	}
	inv := min(float64(graph.MaxInvestmentWan), r.lognormal(math.Log(30000), 1.2))
	x.InvestmentWan = max(100, int64(math.Round(inv/100))*100)

	u := r.Float64()
	stage := 0
	for stage < 5 && u >= stageShares[stage] {
		stage++
	}
	x.Stage = graph.Stage(graph.Stages[stage])
	reached := stage // number of stage dates present
	if x.Stage == graph.Dropped {
		reached = r.IntN(4)
	}
	gaps := [4]int{0, r.between(60, 400), r.between(180, 900), r.between(180, 720)}
	span := 0
	for k := 1; k < reached; k++ {
		span += gaps[k]
	}
	day := refDay - span - r.IntN(1500)
	dates := [4]*graph.Date{&x.SignedOn, &x.StartedOn, &x.ProducingOn, &x.AtCapacityOn}
	for k := 0; k < reached; k++ {
		day += gaps[k]
		*dates[k] = date(day)
	}
	if x.Stage != graph.Dropped && reached < 2 {
		start := refDay + r.between(30, 365)
		x.PlannedStartOn = date(start)
		x.PlannedProduceOn = date(start + r.between(180, 720))
	} else if x.Stage != graph.Dropped && reached < 3 {
		x.PlannedProduceOn = date(refDay + r.between(30, 720))
	}
	return x
}

// ProjectEvents streams no history: an import records each generated project's
// creation itself.
func (e *Ecosystem) ProjectEvents(ctx context.Context) iter.Seq2[graph.ProjectEvent, error] {
	return func(yield func(graph.ProjectEvent, error) bool) {
		if err := ctx.Err(); err != nil {
			yield(graph.ProjectEvent{}, err)
		}
	}
}
