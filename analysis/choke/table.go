package choke

import (
	"strconv"
	"strings"

	"github.com/chainmap/chainmap/analysis"
)

var kindZH = map[string]string{SingleSupplier: "单一供应商", Concentrated: "外购集中", Articulation: "关键节点企业", Bridge: "关键供货关系"}

// Table renders the findings as rows for the CLI's table and xlsx formats: single
// sources and concentrated supply, then articulation points, then bridges.
func (r *Result) Table() (headers []string, rows [][]string) { return r.TableIn(analysis.ZH) }

// TableIn renders the findings in language l.
func (r *Result) TableIn(l analysis.Lang) (headers []string, rows [][]string) {
	headers = []string{l.Head("类型", "kind"), l.Head("产业链", "chain"), l.Head("环节", "link"), l.Head("企业", "company"),
		l.Head("地区", "region"), l.Head("影响企业", "affected"), l.Head("占比", "share"), l.Head("理由", "reasons")}
	for _, f := range r.SingleSources {
		firm := f.SupplierName
		if f.Kind == Concentrated {
			firm = strconv.Itoa(f.Suppliers) + l.Pick(" 家外地供应商", " outside suppliers")
		}
		rows = append(rows, []string{kind(f.Kind, l), f.ChainName, f.LinkName, firm, f.RegionName,
			strconv.Itoa(len(f.Customers)), pct(f.Share), analysis.Join(f.Reasons, l)})
	}
	for _, f := range r.ArticulationPoints {
		rows = append(rows, []string{kind(Articulation, l), r.ChainName, "", f.Name, f.RegionName, strconv.Itoa(f.Cut), "",
			analysis.Join(f.Reasons, l)})
	}
	for _, f := range r.Bridges {
		rows = append(rows, []string{kind(Bridge, l), r.ChainName, strings.Join(f.Links, ","), f.A.Name + " — " + f.B.Name, "",
			strconv.Itoa(f.Cut), "", analysis.Join(f.Reasons, l)})
	}
	return headers, rows
}

// Table renders a removal as the stranded inputs, the suppliers losing an anchor
// customer, then the lost links.
func (m *Removal) Table() (headers []string, rows [][]string) { return m.TableIn(analysis.ZH) }

// TableIn renders a removal in language l.
func (m *Removal) TableIn(l analysis.Lang) (headers []string, rows [][]string) {
	headers = []string{l.Head("类型", "kind"), l.Head("企业", "company"), l.Head("环节", "link"),
		l.Head("金额(万元)/占比", "amount (10k yuan) / share"), l.Head("理由", "reasons")}
	for _, x := range m.Stranded {
		rows = append(rows, []string{l.Head("断供", "stranded"), x.CustomerName, x.LinkName,
			strconv.FormatFloat(x.AmountWan, 'f', -1, 64), analysis.Join(x.Reasons, l)})
	}
	for _, x := range m.AnchorLost {
		rows = append(rows, []string{l.Head("失去主要客户", "anchor customer lost"), x.SupplierName, strings.Join(x.Links, ","),
			pct(x.Share), analysis.Join(x.Reasons, l)})
	}
	for _, x := range m.LostLinks {
		rows = append(rows, []string{l.Head("缺链", "lost link"), m.Name, x.LinkName, "", analysis.Join(x.Reasons, l)})
	}
	return headers, rows
}

func kind(k string, l analysis.Lang) string { return l.Head(kindZH[k], k) }

func pct(x float64) string { return strconv.FormatFloat(x*100, 'f', 0, 64) + "%" }
