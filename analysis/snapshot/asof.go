package snapshot

import (
	"slices"

	"github.com/chainmap/chainmap/graph"
)

// Plant is local presence that comes from an investment project rather than from
// the company table: a project that has started (开工), is producing (投产) or at
// capacity (达效) in a link makes its company present in that link, in the district
// the project lands in, from the day it started.
type Plant struct {
	Project int32 // index into Projects
	Company int32 // the investing company, or None when the project names none known
	Link    int32
	Region  int32 // the district the project lands in
	Stage   graph.Stage
	Since   graph.Date // the day it started; "" when the start date is not recorded
}

// Live reports whether a project at stage st is part of the home ecosystem: being
// negotiated, signed, or further. A dropped project is not.
func Live(st graph.Stage) bool { return st != graph.Dropped && st != "" }

// Operating reports whether a project at stage st has a plant: started or beyond.
func Operating(st graph.Stage) bool {
	return st == graph.Started || st == graph.Producing || st == graph.AtCapacity
}

// PlantsIn returns the indices (into Plants) of the plants in link l.
func (s *Snapshot) PlantsIn(l int32) []int32 { return s.linkPlants[l] }

// ProjectsOf returns the indices (into Projects) of the projects company c invests in.
func (s *Snapshot) ProjectsOf(c int32) []int32 { return s.companyProjects[c] }

// TieWeight is how much a tie counts as evidence, 0–1: an observed tie weighs
// 0.5 + 0.5 × confidence and an inferred one 0.5 × confidence, so an inferred tie
// never outweighs an observed one, however confident the inference.
func TieWeight(t *Tie) float64 {
	c := min(max(float64(t.Confidence), 0), 1)
	if t.Evidence == graph.Inferred {
		return 0.5 * c
	}
	return 0.5 + 0.5*c
}

// stageRank orders the stages a project passes through; Dropped and unknown are 0.
var stageRank = map[graph.Stage]int{graph.Signed: 1, graph.Started: 2, graph.Producing: 3, graph.AtCapacity: 4}

var stageOfRank = [...]graph.Stage{graph.Negotiating, graph.Signed, graph.Started, graph.Producing, graph.AtCapacity}

func stageDate(p *graph.Project, r int) *graph.Date {
	return [...]*graph.Date{nil, &p.SignedOn, &p.StartedOn, &p.ProducingOn, &p.AtCapacityOn}[r]
}

// projectAt restates project p as it stood on day d: at the furthest stage it had
// reached by d, with the dates of later stages cleared. A stage reached without a
// recorded date counts as reached (nothing shows it came after d). ok is false for a
// project that had no recorded stage by d: signed (or further) only after d. A
// dropped project stays dropped: the drop's own date is not part of the record.
func projectAt(p graph.Project, d graph.Date) (graph.Project, bool) {
	r, ok := stageRank[p.Stage]
	if !ok {
		return p, true // negotiating (no date to judge) or dropped
	}
	for k := r; k >= 1; k-- {
		if at := *stageDate(&p, k); at == "" || at <= d {
			for j := k + 1; j <= 4; j++ {
				*stageDate(&p, j) = ""
			}
			p.Stage = stageOfRank[k]
			return p, true
		}
	}
	return p, false
}

// indexProjects derives the plants and the company → projects index from Projects.
func (s *Snapshot) indexProjects() {
	s.Plants = s.Plants[:0:0]
	s.linkPlants = make([][]int32, len(s.Links))
	s.companyProjects = map[int32][]int32{}
	for i := range s.Projects {
		p := &s.Projects[i]
		c := s.Company(p.CompanyID)
		if c != None {
			s.companyProjects[c] = append(s.companyProjects[c], int32(i))
		}
		l, r := s.Link(p.LinkID), s.Region(p.RegionCode)
		if !Operating(p.Stage) || l == None || r == None {
			continue
		}
		s.linkPlants[l] = append(s.linkPlants[l], int32(len(s.Plants)))
		s.Plants = append(s.Plants, Plant{Project: int32(i), Company: c, Link: l, Region: r, Stage: p.Stage, Since: p.StartedOn})
	}
}

// WithProjects returns a view of s whose projects are ps (plants re-derived), sharing
// everything else: a project write does not rebuild the snapshot.
func (s *Snapshot) WithProjects(ps []graph.Project) *Snapshot {
	v := *s
	v.Projects = ps
	v.indexProjects()
	v.noteProjects()
	return &v
}

// At returns a view of the snapshot as it stood on day d: nothing dated after d
// counts. Ties first observed after d are left out, projects are restated at the
// stage they had reached by d (those signed after d are left out), companies founded
// after d operate in no link, and ties are judged current against d. When nothing in
// the snapshot is dated after d the view shares all data with s; otherwise the
// affected indexes are rebuilt (O(ties)).
func (s *Snapshot) At(d graph.Date) *Snapshot {
	v := *s
	v.AsOf = d
	v.activeFrom = graph.DateOf(d.Time().AddDate(0, 0, -ActiveWindowDays))
	if d >= s.latest {
		return &v
	}
	if s.latestTie > d {
		v.Ties = slices.DeleteFunc(slices.Clone(s.Ties), func(t Tie) bool { return t.Since > d })
		v.OutStart, v.outAdjStart, v.outAdj = outIndex(v.Ties, len(s.Companies))
		v.InStart, v.InTie, v.inAdjStart, v.inAdj = inIndex(v.Ties, len(s.Companies))
		v.latestTie = d
	}
	if s.latestFounded > d {
		var cs, ls []int32
		for c, links := range s.CompanyLinks {
			if f := s.Companies[c].FoundedOn; f != "" && f > d {
				continue
			}
			for _, l := range links {
				cs, ls = append(cs, int32(c)), append(ls, l)
			}
		}
		v.CompanyLinks = group(len(s.Companies), cs, ls)
		v.LinkCompanies = group(len(s.Links), ls, cs)
		v.latestFounded = d
	}
	if s.latestProject > d {
		v.Projects = make([]graph.Project, 0, len(s.Projects))
		for _, p := range s.Projects {
			if q, ok := projectAt(p, d); ok {
				v.Projects = append(v.Projects, q)
			}
		}
		v.indexProjects()
		v.latestProject = d
	}
	v.latest = d
	return &v
}

// noteLatest records the latest dates of companies and projects, which decide
// whether a view At an earlier day must filter them.
func (s *Snapshot) noteLatest() {
	for i := range s.Companies {
		s.latestFounded = max(s.latestFounded, s.Companies[i].FoundedOn)
	}
	s.noteProjects()
}

// noteProjects records the latest project stage date (and the latest date overall).
func (s *Snapshot) noteProjects() {
	s.latestProject = ""
	for i := range s.Projects {
		p := &s.Projects[i]
		s.latestProject = max(s.latestProject, p.SignedOn, p.StartedOn, p.ProducingOn, p.AtCapacityOn)
	}
	s.latest = max(s.latestTie, s.latestFounded, s.latestProject)
}
