// Package kpi computes the numbers investment-promotion reports are built on, for a
// period and a filter: projects signed and their investment, the on-chain share
// (链上项目占比) against its target, growth on the same period a year earlier, where
// investors come from, the stage funnel, lagging projects and 序时进度.
//
// Rounding: every share and growth rate is a fraction rounded half away from zero to
// three decimals (0.1 percentage point): 21/27 = 0.7777… → 0.778. Investment is summed
// exactly in 万元 and reported in 亿元 (÷ 10⁴).
package kpi

import (
	"cmp"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/chainmap/chainmap/analysis"
	"github.com/chainmap/chainmap/analysis/snapshot"
	"github.com/chainmap/chainmap/graph"
)

// Filter selects the projects counted.
type Filter struct {
	From     graph.Date `json:"from"` // signed_on within [From, To]; required
	To       graph.Date `json:"to"`
	District string     `json:"district,omitempty"` // landing region (or below); "" = all
	Chain    string     `json:"chain,omitempty"`    // project's link in this chain; "" = all
	Cluster  string     `json:"cluster,omitempty"`  // project's link in a chain of this cluster
	Source   string     `json:"source,omitempty"`   // source region (or below) or region group code
	// Foreign: "" all, "foreign" or "domestic".
	Foreign string `json:"foreign,omitempty"`
	// MinInvestmentWan: projects below it are not counted (default 10000 = 1亿: the
	// articles count 亿元以上项目).
	MinInvestmentWan int64 `json:"min_investment_wan"`
}

// Params hold the targets reports compare against.
type Params struct {
	OnChainTarget float64 // default 0.75 (链上项目占比 ≥ 75%)
	// PlanYi is the annual plan (亿元) for 序时进度; 0 = not reported.
	PlanYi float64
	// AsOf is the day lagging is judged on; "" = today (a plan is late against the
	// calendar, not against the latest supply data).
	AsOf graph.Date
}

// DefaultFilter counts 亿元以上 projects.
func DefaultFilter() Filter { return Filter{MinInvestmentWan: 10000} }

// DefaultParams uses the 75% on-chain target.
func DefaultParams() Params { return Params{OnChainTarget: 0.75} }

// Report is the KPI set for one period.
type Report struct {
	Filter          Filter        `json:"filter"`
	Projects        int           `json:"projects"`
	InvestmentYi    float64       `json:"investment_yi"`
	OnChainProjects int           `json:"on_chain_projects"`
	OnChainShareCnt float64       `json:"on_chain_share_count"`
	OnChainShareInv float64       `json:"on_chain_share_investment"`
	OnChainTarget   float64       `json:"on_chain_target"`
	OnChainGap      float64       `json:"on_chain_gap"` // share by count − target
	ForeignShareInv float64       `json:"foreign_share_investment"`
	Previous        Totals        `json:"previous"` // the same period a year earlier
	YoYCount        *float64      `json:"yoy_count"`
	YoYInvestment   *float64      `json:"yoy_investment"`
	BySourceRegion  []Breakdown   `json:"by_source_region"`
	ByDistrict      []Breakdown   `json:"by_district"`
	ByChain         []Breakdown   `json:"by_chain"`
	ByStage         []Breakdown   `json:"by_stage"`
	Funnel          []FunnelStage `json:"funnel"`
	// Lagging has one entry per missed date: a project late on both its planned
	// start and its planned production appears twice.
	Lagging []Lagging `json:"lagging"`
	// LaggingProjects counts the distinct projects in Lagging: the number of
	// lagging projects every page reports.
	LaggingProjects int `json:"lagging_projects"`
	// AsOf is the day lateness was judged on.
	AsOf     graph.Date        `json:"as_of"`
	Schedule *Schedule         `json:"schedule,omitempty"`
	Reasons  []analysis.Reason `json:"reasons"`
}

// Totals are a count and an investment.
type Totals struct {
	From         graph.Date `json:"from"`
	To           graph.Date `json:"to"`
	Projects     int        `json:"projects"`
	InvestmentYi float64    `json:"investment_yi"`
}

// Breakdown is one row of a breakdown; Kind is "region", "group", "district",
// "chain", "none" (no link / no source) or "stage".
type Breakdown struct {
	Code            string  `json:"code"`
	Name            string  `json:"name"`
	Kind            string  `json:"kind"`
	Projects        int     `json:"projects"`
	InvestmentYi    float64 `json:"investment_yi"`
	ShareCount      float64 `json:"share_count"`
	ShareInvestment float64 `json:"share_investment"`
}

// FunnelStage says how many projects reached a stage and the median days from the
// previous stage.
type FunnelStage struct {
	Stage             graph.Stage `json:"stage"`
	Reached           int         `json:"reached"`
	MedianDaysFromPrv *float64    `json:"median_days_from_previous"`
}

// Lagging is a project whose planned start or production date has passed without it.
type Lagging struct {
	ProjectID string          `json:"project_id"`
	Name      string          `json:"name"`
	District  string          `json:"district"`
	Stage     graph.Stage     `json:"stage"`
	Missed    string          `json:"missed"` // "start" or "production"
	PlannedOn graph.Date      `json:"planned_on"`
	DaysLate  int             `json:"days_late"`
	Reason    analysis.Reason `json:"reason"`
}

// Schedule is 序时进度: investment signed since 1 January of To's year against the
// annual plan, compared with the share of the year elapsed (months ÷ 12).
type Schedule struct {
	PlanYi      float64 `json:"plan_yi"`
	SignedYi    float64 `json:"signed_yi"`
	Completion  float64 `json:"completion"`
	TimeElapsed float64 `json:"time_elapsed"`
	Ahead       float64 `json:"ahead"` // completion − time elapsed; negative = behind
}

// Round3 rounds half away from zero to three decimals (0.1 percentage point).
func Round3(x float64) float64 { return math.Round(x*1000) / 1000 }

func yi(wan int64) float64 { return float64(wan) / 10000 }

func share(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return Round3(a / b)
}

// Compute reports the KPIs of the projects that pass f.
func Compute(s *snapshot.Snapshot, f Filter, p Params) (*Report, error) {
	if f.From == "" || f.To == "" || f.To < f.From {
		return nil, graph.Errorf(graph.EINVALID, "需要有效的起止日期 / a valid --from and --to are required (from ≤ to)")
	}
	m, err := newMatcher(s, f)
	if err != nil {
		return nil, err
	}
	cur := m.select_(f.From, f.To)
	prevFrom, prevTo := yearBefore(f.From), yearBefore(f.To)
	prev := m.select_(prevFrom, prevTo)
	r := &Report{Filter: f, OnChainTarget: p.OnChainTarget}
	var inv, onInv, foreignInv int64
	for _, x := range cur {
		inv += x.InvestmentWan
		if m.onKeyChain(x) {
			r.OnChainProjects++
			onInv += x.InvestmentWan
		}
		if x.Foreign {
			foreignInv += x.InvestmentWan
		}
	}
	r.Projects, r.InvestmentYi = len(cur), yi(inv)
	r.OnChainShareCnt = share(float64(r.OnChainProjects), float64(len(cur)))
	r.OnChainShareInv = share(float64(onInv), float64(inv))
	r.OnChainGap = Round3(r.OnChainShareCnt - p.OnChainTarget)
	r.ForeignShareInv = share(float64(foreignInv), float64(inv))
	var prevInv int64
	for _, x := range prev {
		prevInv += x.InvestmentWan
	}
	r.Previous = Totals{From: prevFrom, To: prevTo, Projects: len(prev), InvestmentYi: yi(prevInv)}
	if len(prev) > 0 {
		g := Round3(float64(len(cur))/float64(len(prev)) - 1)
		r.YoYCount = &g
	}
	if prevInv > 0 {
		g := Round3(float64(inv)/float64(prevInv) - 1)
		r.YoYInvestment = &g
	}
	r.BySourceRegion = m.bySource(cur, inv)
	r.ByDistrict = m.byDistrict(cur, inv)
	r.ByChain = m.byChain(cur, inv)
	r.ByStage = byStage(cur, inv)
	r.Funnel = funnel(cur)
	asOf := p.AsOf
	if asOf == "" {
		asOf = graph.DateOf(time.Now())
	}
	r.Lagging, r.AsOf = m.lagging(asOf), asOf
	r.LaggingProjects = distinctProjects(r.Lagging)
	if p.PlanYi > 0 {
		r.Schedule = m.schedule(f.To, p.PlanYi)
	}
	r.Reasons = reasons(r)
	return r, nil
}

// yearBefore is the same calendar day a year earlier (29 February → 28 February).
func yearBefore(d graph.Date) graph.Date {
	t := d.Time()
	y := time.Date(t.Year()-1, t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	if y.Month() != t.Month() {
		y = y.AddDate(0, 0, -y.Day())
	}
	return graph.DateOf(y)
}

// matcher applies a filter to projects.
type matcher struct {
	s        *snapshot.Snapshot
	f        Filter
	district []bool // regions within the district filter (nil = any)
	source   []bool // regions within the source filter (nil = any)
	chain    int32
	cluster  int32
}

func newMatcher(s *snapshot.Snapshot, f Filter) (*matcher, error) {
	m := &matcher{s: s, f: f, chain: snapshot.None, cluster: snapshot.None}
	if f.District != "" {
		r := s.Region(f.District)
		if r == snapshot.None {
			return nil, graph.Errorf(graph.ENOTFOUND, "地区 %q 不存在 / region %q not found", f.District, f.District)
		}
		m.district = s.Within(r)
	}
	if f.Source != "" {
		if r := s.Region(f.Source); r != snapshot.None {
			m.source = s.Within(r)
		} else if g := groupIndex(s, f.Source); g >= 0 {
			m.source = make([]bool, len(s.Regions))
			for _, r := range s.Groups[g].Members {
				for i, in := range s.Within(r) {
					m.source[i] = m.source[i] || in
				}
			}
		} else {
			return nil, graph.Errorf(graph.ENOTFOUND, "来源地区或分组 %q 不存在 / source region or group %q not found", f.Source, f.Source)
		}
	}
	if f.Chain != "" {
		if m.chain = s.Chain(f.Chain); m.chain == snapshot.None {
			return nil, graph.Errorf(graph.ENOTFOUND, "产业链 %q 不存在 / chain %q not found", f.Chain, f.Chain)
		}
	}
	if f.Cluster != "" {
		if m.cluster = s.Cluster(f.Cluster); m.cluster == snapshot.None {
			return nil, graph.Errorf(graph.ENOTFOUND, "产业集群 %q 不存在 / cluster %q not found", f.Cluster, f.Cluster)
		}
	}
	switch f.Foreign {
	case "", "foreign", "domestic":
	default:
		return nil, graph.Errorf(graph.EINVALID, "foreign 应为 foreign 或 domestic / foreign must be foreign or domestic")
	}
	return m, nil
}

func groupIndex(s *snapshot.Snapshot, code string) int {
	for i, g := range s.Groups {
		if g.Code == code {
			return i
		}
	}
	return -1
}

func (m *matcher) chainOf(x *graph.Project) int32 {
	if l := m.s.Link(x.LinkID); l != snapshot.None {
		return m.s.LinkChain[l]
	}
	return snapshot.None
}

// onKeyChain reports whether the project's link belongs to a designated key chain.
func (m *matcher) onKeyChain(x *graph.Project) bool {
	ch := m.chainOf(x)
	return ch != snapshot.None && m.s.Chains[ch].Key
}

// passes applies every filter but the period.
func (m *matcher) passes(x *graph.Project) bool {
	if x.InvestmentWan < m.f.MinInvestmentWan {
		return false
	}
	if m.district != nil {
		if r := m.s.Region(x.RegionCode); r == snapshot.None || !m.district[r] {
			return false
		}
	}
	if m.source != nil {
		if r := m.s.Region(x.SourceRegionCode); r == snapshot.None || !m.source[r] {
			return false
		}
	}
	ch := m.chainOf(x)
	if m.chain != snapshot.None && ch != m.chain {
		return false
	}
	if m.cluster != snapshot.None && (ch == snapshot.None || m.s.ChainCluster[ch] != m.cluster) {
		return false
	}
	switch m.f.Foreign {
	case "foreign":
		return x.Foreign
	case "domestic":
		return !x.Foreign
	}
	return true
}

// select_ returns the projects signed within [from, to] that pass the filter.
func (m *matcher) select_(from, to graph.Date) []*graph.Project {
	var out []*graph.Project
	for i := range m.s.Projects {
		x := &m.s.Projects[i]
		if x.SignedOn != "" && x.SignedOn >= from && x.SignedOn <= to && m.passes(x) {
			out = append(out, x)
		}
	}
	return out
}

// tally accumulates one breakdown row.
type tally struct {
	Breakdown
	wan int64
}

func finish(rows map[string]*tally, n int, total int64) []Breakdown {
	out := make([]Breakdown, 0, len(rows))
	for _, t := range rows {
		t.InvestmentYi = yi(t.wan)
		t.ShareCount = share(float64(t.Projects), float64(n))
		t.ShareInvestment = share(float64(t.wan), float64(total))
		out = append(out, t.Breakdown)
	}
	sort.Slice(out, func(i, j int) bool {
		if gi, gj := out[i].Kind == "group", out[j].Kind == "group"; gi != gj {
			return gi // groups (大湾区 …) first; every other kind ranks by investment
		}
		if out[i].InvestmentYi != out[j].InvestmentYi {
			return out[i].InvestmentYi > out[j].InvestmentYi
		}
		return out[i].Code < out[j].Code
	})
	return out
}

func add(rows map[string]*tally, code, name, kind string, x *graph.Project) {
	t, ok := rows[kind+"\x00"+code]
	if !ok {
		t = &tally{Breakdown: Breakdown{Code: code, Name: name, Kind: kind}}
		rows[kind+"\x00"+code] = t
	}
	t.Projects++
	t.wan += x.InvestmentWan
}

// bySource gives a row per source region and per region group that contains it.
func (m *matcher) bySource(ps []*graph.Project, total int64) []Breakdown {
	rows := map[string]*tally{}
	within := make([][]bool, len(m.s.Groups))
	for g, grp := range m.s.Groups {
		within[g] = make([]bool, len(m.s.Regions))
		for _, r := range grp.Members {
			for i, in := range m.s.Within(r) {
				within[g][i] = within[g][i] || in
			}
		}
	}
	for _, x := range ps {
		r := m.s.Region(x.SourceRegionCode)
		if r == snapshot.None {
			add(rows, "", "未注明 / not stated", "none", x)
			continue
		}
		add(rows, m.s.Regions[r].Code, m.s.Regions[r].Name, "region", x)
		for g := range m.s.Groups {
			if within[g][r] {
				add(rows, m.s.Groups[g].Code, m.s.Groups[g].Name, "group", x)
			}
		}
	}
	return finish(rows, len(ps), total)
}

func (m *matcher) byDistrict(ps []*graph.Project, total int64) []Breakdown {
	rows := map[string]*tally{}
	for _, x := range ps {
		name := x.RegionCode
		if r := m.s.Region(x.RegionCode); r != snapshot.None {
			name = m.s.Regions[r].Name
		}
		add(rows, x.RegionCode, name, "district", x)
	}
	return finish(rows, len(ps), total)
}

func (m *matcher) byChain(ps []*graph.Project, total int64) []Breakdown {
	rows := map[string]*tally{}
	for _, x := range ps {
		if ch := m.chainOf(x); ch != snapshot.None {
			add(rows, m.s.Chains[ch].ID, m.s.Chains[ch].Name, "chain", x)
		} else {
			add(rows, "", "不在产业链上 / not on a chain", "none", x)
		}
	}
	return finish(rows, len(ps), total)
}

func byStage(ps []*graph.Project, total int64) []Breakdown {
	rows := map[string]*tally{}
	for _, x := range ps {
		add(rows, string(x.Stage), stageName[x.Stage], "stage", x)
	}
	out := finish(rows, len(ps), total)
	sort.SliceStable(out, func(i, j int) bool {
		return slices.Index(graph.Stages, out[i].Code) < slices.Index(graph.Stages, out[j].Code)
	})
	return out
}

var stageName = map[graph.Stage]string{graph.Negotiating: "在谈", graph.Signed: "签约", graph.Started: "开工",
	graph.Producing: "投产", graph.AtCapacity: "达产", graph.Dropped: "终止"}

// funnel counts the projects that reached each stage (by its date) and the median
// days from the previous stage's date.
func funnel(ps []*graph.Project) []FunnelStage {
	type step struct {
		stage graph.Stage
		date  func(*graph.Project) graph.Date
	}
	steps := []step{
		{graph.Signed, func(x *graph.Project) graph.Date { return x.SignedOn }},
		{graph.Started, func(x *graph.Project) graph.Date { return x.StartedOn }},
		{graph.Producing, func(x *graph.Project) graph.Date { return x.ProducingOn }},
		{graph.AtCapacity, func(x *graph.Project) graph.Date { return x.AtCapacityOn }},
	}
	out := make([]FunnelStage, 0, len(steps)+1)
	for i, st := range steps {
		fs := FunnelStage{Stage: st.stage}
		var days []float64
		for _, x := range ps {
			d := st.date(x)
			if d == "" {
				continue
			}
			fs.Reached++
			if i > 0 {
				if prev := steps[i-1].date(x); prev != "" {
					days = append(days, d.Time().Sub(prev.Time()).Hours()/24)
				}
			}
		}
		if len(days) > 0 {
			md := median(days)
			fs.MedianDaysFromPrv = &md
		}
		out = append(out, fs)
	}
	dropped := FunnelStage{Stage: graph.Dropped}
	for _, x := range ps {
		if x.Stage == graph.Dropped {
			dropped.Reached++
		}
	}
	return append(out, dropped)
}

func median(xs []float64) float64 {
	slices.Sort(xs)
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}

// lagging lists projects passing the filter (any signing date) whose planned start or
// planned production date is before asOf while the stage has not been reached.
func (m *matcher) lagging(asOf graph.Date) []Lagging {
	out := []Lagging{}
	asOfT := asOf.Time()
	for i := range m.s.Projects {
		x := &m.s.Projects[i]
		if x.Stage == graph.Dropped || !m.passes(x) {
			continue
		}
		late := func(missed string, planned, reached graph.Date) {
			if planned == "" || reached != "" || planned >= asOf {
				return
			}
			days := int(asOfT.Sub(planned.Time()).Hours() / 24)
			zh, en := "计划开工", "planned start"
			if missed == "production" {
				zh, en = "计划投产", "planned production"
			}
			out = append(out, Lagging{ProjectID: x.ID, Name: x.Name, District: x.RegionCode, Stage: x.Stage, Missed: missed,
				PlannedOn: planned, DaysLate: days,
				Reason: analysis.Because("lagging_"+missed, zh+"日期 %s 已过 %d 天仍未达到", en+" date %s passed %d days ago without it", planned, days)})
		}
		late("start", x.PlannedStartOn, x.StartedOn)
		late("production", x.PlannedProduceOn, x.ProducingOn)
	}
	// Most days late first, then by project, a project's start before its
	// production: a total order, so the unstable sort is deterministic (and much
	// cheaper than a stable one moving these structs by reflection).
	slices.SortFunc(out, func(a, b Lagging) int {
		if a.DaysLate != b.DaysLate {
			return cmp.Compare(b.DaysLate, a.DaysLate)
		}
		if a.ProjectID != b.ProjectID {
			return strings.Compare(a.ProjectID, b.ProjectID)
		}
		return strings.Compare(b.Missed, a.Missed) // "start" before "production"
	})
	return out
}

// distinctProjects counts the projects of ls; it assumes nothing about their order.
func distinctProjects(ls []Lagging) int {
	seen := make(map[string]bool, len(ls))
	for _, l := range ls {
		seen[l.ProjectID] = true
	}
	return len(seen)
}

// schedule computes 序时进度 for the year of `to`: completion of the plan against
// months elapsed ÷ 12 (the month of `to` counted as elapsed).
func (m *matcher) schedule(to graph.Date, planYi float64) *Schedule {
	t := to.Time()
	jan1 := graph.DateOf(time.Date(t.Year(), 1, 1, 0, 0, 0, 0, time.UTC))
	var wan int64
	for _, x := range m.select_(jan1, to) {
		wan += x.InvestmentWan
	}
	sc := &Schedule{PlanYi: planYi, SignedYi: yi(wan), TimeElapsed: Round3(float64(t.Month()) / 12)}
	sc.Completion = Round3(yi(wan) / planYi)
	sc.Ahead = Round3(sc.Completion - sc.TimeElapsed)
	return sc
}

func reasons(r *Report) []analysis.Reason {
	var out []analysis.Reason
	zh, en := "未达到", "misses"
	if r.OnChainShareCnt >= r.OnChainTarget {
		zh, en = "达到", "meets"
	}
	out = append(out, analysis.Because("on_chain_share",
		"链上项目 %d 个，占 %.1f%%，"+zh+"目标 %.0f%%", "%d on-chain projects, %.1f%%, "+en+" the %.0f%% target",
		r.OnChainProjects, 100*r.OnChainShareCnt, 100*r.OnChainTarget).With("on_chain_share_count", r.OnChainShareCnt))
	if r.YoYCount != nil {
		out = append(out, analysis.Because("yoy", "项目数同比 %+.1f%%（上年同期 %d 个）", "projects %+.1f%% on a year earlier (%d)",
			100**r.YoYCount, r.Previous.Projects).With("yoy_count", *r.YoYCount))
	}
	if r.LaggingProjects > 0 {
		out = append(out, analysis.Because("lagging", "%d 个项目进度滞后（截至 %s，计划开工或投产日期已过仍未达到）",
			"%d project(s) behind plan (as of %s: a planned start or production date passed without it)", r.LaggingProjects, r.AsOf).
			With("lagging", float64(r.LaggingProjects)))
	}
	return out
}
