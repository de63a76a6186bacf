package interchange

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"iter"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/chainmap/chainmap/graph"
	"github.com/xuri/excelize/v2"
)

// MaxSheetRows is Excel's row limit; a larger table must be exported as CSV.
const MaxSheetRows = 1_048_576

// WriteOptions tune an export.
type WriteOptions struct {
	// Progress, when set, is called with the number of records written so far.
	Progress func(done int)
}

// tableRows streams one table of a Reader as cells in format order.
func tableRows(ctx context.Context, r graph.Reader, t graph.Table) iter.Seq2[[]string, error] {
	switch t {
	case graph.TRegions:
		return encodeAll(r.Regions(ctx), encodeRegion)
	case graph.TRegionGroups:
		return encodeAll(r.RegionGroups(ctx), encodeRegionGroup)
	case graph.TClusters:
		return encodeAll(r.Clusters(ctx), encodeCluster)
	case graph.TChains:
		return encodeAll(r.Chains(ctx), encodeChain)
	case graph.TLinks:
		return encodeAll(r.Links(ctx), encodeLink)
	case graph.TLinkFeeds:
		return encodeAll(r.Feeds(ctx), encodeFeed)
	case graph.TCompanies:
		return encodeAll(r.Companies(ctx), encodeCompany)
	case graph.TCompanyLinks:
		return encodeAll(r.CompanyLinks(ctx), encodeCompanyLink)
	case graph.TLeaders:
		return encodeAll(r.Leaders(ctx), encodeLeader)
	case graph.TSupplies:
		return encodeAll(r.Supplies(ctx), encodeSupply)
	case graph.TProjects:
		return encodeAll(r.Projects(ctx), encodeProject)
	case graph.TProjectLog:
		return encodeAll(r.ProjectEvents(ctx), encodeProjectEvent)
	}
	panic("interchange: unknown table " + string(t))
}

func encodeAll[T any](seq iter.Seq2[T, error], enc func(T) []string) iter.Seq2[[]string, error] {
	return func(yield func([]string, error) bool) {
		for x, err := range seq {
			if err != nil {
				yield(nil, err)
				return
			}
			if !yield(enc(x), nil) {
				return
			}
		}
	}
}

func headers(f *TableFormat) []string {
	h := make([]string, len(f.Columns))
	for i, c := range f.Columns {
		h[i] = c.Name
	}
	return h
}

// Write exports every table of r to path: an .xlsx workbook when path ends in
// .xlsx, otherwise a folder of .csv files. The output appears only when complete.
func Write(ctx context.Context, r graph.Reader, path string, opts WriteOptions) error {
	if strings.EqualFold(filepath.Ext(path), ".xlsx") {
		return WriteXLSX(ctx, r, path, opts)
	}
	return WriteCSVDir(ctx, r, path, opts)
}

// WriteCSVDir writes one UTF-8 .csv file per table (with a BOM, so Excel reads the
// Chinese text correctly) into dir, creating it if needed.
func WriteCSVDir(ctx context.Context, r graph.Reader, dir string, opts WriteOptions) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", dir, err)
	}
	done := 0
	for i := range Formats {
		f := &Formats[i]
		final := filepath.Join(dir, string(f.Table)+".csv")
		tmp := final + ".partial"
		if err := writeCSVFile(ctx, r, f, tmp, &done, opts.Progress); err != nil {
			os.Remove(tmp)
			return err
		}
		if err := os.Rename(tmp, final); err != nil {
			return fmt.Errorf("writing %s: %w", final, err)
		}
	}
	return nil
}

func writeCSVFile(ctx context.Context, r graph.Reader, f *TableFormat, path string, done *int, progress func(int)) error {
	fh, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("creating %s: %w", path, err)
	}
	defer fh.Close()
	bw := bufio.NewWriterSize(fh, 1<<20)
	bw.WriteString("\ufeff")
	cw := csv.NewWriter(bw)
	if err := cw.Write(headers(f)); err != nil {
		return err
	}
	for cells, err := range tableRows(ctx, r, f.Table) {
		if err != nil {
			return fmt.Errorf("exporting %s: %w", f.Table, err)
		}
		for i := range cells {
			if i < len(f.Columns) && !numericColumns[f.Columns[i].Name] {
				cells[i] = csvEscape(cells[i])
			}
		}
		if err := cw.Write(cells); err != nil {
			return fmt.Errorf("writing %s: %w", path, err)
		}
		if *done++; progress != nil && *done%10000 == 0 {
			progress(*done)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return fh.Close()
}

// csvEscape keeps a text cell from becoming a formula when the file is opened in
// Excel (CSV injection): a value starting with = + - @, with white space or an
// invisible character (a spreadsheet may skip those and find a formula behind them:
// " =…", "\n=…", NBSP "=…"), or with an apostrophe gets a leading apostrophe, so
// csvUnescape on import gives back exactly the value. Numeric columns are written
// as they are.
func csvEscape(v string) string {
	if r, _ := utf8.DecodeRuneInString(v); v != "" && escapeFirst(r) {
		return "'" + v
	}
	return v
}

// escapeFirst reports whether a text cell starting with r is escaped.
func escapeFirst(r rune) bool {
	return strings.ContainsRune("=+-@'", r) || unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) ||
		r == utf8.RuneError
}

// csvUnescape undoes csvEscape: an apostrophe followed by a character csvEscape
// escapes is dropped.
func csvUnescape(v string) string {
	if len(v) > 1 && v[0] == '\'' {
		if r, _ := utf8.DecodeRuneInString(v[1:]); escapeFirst(r) {
			return v[1:]
		}
	}
	return v
}

// numericColumns are written as numbers so Excel can sum them; everything else is
// text, so codes like 0101 keep their leading zeros.
var numericColumns = map[string]bool{"revenue_wan": true, "employees": true, "amount_wan": true,
	"confidence": true, "investment_yi": true, "seq": true}

// WriteXLSX writes a workbook with one sheet per table, in streaming mode.
func WriteXLSX(ctx context.Context, r graph.Reader, path string, opts WriteOptions) error {
	x := excelize.NewFile()
	defer x.Close()
	headStyle, err := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	if err != nil {
		return err
	}
	done := 0
	for i := range Formats {
		f := &Formats[i]
		sheet := string(f.Table)
		if i == 0 {
			if err := x.SetSheetName("Sheet1", sheet); err != nil {
				return err
			}
		} else if _, err := x.NewSheet(sheet); err != nil {
			return err
		}
		sw, err := x.NewStreamWriter(sheet)
		if err != nil {
			return err
		}
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return err
		}
		for j := range f.Columns {
			if err := sw.SetColWidth(j+1, j+1, colWidth(f.Columns[j])); err != nil {
				return err
			}
		}
		head := make([]any, len(f.Columns))
		for j, h := range headers(f) {
			head[j] = excelize.Cell{Value: h, StyleID: headStyle}
		}
		if err := sw.SetRow("A1", head); err != nil {
			return err
		}
		row := 1
		vals := make([]any, len(f.Columns))
		for cells, err := range tableRows(ctx, r, f.Table) {
			if err != nil {
				return fmt.Errorf("exporting %s: %w", f.Table, err)
			}
			if row++; row > MaxSheetRows {
				return graph.Errorf(graph.EINVALID, "table %s has more than %d rows, the most an .xlsx sheet holds; export to a folder of .csv files instead",
					f.Table, MaxSheetRows-1)
			}
			for j, c := range cells {
				vals[j] = c
				if numericColumns[f.Columns[j].Name] && c != "" {
					if v, err := strconv.ParseFloat(c, 64); err == nil {
						vals[j] = v
					}
				}
			}
			cell, _ := excelize.CoordinatesToCellName(1, row)
			if err := sw.SetRow(cell, vals); err != nil {
				return err
			}
			if done++; opts.Progress != nil && done%10000 == 0 {
				opts.Progress(done)
			}
		}
		if err := sw.Flush(); err != nil {
			return err
		}
	}
	ext := filepath.Ext(path)
	tmp := strings.TrimSuffix(path, ext) + ".partial" + ext // excelize insists on the extension
	if err := x.SaveAs(tmp); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

func colWidth(c Column) float64 {
	switch {
	case c.Name == "name" || c.Name == "provenance" || c.Name == "products":
		return 36
	case strings.HasSuffix(c.Name, "_on") || c.Name == "since" || c.Name == "until":
		return 12
	}
	return 16
}
