package main

import (
	"fmt"
	"strings"

	"github.com/chainmap/chainmap/analysis/backtest"
	"github.com/chainmap/chainmap/analysis/community"
	"github.com/chainmap/chainmap/analysis/derive"
	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/graph/interchange"
	"github.com/chainmap/chainmap/graph/productkg"
	"github.com/spf13/cobra"
)

func newBacktest() *cobra.Command {
	var o outputFlags
	var train, test, snapshots, dates string
	cmd := &cobra.Command{
		Use:   "backtest --snapshots S0.csv,S1.csv,…,Sn.csv | --train OLDEST.csv,…,T0.csv --test T1.csv",
		Short: "回测招商目标评分：预测新增供应关系（AUC、命中率、MRR）/ backtest the target scorer on new supply ties",
		Long: `以较早的供应关系快照（supplier,customer 两列）预测后一期新增的关系，对比 chainmap 模型、招商目标综合评分与常见基线。
--snapshots 按时间从早到晚列出全部快照：逐期滚动回测，每一期的模型只用该期之前结束的各期拟合，从不看到检验期；
--train/--test 只回测一期（--train 从早到晚，最后一个为 T0）。快照日期取自文件名（…YYYY_MM_DD…）或 --dates，
顺序不对即报错。

Predicts the supplier→customer ties new in the next snapshot from earlier snapshots
(supplier,customer rows) and compares chainmap's model, the targets composite and the
baselines on three protocols. --snapshots lists every snapshot oldest first: a
rolling-origin evaluation, each period scored by a model fitted only on periods that
end before it. --train/--test scores one period (--train oldest first, T0 last).
Dates come from the file names (…YYYY_MM_DD…) or --dates; out of order is an error.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.validate(); err != nil {
				return err
			}
			var ds []string
			if dates != "" {
				ds = strings.Split(dates, ",")
			}
			if snapshots != "" {
				if train != "" || test != "" {
					return usageError{"--snapshots 与 --train/--test 不能同时使用 / use either --snapshots or --train/--test"}
				}
				rep, err := backtest.Rolling(strings.Split(snapshots, ","), ds, backtest.Params{})
				if err != nil {
					return err
				}
				return o.render(cmd.OutOrStdout(), rep)
			}
			if train == "" || test == "" {
				return usageError{"需要 --snapshots，或 --train 和 --test / --snapshots, or --train and --test, are required"}
			}
			files := append(strings.Split(train, ","), test)
			if _, err := backtest.SnapshotDates(files, ds); err != nil {
				return err
			}
			rep, err := backtest.Run(files[:len(files)-1], test, backtest.Params{})
			if err != nil {
				return err
			}
			return o.render(cmd.OutOrStdout(), rep)
		},
	}
	o.register(cmd)
	cmd.Flags().StringVar(&snapshots, "snapshots", "", "全部快照，逗号分隔，从早到晚：滚动回测 / every snapshot, comma-separated, oldest first: rolling-origin evaluation")
	cmd.Flags().StringVar(&train, "train", "", "训练期快照，逗号分隔，从早到晚（最后一个为 T0）/ training snapshots, comma-separated, oldest first (T0 last)")
	cmd.Flags().StringVar(&test, "test", "", "检验期快照 / the test snapshot")
	cmd.Flags().StringVar(&dates, "dates", "", "各快照日期 YYYY-MM-DD，逗号分隔（默认取自文件名）/ each snapshot's date, comma-separated (default: from the file names)")
	return cmd
}

func newChain() *cobra.Command {
	root := &cobra.Command{Use: "chain", Short: "产业链构建 / building chains"}
	var o outputFlags
	var kgDir, product, save string
	var depth int
	var opts derive.Options
	cmd := &cobra.Command{
		Use:   "derive --kg DIR --root PRODUCT --depth N [--save workbook.xlsx]",
		Short: "由产品知识图谱自动生成产业链（含数据清洗报告）/ derive a chain from a product knowledge graph, with a cleaning report",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.validate(); err != nil {
				return err
			}
			if kgDir == "" || product == "" {
				return usageError{"需要 --kg 和 --root / --kg and --root are required"}
			}
			kg, cleaning, err := productkg.Load(kgDir)
			if err != nil {
				return err
			}
			res, err := derive.Chain(kg, product, depth, opts)
			if err != nil {
				return err
			}
			if o.format == "table" {
				fmt.Fprintln(cmd.ErrOrStderr(), "数据清洗 / cleaning report:")
				head, rows := cleaning.Table()
				(&outputFlags{format: "table"}).render(cmd.ErrOrStderr(), staticTable{head, rows})
				fmt.Fprintln(cmd.ErrOrStderr())
			}
			if save != "" {
				if err := interchange.Write(cmd.Context(), graphReader(res), save, interchange.WriteOptions{}); err != nil {
					return err
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "已保存，可用 chainmap import 导入 / saved; import it with chainmap import: %s\n", save)
			}
			return o.render(cmd.OutOrStdout(), res)
		},
	}
	o.register(cmd)
	f := cmd.Flags()
	f.StringVar(&kgDir, "kg", "", "产品知识图谱目录 / product knowledge graph folder")
	f.StringVar(&product, "root", "", "根产品名称 / root product")
	f.IntVar(&depth, "depth", 2, "上游材料层数 / levels of upstream materials")
	f.BoolVar(&opts.NoSubProducts, "no-sub-products", false, "不合并产品小类 / do not merge sub-products into product groups")
	f.IntVar(&opts.MaxLinks, "max-links", 0, "环节数上限（0 = 默认 200）/ at most this many links")
	f.StringVar(&save, "save", "", "把生成的产业链写成交换格式（.xlsx 或文件夹）/ write the derived chain in the interchange format")
	root.AddCommand(cmd)
	return root
}

func newCommunities(g *globals) *cobra.Command {
	var o outputFlags
	var p community.Params
	cmd := &cobra.Command{
		Use:   "communities [--resolution 1]",
		Short: "供应网络社区发现（Leiden，可选 Louvain），并与已声明的产业链对照 / supply-network communities (Leiden, or Louvain) against the declared chains",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.validate(); err != nil {
				return err
			}
			s, err := g.snapshot(cmd, o.asOf)
			if err != nil {
				return err
			}
			if p.Method != community.Leiden && p.Method != community.LouvainMethod {
				return usageError{fmt.Sprintf("--method %q：应为 leiden 或 louvain / must be leiden or louvain", p.Method)}
			}
			r, err := community.Louvain(s, p)
			if err != nil {
				return err
			}
			if o.format == "table" {
				if o.lang() == "en" {
					fmt.Fprintf(cmd.OutOrStdout(), "modularity %.4f, %d communities\n", r.Modularity, len(r.Communities))
				} else {
					fmt.Fprintf(cmd.OutOrStdout(), "模块度 modularity %.4f，社区 %d 个 communities\n", r.Modularity, len(r.Communities))
				}
			}
			return o.render(cmd.OutOrStdout(), community.NewReport(s, r, p))
		},
	}
	o.register(cmd)
	cmd.Flags().Float64Var(&p.Resolution, "resolution", 1, "分辨率 γ（越大社区越小）/ resolution γ (larger: smaller communities)")
	cmd.Flags().Uint64Var(&p.Seed, "seed", 1, "随机种子 / seed")
	cmd.Flags().StringVar(&p.Method, "method", community.Leiden, "算法 leiden|louvain / method")
	return cmd
}

// staticTable renders fixed rows.
type staticTable struct {
	head []string
	rows [][]string
}

func (t staticTable) Table() ([]string, [][]string) { return t.head, t.rows }

// graphReader serves a derived chain's dataset for export.
func graphReader(r *derive.Result) graph.Reader { return graph.DatasetReader{Data: r.Dataset} }
