// Package productkg imports a product knowledge graph of Chinese listed companies
// (the "chainkg" format of liuhuanyong/ChainKnowledgeGraph: JSON Lines, UTF-8) and
// reports every fix it made to the data in a Cleaning report.
//
// # Files
//
// Load reads from one directory, LoadFS from the root of an fs.FS (JSON Lines, one
// object a line; blank lines skipped):
//
//	company.json                       {"name","fullname","code","location","time"}      required
//	product.json                       {"name"}                                          required
//	company_product[.reconstructed].jsonl / company_product.json
//	                                   {"company_code","product_name","rel":"主营产品","rel_weight"}  required
//	product_product[.reconstructed].jsonl / product_product.json
//	                                   {"from_entity","to_entity","rel"}                 required
//	industry.json, industry_industry.json, company_industry.json                         optional
//
// industry_up.json (industry-level upstream counts) is not read.
//
// # Relations
//
//   - "A 上游材料 B": B is a raw material of A (Product.Materials of A holds B).
//   - "A 下游产品 B": B is a downstream product of A, so A is a raw material of B; the
//     edge is turned round into "B 上游材料 A" and counted (downstream_reversed).
//   - "A 产品小类 B": B is a sub-product (sub-category) of A (Product.SubProducts).
//   - company "主营产品" product with rel_weight: the product's share of the company's
//     revenue (Make.Share, 0–1).
//
// # Cleaning rules
//
// Every fix is counted in Cleaning, with the first MaxExamples examples.
//
//   - Names (products, companies, industries): the literal escapes `\n`, `\r`, `\t`
//     found in the dump and real whitespace are both treated as whitespace, and `\"`
//     is unescaped to `"`. A run of whitespace containing a line break is a line-wrap
//     artefact and is removed; any other run is removed between two Han characters
//     ("绿化工 程施工" → "绿化工程施工") and collapsed to one space elsewhere ("LED 显示屏"
//     stays); leading and trailing whitespace and zero-width characters are dropped
//     (name_cleaned, counted once per distinct raw name). A name that is empty after
//     cleaning drops its record (empty_name). Product names that become equal after
//     cleaning are merged (duplicate_product).
//   - Stock codes: the six digits are kept as Company.Code; suffixes and prefixes such
//     as .SH/.SZ/.BJ/SH/SZ/.XSHG/.XSHE are stripped (code_suffix, counted per record in
//     every file). The exchange is the suffix's when given, otherwise taken from the
//     first digit (6/9 → SH, 0/2/3 → SZ, 4/8 → BJ). A code without six digits drops
//     its record (bad_code). The "location" field is ignored (one record holds a date).
//   - Duplicate codes (duplicate_code, one per extra record: 68 extra records over 53
//     codes in the real data, mostly a company's old and new name): among the records
//     of one code, the first record whose full name is consistent with its short name
//     wins (at least half the short name's characters, ignoring *ST/ST/PT/退市 prefixes
//     and A/B share-class suffixes, occur in the full name), else the first record.
//     File order puts the current name first (海尔智家 over 青岛海尔, 中信特钢 over
//     大冶特钢). When even the winner's full name is inconsistent (688078 龙软科技 with
//     "中国交通建设股份有限公司") it is cleared and the short name used
//     (fullname_mismatch). This is checked for duplicated codes only, where records
//     are known to be conflated; elsewhere a mismatch is usually a renamed company.
//   - rel_weight: a negative weight (-59 … 0, nearly all inter-segment eliminations
//     such as 分部间抵销) drops the company→product edge (weight_negative); a weight
//     above 1 is clamped to 1, as no product exceeds the whole revenue
//     (weight_clamped); a missing, NaN or infinite weight keeps the edge with share 0,
//     meaning unknown (weight_invalid). Zero weights are kept.
//   - Accounting line items that are not products (names containing 抵销/抵消/抵减, or
//     平衡项目, 调整项目, 合计, 小计, 总计) drop their company→product edge
//     (accounting_item) after the weight rules.
//   - An edge naming an unknown company, product or industry is dropped
//     (dangling_ref); an edge from a product to itself is dropped (self_loop); a
//     repeated edge is merged, keeping the larger share (duplicate_edge); an unknown
//     relation drops its line (unknown_relation); a line that is not a JSON object is
//     skipped (bad_line).
//   - Cycles among material edges (material_cycle) and sub-product edges
//     (subproduct_cycle) are counted per strongly connected component and kept: the
//     graph is loaded as published, and analysis/derive breaks the cycles it meets.
package productkg
