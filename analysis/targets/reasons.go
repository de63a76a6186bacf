package targets

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/chainmap/chainmap/analysis"
	"github.com/chainmap/chainmap/analysis/backtest"
	"github.com/chainmap/chainmap/analysis/snapshot"
	"github.com/chainmap/chainmap/graph"
)

// Reason codes, one per feature (common_neighbours explains adamic_adar and
// resource_allocation too: all three are non-zero together).
const (
	RSuppliesLocal  = "supplies_local"
	RSuppliesLeader = "supplies_leader"
	RPastRelation   = "past_relation"
	RThreePaths     = "three_paths"
	RSharedPartners = "shared_partners"
	RActive         = "active_in_network"
	RCredentials    = "credentials"
	RRevenue        = "revenue"
	RNearby         = "nearby"
	RLikelyCustomer = "likely_new_customer"
)

// ReasonCode maps a feature name to the code of the reason that explains it.
var ReasonCode = map[string]string{
	TiesToLocal: RSuppliesLocal, TiesToLeaders: RSuppliesLeader, PastTies: RPastRelation,
	ThreePaths: RThreePaths, CommonNeighbours: RSharedPartners, AdamicAdar: RSharedPartners,
	ResourceAllocation: RSharedPartners, PreferentialAttachment: RActive, Strength: RCredentials,
	Revenue: RRevenue, Affinity: RNearby, LinkPrediction: RLikelyCustomer,
}

// inputText states the facts behind the model's inputs (backtest.InputNames order)
// for reasons; activity (a product of partner counts) and the model's own weights
// are left to the features, which experts read.
var inputText = [backtest.NumInputs]struct{ zh, en string }{
	{"经三步供应链路径相连 %g 条", "%g three-step supply paths"},
	{"", ""},
	{"有 %g 家共同交易伙伴", "%g shared trading partners"},
	{"双方有过合作", "a prior relation"},
	{"半年前已有 %g 家客户", "%g customers half a year earlier"},
	{"对方在网 %g 个半年", "the customer has traded for %g half-years"},
	{"本企业在网 %g 个半年", "it has traded for %g half-years"},
}

// likelihood places candidate i's link prediction among all candidates of the link:
// the share of candidates it is ahead of, and a plain word for it — 高 (the top
// tenth, or the best), 中 (the next three tenths), 低 (the rest). The model's probability is
// fitted on balanced samples, so its level means little; its order is what the
// backtest measures.
func (q *query) likelihood(i int) (zh, en string, top float64) {
	if q.lpSorted == nil {
		q.lpSorted = make([]float64, len(q.lp))
		for j := range q.lp {
			q.lpSorted[j] = q.lp[j].p
		}
		slices.Sort(q.lpSorted)
	}
	p := q.lp[i].p
	above := len(q.lpSorted) - sort.SearchFloat64s(q.lpSorted, math.Nextafter(p, math.Inf(1)))
	top = float64(above+1) / float64(len(q.lpSorted)) // 1/n = the best
	switch {
	case top <= 0.1 || above == 0: // the top tenth, or the best of a few
		return "高", "high", top
	case top <= 0.4:
		return "中", "medium", top
	}
	return "低", "low", top
}

// linkReason explains candidate i's link prediction in words an official can read
// aloud: how likely, with which local firm, and the facts that weigh most (the
// model's numbers stay in Facts for experts).
func (q *query) linkReason(i int) analysis.Reason {
	lp := &q.lp[i]
	name := q.s.Companies[lp.best].Name
	order := make([]int, backtest.NumInputs)
	for j := range order {
		order[j] = j
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(lp.contrib[b], lp.contrib[a]) })
	var zh, en []string
	r := analysis.Reason{Code: RLikelyCustomer}.With("probability", lp.p)
	for _, j := range order {
		r = r.With(backtest.InputNames[j], lp.inputs[j])
		t := inputText[j]
		// Only facts that raise the likelihood, and only those there are.
		if len(zh) == 3 || t.zh == "" || lp.contrib[j] < 0.05 || lp.inputs[j] == 0 {
			continue
		}
		if j == backtest.InPastTie {
			zh, en = append(zh, t.zh), append(en, t.en)
			continue
		}
		x := math.Round(lp.inputs[j]*100) / 100
		zh = append(zh, fmt.Sprintf(t.zh, x))
		en = append(en, fmt.Sprintf(t.en, x))
	}
	lz, le, top := q.likelihood(i)
	r = r.With("top_share", math.Round(top*1000)/1000)
	basisZH, basisEN := "", ""
	if len(zh) > 0 {
		basisZH, basisEN = "；依据："+strings.Join(zh, "，"), "; based on "+strings.Join(en, ", ")
	}
	n := len(q.lp)
	rankZH := fmt.Sprintf("在本环节 %d 家候选企业中居前 %.0f%%", n, math.Ceil(100*top))
	rankEN := fmt.Sprintf("in the top %.0f%% of the link's %d candidates", math.Ceil(100*top), n)
	if q.suppliesNow(q.cands[i], lp.best) {
		r.ZH = fmt.Sprintf("已向本地企业 %s 供货（事实，非预测）；经回测的模型对其与本地企业合作前景的评价为%s（%s%s）", name, lz, rankZH, basisZH)
		r.EN = fmt.Sprintf("already supplies local firm %s (a fact, not a prediction); the backtested model rates its prospects with local firms %s (%s%s)", name, le, rankEN, basisEN)
		return r.With("current_customer", 1)
	}
	r.ZH = fmt.Sprintf("经回测的模型评价其成为本地企业 %s 新供应商的可能性为%s（%s%s）", name, lz, rankZH, basisZH)
	r.EN = fmt.Sprintf("the backtested model rates its likelihood of becoming a new supplier of local firm %s %s (%s%s)", name, le, rankEN, basisEN)
	return r
}

// suppliesNow reports whether c supplies d on a current tie.
func (q *query) suppliesNow(c, d int32) bool {
	for i := range q.s.Out(c) {
		if t := &q.s.Out(c)[i]; t.Customer == d && q.s.Active(t) {
			return true
		}
	}
	return false
}

// credential phrases, in the order reasons list them.
var credentials = []struct {
	tag    graph.Tag
	zh, en string
}{
	{"500强", "500强企业", "Fortune 500 company"},
	{"央企", "中央企业", "central SOE"},
	{"单项冠军", "制造业单项冠军", "manufacturing single-product champion"},
	{"独角兽", "独角兽企业", "unicorn"},
	{"小巨人", "国家级专精特新“小巨人”", "national specialised \"little giant\""},
	{"专精特新", "专精特新企业", "specialised SME (专精特新)"},
	{"上市", "上市公司", "listed company"},
	{"瞪羚", "瞪羚企业", "gazelle firm"},
	{"国企", "地方国企", "local SOE"},
	{"外资", "外资企业", "foreign-invested firm"},
	{"高新技术企业", "高新技术企业", "certified high-tech enterprise"},
	{"规上", "规上企业", "above designated size"},
}

// relations is what reasons need to know about a candidate's local ties.
type relations struct {
	current       []int32 // local customers on current ties, leaders first
	leaders       []int32 // local leaders supplied (any tie)
	leaderCurrent []bool
	history       []int32 // local customers on ended ties
	reverse       []int32 // local suppliers
	// inferredOnly: every current tie to a local customer is inferred, none observed.
	inferredOnly bool
	histFrom     string // earliest year of the history ties (or "")
	histTo       string // latest year
}

func (q *query) relations(c int32) relations {
	s := q.s
	var rel relations
	out := s.Out(c)
	observed, current := false, false
	for i := 0; i < len(out); {
		cust := out[i].Customer
		act, old := false, false
		for ; i < len(out) && out[i].Customer == cust; i++ {
			t := &out[i]
			if s.Active(t) {
				act = true
				if q.local(cust) {
					current = true
					observed = observed || t.Evidence != graph.Inferred
				}
				continue
			}
			old = true
			if q.local(cust) {
				if y := year(t.Since); y != "" && (rel.histFrom == "" || y < rel.histFrom) {
					rel.histFrom = y
				}
				if y := year(t.Until); y > rel.histTo {
					rel.histTo = y
				}
			}
		}
		if !q.local(cust) {
			continue
		}
		if act {
			rel.current = append(rel.current, cust)
		}
		if old {
			rel.history = append(rel.history, cust)
		}
		if q.flag[cust]&bLeader != 0 {
			rel.leaders = append(rel.leaders, cust)
			rel.leaderCurrent = append(rel.leaderCurrent, act)
		}
	}
	for _, sup := range s.Suppliers(c) {
		if q.local(sup) {
			rel.reverse = append(rel.reverse, sup)
		}
	}
	rel.inferredOnly = current && !observed
	slices.SortStableFunc(rel.current, func(a, b int32) int {
		return boolRank(q.flag[a]&bLeader != 0) - boolRank(q.flag[b]&bLeader != 0)
	})
	return rel
}

func boolRank(b bool) int {
	if b {
		return 0
	}
	return 1
}

func year(d graph.Date) string {
	if len(d) >= 4 {
		return string(d[:4])
	}
	return ""
}

// names lists up to three company names, joined, with "等" / "and n more".
func (q *query) names(cs []int32, sepZH, sepEN string) (zh, en string) {
	var ns []string
	for _, c := range cs[:min(3, len(cs))] {
		ns = append(ns, q.s.Companies[c].Name)
	}
	zh, en = strings.Join(ns, sepZH), strings.Join(ns, sepEN)
	if len(cs) > 3 {
		zh += "等"
		en += fmt.Sprintf(" and %d more", len(cs)-3)
	}
	return zh, en
}

// reasons explains candidate i's non-zero features.
func (q *query) reasons(i int) []analysis.Reason {
	s, c, f := q.s, q.cands[i], &q.feat[i]
	rel := q.relations(c)
	var out []analysis.Reason
	isLeader := func(x int32) bool { return q.flag[x]&bLeader != 0 }

	if f[fLocal] > 0 {
		n := len(rel.current)
		var zh, en string
		var lead []int32
		for _, x := range rel.current {
			if isLeader(x) {
				lead = append(lead, x)
			}
		}
		if len(lead) > 0 {
			lz, le := q.names(lead, "、", ", ")
			zh = fmt.Sprintf("已向本地 %d 家企业供货，其中包括链主 %s", n, lz)
			en = fmt.Sprintf("supplies %d local %s including chain leader %s", n, plural(n, "firm"), le)
		} else {
			nz, ne := q.names(rel.current, "、", ", ")
			zh = fmt.Sprintf("已向本地 %d 家企业供货（%s）", n, nz)
			en = fmt.Sprintf("supplies %d local %s (%s)", n, plural(n, "firm"), ne)
		}
		r := analysis.Reason{Code: RSuppliesLocal, ZH: zh, EN: en}.
			With("local_customers", float64(n)).With("leaders", float64(len(lead)))
		if rel.inferredOnly {
			r.ZH += "（均为推断的供应关系，未经观察证实）"
			r.EN += " (inferred ties only, none observed)"
			r = r.With("inferred_only", 1)
		}
		out = append(out, r)
	}

	if f[fLeaders] > 0 {
		n := len(rel.leaders)
		var ownChain int
		if ch := s.LinkChain[q.l]; ch != snapshot.None {
			for _, x := range rel.leaders {
				if slices.Contains(s.ChainLeaders[ch], x) {
					ownChain++
				}
			}
		}
		var cur []int32
		for j, x := range rel.leaders {
			if rel.leaderCurrent[j] {
				cur = append(cur, x)
			}
		}
		lz, le := q.names(rel.leaders, "、", ", ")
		verbZH, verbEN := "是", "is a supplier"
		if len(cur) == 0 {
			verbZH, verbEN = "曾是", "was a supplier"
		}
		labelZH, labelEN := "链主", "chain "+plural(n, "leader")
		if ownChain == n {
			labelZH, labelEN = "本链链主", "leader"
			if n > 1 {
				labelEN = "leaders"
			}
			labelEN = "chain " + labelEN + " of this chain"
		}
		zh := fmt.Sprintf("%s本地%s %s 的供应商，可请其以商引商", verbZH, labelZH, lz)
		en := fmt.Sprintf("%s of local %s %s: ask them to help invite it (以商引商)", verbEN, labelEN, le)
		if ownChain > 0 && ownChain < n {
			zh += fmt.Sprintf("（其中 %d 家是本链链主）", ownChain)
			en += fmt.Sprintf(" (%d of them lead this chain)", ownChain)
		}
		out = append(out, analysis.Reason{Code: RSuppliesLeader, ZH: zh, EN: en}.
			With("leaders", float64(n)).With("current", float64(len(cur))).With("same_chain", float64(ownChain)))
	}

	if f[fPast] > 0 {
		var zh, en []string
		r := analysis.Reason{Code: RPastRelation}.With("local_firms", f[fPast])
		if h := len(rel.history); h > 0 {
			span := ""
			if rel.histFrom != "" && rel.histTo != "" && rel.histFrom != rel.histTo {
				span = rel.histFrom + "–" + rel.histTo
			} else if rel.histFrom != "" || rel.histTo != "" {
				span = max(rel.histFrom, rel.histTo)
			}
			if span != "" {
				zh = append(zh, fmt.Sprintf("%s 年曾向本地 %d 家企业供货", span, h))
				en = append(en, fmt.Sprintf("past supplier of %d local %s (%s)", h, plural(h, "firm"), span))
			} else {
				zh = append(zh, fmt.Sprintf("曾向本地 %d 家企业供货", h))
				en = append(en, fmt.Sprintf("past supplier of %d local %s", h, plural(h, "firm")))
			}
			r = r.With("history", float64(h))
			if rel.histFrom != "" {
				r = r.With("from_year", atof(rel.histFrom))
			}
			if rel.histTo != "" {
				r = r.With("to_year", atof(rel.histTo))
			}
		}
		if n := len(rel.reverse); n > 0 {
			nz, ne := q.names(rel.reverse, "、", ", ")
			zh = append(zh, fmt.Sprintf("从本地 %d 家企业采购（%s）", n, nz))
			en = append(en, fmt.Sprintf("buys from %d local %s (%s)", n, plural(n, "firm"), ne))
			r = r.With("reverse", float64(n))
		}
		r.ZH, r.EN = "已有合作关系："+strings.Join(zh, "；"), "prior relation: "+strings.Join(en, "; ")
		out = append(out, r)
	}

	if f[fThree] > 0 {
		n := int64(f[fThree])
		out = append(out, analysis.Because(RThreePaths,
			"通过 %d 条供应链路径（本企业→客户←供应商→本地企业）连到本地需要该环节的企业",
			"reaches local firms that need this link along %d supply paths (it → customer ← supplier → local firm)", n).
			With("paths", f[fThree]))
	}

	if f[fCN] > 0 {
		n := int64(f[fCN])
		out = append(out, analysis.Because(RSharedPartners,
			"与本地需要该环节的企业有共同交易伙伴（%d 对）",
			"shares trading partners with local firms that need this link (%d pairs)", n).
			With("common_neighbours", f[fCN]).With("adamic_adar", f[fAA]).With("resource_allocation", f[fRA]))
	}

	if f[fPA] > 0 {
		deg := len(s.Suppliers(c)) + len(s.Customers(c))
		out = append(out, analysis.Reason{Code: RActive,
			ZH: fmt.Sprintf("供应网络中交易活跃：%d 家供应商、%d 家客户", len(s.Suppliers(c)), len(s.Customers(c))),
			EN: fmt.Sprintf("active in the supply network: %d suppliers, %d customers", len(s.Suppliers(c)), len(s.Customers(c))),
		}.With("degree", float64(deg)))
	}

	if f[fLink] > 0 && q.lp[i].best != snapshot.None {
		out = append(out, q.linkReason(i))
	}

	co := &s.Companies[c]
	if f[fStrength] > 0 {
		var zh, en []string
		for _, x := range credentials {
			if co.Tags.Has(x.tag) && !(x.tag == "专精特新" && co.Tags.Has("小巨人")) {
				zh, en = append(zh, x.zh), append(en, x.en)
			}
		}
		out = append(out, analysis.Reason{Code: RCredentials, ZH: strings.Join(zh, "、"),
			EN: strings.Join(en, ", ")}.With("points", f[fStrength]))
	}

	if f[fRevenue] > 0 {
		zh, en := money(co.RevenueWan)
		out = append(out, analysis.Reason{Code: RRevenue, ZH: "年营收 " + zh, EN: "annual revenue " + en}.
			With("revenue_wan", co.RevenueWan))
	}

	if f[fAffinity] > 0 && co.Region != snapshot.None {
		place, home := s.Regions[co.Region].Name, s.Regions[q.r].Name
		r := analysis.Reason{Code: RNearby}.With("affinity", f[fAffinity])
		if f[fAffinity] >= 1 {
			prov := s.Regions[s.Province(q.r)].Name
			r.ZH = fmt.Sprintf("位于%s，与本地同在%s", place, prov)
			r.EN = fmt.Sprintf("in %s, the same province (%s) as %s", place, prov, home)
		} else {
			g := s.Groups[q.affGroup[co.Region]].Name
			r.ZH = fmt.Sprintf("位于%s，与本地同属%s", place, g)
			r.EN = fmt.Sprintf("in %s, in the same region group (%s) as %s", place, g, home)
		}
		out = append(out, r)
	}
	return out
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

func atof(s string) float64 {
	var v float64
	fmt.Sscan(s, &v)
	return v
}

// money renders an amount in 万元 in Chinese (万元/亿元) and English (yuan).
func money(wan float64) (zh, en string) {
	if wan >= 10000 {
		zh = fmt.Sprintf("%.1f 亿元", wan/10000)
	} else {
		zh = fmt.Sprintf("%.0f 万元", wan)
	}
	if wan >= 100000 {
		en = fmt.Sprintf("¥%.1f bn", wan/100000)
	} else {
		en = fmt.Sprintf("¥%.1f m", wan/100)
	}
	return zh, en
}
