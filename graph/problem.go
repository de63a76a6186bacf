package graph

import (
	"fmt"
	"strconv"
	"strings"
)

// Problem is one located reason why a dataset cannot be stored. Location fields are
// filled as far as they are known: validation knows the table, record index and
// column; the reader that parsed the file adds the file name and source row.
type Problem struct {
	Table  Table  `json:"table"`
	Index  int    `json:"-"`              // position in the dataset's table, -1 when none
	File   string `json:"file,omitempty"` // sheet or file the record came from
	Row    int    `json:"row,omitempty"`  // 1-based row in the sheet/file, header is row 1
	Column string `json:"column,omitempty"`
	Value  string `json:"value,omitempty"`
	Code   string `json:"code"`
	// Args fill the placeholders of the catalogue message for Code.
	Args []string `json:"args,omitempty"`
	// enArgs replace Args in English where an argument is itself a word (a table noun).
	enArgs []string
}

// Message returns the problem's reason in lang ("zh" or "en").
func (p Problem) Message(lang string) string {
	if lang == "en" && p.enArgs != nil {
		return Text(lang, p.Code, p.enArgs...)
	}
	return Text(lang, p.Code, p.Args...)
}

// Location renders where the problem is, e.g. `companies.csv 第12行 列 region_code`.
func (p Problem) Location(lang string) string {
	var b strings.Builder
	switch {
	case p.File != "":
		b.WriteString(p.File)
	default:
		b.WriteString(string(p.Table))
	}
	if p.Row > 0 {
		if lang == "en" {
			b.WriteString(" row " + strconv.Itoa(p.Row))
		} else {
			b.WriteString(" 第" + strconv.Itoa(p.Row) + "行")
		}
	} else if p.Index >= 0 && p.Row == 0 && p.Table != "" {
		if lang == "en" {
			b.WriteString(" record " + strconv.Itoa(p.Index+1))
		} else {
			b.WriteString(" 第" + strconv.Itoa(p.Index+1) + "条")
		}
	}
	if p.Column != "" {
		if lang == "en" {
			b.WriteString(" column " + p.Column)
		} else {
			b.WriteString(" 列 " + p.Column)
		}
	}
	return b.String()
}

// String renders the problem in Chinese then English, the form the CLI prints.
func (p Problem) String() string {
	v := ""
	if p.Value != "" {
		v = fmt.Sprintf(" %q", truncate(p.Value, 60))
	}
	return fmt.Sprintf("%s%s: %s / %s", p.Location("zh"), v, p.Message("zh"), p.Message("en"))
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
