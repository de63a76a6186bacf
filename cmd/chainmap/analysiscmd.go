package main

import (
	"github.com/chainmap/chainmap/analysis/diagnose"
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
			if err := o.validate(); err != nil {
				return err
			}
			if region == "" {
				return usageError{"需要 --region / --region CODE is required"}
			}
			s, err := g.snapshot(cmd, o.asOf)
			if err != nil {
				return err
			}
			res, err := diagnose.Diagnose(s, region, chain, p)
			if err != nil {
				return err
			}
			return o.render(cmd.OutOrStdout(), res)
		},
	}
	o.register(cmd)
	f := cmd.Flags()
	f.StringVar(&region, "region", "", "地区编码（城市或区县）/ region code (city or district)")
	f.StringVar(&chain, "chain", "", "产业链编号（默认全部）/ chain id (default: all)")
	f.IntVar(&p.WeakBelowFirms, "weak-below-firms", p.WeakBelowFirms, "本地企业少于此数为弱链 / fewer local firms than this is weak")
	f.Float64Var(&p.WeakAboveDependency, "weak-above-dependency", p.WeakAboveDependency, "外部依赖高于此比例为弱链 / outside share above this is weak")
	f.IntVar(&p.MinDemandTies, "min-demand-ties", p.MinDemandTies, "评估外部依赖所需的最少采购关系数 / least ties to judge dependency")
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
			if err := o.validate(); err != nil {
				return err
			}
			if region == "" || l.Link == "" || l.District == "" {
				return usageError{"需要 --region、--link、--district / --region, --link and --district are required"}
			}
			s, err := g.snapshot(cmd, o.asOf)
			if err != nil {
				return err
			}
			res, err := diagnose.WhatIf(s, region, l, diagnose.DefaultParams())
			if err != nil {
				return err
			}
			return o.render(cmd.OutOrStdout(), res)
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
