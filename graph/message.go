package graph

import (
	"fmt"
)

// Problem codes: every user-facing reason a record is rejected. The catalogue below
// holds their Chinese and English texts; %s placeholders are filled from Problem.Args.
const (
	PRequired       = "required"
	PDuplicate      = "duplicate"
	PUnknownRef     = "unknown_ref"
	PBadEnum        = "bad_enum"
	PBadNumber      = "bad_number"
	PBadInteger     = "bad_integer"
	PNegative       = "negative"
	PBadDate        = "bad_date"
	PBadBool        = "bad_bool"
	PUSCCLength     = "uscc_length"
	PUSCCChar       = "uscc_char"
	PUSCCCheck      = "uscc_check"
	PBadTag         = "bad_tag"
	PSelfRef        = "self_ref"
	PFeedCycle      = "feed_cycle"
	PRegionCycle    = "region_cycle"
	PRange01        = "range_0_1"
	PDateOrder      = "date_order"
	PStageDate      = "stage_date_missing"
	PStageDateExtra = "stage_date_extra"
	PGroupName      = "group_name_conflict"
	PMissingHeader  = "missing_header"
	PUnknownHeader  = "unknown_header"
	PDupHeader      = "duplicate_header"
	PUnknownTable   = "unknown_table"
	PTooLong        = "too_long"
	PBadFile        = "bad_file"
	PTooManyRows    = "too_many_rows"
	PFutureDate     = "future_date"
	PAbsurd         = "absurd_value"
	PBadTimestamp   = "bad_timestamp"
	PCorrectionNote = "correction_note"
	PControlChar    = "control_char"
	PFormulaNoValue = "formula_no_value"
	PErrorValue     = "error_value"
)

var catalogue = map[string][2]string{
	PRequired:       {"必填，不能为空", "is required"},
	PDuplicate:      {"编号重复（首次出现在第%s行）", "duplicate key (first seen in row %s)"},
	PUnknownRef:     {"引用的%s不存在", "refers to a %s that does not exist"},
	PBadEnum:        {"取值无效，可选：%s", "invalid value, expected one of: %s"},
	PBadNumber:      {"不是有效的数字", "is not a valid number"},
	PBadInteger:     {"不是有效的整数", "is not a valid whole number"},
	PNegative:       {"不能为负数", "must not be negative"},
	PBadDate:        {"不是有效的日期（应为 2024-01-31 格式）", "is not a valid date (expected e.g. 2024-01-31)"},
	PBadBool:        {"应为 是/否（true/false）", "expected yes/no (true/false)"},
	PUSCCLength:     {"统一社会信用代码应为18位", "a unified social credit code has 18 characters"},
	PUSCCChar:       {"统一社会信用代码第%s位字符“%s”无效", "unified social credit code: character %s (%s) is not allowed"},
	PUSCCCheck:      {"统一社会信用代码校验位错误，应为“%s”", "unified social credit code: wrong check character, expected %s"},
	PBadTag:         {"标签“%s”不在允许的标签表中：%s", "tag %q is not in the vocabulary: %s"},
	PSelfRef:        {"不能引用自身", "must not refer to itself"},
	PFeedCycle:      {"产业链 %s 的环节供需关系形成闭环：%s", "link feeds in chain %s form a cycle: %s"},
	PRegionCycle:    {"地区上下级关系形成闭环：%s", "region hierarchy forms a cycle: %s"},
	PRange01:        {"应在 0 到 1 之间", "must be between 0 and 1"},
	PDateOrder:      {"日期早于%s（%s）", "date is before %s (%s)"},
	PStageDate:      {"阶段为“%s”时必须填写该日期", "is required when the stage is %s"},
	PStageDateExtra: {"阶段为“%s”时尚未到达该阶段，不应填写该日期", "must be empty: stage %s has not reached it"},
	PGroupName:      {"同一分组编号的名称不一致（此前为“%s”）", "group name differs from earlier rows of the same group (%q)"},
	PMissingHeader:  {"缺少列 %s", "missing column %s"},
	PUnknownHeader:  {"无法识别的列名", "unrecognised column"},
	PDupHeader:      {"列名重复", "duplicate column"},
	PUnknownTable:   {"无法识别的表（工作表/文件名），可用：%s", "unrecognised table (sheet/file name), expected one of: %s"},
	PTooLong:        {"内容过长（最多 %s 个字符）", "text too long (at most %s characters)"},
	PBadFile:        {"文件无法读取：%s", "file cannot be read: %s"},
	PTooManyRows:    {"行数超过上限 %s", "more rows than the limit of %s"},
	PFutureDate:     {"日期晚于今天", "date is in the future"},
	PAbsurd:         {"数值超出合理范围（上限 %s）", "value is out of the plausible range (max %s)"},
	PBadTimestamp:   {"不是有效的时间（应为 2024-01-31T09:30:00+08:00 格式）", "is not a valid timestamp (expected e.g. 2024-01-31T09:30:00+08:00)"},
	PCorrectionNote: {"更正需要说明原因", "a correction needs a note saying why"},
	PControlChar:    {"编号含不可见的控制字符", "the id contains invisible control characters"},
	PFormulaNoValue: {"公式没有计算结果%s，请在 Excel 中打开并保存后再导入", "formula has no computed value%s; open and save the file in Excel before importing"},
	PErrorValue:     {"单元格是错误值 %s，请在 Excel 中修正公式后再导入", "the cell holds the error value %s; fix the formula in Excel before importing"},
}

// Text renders the catalogue message code in lang ("en", otherwise Chinese).
func Text(lang, code string, args ...string) string {
	m, ok := catalogue[code]
	if !ok {
		return code
	}
	tmpl := m[0]
	if lang == "en" {
		tmpl = m[1]
	}
	a := make([]any, len(args))
	for i, s := range args {
		a[i] = s
	}
	return fmt.Sprintf(tmpl, a...)
}
