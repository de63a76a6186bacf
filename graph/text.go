package graph

// Problem codes of the hostile-input checks (issue 15). They belong with the others
// in message.go; they are registered from here so that the owners of that file and
// of these checks do not edit one file at once.
const (
	PBadEncoding = "bad_encoding"
	PDupTable    = "duplicate_table"
	PHiddenSheet = "hidden_sheet"
)

func init() {
	for code, m := range map[string][2]string{
		PBadEncoding: {"文本编码无效：从这一行起不是有效的 %s 文本（文件前面的部分是），请将整个文件另存为 UTF-8 CSV",
			"invalid text encoding: from this row on the file is not valid %s (the rows before it are); save the whole file as UTF-8 CSV"},
		PDupTable: {"与“%s”是同一张表，一次导入中只能有一个", "is the same table as %s; one import may hold it only once"},
		PHiddenSheet: {"工作表已隐藏（%s），在 Excel 中看不到其中的行，因此不导入；请取消隐藏后检查，或删除该工作表",
			"the sheet is hidden (%s): nobody sees its rows in Excel, so they are not imported; unhide and check it, or delete it"},
	} {
		catalogue[code] = m
	}
}
