package graph

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Problem codes of the hostile-input checks (issue 15). They belong with the others
// in message.go; they are registered from here so that the owners of that file and
// of these checks do not edit one file at once.
const (
	PBadEncoding    = "bad_encoding"
	PDupTable       = "duplicate_table"
	PHiddenSheet    = "hidden_sheet"
	PInvisibleChar  = "invisible_char"
	PMoreProblems   = "more_problems"
	PTooManyCells   = "too_many_cells"
	PTooManyColumns = "too_many_columns"
	PUnorderedCells = "unordered_cells"
)

func init() {
	for code, m := range map[string][2]string{
		PBadEncoding: {"文本编码无效：从这一行起不是有效的 %s 文本（文件前面的部分是），请将整个文件另存为 UTF-8 CSV",
			"invalid text encoding: from this row on the file is not valid %s (the rows before it are); save the whole file as UTF-8 CSV"},
		PDupTable: {"与“%s”是同一张表，一次导入中只能有一个", "is the same table as %s; one import may hold it only once"},
		PHiddenSheet: {"工作表已隐藏（%s），在 Excel 中看不到其中的行，因此不导入；请取消隐藏后检查，或删除该工作表",
			"the sheet is hidden (%s): nobody sees its rows in Excel, so they are not imported; unhide and check it, or delete it"},
		PInvisibleChar: {"编号含不可见或易混淆的字符 %s，两个看起来相同的编号会被当作不同的记录",
			"the id contains the invisible or look-alike character %s, which would make two ids that look the same different records"},
		PMoreProblems: {"从这一行起，该列还有 %s 处同类问题（%s）未列出", "%s more problems of this kind (%s) in this column from this row on, not listed"},
		PTooManyCells: {"单元格超过一次导入的上限 %s，从这一行起不再读取；更大的数据请用命令行 chainmap import 导入",
			"more cells than the %s one import may hold; nothing is read from this row on (import larger data with the command line: chainmap import)"},
		PTooManyColumns: {"这一行的列数超过上限 %s，不是一张表，该表不再读取", "this row has more than %s columns, which is no table; the table is not read further"},
		PUnorderedCells: {"行或单元格顺序异常（在它前面的行或单元格之后，或超出 Excel 的最后一行），不是 Excel 写出的工作表；请在 Excel 中打开并保存后再导入",
			"a row or cell out of order (after one that should follow it, or past Excel's last row), which Excel never writes; open and save the file in Excel before importing"},
	} {
		catalogue[code] = m
	}
}

// NormalizeText returns free text (a name, a note, a provenance) as chainmap stores
// it, whichever path it comes by, so that what is shown, exported and imported
// again is the same text: Unicode NFC; line breaks as \n (CR LF, CR, U+2028/2029,
// NEL); a tab and the other spaces (NBSP, the U+2000 block, U+202F, U+205F) as one
// ASCII space, except the ideographic space U+3000 of Chinese text; control and
// invisible format characters (NUL, zero-width spaces, U+FEFF, the bidirectional
// overrides such as U+202E) removed, but not the zero-width (non-)joiners that
// emoji and some scripts need; white space trimmed at both ends.
func NormalizeText(s string) string {
	if plainText(s) || normalText(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == '\r':
			if i < len(s) && s[i] == '\n' {
				i++
			}
			b.WriteByte('\n')
		case r == '\n', r == '\u2028', r == '\u2029', r == '\u0085':
			b.WriteByte('\n')
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError) // readers refuse broken UTF-8 first; JSON could not carry it
		case r == '\u3000':
			b.WriteRune(r)
		case r == '\t', unicode.Is(unicode.Zs, r):
			b.WriteByte(' ')
		case r == '\u200c', r == '\u200d':
			b.WriteRune(r)
		case unicode.Is(unicode.Cc, r), unicode.Is(unicode.Cf, r):
		default:
			b.WriteRune(r)
		}
	}
	return strings.TrimSpace(norm.NFC.String(b.String()))
}

// plainText reports whether s is printable ASCII (newlines allowed inside) with no
// white space at either end: already normal, the common case.
func plainText(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x7f || c < 0x20 && c != '\n' {
			return false
		}
	}
	return s == "" || s[0] != ' ' && s[0] != '\n' && s[len(s)-1] != ' ' && s[len(s)-1] != '\n'
}

// normalText reports whether NormalizeText would return s unchanged, without
// building a copy: the common case of Chinese text already in stored form.
func normalText(s string) bool {
	for _, r := range s {
		switch {
		case r == '\n', r == '\u3000', r == '\u200c', r == '\u200d':
		case r == utf8.RuneError, r == '\t', r == '\u0085', unicode.Is(unicode.Cc, r), unicode.Is(unicode.Cf, r),
			r != ' ' && (unicode.Is(unicode.Zs, r) || unicode.Is(unicode.Zl, r) || unicode.Is(unicode.Zp, r)):
			return false
		}
	}
	return strings.TrimSpace(s) == s && norm.NFC.IsNormalString(s)
}

// NormalizeID returns an id, code or other key as chainmap stores it: Unicode NFC,
// white space trimmed at both ends, nothing else changed — an invisible character
// inside an id is refused by validation (BadIDRune) rather than silently removed,
// since the id may already be stored or referred to with it.
func NormalizeID(s string) string {
	if plainText(s) || strings.TrimSpace(s) == s && norm.NFC.IsNormalString(s) {
		return s
	}
	return strings.TrimSpace(norm.NFC.String(s))
}

// BadIDRune returns the first character that an id may not hold and whether there
// is one: a control or invisible format character (U+200B, U+FEFF, U+202E …), a line
// or paragraph separator, any space but the ASCII one, or a space at either end.
// Ids differing only by such a character look the same and would be different
// records.
func BadIDRune(id string) (rune, bool) {
	for i, r := range id {
		switch {
		case r == ' ' && (i == 0 || i == len(id)-1):
			return r, true
		case r == ' ':
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r), unicode.IsSpace(r),
			unicode.In(r, unicode.Zs, unicode.Zl, unicode.Zp):
			return r, true
		}
	}
	return 0, false
}

// runeName writes a character as U+XXXX for messages, where showing it would
// show nothing.
func runeName(r rune) string { return fmt.Sprintf("U+%04X", r) }

func normTexts(ss ...*string) {
	for _, s := range ss {
		*s = NormalizeText(*s)
	}
}

func normIDs(ss ...*string) {
	for _, s := range ss {
		*s = NormalizeID(*s)
	}
}

// normDates trims dates; their form is validated, not repaired.
func normDates(ds ...*Date) {
	for _, d := range ds {
		*d = Date(strings.TrimSpace(string(*d)))
	}
}

// Normalize puts every text field of ds in the form chainmap stores: ids, codes,
// enumerations and dates by NormalizeID, free text by NormalizeText. Every write
// path calls it before validation (imports, the API), so a value stored once is
// read, exported and imported back byte for byte.
func (d *Dataset) Normalize() {
	for _, t := range Tables {
		d.NormalizeTable(t, 0)
	}
}

// NormalizeTable is Normalize for the records of table t from index from on.
func (d *Dataset) NormalizeTable(t Table, from int) {
	switch t {
	case TRegions:
		for i := from; i < len(d.Regions); i++ {
			x := &d.Regions[i]
			normIDs(&x.Code, &x.ParentCode, (*string)(&x.Kind))
			normTexts(&x.Name, &x.Provenance)
		}
	case TRegionGroups:
		for i := from; i < len(d.RegionGroups); i++ {
			x := &d.RegionGroups[i]
			normIDs(&x.GroupCode, &x.RegionCode)
			normTexts(&x.GroupName, &x.Provenance)
		}
	case TClusters:
		for i := from; i < len(d.Clusters); i++ {
			x := &d.Clusters[i]
			normIDs(&x.ID)
			normTexts(&x.Name, &x.NameEN, &x.Provenance)
		}
	case TChains:
		for i := from; i < len(d.Chains); i++ {
			x := &d.Chains[i]
			normIDs(&x.ID, &x.ClusterID)
			normTexts(&x.Name, &x.NameEN, &x.Provenance)
		}
	case TLinks:
		for i := from; i < len(d.Links); i++ {
			x := &d.Links[i]
			normIDs(&x.ID, &x.ChainID, (*string)(&x.Tier), (*string)(&x.Role))
			normTexts(&x.Name, &x.NameEN, &x.Provenance)
		}
	case TLinkFeeds:
		for i := from; i < len(d.Feeds); i++ {
			x := &d.Feeds[i]
			normIDs(&x.From, &x.To)
			normTexts(&x.Provenance)
		}
	case TCompanies:
		for i := from; i < len(d.Companies); i++ {
			d.Companies[i].Normalize()
		}
	case TCompanyLinks:
		for i := from; i < len(d.CompanyLinks); i++ {
			x := &d.CompanyLinks[i]
			normIDs(&x.CompanyID, &x.LinkID)
			normTexts(&x.Products, &x.Provenance)
		}
	case TLeaders:
		for i := from; i < len(d.Leaders); i++ {
			x := &d.Leaders[i]
			normIDs(&x.CompanyID, &x.ChainID)
			normTexts(&x.Provenance)
		}
	case TSupplies:
		for i := from; i < len(d.Supplies); i++ {
			x := &d.Supplies[i]
			normIDs(&x.SupplierID, &x.CustomerID, &x.LinkID, (*string)(&x.Evidence))
			normTexts(&x.Product, &x.Provenance)
			normDates(&x.Since, &x.Until)
		}
	case TProjects:
		for i := from; i < len(d.Projects); i++ {
			d.Projects[i].Normalize()
		}
	case TProjectLog:
		for i := from; i < len(d.ProjectEvents); i++ {
			d.ProjectEvents[i].Normalize()
		}
	}
}

// Normalize is Dataset.Normalize for one company.
func (x *Company) Normalize() {
	normIDs(&x.ID, &x.RegionCode)
	normTexts(&x.Name, &x.Provenance)
	normDates(&x.FoundedOn)
	for i := range x.Tags {
		x.Tags[i] = Tag(NormalizeText(string(x.Tags[i])))
	}
}

// Normalize is Dataset.Normalize for one project.
func (x *Project) Normalize() {
	normIDs(&x.ID, &x.CompanyID, &x.LinkID, &x.RegionCode, &x.SourceRegionCode, (*string)(&x.Stage))
	normTexts(&x.Name, &x.Provenance)
	normDates(&x.SignedOn, &x.StartedOn, &x.ProducingOn, &x.AtCapacityOn, &x.PlannedStartOn, &x.PlannedProduceOn)
}

// Normalize is Dataset.Normalize for one history entry.
func (x *ProjectEvent) Normalize() {
	normIDs(&x.ProjectID, &x.At, (*string)(&x.From), (*string)(&x.To))
	normTexts(&x.Who, &x.Note, &x.Provenance)
	normDates(&x.On)
}
