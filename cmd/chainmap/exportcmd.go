package main

import (
	"fmt"

	"github.com/chainmap/chainmap/graph/interchange"
	"github.com/spf13/cobra"
)

func newExport(g *globals) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "export --out PATH",
		Short: "导出为工作簿或 CSV 文件夹 / export to a workbook (.xlsx) or a folder of .csv files",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return usageError{"需要 --out 路径 / --out PATH is required (.xlsx, or a folder for .csv)"}
			}
			ctx := cmd.Context()
			store, err := g.open(ctx)
			if err != nil {
				return err
			}
			defer store.Close()
			counts, err := store.Counts(ctx)
			if err != nil {
				return err
			}
			total := 0
			for _, n := range counts {
				total += n
			}
			bar := newProgress("导出 exporting")
			err = interchange.Write(ctx, store, out, interchange.WriteOptions{Progress: func(done int) { bar.update(done, total) }})
			bar.done()
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "已导出 %d 条到 %s / exported %d record(s) to %s\n", total, out, total, out)
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "输出路径：.xlsx 文件或文件夹 / output: .xlsx file, else a folder of .csv")
	return cmd
}

func newTemplate() *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "template [--out PATH]",
		Short: "生成空白数据模板（含说明与下拉选项）/ write a blank workbook with notes and dropdowns",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := interchange.WriteTemplate(out); err != nil {
				return fmt.Errorf("writing template %s: %w", out, err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "模板已生成 / template written: %s\n", out)
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "chainmap-template.xlsx", "输出文件 / output file")
	return cmd
}
