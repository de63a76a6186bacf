// Package targets ranks outside companies a 招商 (investment-promotion) team should
// invite to fill or strengthen one link (环节) of a chain in a target region.
//
// For a target region R (the city or one of its districts) and a link L, the
// candidates are the companies that operate in L and are not local to R (not in R
// nor below it). Each candidate gets twelve raw features, each normalised to 0–1
// across all candidates of L by dividing by the largest value (0 when the largest
// is 0); normalisation runs before the filters, so a firm's score does not depend on
// which filters the caller chose. The score is
//
//	score = Σ weight_f · normalised_f / Σ weight_f   (0–1)
//
// and Contributions holds the terms, so they sum to the score. The features and
// default weights follow the backtest (analysis/backtest): the link-prediction term
// is the frozen, backtested chainmap model (logistic regression over 3-step walks,
// historical activity, common neighbours, prior relation, earlier activity and
// ages; AUC 0.961 on held-out new ties of a real supply network, ahead of every
// single-signal baseline), and the 以商引商 terms (ties to local firms and to local
// chain leaders), credentials, revenue and proximity are additive terms with
// documented weights. The single-signal network features are still computed and
// explained but weigh 0 by default (the model already contains them).
//
// Features (raw values; see the constants for their names):
//
//   - ties_to_local: distinct local firms the candidate currently supplies
//     (a tie that is Active at the snapshot's AsOf, in any link).
//   - ties_to_leaders: distinct local declared chain leaders (链主 of any chain, not
//     only L's: every anchor firm can act as 招商大使) the candidate supplies or has
//     supplied (any tie, current or history) — 以商引商 leads.
//   - past_ties: distinct local firms with a prior relation: the candidate supplied
//     them on a tie that is now history (not Active), or they supplied the candidate
//     (the reverse relation, any date). A firm with both counts once.
//   - three_paths: the number of supply paths candidate → X ← Y → Z where Z is a local
//     demand firm (below), Z is not X and Y is not a candidate: the candidate sells
//     to firms whose suppliers also sell to our firms that need L. Paths through a
//     rival candidate Y are left out: they credit the rival's own ties (say, to our
//     chain leader) to the firms that share its customers. Computed from the
//     demand side's suppliers and the candidates' customers (pulling over the
//     customers' suppliers or pushing from the demand firms' suppliers, whichever
//     visits fewer ties), so the work is bounded by those two neighbourhoods.
//   - common_neighbours, adamic_adar, resource_allocation: between the candidate and
//     the local demand firms over the undirected supply network (a pair trading in
//     either direction, in any link, is adjacent), summed over the demand firms:
//     Σ_d |N(c)∩N(d)|, Σ_d Σ_{x∈N(c)∩N(d)} 1/ln deg(x), Σ_d Σ_{x} 1/deg(x), with
//     deg the distinct undirected degree; as for three_paths, a rival candidate x
//     is not counted as a shared partner.
//   - preferential_attachment: log1p(distinct suppliers + distinct customers of the
//     candidate, current and history). The degree product with the demand side is a
//     constant factor within one query, so the candidate's degree ranks the same.
//   - strength: points for credential tags (StrengthPoints), summed.
//   - revenue: log1p(revenue in 万元); 0 when unknown.
//   - affinity: 1 if the candidate is in the same province as R, 0.5 if it shares a
//     region group with R (e.g. 长三角; a region is in a group when it or an ancestor
//     is a member), else 0.
//   - link_prediction: backtest.Chainmap's probability (0–1) that the candidate
//     becomes a new supplier of its likeliest local demand firm, maximised over the
//     demand firms (see linkPrediction for how the model's inputs map onto the
//     snapshot). Its reason names that firm and the model's largest terms.
//
// The local demand firms are the local firms operating in a link that L feeds, plus
// the local firms that buy L's goods (a tie labelled L, current or history) from any
// company operating in L.
//
// Work is bounded by the neighbourhoods of L's companies and of the demand firms: a
// call never scans the whole snapshot. Per-company scratch arrays are pooled and
// reset through a touched list, so repeated calls do not allocate O(companies).
package targets

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/chainmap/chainmap/analysis"
	"github.com/chainmap/chainmap/analysis/snapshot"
	"github.com/chainmap/chainmap/graph"
)

// Feature names, as used in Target.Features and Target.Contributions and as the
// json keys of Weights.
const (
	TiesToLocal            = "ties_to_local"
	TiesToLeaders          = "ties_to_leaders"
	PastTies               = "past_ties"
	ThreePaths             = "three_paths"
	CommonNeighbours       = "common_neighbours"
	AdamicAdar             = "adamic_adar"
	ResourceAllocation     = "resource_allocation"
	PreferentialAttachment = "preferential_attachment"
	Strength               = "strength"
	Revenue                = "revenue"
	Affinity               = "affinity"
	LinkPrediction         = "link_prediction"
)

// Feature indices into the internal feature vector.
const (
	fLocal = iota
	fLeaders
	fPast
	fThree
	fCN
	fAA
	fRA
	fPA
	fStrength
	fRevenue
	fAffinity
	fLink
	nFeatures
)

// Features lists the feature names in a fixed order (the order of Weights' fields).
var Features = [nFeatures]string{TiesToLocal, TiesToLeaders, PastTies, ThreePaths, CommonNeighbours,
	AdamicAdar, ResourceAllocation, PreferentialAttachment, Strength, Revenue, Affinity, LinkPrediction}

// Weights weigh the normalised features; all must be ≥ 0 and only their ratios
// matter. The zero value means DefaultWeights.
type Weights struct {
	TiesToLocal            float64 `json:"ties_to_local"`
	TiesToLeaders          float64 `json:"ties_to_leaders"`
	PastTies               float64 `json:"past_ties"`
	ThreePaths             float64 `json:"three_paths"`
	CommonNeighbours       float64 `json:"common_neighbours"`
	AdamicAdar             float64 `json:"adamic_adar"`
	ResourceAllocation     float64 `json:"resource_allocation"`
	PreferentialAttachment float64 `json:"preferential_attachment"`
	Strength               float64 `json:"strength"`
	Revenue                float64 `json:"revenue"`
	Affinity               float64 `json:"affinity"`
	LinkPrediction         float64 `json:"link_prediction"`
}

// DefaultWeights returns the documented defaults (they sum to 1). The link
// prediction of the backtested model (analysis/backtest: AUC 0.961 on held-out
// new ties) weighs most, 0.40; it already contains prior relations, activity,
// walks and common neighbours, so their single-signal features (past_ties,
// three_paths, common_neighbours, adamic_adar, resource_allocation,
// preferential_attachment) weigh 0 and stay as explanations. The 以商引商 terms
// follow: current ties to local firms 0.18, ties to local chain leaders 0.18; then
// credentials 0.08, proximity 0.08 and revenue 0.08.
func DefaultWeights() Weights {
	return Weights{
		TiesToLocal:    0.18,
		TiesToLeaders:  0.18,
		LinkPrediction: 0.40,
		Strength:       0.08,
		Revenue:        0.08,
		Affinity:       0.08,
	}
}

func (w Weights) array() [nFeatures]float64 {
	return [nFeatures]float64{w.TiesToLocal, w.TiesToLeaders, w.PastTies, w.ThreePaths, w.CommonNeighbours,
		w.AdamicAdar, w.ResourceAllocation, w.PreferentialAttachment, w.Strength, w.Revenue, w.Affinity,
		w.LinkPrediction}
}

// StrengthPoints are the points each credential tag adds to the strength feature.
// Tags not listed (or not in the vocabulary) add nothing.
var StrengthPoints = map[graph.Tag]float64{
	"500强":   5,
	"单项冠军":   4,
	"央企":     4,
	"独角兽":    4,
	"小巨人":    3,
	"上市":     3,
	"瞪羚":     2,
	"专精特新":   2,
	"国企":     1,
	"外资":     1,
	"高新技术企业": 1,
	"规上":     0.5,
}

// Params tune a ranking.
type Params struct {
	Weights Weights `json:"weights"`
	// Limit is the number of targets returned; ≤ 0 means DefaultLimit.
	Limit int `json:"limit"`
	// Tags keeps only candidates having all these tags.
	Tags []graph.Tag `json:"tags,omitempty"`
	// Regions keeps only candidates located in (or below) one of these region codes.
	Regions []string `json:"regions,omitempty"`
	// MinRevenueWan keeps only candidates with at least this revenue (万元); when it
	// is > 0, candidates of unknown revenue are dropped.
	MinRevenueWan float64 `json:"min_revenue_wan,omitempty"`
	// IncludeSameCity keeps, for a district, candidates located elsewhere in the same
	// city; they are labelled as a transfer within the city (市内转移). By default a
	// district's targets come from outside its city: moving a firm between districts
	// adds nothing to the city.
	IncludeSameCity bool `json:"include_same_city,omitempty"`
}

// DefaultLimit is the number of targets returned when Params.Limit is ≤ 0.
const DefaultLimit = 20

// DefaultParams returns the default weights and limit, with no filters.
func DefaultParams() Params { return Params{Weights: DefaultWeights(), Limit: DefaultLimit} }

// Result is a ranked list of outside companies to invite into one link.
type Result struct {
	Region     string `json:"region"`
	RegionName string `json:"region_name"`
	Link       string `json:"link"`
	LinkName   string `json:"link_name"`
	Chain      string `json:"chain"`
	ChainName  string `json:"chain_name"`
	// AsOf is the date ties are judged current against.
	AsOf graph.Date `json:"as_of"`
	// Candidates is how many outside firms operate in the link (before filters).
	Candidates int `json:"candidates"`
	// Demand is how many local firms need the link's goods (see the package doc).
	Demand int `json:"demand"`
	// Weights are the weights actually used.
	Weights Weights  `json:"weights"`
	Targets []Target `json:"targets"`
	// InPipeline are candidates that already have a live project (在谈, 签约, 开工,
	// 投产 or 达效) landing in the home city: they are being won or have been won, so
	// they are not new targets; listed apart, best score first, with the projects.
	InPipeline []PipelineFirm `json:"in_pipeline"`
	// SameCityLeftOut is how many candidates located elsewhere in the home city were
	// left out of a district's targets (see Params.IncludeSameCity).
	SameCityLeftOut int `json:"same_city_left_out"`
}

// PipelineFirm is a candidate already in the home city's project pipeline.
type PipelineFirm struct {
	CompanyID  string            `json:"company_id"`
	Name       string            `json:"name"`
	RegionCode string            `json:"region_code"`
	RegionName string            `json:"region_name"`
	Score      float64           `json:"score"`
	Projects   []ProjectRef      `json:"projects"`
	Reasons    []analysis.Reason `json:"reasons"`
}

// ProjectRef names a project and where it stands.
type ProjectRef struct {
	ID         string      `json:"id"`
	Name       string      `json:"name"`
	Stage      graph.Stage `json:"stage"`
	Date       graph.Date  `json:"date,omitempty"` // the date of its latest stage
	RegionCode string      `json:"region_code"`
	RegionName string      `json:"region_name"`
}

// Target is one outside company to invite, best first.
type Target struct {
	CompanyID  string `json:"company_id"`
	Name       string `json:"name"`
	RegionCode string `json:"region_code"`
	RegionName string `json:"region_name"`
	// Score is 0–1, higher first; equal scores are ordered by company id.
	Score float64 `json:"score"`
	// Features holds the raw feature values by name.
	Features map[string]float64 `json:"features"`
	// Contributions holds weight × normalised feature / Σ weights; they sum to Score.
	Contributions map[string]float64 `json:"contributions"`
	// Transfer marks a firm located elsewhere in the home city (市内转移), present
	// only with Params.IncludeSameCity.
	Transfer bool `json:"transfer,omitempty"`
	// Reasons explain the non-zero features, in Chinese and English.
	Reasons    []analysis.Reason `json:"reasons"`
	Tags       []graph.Tag       `json:"tags,omitempty"`
	RevenueWan float64           `json:"revenue_wan,omitempty"`
	Provenance string            `json:"provenance,omitempty"`
}

// Rank ranks the companies outside region that operate in link. It returns a
// graph.ENOTFOUND error for an unknown region, link or filter region and a
// graph.EINVALID error for a negative or non-finite weight or an unknown tag.
func Rank(s *snapshot.Snapshot, region, link string, p Params) (*Result, error) {
	r := s.Region(region)
	if r == snapshot.None {
		return nil, graph.Errorf(graph.ENOTFOUND, "targets: no region with code %q / 没有代码为 %q 的地区", region, region)
	}
	l := s.Link(link)
	if l == snapshot.None {
		return nil, graph.Errorf(graph.ENOTFOUND, "targets: no link with id %q / 没有编号为 %q 的环节", link, link)
	}
	w := p.Weights
	if w == (Weights{}) {
		w = DefaultWeights()
	}
	wa := w.array()
	var wsum float64
	for i, x := range wa {
		if x < 0 || math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, graph.Errorf(graph.EINVALID, "targets: weight %s is %v, want a finite number ≥ 0 / 权重须为非负数", Features[i], x)
		}
		wsum += x
	}
	limit := p.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	want, err := tagMask(p.Tags)
	if err != nil {
		return nil, err
	}
	var inFilter []bool // over regions; nil = no region filter
	if len(p.Regions) > 0 {
		inFilter = make([]bool, len(s.Regions))
		for _, code := range p.Regions {
			f := s.Region(code)
			if f == snapshot.None {
				return nil, graph.Errorf(graph.ENOTFOUND, "targets: no region with code %q to filter by / 筛选地区 %q 不存在", code, code)
			}
			for i, ok := range s.Within(f) {
				inFilter[i] = inFilter[i] || ok
			}
		}
	}

	res := &Result{Region: region, RegionName: s.Regions[r].Name, Link: link, LinkName: s.Links[l].Name,
		AsOf: s.AsOf, Weights: w, Targets: []Target{}, InPipeline: []PipelineFirm{}}
	city := cityOf(s, r)
	inCity := s.Within(city)
	if ch := s.LinkChain[l]; ch != snapshot.None {
		res.Chain, res.ChainName = s.Chains[ch].ID, s.Chains[ch].Name
	}

	q := newQuery(s, r, l)
	defer q.release()
	q.features()
	res.Candidates, res.Demand = len(q.cands), len(q.demand)

	// Normalise over all candidates, then score and filter.
	var maxima [nFeatures]float64
	for i := range q.cands {
		for f, v := range q.feat[i] {
			maxima[f] = max(maxima[f], v)
		}
	}
	type scored struct {
		i     int
		score float64
	}
	var keep, pipeline []scored
	for i, c := range q.cands {
		co := &s.Companies[c]
		if co.Tags&want != want || p.MinRevenueWan > 0 && co.RevenueWan < p.MinRevenueWan ||
			inFilter != nil && (co.Region == snapshot.None || !inFilter[co.Region]) {
			continue
		}
		x := scored{i, q.score(i, &maxima, &wa, wsum, nil)}
		if len(livePipeline(s, c, inCity)) > 0 {
			pipeline = append(pipeline, x)
			continue
		}
		if city != r && co.Region != snapshot.None && inCity[co.Region] && !p.IncludeSameCity {
			res.SameCityLeftOut++
			continue
		}
		keep = append(keep, x)
	}
	byScore := func(a, b scored) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return strings.Compare(s.Companies[q.cands[a.i]].ID, s.Companies[q.cands[b.i]].ID)
	}
	slices.SortFunc(keep, byScore)
	slices.SortFunc(pipeline, byScore)
	if len(keep) > limit {
		keep = keep[:limit]
	}
	if len(pipeline) > limit {
		pipeline = pipeline[:limit]
	}
	for _, k := range keep {
		t := q.target(k.i, &maxima, &wa, wsum)
		if co := &s.Companies[q.cands[k.i]]; city != r && co.Region != snapshot.None && inCity[co.Region] {
			t.Transfer = true
			t.Reasons = append([]analysis.Reason{analysis.Because("same_city_transfer",
				"市内转移：该企业位于本市%[1]s，引入%[2]s不新增全市产能",
				"a transfer within the city: it is in %[1]s, in the same city; bringing it to %[2]s adds nothing to the city",
				t.RegionName, res.RegionName).With("transfer", 1)}, t.Reasons...)
		}
		res.Targets = append(res.Targets, t)
	}
	for _, k := range pipeline {
		res.InPipeline = append(res.InPipeline, q.pipelineFirm(k.i, k.score, inCity))
	}
	return res, nil
}

// score returns the score of candidate i; with contrib non-nil it also fills the
// contributions by feature name.
func (q *query) score(i int, maxima, wa *[nFeatures]float64, wsum float64, contrib map[string]float64) float64 {
	var score float64
	for f, v := range q.feat[i] {
		var c float64
		if maxima[f] > 0 && wsum > 0 {
			c = wa[f] * (v / maxima[f]) / wsum
		}
		score += c
		if contrib != nil {
			contrib[Features[f]] = c
		}
	}
	return min(max(score, 0), 1)
}

// target builds the full record of candidate i.
func (q *query) target(i int, maxima, wa *[nFeatures]float64, wsum float64) Target {
	s, c := q.s, q.cands[i]
	co := &s.Companies[c]
	t := Target{CompanyID: co.ID, Name: co.Name, Features: make(map[string]float64, nFeatures),
		Contributions: make(map[string]float64, nFeatures), Tags: co.Tags.Tags(), RevenueWan: co.RevenueWan,
		Provenance: co.Provenance}
	if co.Region != snapshot.None {
		t.RegionCode, t.RegionName = s.Regions[co.Region].Code, s.Regions[co.Region].Name
	}
	for f, v := range q.feat[i] {
		t.Features[Features[f]] = v
	}
	t.Score = q.score(i, maxima, wa, wsum, t.Contributions)
	t.Reasons = q.reasons(i)
	return t
}

// cityOf returns the city-level region of r: r itself unless r lies below a city.
func cityOf(s *snapshot.Snapshot, r int32) int32 {
	for p := r; p != snapshot.None; p = s.Parent[p] {
		if s.Regions[p].Kind == graph.City {
			return p
		}
	}
	return r
}

// livePipeline returns company c's live projects landing in the home city.
func livePipeline(s *snapshot.Snapshot, c int32, inCity []bool) []int32 {
	var out []int32
	for _, pi := range s.ProjectsOf(c) {
		p := &s.Projects[pi]
		if g := s.Region(p.RegionCode); snapshot.Live(p.Stage) && g != snapshot.None && inCity[g] {
			out = append(out, pi)
		}
	}
	return out
}

var stageZH = map[graph.Stage]string{graph.Negotiating: "在谈", graph.Signed: "签约", graph.Started: "开工",
	graph.Producing: "投产", graph.AtCapacity: "达效"}

// pipelineFirm builds the record of candidate i, which has live projects in the city.
func (q *query) pipelineFirm(i int, score float64, inCity []bool) PipelineFirm {
	s, c := q.s, q.cands[i]
	co := &s.Companies[c]
	pf := PipelineFirm{CompanyID: co.ID, Name: co.Name, Score: score, Projects: []ProjectRef{}}
	if co.Region != snapshot.None {
		pf.RegionCode, pf.RegionName = s.Regions[co.Region].Code, s.Regions[co.Region].Name
	}
	var zh, en []string
	for _, pi := range livePipeline(s, c, inCity) {
		p := &s.Projects[pi]
		ref := ProjectRef{ID: p.ID, Name: p.Name, Stage: p.Stage, RegionCode: p.RegionCode,
			Date: max(p.SignedOn, p.StartedOn, p.ProducingOn, p.AtCapacityOn)}
		if g := s.Region(p.RegionCode); g != snapshot.None {
			ref.RegionName = s.Regions[g].Name
		}
		pf.Projects = append(pf.Projects, ref)
		date, dateEN := "", ""
		if ref.Date != "" {
			date, dateEN = "，"+string(ref.Date), ", "+string(ref.Date)
		}
		zh = append(zh, fmt.Sprintf("%s（%s，%s%s，%s）", p.Name, p.ID, stageZH[p.Stage], date, ref.RegionName))
		en = append(en, fmt.Sprintf("%s (%s, %s%s, %s)", p.Name, p.ID, p.Stage, dateEN, ref.RegionName))
	}
	pf.Reasons = []analysis.Reason{{Code: "in_pipeline",
		ZH: "已有在本市的项目，不作为新目标：" + strings.Join(zh, "；"),
		EN: "already has a project in the city, so it is not a new target: " + strings.Join(en, "; ")}}
	return pf
}

// tagMask turns tags into a snapshot.TagSet (bit i = graph.TagVocabulary[i]).
func tagMask(tags []graph.Tag) (snapshot.TagSet, error) {
	var m snapshot.TagSet
	for _, t := range tags {
		found := false
		for i, v := range graph.TagVocabulary {
			if v.Tag == t {
				m |= 1 << i
				found = true
			}
		}
		if !found {
			return 0, graph.Errorf(graph.EINVALID, "targets: unknown tag %q, want one of %s / 未知标签", t, graph.TagNames("、"))
		}
	}
	return m, nil
}

// Table renders the result for the CLI table and xlsx export: one row per target,
// then the firms already in the pipeline (unranked).
func (r *Result) Table() (headers []string, rows [][]string) { return r.TableIn(analysis.ZH) }

// TableIn renders the result in language l.
func (r *Result) TableIn(l analysis.Lang) (headers []string, rows [][]string) {
	headers = []string{l.Head("排名", "rank"), l.Head("企业", "company"), l.Head("代码", "id"), l.Head("所在地", "region"),
		l.Head("得分", "score"), l.Head("营收(万元)", "revenue (10k yuan)"), l.Head("标签", "tags"), l.Head("理由", "reasons")}
	if l == analysis.ZH {
		headers = append(headers, "reasons (EN)")
	}
	tags := func(ts []graph.Tag) string {
		if l == analysis.EN {
			var en []string
			for _, t := range ts {
				en = append(en, tagEN(t))
			}
			return strings.Join(en, "; ")
		}
		return graph.JoinTags(ts)
	}
	row := func(rank, name, id, region, score string, rev float64, ts []graph.Tag, rs []analysis.Reason) []string {
		revS := ""
		if rev > 0 {
			revS = fmt.Sprintf("%.0f", rev)
		}
		out := []string{rank, name, id, region, score, revS, tags(ts), analysis.Join(rs, l)}
		if l == analysis.ZH {
			out = append(out, analysis.Join(rs, analysis.EN))
		}
		return out
	}
	for i, t := range r.Targets {
		rows = append(rows, row(fmt.Sprint(i+1), t.Name, t.CompanyID, t.RegionName, fmt.Sprintf("%.3f", t.Score), t.RevenueWan, t.Tags, t.Reasons))
	}
	for _, p := range r.InPipeline {
		rows = append(rows, row(l.Pick("已有项目", "in pipeline"), p.Name, p.CompanyID, p.RegionName, "", 0, nil, p.Reasons))
	}
	return headers, rows
}

func tagEN(t graph.Tag) string {
	for _, v := range graph.TagVocabulary {
		if v.Tag == t {
			return v.EN
		}
	}
	return string(t)
}
