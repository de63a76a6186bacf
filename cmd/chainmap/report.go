package main

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/chainmap/chainmap/analysis"
	"github.com/chainmap/chainmap/analysis/snapshot"
	"github.com/chainmap/chainmap/graph"
	"github.com/spf13/cobra"
	"github.com/xuri/excelize/v2"
)

// tabular is what every analysis result offers for the table and xlsx formats.
type tabular interface {
	Table() (headers []string, rows [][]string)
}

// outputFlags are the --format and --out flags of the analysis commands.
type outputFlags struct {
	format string
	out    string
	asOf   string
	// cmd reads the global --lang, which also sets the table and xlsx language.
	cmd *cobra.Command
}

// lang is the --lang the command runs with ("zh" when unset).
func (o *outputFlags) lang() string {
	if o.cmd != nil {
		if f := o.cmd.Flags().Lookup("lang"); f != nil {
			return f.Value.String()
		}
	}
	return "zh"
}

// localized is implemented by results that render their tables in either language.
type localized interface {
	TableIn(analysis.Lang) (headers []string, rows [][]string)
}

// table renders v's table in the chosen language.
func (o *outputFlags) table(v tabular) ([]string, [][]string) {
	if l, ok := v.(localized); ok {
		lang, _ := analysis.ParseLang(o.lang()) // validated
		return l.TableIn(lang)
	}
	return v.Table()
}

func (o *outputFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&o.format, "format", "table", "输出格式 json|table|xlsx / output format")
	cmd.Flags().StringVar(&o.out, "out", "", "xlsx 输出文件 / output file for --format xlsx")
	o.cmd = cmd
	cmd.Flags().StringVar(&o.asOf, "as-of", "", "评估日期（默认为数据中最新日期）/ judge ties as of this date (default: latest date in the data)")
}

func (o *outputFlags) validate() error {
	if _, err := analysis.ParseLang(o.lang()); err != nil {
		return usageError{err.Error()}
	}
	switch o.format {
	case "json", "table":
		return nil
	case "xlsx":
		if o.out == "" {
			return usageError{"--format xlsx 需要 --out 文件 / --format xlsx needs --out FILE.xlsx"}
		}
		return nil
	}
	return usageError{fmt.Sprintf("未知格式 %q（json|table|xlsx）/ unknown format %q", o.format, o.format)}
}

// render writes v in the chosen format: JSON is exactly what the API serves.
func (o *outputFlags) render(w io.Writer, v tabular) error {
	switch o.format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	case "xlsx":
		head, rows := o.table(v)
		if err := writeSheet(o.out, head, rows); err != nil {
			return fmt.Errorf("writing %s: %w", o.out, err)
		}
		fmt.Fprintf(w, "已写入 / written: %s (%d 行 rows)\n", o.out, len(rows))
		return nil
	}
	head, rows := o.table(v)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for i, h := range head {
		if i > 0 {
			fmt.Fprint(tw, "\t")
		}
		fmt.Fprint(tw, h)
	}
	fmt.Fprintln(tw)
	for _, r := range rows {
		for i, c := range r {
			if i > 0 {
				fmt.Fprint(tw, "\t")
			}
			fmt.Fprint(tw, c)
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}

func writeSheet(path string, head []string, rows [][]string) error {
	x := excelize.NewFile()
	defer x.Close()
	const sheet = "Sheet1"
	style, err := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	if err != nil {
		return err
	}
	hv := make([]any, len(head))
	for i, h := range head {
		hv[i] = h
	}
	if err := x.SetSheetRow(sheet, "A1", &hv); err != nil {
		return err
	}
	last, _ := excelize.CoordinatesToCellName(len(head), 1)
	if err := x.SetCellStyle(sheet, "A1", last, style); err != nil {
		return err
	}
	for i, r := range rows {
		rv := make([]any, len(r))
		for j, c := range r {
			rv[j] = c
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := x.SetSheetRow(sheet, cell, &rv); err != nil {
			return err
		}
	}
	if err := x.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	return x.SaveAs(path)
}

// snapshot builds the analysis snapshot from the selected store.
func (g *globals) snapshot(cmd *cobra.Command, asOf string) (*snapshot.Snapshot, error) {
	ctx := cmd.Context()
	store, err := g.open(ctx)
	if err != nil {
		return nil, err
	}
	defer store.Close()
	s, err := snapshot.Build(ctx, store)
	if err != nil {
		return nil, err
	}
	if asOf != "" {
		d, ok := graph.ParseDate(asOf)
		if !ok || d == "" {
			return nil, usageError{fmt.Sprintf("--as-of %q 不是有效日期 / is not a valid date", asOf)}
		}
		s = s.At(d)
	}
	return s, nil
}

// runAnalysis validates the output flags, builds the snapshot the flags select,
// runs an analysis on it and renders the result.
func (g *globals) runAnalysis(cmd *cobra.Command, o *outputFlags, run func(*snapshot.Snapshot) (tabular, error)) error {
	if err := o.validate(); err != nil {
		return err
	}
	s, err := g.snapshot(cmd, o.asOf)
	if err != nil {
		return err
	}
	res, err := run(s)
	if err != nil {
		return err
	}
	return o.render(cmd.OutOrStdout(), res)
}
