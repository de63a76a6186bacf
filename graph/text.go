package graph

// Problem codes of the hostile-input checks (issue 15). They belong with the others
// in message.go; they are registered from here so that the owners of that file and
// of these checks do not edit one file at once.
const (
	PBadEncoding = "bad_encoding"
)

func init() {
	for code, m := range map[string][2]string{
		PBadEncoding: {"文本编码无效：从这一行起不是有效的 %s 文本（文件前面的部分是），请将整个文件另存为 UTF-8 CSV",
			"invalid text encoding: from this row on the file is not valid %s (the rows before it are); save the whole file as UTF-8 CSV"},
	} {
		catalogue[code] = m
	}
}
