package leaders

import (
	"strconv"
	"strings"
)

// Table renders the ranking as rows for the CLI's table and xlsx formats.
func (r *Result) Table() (headers []string, rows [][]string) {
	headers = []string{"排名 rank", "企业 company", "企业代码 id", "链主 declared", "候选链主 suggested", "得分 score",
		"本地供应商 local suppliers", "上游本地企业 upstream", "下游本地企业 downstream", "PageRank",
		"营收(万元) revenue", "外地供应商 outside suppliers", "理由 reasons"}
	for _, l := range r.Leaders {
		var why []string
		for _, x := range l.Reasons {
			why = append(why, x.ZH)
		}
		outside := ""
		if l.Declared || l.Suggested {
			var names []string
			for _, o := range l.OutsideSuppliers {
				if o.Active {
					names = append(names, o.LinkName+":"+o.Name)
				}
			}
			outside = strings.Join(names, "；")
		}
		rows = append(rows, []string{strconv.Itoa(l.Rank), l.Name, l.CompanyID, yes(l.Declared), yes(l.Suggested),
			strconv.FormatFloat(l.Score, 'f', 3, 64), num(l.Features[FLocalSuppliers]), num(l.Features[FUpstreamReach]),
			num(l.Features[FDownstreamReach]), strconv.FormatFloat(l.Features[FPageRank], 'g', 4, 64),
			num(l.Features[FRevenue]), outside, strings.Join(why, "；")})
	}
	return headers, rows
}

func yes(b bool) string {
	if b {
		return "是 yes"
	}
	return ""
}

func num(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
