package derive

import (
	"strconv"
	"strings"
)

// TopCompanies is how many companies a table row names.
const TopCompanies = 3

var tierZH = map[string]string{"upstream": "上游", "midstream": "中游", "downstream": "下游"}

// Table renders the chain as rows for the CLI's table and xlsx formats, one row per
// link in breadth-first order, then one row per cycle broken.
func (r *Result) Table() (headers []string, rows [][]string) {
	headers = []string{"层级 level", "环节 link", "编号 id", "位置 tier", "产品组 group", "投入 inputs",
		"企业数 companies", "主要企业 top companies"}
	name := map[string]string{}
	for _, n := range r.Nodes {
		name[n.LinkID] = n.Name
	}
	for _, n := range r.Nodes {
		var in, top []string
		for _, id := range n.Inputs {
			in = append(in, name[id])
		}
		for _, c := range n.Companies[:min(TopCompanies, len(n.Companies))] {
			top = append(top, c.Name+" "+strconv.FormatFloat(c.Share*100, 'f', 1, 64)+"%")
		}
		rows = append(rows, []string{strconv.Itoa(n.Level), n.Name, n.LinkID, tierZH[string(n.Tier)] + " " + string(n.Tier),
			group(n.Group), strings.Join(in, "、"), strconv.Itoa(len(n.Companies)), strings.Join(top, "；")})
	}
	for _, c := range r.Cycles {
		rows = append(rows, []string{"", "断开的环 cycle broken", "", "", "", c, "", ""})
	}
	return headers, rows
}

// groupShown is how many members of a product group a table row names.
const groupShown = 5

func group(g []string) string {
	if len(g) <= groupShown {
		return strings.Join(g, "、")
	}
	return strings.Join(g[:groupShown], "、") + " … (" + strconv.Itoa(len(g)) + ")"
}
