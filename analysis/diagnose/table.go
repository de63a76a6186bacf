package diagnose

import (
	"strconv"

	"github.com/chainmap/chainmap/analysis"
)

var statusZH = map[Status]string{Strong: "强链", Weak: "弱链", Missing: "缺链", Broken: "断链"}

func statusIn(st Status, l analysis.Lang) string {
	if l == analysis.EN {
		return string(st)
	}
	return statusZH[st] + " " + string(st)
}

// Table renders the diagnosis as rows for the CLI's table and xlsx formats.
func (r *Result) Table() ([]string, [][]string) { return r.TableIn(analysis.ZH) }

// TableIn renders the diagnosis in language l.
func (r *Result) TableIn(l analysis.Lang) ([]string, [][]string) {
	head := []string{l.Head("产业链", "chain"), l.Head("完整度", "completeness"), l.Head("环节", "link"),
		l.Head("层级", "tier"), l.Head("状态", "status"), l.Head("本地企业", "local firms"),
		l.Head("外部依赖", "dependency"), l.Head("重要性", "importance"), l.Head("补链优先级", "priority"),
		l.Head("原因", "reasons")}
	var rows [][]string
	for _, c := range r.Chains {
		chain := c.ChainName
		if l == analysis.EN && c.ChainEN != "" {
			chain = c.ChainEN
		}
		for _, k := range c.Links {
			name := k.LinkName
			if l == analysis.EN && k.LinkEN != "" {
				name = k.LinkEN
			}
			rows = append(rows, []string{chain, pct(c.Completeness), name, analysis.TierName(string(k.Tier), l),
				statusIn(k.Status, l), strconv.Itoa(k.LocalCompanies), dependencyIn(k.ExternalDependency, l),
				f3(k.Importance), f3(k.Priority), analysis.Join(k.Reasons, l)})
		}
	}
	return head, rows
}

// Table renders a what-if as the changed links.
func (w *WhatIfResult) Table() ([]string, [][]string) { return w.TableIn(analysis.ZH) }

// TableIn renders a what-if in language l.
func (w *WhatIfResult) TableIn(l analysis.Lang) ([]string, [][]string) {
	head := []string{l.Head("环节", "link"), l.Head("之前", "before"), l.Head("之后", "after"), l.Head("原因", "reasons")}
	rows := [][]string{{l.Head("完整度", "completeness"), pct(w.CompletenessBefore), pct(w.CompletenessAfter), ""}}
	for _, c := range w.Changes {
		rows = append(rows, []string{c.LinkName, statusIn(c.From, l), statusIn(c.To, l), analysis.Join(c.Reasons, l)})
	}
	return head, rows
}

// dependencyIn shows a dependency, or that it is unknown: never 0 for no data.
func dependencyIn(x *float64, l analysis.Lang) string {
	if x == nil {
		return l.Pick("数据不足", "unknown")
	}
	return pct(*x)
}

func pct(x float64) string { return strconv.FormatFloat(100*x, 'f', 1, 64) + "%" }
func f3(x float64) string  { return strconv.FormatFloat(x, 'f', 3, 64) }
