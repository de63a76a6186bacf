package interchange

import (
	"strings"
)

// Markdown renders the tables and columns of the format as the reference section of
// docs/format.md, so the documentation is generated from the same definitions the
// reader uses.
func Markdown() string {
	var b strings.Builder
	for _, f := range Formats {
		b.WriteString("### `" + string(f.Table) + "` — " + strings.Join(f.Aliases, " / ") + "\n\n")
		b.WriteString(f.NoteZH + "。" + f.NoteEN + ".\n\n")
		b.WriteString("| column | 中文列名 | required | 说明 / notes | values |\n|---|---|---|---|---|\n")
		for _, c := range f.Columns {
			req := ""
			if c.Required {
				req = "✓"
			}
			note := strings.TrimSpace(strings.Join([]string{c.NoteZH, c.NoteEN}, " "))
			b.WriteString("| `" + c.Name + "` | " + strings.Join(c.Aliases, " / ") + " | " + req + " | " +
				strings.ReplaceAll(note, "|", "\\|") + " | " + strings.Join(c.Enum, ", ") + " |\n")
		}
		b.WriteString("\n")
	}
	return b.String()
}
