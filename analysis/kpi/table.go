package kpi

import (
	"strconv"
)

func pct(x float64) string { return strconv.FormatFloat(100*x, 'f', 1, 64) + "%" }

func num(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// Table renders the report for the CLI's table and xlsx formats: the headline
// figures, then the breakdown by source region (groups first) and the lagging list.
func (r *Report) Table() ([]string, [][]string) {
	head := []string{"指标 measure", "数值 value", "说明 note"}
	opt := func(p *float64) string {
		if p == nil {
			return "—"
		}
		return pct(*p)
	}
	rows := [][]string{
		{"期间 period", string(r.Filter.From) + " ~ " + string(r.Filter.To), ""},
		{"签约项目 projects", strconv.Itoa(r.Projects), "投资额 ≥ " + num(float64(r.Filter.MinInvestmentWan)/10000) + " 亿"},
		{"协议投资 investment (亿元)", num(r.InvestmentYi), ""},
		{"链上项目占比 on-chain share (count)", pct(r.OnChainShareCnt), "目标 target " + pct(r.OnChainTarget) + "，差距 gap " + pct(r.OnChainGap)},
		{"链上项目占比 on-chain share (investment)", pct(r.OnChainShareInv), ""},
		{"外资占比 foreign share (investment)", pct(r.ForeignShareInv), ""},
		{"同比 YoY (count)", opt(r.YoYCount), "上年同期 " + strconv.Itoa(r.Previous.Projects) + " 个"},
		{"同比 YoY (investment)", opt(r.YoYInvestment), "上年同期 " + num(r.Previous.InvestmentYi) + " 亿"},
	}
	if sc := r.Schedule; sc != nil {
		rows = append(rows, []string{"序时进度 plan completion", pct(sc.Completion),
			"时间进度 " + pct(sc.TimeElapsed) + "，超前/落后 " + pct(sc.Ahead)})
	}
	for _, b := range r.BySourceRegion {
		rows = append(rows, []string{"来源 source: " + b.Name, strconv.Itoa(b.Projects) + " 个 / " + num(b.InvestmentYi) + " 亿",
			pct(b.ShareCount) + " / " + pct(b.ShareInvestment)})
	}
	for _, l := range r.Lagging {
		rows = append(rows, []string{"滞后 lagging: " + l.Name, l.ProjectID, l.Reason.ZH})
	}
	return head, rows
}
