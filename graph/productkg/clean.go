package productkg

import (
	"strconv"
	"strings"
	"unicode"
)

// MaxExamples is how many examples a Cleaning issue keeps.
const MaxExamples = 5

// Issue codes, in the order the report lists them.
const (
	IBadLine          = "bad_line"
	ICodeSuffix       = "code_suffix"
	IBadCode          = "bad_code"
	IDuplicateCode    = "duplicate_code"
	IFullNameMismatch = "fullname_mismatch"
	INameCleaned      = "name_cleaned"
	IEmptyName        = "empty_name"
	IDuplicateProduct = "duplicate_product"
	IWeightNegative   = "weight_negative"
	IWeightClamped    = "weight_clamped"
	IWeightInvalid    = "weight_invalid"
	IAccountingItem   = "accounting_item"
	IDuplicateEdge    = "duplicate_edge"
	IDanglingRef      = "dangling_ref"
	ISelfLoop         = "self_loop"
	IReversed         = "downstream_reversed"
	IUnknownRelation  = "unknown_relation"
	IMaterialCycle    = "material_cycle"
	ISubproductCycle  = "subproduct_cycle"
)

var issueTexts = []struct{ code, zh, en string }{
	{IBadLine, "无法解析的行(跳过)", "unreadable lines skipped"},
	{ICodeSuffix, "股票代码后缀已规范", "stock-code suffixes normalised"},
	{IBadCode, "无效股票代码(删除)", "invalid stock codes dropped"},
	{IDuplicateCode, "重复股票代码(合并)", "duplicate codes merged"},
	{IFullNameMismatch, "全称与简称不符(弃用全称)", "full name inconsistent, short name used"},
	{INameCleaned, "名称空白/换行已清理", "names trimmed, newlines/whitespace collapsed"},
	{IEmptyName, "空名称(删除)", "empty names dropped"},
	{IDuplicateProduct, "清理后重名产品(合并)", "products equal after cleaning merged"},
	{IWeightNegative, "负营收占比(删除)", "negative weights dropped"},
	{IWeightClamped, "营收占比>1(截为1)", "weights above 1 clamped to 1"},
	{IWeightInvalid, "营收占比缺失/非数(记为0)", "missing or non-finite weights set to 0"},
	{IAccountingItem, "会计抵销项(删除)", "accounting line items dropped"},
	{IDuplicateEdge, "重复关系(合并)", "duplicate edges merged"},
	{IDanglingRef, "悬空引用(删除)", "dangling references dropped"},
	{ISelfLoop, "自环(删除)", "self-loops dropped"},
	{IReversed, "下游产品关系转为上游材料", "下游产品 edges turned into material edges"},
	{IUnknownRelation, "未知关系(删除)", "unknown relations dropped"},
	{IMaterialCycle, "上游材料环(保留，推导时断开)", "material cycles (kept; broken when deriving)"},
	{ISubproductCycle, "产品小类环(保留)", "sub-product cycles (kept)"},
}

// Issue is one kind of fix with how often it was made and the first examples.
type Issue struct {
	Code     string   `json:"code"`
	ZH       string   `json:"zh"`
	EN       string   `json:"en"`
	Count    int      `json:"count"`
	Examples []string `json:"examples,omitempty"`
}

// Cleaning reports every fix Load made, and how many lines it read per file.
type Cleaning struct {
	Issues []Issue         `json:"issues"` // every issue code, in report order, zero counts included
	Lines  map[string]int  `json:"lines"`  // non-blank lines read per file name
	index  map[string]int  // issue code → position in Issues
	seenEx map[string]bool // code\x00example already listed
}

func newCleaning() *Cleaning {
	c := &Cleaning{Lines: map[string]int{}, index: map[string]int{}, seenEx: map[string]bool{}}
	for i, t := range issueTexts {
		c.Issues = append(c.Issues, Issue{Code: t.code, ZH: t.zh, EN: t.en})
		c.index[t.code] = i
	}
	return c
}

// add counts one fix of kind code; example is kept while fewer than MaxExamples
// distinct examples are listed.
func (c *Cleaning) add(code, example string) {
	is := &c.Issues[c.index[code]]
	is.Count++
	if len(is.Examples) < MaxExamples && example != "" && !c.seenEx[code+"\x00"+example] {
		c.seenEx[code+"\x00"+example] = true
		is.Examples = append(is.Examples, example)
	}
}

// Count returns how many fixes of kind code were made.
func (c *Cleaning) Count(code string) int {
	if i, ok := c.index[code]; ok {
		return c.Issues[i].Count
	}
	return 0
}

// Issue returns the issue of kind code, or nil.
func (c *Cleaning) Issue(code string) *Issue {
	if i, ok := c.index[code]; ok {
		return &c.Issues[i]
	}
	return nil
}

// Table renders the report as rows for the CLI's table and xlsx formats, one row per
// issue with a non-zero count.
func (c *Cleaning) Table() (headers []string, rows [][]string) {
	headers = []string{"问题 issue", "数量 count", "示例 examples"}
	for _, is := range c.Issues {
		if is.Count == 0 {
			continue
		}
		rows = append(rows, []string{is.ZH + " " + is.EN, strconv.Itoa(is.Count), strings.Join(is.Examples, "；")})
	}
	return headers, rows
}

// CleanName trims a name and removes the line breaks and stray whitespace of the dump;
// see the package documentation for the rule.
func CleanName(s string) string {
	if strings.IndexFunc(s, needsCleaning) < 0 {
		return s
	}
	if strings.Contains(s, `\`) {
		s = strings.NewReplacer(`\r\n`, "\n", `\n`, "\n", `\r`, "\n", `\t`, " ", `\"`, `"`).Replace(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	var prev rune = -1 // last rune written
	pending, lineBreak := false, false
	for _, r := range s {
		switch {
		case r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\ufeff':
			continue
		case unicode.IsSpace(r):
			pending = true
			if r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029' {
				lineBreak = true
			}
			continue
		}
		if pending && prev >= 0 && !lineBreak && !(isHan(prev) && isHan(r)) {
			b.WriteByte(' ')
		}
		pending, lineBreak = false, false
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

func needsCleaning(r rune) bool {
	return r == '\\' || unicode.IsSpace(r) || r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\ufeff'
}

func isHan(r rune) bool { return r >= 0 && unicode.Is(unicode.Han, r) }

// NormCode normalises a stock code: it returns the six digits, the exchange (SH, SZ
// or BJ) and whether anything besides the digits was stripped. ok is false when s
// does not hold exactly one run of six digits.
func NormCode(s string) (code, exchange string, stripped, ok bool) {
	t := strings.ToUpper(strings.TrimSpace(s))
	start, end := -1, -1
	for i := 0; i < len(t); i++ {
		if t[i] >= '0' && t[i] <= '9' {
			if start < 0 {
				start = i
			} else if end >= 0 {
				return "", "", false, false // two runs of digits
			}
			continue
		}
		if start >= 0 && end < 0 {
			end = i
		}
	}
	if start < 0 {
		return "", "", false, false
	}
	if end < 0 {
		end = len(t)
	}
	if end-start != 6 {
		return "", "", false, false
	}
	code = t[start:end]
	rest := strings.Trim(t[:start]+" "+t[end:], " .-_")
	switch rest {
	case "":
	case "SH", "SS", "XSHG", "SSE":
		exchange = "SH"
	case "SZ", "XSHE", "SZSE":
		exchange = "SZ"
	case "BJ", "BSE":
		exchange = "BJ"
	default:
		return "", "", false, false
	}
	if exchange == "" {
		switch code[0] {
		case '6', '9':
			exchange = "SH"
		case '0', '2', '3':
			exchange = "SZ"
		case '4', '8':
			exchange = "BJ"
		}
	}
	return code, exchange, t != code, true
}

// isAccountingItem reports whether a "main product" name is an accounting line item
// (eliminations, balancing and adjustment items, totals) rather than a product.
func isAccountingItem(name string) bool {
	if strings.Contains(name, "抵销") || strings.Contains(name, "抵消") || strings.Contains(name, "抵减") {
		return true
	}
	switch name {
	case "平衡项目", "调整项目", "合计", "小计", "总计":
		return true
	}
	return false
}

// coreShortName strips the risk-warning prefixes of a short name.
func coreShortName(s string) string {
	for _, p := range []string{"S*ST", "SST", "*ST", "ST", "PT", "退市", "S"} {
		s = strings.TrimPrefix(s, p)
	}
	return strings.TrimRight(s, "AB")
}

// consistent reports whether a full name plausibly belongs to a short name: at least
// half the short name's characters occur in the full name. An empty full name is
// consistent (nothing to contradict).
func consistent(short, full string) bool {
	if full == "" {
		return true
	}
	core := []rune(coreShortName(short))
	if len(core) == 0 {
		return true
	}
	hit := 0
	for _, r := range core {
		if strings.ContainsRune(full, r) {
			hit++
		}
	}
	return 2*hit >= len(core)
}
