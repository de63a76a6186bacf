package relatedness

import (
	"strconv"
	"strings"
)

// Table renders the result for the CLI's table and xlsx formats: the 延链 candidates,
// most feasible first, then the links the region already specialises in.
func (r *Result) Table() ([]string, [][]string) {
	head := []string{"类别 kind", "环节 link", "产业链 chain", "本地规模 local " + r.Measure, "RCA",
		"可行性（关联密度）feasibility", "吸引力 attractiveness", "象限 quadrant", "相关优势环节 related strengths", "原因 reasons"}
	var rows [][]string
	for _, c := range r.Candidates {
		var rel, why []string
		for _, x := range c.Related {
			rel = append(rel, x.LinkName+" φ="+f2(x.Phi))
		}
		for _, x := range c.Reasons {
			why = append(why, x.ZH)
		}
		rows = append(rows, []string{"延链候选 candidate", c.LinkName, c.ChainName, num(c.Value), f2(c.RCA), f3(c.Density),
			f3(c.Attractiveness), c.QuadrantZH + " " + c.Quadrant, strings.Join(rel, "、"), strings.Join(why, "；")})
	}
	for _, s := range r.Specialised {
		rows = append(rows, []string{"已具优势 specialised", s.LinkName, s.ChainName, num(s.Value), f2(s.RCA), "", "", "",
			"", "RCA ≥ 1；" + strconv.Itoa(s.Ubiquity) + " 个同级地区具优势 / peers specialised"})
	}
	return head, rows
}

func f2(x float64) string  { return strconv.FormatFloat(x, 'f', 2, 64) }
func f3(x float64) string  { return strconv.FormatFloat(x, 'f', 3, 64) }
func num(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
