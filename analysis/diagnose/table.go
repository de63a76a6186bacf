package diagnose

import (
	"strconv"
	"strings"
)

var statusZH = map[Status]string{Strong: "强链", Weak: "弱链", Missing: "缺链", Broken: "断链"}

// Table renders the diagnosis as rows for the CLI's table and xlsx formats.
func (r *Result) Table() ([]string, [][]string) {
	head := []string{"产业链 chain", "完整度 completeness", "环节 link", "层级 tier", "状态 status", "本地企业 local firms",
		"外部依赖 dependency", "重要性 importance", "补链优先级 priority", "原因 reasons"}
	var rows [][]string
	for _, c := range r.Chains {
		for _, l := range c.Links {
			var why []string
			for _, x := range l.Reasons {
				why = append(why, x.ZH)
			}
			rows = append(rows, []string{c.ChainName, pct(c.Completeness), l.LinkName, string(l.Tier),
				statusZH[l.Status] + " " + string(l.Status), strconv.Itoa(l.LocalCompanies), pct(l.ExternalDependency),
				f3(l.Importance), f3(l.Priority), strings.Join(why, "；")})
		}
	}
	return head, rows
}

// Table renders a what-if as the changed links.
func (w *WhatIfResult) Table() ([]string, [][]string) {
	head := []string{"环节 link", "之前 before", "之后 after", "原因 reasons"}
	rows := [][]string{{"完整度 completeness", pct(w.CompletenessBefore), pct(w.CompletenessAfter), ""}}
	for _, c := range w.Changes {
		var why []string
		for _, x := range c.Reasons {
			why = append(why, x.ZH)
		}
		rows = append(rows, []string{c.LinkName, statusZH[c.From] + " " + string(c.From), statusZH[c.To] + " " + string(c.To),
			strings.Join(why, "；")})
	}
	return head, rows
}

func pct(x float64) string { return strconv.FormatFloat(100*x, 'f', 1, 64) + "%" }
func f3(x float64) string  { return strconv.FormatFloat(x, 'f', 3, 64) }
