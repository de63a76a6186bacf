package main

import (
	"fmt"

	"github.com/chainmap/chainmap/graph/interchange"
	"github.com/chainmap/chainmap/seed/synthetic"
	"github.com/spf13/cobra"
)

func newGenerate() *cobra.Command {
	var cfg synthetic.Config
	var out string
	cmd := &cobra.Command{
		Use:   "generate --companies N --supplies M --out PATH",
		Short: "生成合成生态数据（用于测试与基准）/ write a synthetic ecosystem in the interchange format",
		Long: `生成确定性的合成产业链生态（同一 --seed 结果相同），以交换格式写出，可直接 import。

Writes a deterministic synthetic ecosystem (same --seed, same data) in the interchange
format, streaming, so large sizes fit in memory.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return usageError{"需要 --out 路径 / --out PATH is required"}
			}
			eco, err := synthetic.New(cfg)
			if err != nil {
				return usageError{err.Error()}
			}
			bar := newProgress("生成 generating")
			err = interchange.Write(cmd.Context(), eco, out, interchange.WriteOptions{Progress: func(d int) { bar.update(d, 0) }})
			bar.done()
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "已生成 / written: %s\n", out)
			return nil
		},
	}
	f := cmd.Flags()
	f.IntVar(&cfg.Companies, "companies", 10_000, "企业数 / companies")
	f.IntVar(&cfg.Supplies, "supplies", 100_000, "供应关系数 / supply ties")
	f.IntVar(&cfg.Regions, "regions", 60, "城市数 / city-level regions")
	f.IntVar(&cfg.Chains, "chains", 8, "产业链数 / chains")
	f.IntVar(&cfg.Projects, "projects", 0, "项目数（0 = 企业数/100，负数 = 无）/ projects (0 = companies/100, negative = none)")
	f.Uint64Var(&cfg.Seed, "seed", 1, "随机种子 / seed")
	f.StringVar(&out, "out", "", "输出：.xlsx 或文件夹 / output: .xlsx or a folder of .csv")
	return cmd
}
