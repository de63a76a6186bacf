package choke

import (
	"strconv"
	"strings"

	"github.com/chainmap/chainmap/analysis"
)

var kindZH = map[string]string{SingleSupplier: "单一供应商", SingleRegion: "单一来源地", Articulation: "关键节点企业", Bridge: "关键供货关系"}

// Table renders the findings as rows for the CLI's table and xlsx formats: single
// sources, then articulation points, then bridges.
func (r *Result) Table() (headers []string, rows [][]string) {
	headers = []string{"类型 kind", "产业链 chain", "环节 link", "企业 company", "地区 region", "影响企业 affected",
		"占比 share", "理由 reasons"}
	for _, f := range r.SingleSources {
		firm := f.SupplierName
		if f.Kind == SingleRegion {
			firm = strconv.Itoa(f.Suppliers) + " 家 suppliers"
		}
		rows = append(rows, []string{kind(f.Kind), f.ChainName, f.LinkName, firm, f.RegionName,
			strconv.Itoa(len(f.Customers)), pct(f.Share), zh(f.Reasons)})
	}
	for _, f := range r.ArticulationPoints {
		rows = append(rows, []string{kind(Articulation), r.ChainName, "", f.Name, f.RegionName, strconv.Itoa(f.Cut), "",
			zh(f.Reasons)})
	}
	for _, f := range r.Bridges {
		rows = append(rows, []string{kind(Bridge), r.ChainName, strings.Join(f.Links, ","), f.A.Name + " — " + f.B.Name, "",
			strconv.Itoa(f.Cut), "", zh(f.Reasons)})
	}
	return headers, rows
}

// Table renders a removal as the stranded inputs, then the lost links.
func (m *Removal) Table() (headers []string, rows [][]string) {
	headers = []string{"类型 kind", "企业 company", "环节 link", "金额(万元) amount", "理由 reasons"}
	for _, x := range m.Stranded {
		rows = append(rows, []string{"断供 stranded", x.CustomerName, x.LinkName, strconv.FormatFloat(x.AmountWan, 'f', -1, 64),
			zh(x.Reasons)})
	}
	for _, x := range m.LostLinks {
		rows = append(rows, []string{"缺链 lost link", m.Name, x.LinkName, "", zh(x.Reasons)})
	}
	return headers, rows
}

func kind(k string) string { return kindZH[k] + " " + k }

func pct(x float64) string { return strconv.FormatFloat(x*100, 'f', 0, 64) + "%" }

func zh(rs []analysis.Reason) string {
	var s []string
	for _, r := range rs {
		s = append(s, r.ZH)
	}
	return strings.Join(s, "；")
}
