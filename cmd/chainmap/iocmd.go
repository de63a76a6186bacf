package main

import (
	wio "github.com/chainmap/chainmap/analysis/io"
	"github.com/spf13/cobra"
)

func newIO() *cobra.Command {
	root := &cobra.Command{Use: "io", Short: "投入产出表分析 / input–output table analyses"}
	var o outputFlags
	var inter, final, output, collapse string
	cmd := &cobra.Command{
		Use:   "upstreamness --inter Z.csv[.gz] --final F.csv[.gz] --output Y.csv [--collapse country|industry]",
		Short: "上游度、下游度、最终使用与增加值占比（Antràs–Chor 2018），据此建议环节层级 / upstreamness, downstreamness, F/GO and VA/GO (Antràs & Chor 2018), with suggested tiers",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.validate(); err != nil {
				return err
			}
			if inter == "" || final == "" || output == "" {
				return usageError{"需要 --inter、--final、--output / --inter, --final and --output are required"}
			}
			res, err := wio.Compute(inter, final, output, collapse)
			if err != nil {
				return err
			}
			return o.render(cmd.OutOrStdout(), res)
		},
	}
	o.register(cmd)
	f := cmd.Flags()
	f.StringVar(&inter, "inter", "", "中间使用表（from,to,value）/ intermediate use (long format)")
	f.StringVar(&final, "final", "", "最终使用表（含存货 INVEN 列）/ final use, with the INVEN columns")
	f.StringVar(&output, "output", "", "总产出 / gross output")
	f.StringVar(&collapse, "collapse", "", "country：先把表汇总为国家×国家表再计算（同 Antràs–Chor 表 1）；industry：各国该行业按总产出加权平均 / "+
		"country: aggregate the table to country × country first, then compute (as Antràs & Chor Table 1); industry: output-weighted means over countries")
	root.AddCommand(cmd)
	return root
}
