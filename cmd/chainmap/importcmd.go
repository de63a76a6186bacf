package main

import (
	"errors"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/graph/interchange"
	"github.com/spf13/cobra"
)

func newImport(g *globals) *cobra.Command {
	var dryRun bool
	cmd := &cobra.Command{
		Use:   "import PATH",
		Short: "导入工作簿或 CSV 文件夹（全部正确才写入）/ import a workbook or CSV folder, all or nothing",
		Long: `导入 .xlsx 工作簿（每张表一个工作表）或 .csv 文件夹（文件以表名命名）。
先检查全部数据并一次性列出所有错误（表、行、列、值、原因）；有任何错误则不写入任何数据。
重复导入相同数据不会产生任何变化。

Imports an .xlsx workbook (one sheet per table) or a folder of .csv files. Everything is
checked first and every problem is listed at once; with any problem nothing is written.`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			ds, origin, err := interchange.Read(ctx, args[0])
			if err != nil {
				return err
			}
			store, err := g.open(ctx)
			if err != nil {
				return err
			}
			defer store.Close()
			bar := newProgress("导入 importing")
			res, err := store.Import(ctx, ds, graph.ImportOptions{DryRun: dryRun, Origin: origin, Progress: bar.update})
			bar.done()
			var verr *graph.ValidationError
			if errors.As(err, &verr) {
				printProblems(cmd.ErrOrStderr(), g.lang, verr.Problems)
				return errReported
			}
			if err != nil {
				return err
			}
			printChanges(cmd.OutOrStdout(), res)
			return nil
		},
	}
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "只检查不写入 / validate only, write nothing")
	return cmd
}

// printProblems lists every problem, one per line, then a count.
func printProblems(w io.Writer, lang string, ps []graph.Problem) {
	for _, p := range ps {
		if lang == "en" {
			v := ""
			if p.Value != "" {
				v = fmt.Sprintf(" %q", p.Value)
			}
			fmt.Fprintf(w, "%s%s: %s\n", p.Location("en"), v, p.Message("en"))
			continue
		}
		fmt.Fprintln(w, p.String())
	}
	if lang == "en" {
		fmt.Fprintf(w, "\n%d problem(s); nothing was written.\n", len(ps))
		return
	}
	fmt.Fprintf(w, "\n共 %d 处错误，未写入任何数据。/ %d problem(s); nothing was written.\n", len(ps), len(ps))
}

func printChanges(w io.Writer, res graph.ImportResult) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "表 table\t收到 received\t新增 inserted\t更新 updated\t未变 unchanged\t")
	for _, t := range graph.Tables {
		c, ok := res.Changes[t]
		if !ok {
			continue
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t\n", t, c.Received, c.Inserted, c.Updated, c.Unchanged())
	}
	tw.Flush()
	if len(res.Projects) > 0 {
		kinds := map[string]int{}
		for _, c := range res.Projects {
			kinds[c.Kind]++
		}
		fmt.Fprintf(w, "项目变化 projects: 新增 new %d，推进 advanced %d，终止 dropped %d，更正 corrected %d，修改 updated %d\n",
			kinds["new"], kinds["advanced"], kinds["dropped"], kinds["corrected"], kinds["updated"])
		shown := 0
		for _, c := range res.Projects {
			if c.Kind == "new" || shown >= 20 {
				continue // new projects are many on a first import; moves are what officials check
			}
			shown++
			fmt.Fprintf(w, "  %s %s: %s %s → %s\n", c.ProjectID, c.Name, c.Kind, c.From, c.To)
		}
	}
	if res.DryRun {
		fmt.Fprintln(w, "检查通过（未写入，--dry-run）。/ Valid; nothing written (--dry-run).")
		return
	}
	fmt.Fprintf(w, "导入完成，写入 %d 条。/ Import complete: %d record(s) written.\n", res.Written(), res.Written())
}
