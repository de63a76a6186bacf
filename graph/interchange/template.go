package interchange

import (
	"fmt"
	"strings"

	"github.com/chainmap/chainmap/graph"
	"github.com/xuri/excelize/v2"
)

// templateRows is how far down the dropdowns of a template reach.
const templateRows = 5000

// WriteTemplate writes a blank workbook: a notes sheet (说明) describing every table
// and column in Chinese and English, then one sheet per table with its header row,
// each header carrying its Chinese name as a comment, and dropdowns for enumerations.
func WriteTemplate(path string) error {
	x := excelize.NewFile()
	defer x.Close()
	if err := x.SetSheetName("Sheet1", "说明"); err != nil {
		return err
	}
	if err := writeNotes(x, "说明"); err != nil {
		return err
	}
	head, err := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	if err != nil {
		return err
	}
	for i := range Formats {
		f := &Formats[i]
		sheet := string(f.Table)
		if _, err := x.NewSheet(sheet); err != nil {
			return err
		}
		for j, c := range f.Columns {
			cell, _ := excelize.CoordinatesToCellName(j+1, 1)
			colName, _ := excelize.ColumnNumberToName(j + 1)
			if err := x.SetCellStr(sheet, cell, c.Name); err != nil {
				return err
			}
			if err := x.SetCellStyle(sheet, cell, cell, head); err != nil {
				return err
			}
			if err := x.SetColWidth(sheet, colName, colName, colWidth(c)); err != nil {
				return err
			}
			note := c.Aliases[0]
			if c.Required {
				note += "（必填 required）"
			}
			if c.NoteZH != "" {
				note += "\n" + c.NoteZH
			}
			if err := x.AddComment(sheet, excelize.Comment{Cell: cell, Author: "chainmap",
				Paragraph: []excelize.RichTextRun{{Text: note}}}); err != nil {
				return err
			}
			if len(c.Enum) > 0 {
				dv := excelize.NewDataValidation(true)
				dv.Sqref = fmt.Sprintf("%s2:%s%d", colName, colName, templateRows)
				if err := dv.SetDropList(c.Enum); err != nil {
					return err
				}
				dv.SetError(excelize.DataValidationErrorStyleStop, "chainmap", "请从下拉列表选择 / choose from the list: "+strings.Join(c.Enum, ", "))
				if err := x.AddDataValidation(sheet, dv); err != nil {
					return err
				}
			}
		}
		if err := x.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return err
		}
	}
	return x.SaveAs(path)
}

func writeNotes(x *excelize.File, sheet string) error {
	rows := [][]any{
		{"chainmap 数据模板 / data template"},
		{"每个工作表对应一张表；第一行为列名（英文列名或中文别名均可）；导入前会检查全部错误，全部正确才会写入。"},
		{"One sheet per table; row 1 holds the headers (English or the Chinese alias); an import checks everything and writes nothing unless all of it is valid."},
		{},
		{"表 table", "表名 name", "列 column", "中文列名 header", "必填 required", "说明", "notes", "可选值 values"},
	}
	for _, f := range Formats {
		rows = append(rows, []any{string(f.Table), f.Aliases[0], "", "", "", f.NoteZH, f.NoteEN, ""})
		for _, c := range f.Columns {
			req := ""
			if c.Required {
				req = "是 yes"
			}
			rows = append(rows, []any{"", "", c.Name, strings.Join(c.Aliases, " / "), req, c.NoteZH, c.NoteEN,
				strings.Join(c.Enum, ", ")})
		}
	}
	rows = append(rows, []any{}, []any{"企业标签 tags", graph.TagNames("、")})
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := x.SetSheetRow(sheet, cell, &r); err != nil {
			return err
		}
	}
	for col, w := range map[string]float64{"A": 16, "B": 14, "C": 22, "D": 30, "E": 12, "F": 48, "G": 40, "H": 40} {
		if err := x.SetColWidth(sheet, col, col, w); err != nil {
			return err
		}
	}
	return nil
}
