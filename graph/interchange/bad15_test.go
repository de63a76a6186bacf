package interchange

// hostileCases are the inputs of issue 15: numbers, dates, ids, encodings, hidden
// sheets, text normalisation and resource limits that were mangled or accepted.
func hostileCases() []badCase {
	return []badCase{
		// #9: ids are measured in characters; a character named in a message is whole.
		{name: "ok_chinese_company_id", check: wantName("镇江鱼跃医疗", "六个汉字编号的企业")},
		{name: "uscc_chinese_char", want: []string{"companies.csv:2:id:uscc_char"}},
	}
}
