package leaders

import (
	"strconv"
	"strings"

	"github.com/chainmap/chainmap/analysis"
)

// Table renders the ranking as rows for the CLI's table and xlsx formats.
func (r *Result) Table() (headers []string, rows [][]string) { return r.TableIn(analysis.ZH) }

// TableIn renders the ranking in language l.
func (r *Result) TableIn(lang analysis.Lang) (headers []string, rows [][]string) {
	headers = []string{lang.Head("排名", "rank"), lang.Head("企业", "company"), lang.Head("企业代码", "id"),
		lang.Head("链主", "declared"), lang.Head("候选链主", "suggested"), lang.Head("得分", "score"),
		lang.Head("营收(万元)", "revenue (10k yuan)"), lang.Head("本地供应商", "local suppliers"),
		lang.Head("供货环节", "supplier links"), lang.Head("本地采购占比", "local share"),
		lang.Head("下游本地企业", "downstream"), lang.Head("外地供应商", "outside suppliers"), lang.Head("理由", "reasons")}
	unknown := lang.Pick("数据不足", "unknown")
	for _, l := range r.Leaders {
		outside := ""
		if l.Declared || l.Suggested {
			var names []string
			for _, o := range l.OutsideSuppliers {
				if o.Active {
					names = append(names, o.LinkName+":"+o.Name)
				}
			}
			outside = strings.Join(names, lang.Pick("；", "; "))
		}
		rev, share := unknown, unknown
		if x := l.Features[FRevenue]; x > 0 {
			rev = num(x)
		}
		if !strings.Contains(strings.Join(l.Unknown, ","), FLocalShare) {
			share = strconv.FormatFloat(100*l.Features[FLocalShare], 'f', 0, 64) + "%"
		}
		rows = append(rows, []string{strconv.Itoa(l.Rank), l.Name, l.CompanyID, yes(l.Declared, lang), yes(l.Suggested, lang),
			strconv.FormatFloat(l.Score, 'f', 3, 64), rev, num(l.Features[FLocalSuppliers]),
			num(l.Features[FSupplierLinks]), share, num(l.Features[FDownstreamReach]), outside,
			analysis.Join(l.Reasons, lang)})
	}
	return headers, rows
}

func yes(b bool, l analysis.Lang) string {
	if b {
		return l.Pick("是", "yes")
	}
	return ""
}

func num(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
