package api

import (
	"strconv"
	"time"

	"github.com/chainmap/chainmap/analysis/choke"
	"github.com/chainmap/chainmap/analysis/community"
	"github.com/chainmap/chainmap/analysis/diagnose"
	"github.com/chainmap/chainmap/analysis/kpi"
	"github.com/chainmap/chainmap/analysis/leaders"
	"github.com/chainmap/chainmap/analysis/relatedness"
	"github.com/chainmap/chainmap/analysis/snapshot"
	"github.com/chainmap/chainmap/analysis/targets"
	"github.com/chainmap/chainmap/graph"
	"github.com/gin-gonic/gin"
)

// The analysis endpoints return exactly the JSON the CLI prints with --format json.

// analysis runs an analysis on the snapshot (or its view at ?as_of) through the
// result cache, timing it for the metrics.
func (s *Server) analysis(c *gin.Context, name string, required []string, run func(snap *snapshot.Snapshot) (any, error)) {
	for _, q := range required {
		if c.Query(q) == "" {
			problem(c, "bad_request", "缺少参数 "+q, "missing query parameter "+q)
			return
		}
	}
	var asOf graph.Date
	if v := c.Query("as_of"); v != "" {
		d, ok := graph.ParseDate(v)
		if !ok || d == "" {
			problem(c, "bad_request", "as_of 不是有效日期", "as_of is not a valid date")
			return
		}
		asOf = d
	}
	s.fromSnapshot(c, func(snap *snapshot.Snapshot) (any, error) {
		if asOf != "" {
			snap = snap.At(asOf)
		}
		start := time.Now()
		defer func() { s.metrics.analysis(name, time.Since(start)) }()
		return run(snap)
	})
}

func (s *Server) diagnosis(c *gin.Context) {
	s.analysis(c, "diagnosis", []string{"region"}, func(snap *snapshot.Snapshot) (any, error) {
		return diagnose.Diagnose(snap, c.Query("region"), c.Query("chain"), diagnose.DefaultParams())
	})
}

func (s *Server) targets(c *gin.Context) {
	p := targets.DefaultParams()
	if v := c.Query("limit"); v != "" {
		n, err := parsePositive(v)
		if err != nil || n > MaxPageSize {
			problem(c, "bad_request", "limit 应为 1–500 的整数", "limit must be a whole number from 1 to 500")
			return
		}
		p.Limit = n
	}
	if v := c.Query("min_revenue"); v != "" {
		// Numbers as imports read them: strconv accepted NaN (which no firm is
		// below, so the filter vanished), Inf, 0x1p4 and 1_000.
		f, ok := graph.ParseNumber(v)
		if !ok || f < 0 {
			problem(c, "bad_request", "min_revenue 应为非负数", "min_revenue must be a non-negative number")
			return
		}
		p.MinRevenueWan = f
	}
	for _, t := range c.QueryArray("tag") {
		p.Tags = append(p.Tags, graph.Tag(t))
	}
	p.Regions = c.QueryArray("in")
	if v := c.Query("include_same_city"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			problem(c, "bad_request", "include_same_city 应为 true 或 false", "include_same_city must be true or false")
			return
		}
		p.IncludeSameCity = b
	}
	s.analysis(c, "targets", []string{"region", "link"}, func(snap *snapshot.Snapshot) (any, error) {
		return targets.Rank(snap, c.Query("region"), c.Query("link"), p)
	})
}

func (s *Server) leaders(c *gin.Context) {
	s.analysis(c, "leaders", []string{"region", "chain"}, func(snap *snapshot.Snapshot) (any, error) {
		return leaders.Rank(snap, c.Query("region"), c.Query("chain"), leaders.DefaultParams())
	})
}

func (s *Server) chokepoints(c *gin.Context) {
	s.analysis(c, "chokepoints", []string{"region"}, func(snap *snapshot.Snapshot) (any, error) {
		return choke.Find(snap, c.Query("region"), c.Query("chain"), choke.DefaultParams())
	})
}

func (s *Server) removal(c *gin.Context) {
	s.analysis(c, "removal", []string{"region", "company"}, func(snap *snapshot.Snapshot) (any, error) {
		return choke.Remove(snap, c.Query("region"), c.Query("company"))
	})
}

func (s *Server) whatif(c *gin.Context) {
	s.analysis(c, "whatif", []string{"region", "link", "district"}, func(snap *snapshot.Snapshot) (any, error) {
		return diagnose.WhatIf(snap, c.Query("region"), diagnose.Landing{CompanyID: c.Query("company"),
			Link: c.Query("link"), District: c.Query("district")}, diagnose.DefaultParams())
	})
}

func (s *Server) extend(c *gin.Context) {
	p := relatedness.DefaultParams()
	if v := c.Query("measure"); v != "" {
		p.Measure = v
	}
	if v := c.Query("limit"); v != "" {
		n, err := parsePositive(v)
		if err != nil {
			problem(c, "bad_request", "limit 应为正整数", "limit must be a positive integer")
			return
		}
		p.Limit = n
	}
	s.analysis(c, "extend", []string{"region"}, func(snap *snapshot.Snapshot) (any, error) {
		return relatedness.Extend(snap, c.Query("region"), p)
	})
}

func (s *Server) communities(c *gin.Context) {
	p := community.Params{Resolution: 1, Seed: 1, Method: community.Leiden}
	if v := c.Query("method"); v != "" {
		if v != community.Leiden && v != community.LouvainMethod {
			problem(c, "bad_request", "method 应为 leiden 或 louvain", "method must be leiden or louvain")
			return
		}
		p.Method = v
	}
	if v := c.Query("resolution"); v != "" {
		f, ok := graph.ParseNumber(v)
		if !ok || !(f > 0) || f > 100 {
			problem(c, "bad_request", "resolution 应为 0 到 100 之间的正数", "resolution must be a positive number up to 100")
			return
		}
		p.Resolution = f
	}
	if v := c.Query("seed"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			problem(c, "bad_request", "seed 应为非负整数", "seed must be a non-negative whole number")
			return
		}
		p.Seed = n
	}
	s.analysis(c, "communities", nil, func(snap *snapshot.Snapshot) (any, error) {
		r, err := community.Louvain(snap, p)
		if err != nil {
			return nil, err
		}
		return community.NewReport(snap, r, p), nil
	})
}

func (s *Server) kpi(c *gin.Context) {
	f, p := kpi.DefaultFilter(), kpi.DefaultParams()
	var ok bool
	if f.From, ok = graph.ParseDate(c.Query("from")); !ok {
		problem(c, "bad_request", "from 不是有效日期", "from is not a valid date")
		return
	}
	if f.To, ok = graph.ParseDate(c.Query("to")); !ok {
		problem(c, "bad_request", "to 不是有效日期", "to is not a valid date")
		return
	}
	f.District, f.Chain, f.Cluster, f.Source, f.Foreign = c.Query("district"), c.Query("chain"), c.Query("cluster"), c.Query("source"), c.Query("foreign")
	// Amounts in 亿元 as imports read them: NaN, Inf, 0x… and 1,5 are refused (NaN
	// was accepted and became −9223372036854775808 万元).
	if v := c.Query("min_investment"); v != "" {
		wan, ok := graph.ParseYi(v)
		if !ok || wan < 0 {
			problem(c, "bad_request", "min_investment 应为非负数（亿元，最多 4 位小数）",
				"min_investment must be a non-negative amount in 亿元 with at most four decimals")
			return
		}
		f.MinInvestmentWan = wan
	}
	if v := c.Query("plan"); v != "" {
		x, ok := graph.ParseNumber(v)
		if !ok || x < 0 || x > graph.MaxInvestmentWan {
			problem(c, "bad_request", "plan 应为非负数（亿元）", "plan must be a non-negative number (亿元)")
			return
		}
		p.PlanYi = x
	}
	p.AsOf, _ = graph.ParseDate(c.Query("as_of")) // validated by s.analysis
	s.analysis(c, "kpi", []string{"from", "to"}, func(snap *snapshot.Snapshot) (any, error) {
		return kpi.Compute(snap, f, p)
	})
}

func parsePositive(v string) (int, error) {
	n, err := strconv.Atoi(v)
	if err == nil && n < 1 {
		err = strconv.ErrRange
	}
	return n, err
}
