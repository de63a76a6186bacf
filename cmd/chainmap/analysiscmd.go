package main

import (
	"github.com/chainmap/chainmap/analysis/choke"
	"github.com/chainmap/chainmap/analysis/diagnose"
	"github.com/chainmap/chainmap/analysis/leaders"
	"github.com/chainmap/chainmap/analysis/relatedness"
	"github.com/chainmap/chainmap/analysis/snapshot"
	"github.com/chainmap/chainmap/analysis/targets"
	"github.com/chainmap/chainmap/graph"
	"github.com/spf13/cobra"
)

func newDiagnose(g *globals) *cobra.Command {
	var o outputFlags
	var region, chain string
	p := diagnose.DefaultParams()
	cmd := &cobra.Command{
		Use:   "diagnose --region CODE [--chain ID]",
		Short: "产业链诊断：强链/弱链/缺链/断链及原因 / diagnose each link: strong, weak, missing, broken, with reasons",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if region == "" {
				return usageError{"需要 --region / --region CODE is required"}
			}
			return g.runAnalysis(cmd, &o, func(s *snapshot.Snapshot) (tabular, error) {
				return diagnose.Diagnose(s, region, chain, p)
			})
		},
	}
	o.register(cmd)
	f := cmd.Flags()
	f.StringVar(&region, "region", "", "地区编码（城市或区县）/ region code (city or district)")
	f.StringVar(&chain, "chain", "", "产业链编号（默认全部）/ chain id (default: all)")
	f.IntVar(&p.WeakBelowFirms, "weak-below-firms", p.WeakBelowFirms, "本地企业少于此数为弱链 / fewer local firms than this is weak")
	f.Float64Var(&p.WeakAboveDependency, "weak-above-dependency", p.WeakAboveDependency, "外部依赖高于此比例为弱链 / outside share above this is weak")
	f.Float64Var(&p.MinDemandEvidence, "min-demand-evidence", p.MinDemandEvidence, "评估外部依赖所需的最少证据量（观察到的供应关系计 0.5–1，推断的计 0–0.5）/ least evidence to judge dependency (an observed tie weighs 0.5–1, an inferred one 0–0.5)")
	f.Float64Var(&p.StrongRevenueWan, "strong-revenue", p.StrongRevenueWan, "本地营收达到此值（万元）即具强链规模 / local revenue (万元) that is the scale of a strong link")
	return cmd
}

func newWhatIf(g *globals) *cobra.Command {
	var o outputFlags
	var region string
	var l diagnose.Landing
	cmd := &cobra.Command{
		Use:   "whatif --region CODE --link ID --district CODE [--company ID]",
		Short: "假设某企业在某板块落地某环节，诊断如何变化 / what if a firm opened a plant in a district in a link",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if region == "" || l.Link == "" || l.District == "" {
				return usageError{"需要 --region、--link、--district / --region, --link and --district are required"}
			}
			return g.runAnalysis(cmd, &o, func(s *snapshot.Snapshot) (tabular, error) {
				return diagnose.WhatIf(s, region, l, diagnose.DefaultParams())
			})
		},
	}
	o.register(cmd)
	f := cmd.Flags()
	f.StringVar(&region, "region", "", "诊断的地区 / region diagnosed")
	f.StringVar(&l.CompanyID, "company", "", "落地企业编号（空 = 新企业）/ landing company (empty: a new firm)")
	f.StringVar(&l.Link, "link", "", "环节编号 / link id")
	f.StringVar(&l.District, "district", "", "落地板块 / district it lands in")
	return cmd
}

func newTargets(g *globals) *cobra.Command {
	var o outputFlags
	var region, link string
	var tags []string
	p := targets.DefaultParams()
	cmd := &cobra.Command{
		Use:   "targets --region CODE --link ID [--limit N]",
		Short: "招商目标：可招引的区外企业及理由 / outside companies to invite into a link, with reasons",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if region == "" || link == "" {
				return usageError{"需要 --region 和 --link / --region and --link are required"}
			}
			for _, t := range tags {
				p.Tags = append(p.Tags, graph.Tag(t))
			}
			return g.runAnalysis(cmd, &o, func(s *snapshot.Snapshot) (tabular, error) {
				return targets.Rank(s, region, link, p)
			})
		},
	}
	o.register(cmd)
	f := cmd.Flags()
	f.StringVar(&region, "region", "", "本地地区编码 / home region code")
	f.StringVar(&link, "link", "", "环节编号 / link id")
	f.IntVar(&p.Limit, "limit", p.Limit, "返回数量 / how many targets")
	f.StringSliceVar(&tags, "tag", nil, "只保留有这些标签的企业（可重复）/ keep only firms with these tags (repeatable)")
	f.StringSliceVar(&p.Regions, "in", nil, "只保留位于这些地区的企业 / keep only firms located in these regions")
	f.Float64Var(&p.MinRevenueWan, "min-revenue", 0, "最低营收（万元）/ minimum revenue (万元)")
	f.BoolVar(&p.IncludeSameCity, "include-same-city", false, "区县招商时也列出本市其他区县的企业（标为市内转移）/ for a district, also list firms elsewhere in the same city (labelled a transfer within the city)")
	w := &p.Weights
	f.Float64Var(&w.PastTies, "w-past-ties", w.PastTies, "权重：历史合作 / weight: past ties")
	f.Float64Var(&w.TiesToLocal, "w-ties-to-local", w.TiesToLocal, "权重：向本地企业供货 / weight: supplies local firms")
	f.Float64Var(&w.TiesToLeaders, "w-ties-to-leaders", w.TiesToLeaders, "权重：向本地链主供货 / weight: supplies local leaders")
	f.Float64Var(&w.Affinity, "w-affinity", w.Affinity, "权重：地缘 / weight: regional affinity")
	f.Float64Var(&w.Strength, "w-strength", w.Strength, "权重：资质 / weight: credentials")
	return cmd
}

func newLeaders(g *globals) *cobra.Command {
	var o outputFlags
	var region, chain string
	p := leaders.DefaultParams()
	cmd := &cobra.Command{
		Use:   "leaders --region CODE --chain ID",
		Short: "链主识别与以商引商线索 / rank local chain leaders and list their outside suppliers",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if region == "" || chain == "" {
				return usageError{"需要 --region 和 --chain / --region and --chain are required"}
			}
			return g.runAnalysis(cmd, &o, func(s *snapshot.Snapshot) (tabular, error) {
				return leaders.Rank(s, region, chain, p)
			})
		},
	}
	o.register(cmd)
	cmd.Flags().StringVar(&region, "region", "", "地区编码 / region code")
	cmd.Flags().StringVar(&chain, "chain", "", "产业链编号 / chain id")
	cmd.Flags().IntVar(&p.Top, "top", p.Top, "列出排名前几的企业 / how many of the best-ranked firms to list")
	cmd.Flags().IntVar(&p.Suggest, "suggest", p.Suggest, "候选链主数量 / how many candidate leaders to suggest")
	return cmd
}

func newChokepoints(g *globals) *cobra.Command {
	var o outputFlags
	var region, chain, remove string
	cmd := &cobra.Command{
		Use:   "chokepoints --region CODE [--chain ID] [--remove COMPANY]",
		Short: "卡脖子环节与关键企业；--remove 模拟某企业退出 / choke points; --remove simulates a firm leaving",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.validate(); err != nil {
				return err
			}
			if region == "" {
				return usageError{"需要 --region / --region is required"}
			}
			s, err := g.snapshot(cmd, o.asOf)
			if err != nil {
				return err
			}
			if remove != "" {
				res, err := choke.Remove(s, region, remove)
				if err != nil {
					return err
				}
				return o.render(cmd.OutOrStdout(), res)
			}
			res, err := choke.Find(s, region, chain, choke.DefaultParams())
			if err != nil {
				return err
			}
			return o.render(cmd.OutOrStdout(), res)
		},
	}
	o.register(cmd)
	cmd.Flags().StringVar(&region, "region", "", "地区编码 / region code")
	cmd.Flags().StringVar(&chain, "chain", "", "产业链编号（默认全部）/ chain id (default: all)")
	cmd.Flags().StringVar(&remove, "remove", "", "模拟退出的企业编号 / company whose exit to simulate")
	return cmd
}

func newExtend(g *globals) *cobra.Command {
	var o outputFlags
	var region string
	p := relatedness.DefaultParams()
	cmd := &cobra.Command{
		Use:   "extend --region CODE [--measure firms|revenue] [--limit N]",
		Short: "延链：本地可发展的相邻环节（可行性 × 吸引力）/ links the region could grow into (feasibility × attractiveness)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if region == "" {
				return usageError{"需要 --region / --region is required"}
			}
			return g.runAnalysis(cmd, &o, func(s *snapshot.Snapshot) (tabular, error) {
				return relatedness.Extend(s, region, p)
			})
		},
	}
	o.register(cmd)
	cmd.Flags().StringVar(&region, "region", "", "地区编码 / region code")
	cmd.Flags().StringVar(&p.Measure, "measure", p.Measure, "专业化度量 firms|revenue / specialisation measure")
	cmd.Flags().IntVar(&p.Limit, "limit", 0, "候选数量（0 = 全部）/ candidates shown (0 = all)")
	return cmd
}
