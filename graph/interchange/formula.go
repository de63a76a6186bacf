package interchange

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/chainmap/chainmap/graph"
	"github.com/xuri/efp"
	"github.com/xuri/excelize/v2"
)

// Formula cells. excelize's row iterator gives a formula cell's cached value, which
// is what Excel shows. Two cases hide behind it: a formula saved without a cached
// value (by tools other than Excel) reads as "", and a cached error (#REF!,
// #DIV/0!, …) reads as its text. A second streaming pass over the worksheet XML
// (sheetScan) finds both, row by row, so reading a sheet stays streaming.

// Evaluating a formula that has no cached value is restricted, as the workbook is
// untrusted and excelize's evaluator has no resource limits: it recomputes every
// formula a formula refers to, cached or not, recursively (a chain of ~100k
// overflows the stack, which kills the process rather than panicking), first
// loads every worksheet and fills every array formula's range (one over A:XFD
// allocates billions of cells), and some functions build unbounded values
// (REPT("x",1e9) takes a minute and gigabytes). So only a leaf formula is
// evaluated: it calls only evalFunctions, whose values are bounded by their
// arguments, and refers to no formula cell, so nothing recurses; and only in a
// workbook within the limits below. Any other is reported as having no value.
const (
	// maxEvalBytes bounds the worksheet and shared-string XML, which evaluation
	// loads; each reference can bring at most all of it into a value.
	maxEvalBytes = 8 << 20
	// maxEvalRefs bounds the references of one formula.
	maxEvalRefs = 8
	// maxEvalFormulaLen is Excel's own limit on a formula's length.
	maxEvalFormulaLen = 8192
	// maxEvalFormulas bounds the formula cells of the workbook, which are kept to
	// check references against.
	maxEvalFormulas = 10_000
	// maxEvalArrayCells bounds the cells array formulas fill.
	maxEvalArrayCells = 100_000
	// maxEvalTime bounds the time spent evaluating the formulas of one workbook.
	maxEvalTime = 10 * time.Second
)

// evalFunctions are the functions a leaf formula may call: common arithmetic,
// aggregation, logic, date, text and lookup functions whose values are no larger
// than their arguments. REPT and SUBSTITUTE (values growing with their arguments'
// product), INDIRECT and OFFSET (references unknown until evaluated) are not.
var evalFunctions = map[string]bool{
	"SUM": true, "PRODUCT": true, "AVERAGE": true, "MIN": true, "MAX": true, "COUNT": true, "COUNTA": true,
	"COUNTBLANK": true, "COUNTIF": true, "COUNTIFS": true, "SUMIF": true, "SUMIFS": true, "AVERAGEIF": true,
	"ROUND": true, "ROUNDUP": true, "ROUNDDOWN": true, "INT": true, "TRUNC": true, "ABS": true, "MOD": true,
	"SQRT": true, "POWER": true, "SIGN": true,
	"IF": true, "IFERROR": true, "IFNA": true, "AND": true, "OR": true, "NOT": true, "TRUE": true, "FALSE": true,
	"ISBLANK": true, "ISNUMBER": true, "ISTEXT": true, "ISERROR": true,
	"DATE": true, "YEAR": true, "MONTH": true, "DAY": true, "DATEVALUE": true, "EDATE": true, "EOMONTH": true,
	"CONCATENATE": true, "CONCAT": true, "LEFT": true, "RIGHT": true, "MID": true, "LEN": true, "TRIM": true,
	"UPPER": true, "LOWER": true, "TEXT": true, "VALUE": true, "EXACT": true, "FIND": true, "SEARCH": true,
	"VLOOKUP": true, "HLOOKUP": true, "INDEX": true, "MATCH": true, "CHOOSE": true,
}

// formulaNoValue is the argument of graph.PFormulaNoValue: what evaluating the
// formula gave, if anything.
func formulaNoValue(got string) string {
	if got == "" {
		return ""
	}
	return " (" + got + ")"
}

// errorValues are Excel's error values; a cell of type "e" holds one.
var errorValues = map[string]bool{"#NULL!": true, "#DIV/0!": true, "#VALUE!": true, "#REF!": true,
	"#NAME?": true, "#NUM!": true, "#N/A": true, "#GETTING_DATA": true, "#SPILL!": true, "#CALC!": true,
	"#FIELD!": true, "#BLOCKED!": true, "#CONNECT!": true, "#BUSY!": true, "#UNKNOWN!": true}

// cellNote is a cell whose streamed value must not be taken as is.
type cellNote struct {
	col      int    // 0-based
	errValue string // the cached error value of a cell of type "e"
	uncached bool   // a formula without a cached value
	formula  string // its text, cut short
}

// resolveFormulas replaces in cols (row n of sheet) the values the notes flag: an
// uncached formula by its evaluated value, or by "" with a located problem when it
// cannot be evaluated; a cached error by "" with a located problem. Columns the
// table does not read are left alone.
func (tr *tableReader) resolveFormulas(ctx context.Context, ev *evaluator, sheet string, n int, cols []string, notes []cellNote) []string {
	for _, nt := range notes {
		if tr.header && (nt.col >= len(tr.colMap) || tr.colMap[nt.col] < 0) {
			continue
		}
		for len(cols) <= nt.col {
			cols = append(cols, "")
		}
		cell, err := excelize.CoordinatesToCellName(nt.col+1, n)
		if err != nil {
			continue // beyond the sheet's bounds: excelize has refused the row already
		}
		if nt.errValue != "" {
			tr.problem(n, tr.columnName(nt.col), nt.errValue, graph.PErrorValue, nt.errValue)
			cols[nt.col] = ""
			continue
		}
		v, got, ok := ev.value(ctx, sheet, cell)
		if ok {
			cols[nt.col] = v
			continue
		}
		formula := nt.formula
		if formula == "" && ev.allow() { // a shared formula's other cells hold no text
			formula, _ = ev.x.GetCellFormula(sheet, cell)
		}
		tr.problem(n, tr.columnName(nt.col), "="+formula, graph.PFormulaNoValue, formulaNoValue(got))
		cols[nt.col] = ""
	}
	return cols
}

// columnName names file column i as problems do: the table's column once the
// header maps it, else the spreadsheet letter.
func (tr *tableReader) columnName(i int) string {
	if i < len(tr.colMap) && tr.colMap[i] >= 0 {
		return tr.f.Columns[tr.colMap[i]].Name
	}
	return excelColumn(i)
}

// evaluator evaluates uncached leaf formulas within the limits above.
type evaluator struct {
	x       *excelize.File
	parts   *workbookParts
	checked bool // whether the workbook has been surveyed
	allowed bool // it is within the limits
	// formulas holds each sheet's formula cells (lower-case sheet name), array
	// formulas as the range they fill.
	formulas map[string][]cellRange
	spent    time.Duration
}

// cellRange is a rectangle of cells, 1-based and inclusive.
type cellRange struct{ c1, r1, c2, r2 int }

func (a cellRange) overlaps(b cellRange) bool {
	return a.c1 <= b.c2 && b.c1 <= a.c2 && a.r1 <= b.r2 && b.r1 <= a.r2
}

// value evaluates the formula of cell. ok is false when the value cannot be had
// or is an error value; got is then the error value, if any.
func (e *evaluator) value(ctx context.Context, sheet, cell string) (v, got string, ok bool) {
	if !e.allow() || e.spent > maxEvalTime || ctx.Err() != nil {
		return "", "", false
	}
	start := time.Now()
	defer func() { e.spent += time.Since(start) }()
	formula, err := e.x.GetCellFormula(sheet, cell)
	if err != nil || !e.leaf(sheet, formula) {
		return "", "", false
	}
	v, err = e.calc(sheet, cell)
	switch {
	case err != nil && errorValues[v]:
		return "", v, false
	case err != nil && errorValues[err.Error()]:
		return "", err.Error(), false
	case err != nil:
		return "", "", false
	case errorValues[v]:
		return "", v, false
	}
	return v, "", true
}

// leaf reports whether formula, on sheet, may be evaluated: see evalFunctions.
func (e *evaluator) leaf(sheet, formula string) bool {
	if len(formula) > maxEvalFormulaLen {
		return false
	}
	refs, ps := 0, efp.ExcelParser()
	for _, t := range ps.Parse(formula) {
		switch {
		case t.TType == efp.TokenTypeFunction && t.TSubType == efp.TokenSubTypeStart:
			if !evalFunctions[strings.ToUpper(t.TValue)] {
				return false
			}
		case t.TType == efp.TokenTypeOperand && t.TSubType == efp.TokenSubTypeRange:
			if refs++; refs > maxEvalRefs {
				return false
			}
			on, r, ok := parseRef(sheet, t.TValue)
			if !ok {
				return false
			}
			for _, f := range e.formulas[strings.ToLower(on)] {
				if f.overlaps(r) {
					return false
				}
			}
		}
	}
	return true
}

// parseRef reads a reference as efp tokenises it — A1, $A$1, A1:B2, A:B or 1:2,
// after an optional sheet name and ! — into the sheet it is on (default sheet)
// and its range. Defined names, 3-D and external references are refused.
func parseRef(sheet, s string) (string, cellRange, bool) {
	if i := strings.LastIndexByte(s, '!'); i >= 0 {
		sheet, s = s[:i], s[i+1:]
		if len(sheet) >= 2 && sheet[0] == '\'' && sheet[len(sheet)-1] == '\'' {
			sheet = strings.ReplaceAll(sheet[1:len(sheet)-1], "''", "'")
		}
		if sheet == "" || strings.ContainsAny(sheet, "[]:") {
			return "", cellRange{}, false
		}
	}
	a, b, isRange := strings.Cut(strings.ReplaceAll(s, "$", ""), ":")
	if !isRange {
		b = a
	}
	c1, r1, ok1 := refEnd(a)
	c2, r2, ok2 := refEnd(b)
	// Both ends alike (cells, columns or rows); a lone column or row is a name.
	if !ok1 || !ok2 || (c1 == 0) != (c2 == 0) || (r1 == 0) != (r2 == 0) || !isRange && (c1 == 0 || r1 == 0) {
		return "", cellRange{}, false
	}
	if c1 == 0 {
		c1, c2 = 1, excelize.MaxColumns
	}
	if r1 == 0 {
		r1, r2 = 1, excelize.TotalRows
	}
	return sheet, cellRange{min(c1, c2), min(r1, r2), max(c1, c2), max(r1, r2)}, true
}

// refEnd reads one end of a reference: a cell, a column (row 0) or a row (column 0).
func refEnd(s string) (col, row int, ok bool) {
	i := 0
	for i < len(s) && (s[i] >= 'A' && s[i] <= 'Z' || s[i] >= 'a' && s[i] <= 'z') {
		i++
	}
	if letters := s[:i]; letters != "" {
		c, err := excelize.ColumnNameToNumber(letters)
		if err != nil {
			return 0, 0, false
		}
		col = c
	}
	if digits := s[i:]; digits != "" {
		r, err := strconv.Atoi(digits)
		if err != nil || r < 1 || r > excelize.TotalRows || digits[0] == '+' || digits[0] == '-' {
			return 0, 0, false
		}
		row = r
	}
	return col, row, col > 0 || row > 0
}

func (e *evaluator) calc(sheet, cell string) (v string, err error) {
	// The evaluator is large and fed formulas from untrusted files: a panic in it
	// means the value cannot be had, not a failed import.
	defer func() {
		if p := recover(); p != nil {
			v, err = "", fmt.Errorf("evaluating %s!%s: %v", sheet, cell, p)
		}
	}()
	// Raw, as the row iterator reads: a date formula gives its serial number.
	return e.x.CalcCellValue(sheet, cell, excelize.Options{RawCellValue: true})
}

// allow surveys the workbook once and reports whether it is within the limits,
// keeping its formula cells for leaf.
func (e *evaluator) allow() bool {
	if e.checked {
		return e.allowed
	}
	e.checked = true
	var size uint64
	for name, f := range e.parts.files {
		if strings.EqualFold(name, "xl/sharedStrings.xml") {
			size += f.UncompressedSize64
		}
	}
	byPart := map[string][]string{}
	for name, p := range e.parts.sheets {
		if byPart[p] == nil {
			size += e.parts.files[p].UncompressedSize64
		}
		byPart[p] = append(byPart[p], strings.ToLower(name))
	}
	if size > maxEvalBytes {
		return false
	}
	e.formulas = map[string][]cellRange{}
	n, arrayCells, ok := 0, 0, true
	for p, names := range byPart {
		s, err := e.parts.scanPart(p)
		if err != nil {
			return false
		}
		s.onFormula = func(row, col int, typ, ref string) {
			r := cellRange{col, row, col, row}
			if typ == "array" && ref != "" {
				if _, area, isRef := parseRef("", ref); isRef {
					r = area
					arrayCells += (r.c2 - r.c1 + 1) * (r.r2 - r.r1 + 1)
				} else {
					ok = false
				}
			}
			n++
			for _, name := range names {
				e.formulas[name] = append(e.formulas[name], r)
			}
		}
		for !s.done && ok && n <= maxEvalFormulas && arrayCells <= maxEvalArrayCells {
			s.next()
		}
		s.Close()
		if !ok || n > maxEvalFormulas || arrayCells > maxEvalArrayCells {
			return false
		}
	}
	e.allowed = true
	return true
}
