// Package interchange reads and writes chainmap's interchange format: one .xlsx
// workbook with a sheet per table, or a folder of .csv files named after the tables.
// Headers are the English column names or their Chinese aliases (docs/format.md).
package interchange

import (
	"strconv"
	"strings"

	"github.com/chainmap/chainmap/graph"
)

// Column describes one column of a table.
type Column struct {
	Name     string   // the English header, as exports write it
	Aliases  []string // Chinese headers accepted on import; the first is the display name
	Required bool     // the header must be present (the value may still be optional)
	Enum     []string // allowed canonical values, for dropdowns and notes
	NoteZH   string
	NoteEN   string
}

// TableFormat describes one table: its sheet/file names and columns in order.
type TableFormat struct {
	Table   graph.Table
	Aliases []string // Chinese sheet/file names; the first is the display name
	Columns []Column
	NoteZH  string
	NoteEN  string
}

func col(name, zh string, req bool, noteZH, noteEN string, more ...string) Column {
	return Column{Name: name, Aliases: append([]string{zh}, more...), Required: req, NoteZH: noteZH, NoteEN: noteEN}
}

func enumCol(c Column, values []string) Column { c.Enum = values; return c }

var provenance = col("provenance", "来源", false, "数据来源：文章、网址或 synthetic（合成）", "where the record comes from: article, URL or synthetic", "数据来源")

// Formats lists every table of the interchange format in dependency order.
var Formats = []TableFormat{
	{Table: graph.TRegions, Aliases: []string{"地区"}, NoteZH: "行政区划与园区，按上级编码形成层级", NoteEN: "regions and zones, a hierarchy by parent code",
		Columns: []Column{
			col("code", "地区编码", true, "GB/T 2260 编码；园区等可自定", "GB/T 2260 code where one exists"),
			col("name", "地区名称", true, "", ""),
			col("parent_code", "上级编码", false, "上级地区编码", "code of the parent region", "上级地区编码"),
			enumCol(col("kind", "地区类型", true, "province 省 / city 市 / district 区县 / zone 园区 / external 外部", "", "类型"), graph.RegionKinds),
			provenance,
		}},
	{Table: graph.TRegionGroups, Aliases: []string{"地区分组"}, NoteZH: "大湾区、长三角等地区分组，每个成员一行", NoteEN: "named region groups, one row per member",
		Columns: []Column{
			col("group_code", "分组编码", true, "", ""),
			col("group_name", "分组名称", true, "", ""),
			col("region_code", "地区编码", true, "", ""),
			provenance,
		}},
	{Table: graph.TClusters, Aliases: []string{"产业集群", "集群"}, NoteZH: "产业集群", NoteEN: "industrial clusters",
		Columns: []Column{
			col("id", "集群编号", true, "", ""),
			col("name", "集群名称", true, "", ""),
			col("name_en", "英文名称", false, "", ""),
			provenance,
		}},
	{Table: graph.TChains, Aliases: []string{"产业链"}, NoteZH: "产业链；key 表示重点产业链", NoteEN: "industrial chains; key marks designated key chains",
		Columns: []Column{
			col("id", "产业链编号", true, "", ""),
			col("name", "产业链名称", true, "", ""),
			col("name_en", "英文名称", false, "", ""),
			col("cluster_id", "集群编号", true, "所属产业集群", "the chain's cluster"),
			enumCol(col("key", "是否重点链", false, "是/否", "true/false", "重点链"), []string{"true", "false"}),
			provenance,
		}},
	{Table: graph.TLinks, Aliases: []string{"环节", "产业链环节"}, NoteZH: "产业链环节，层级为上游/中游/下游，环节类型为生产/服务/贸易/机构/建设", NoteEN: "chain links with their tier and kind of activity",
		Columns: []Column{
			col("id", "环节编号", true, "", ""),
			col("chain_id", "产业链编号", true, "", ""),
			col("name", "环节名称", true, "", ""),
			col("name_en", "英文名称", false, "", ""),
			enumCol(col("tier", "层级", true, "upstream 上游 / midstream 中游 / downstream 下游", "", "上中下游"), graph.Tiers),
			enumCol(col("role", "环节类型", false,
				"production 生产（默认）/ service 服务 / trade 贸易（流通、零售）/ institution 机构（医院、学校、公共机构）/ construction 建设（施工、安装）；空 = production",
				"kind of activity; empty = production", "角色", "环节角色"), graph.Roles),
			provenance,
		}},
	{Table: graph.TLinkFeeds, Aliases: []string{"环节供需", "环节关系"}, NoteZH: "供给环节 → 需求环节；同一产业链内不得成环", NoteEN: "supplier link → customer link; no cycle within a chain",
		Columns: []Column{
			col("from_link_id", "供给环节编号", true, "", "", "上游环节编号"),
			col("to_link_id", "需求环节编号", true, "", "", "下游环节编号"),
			provenance,
		}},
	{Table: graph.TCompanies, Aliases: []string{"企业"}, NoteZH: "企业；18位编号须为有效的统一社会信用代码", NoteEN: "companies; an 18-character id must be a valid unified social credit code",
		Columns: []Column{
			col("id", "企业编号", true, "统一社会信用代码或自定编号", "unified social credit code or own id", "统一社会信用代码"),
			col("name", "企业名称", true, "", ""),
			col("region_code", "地区编码", true, "企业所在地区", "where the company is located", "所在地区编码"),
			col("revenue_wan", "营业收入（万元）", false, "", "annual revenue, 10k RMB", "营收（万元）", "营业收入"),
			col("employees", "员工人数", false, "", "", "从业人数"),
			col("founded_on", "成立日期", false, "如 2015-06-30", "e.g. 2015-06-30"),
			col("tags", "企业标签", false, "以 ; 或 ；分隔："+graph.TagNames("、"), "separated by ;", "标签"),
			provenance,
		}},
	{Table: graph.TCompanyLinks, Aliases: []string{"企业环节"}, NoteZH: "企业所在的产业链环节及其产品", NoteEN: "links a company operates in, with products",
		Columns: []Column{
			col("company_id", "企业编号", true, "", ""),
			col("link_id", "环节编号", true, "", ""),
			col("products", "主要产品", false, "", "", "产品"),
			provenance,
		}},
	{Table: graph.TLeaders, Aliases: []string{"链主", "链主企业"}, NoteZH: "链主企业", NoteEN: "chain leaders",
		Columns: []Column{
			col("company_id", "企业编号", true, "", ""),
			col("chain_id", "产业链编号", true, "", ""),
			provenance,
		}},
	{Table: graph.TSupplies, Aliases: []string{"供应关系", "供货关系"}, NoteZH: "供应商 → 客户；since/until 为首次与最近一次观察到的日期", NoteEN: "supplier → customer; since/until: first and last observed",
		Columns: []Column{
			col("supplier_id", "供应商编号", true, "", ""),
			col("customer_id", "客户编号", true, "", ""),
			col("link_id", "环节编号", false, "所供产品所属环节", "link of what is supplied"),
			col("product", "产品", false, "", "", "供货产品"),
			col("amount_wan", "金额（万元）", false, "年供货金额", "annual amount, 10k RMB", "供货金额（万元）"),
			enumCol(col("evidence", "证据类型", false, "observed 观察到 / inferred 推断；默认 observed", "default observed", "证据"), graph.Evidences),
			col("confidence", "置信度", false, "0 到 1；默认 observed 为 1、inferred 为 0.5", "0–1; default 1 for observed, 0.5 for inferred"),
			col("since", "首次观察日期", false, "", "first observed", "起始日期"),
			col("until", "最近观察日期", false, "", "last observed", "截止日期"),
			provenance,
		}},
	{Table: graph.TProjects, Aliases: []string{"招商项目", "项目"}, NoteZH: "招商项目；阶段日期须与阶段一致且不倒退", NoteEN: "investment projects; stage dates must match the stage and not go back",
		Columns: []Column{
			col("id", "项目编号", true, "", ""),
			col("name", "项目名称", true, "", ""),
			col("company_id", "企业编号", false, "投资企业（可空）", "investing company (optional)"),
			col("link_id", "环节编号", false, "为空表示不在产业链上", "empty: not on a chain"),
			col("region_code", "落地地区编码", true, "项目落地的板块", "district the project lands in", "落地板块"),
			col("investment_yi", "投资额（亿元）", true, "协议投资，亿元，最多4位小数", "agreed investment, 100m RMB", "协议投资（亿元）", "投资额"),
			enumCol(col("foreign", "是否外资", false, "是/否", "true/false", "外资"), []string{"true", "false"}),
			col("source_region_code", "来源地区编码", false, "投资方来源地", "where the investor comes from", "来源地"),
			enumCol(col("stage", "阶段", true, "negotiating 在谈 / signed 签约 / started 开工 / producing 投产 / at_capacity 达产 / dropped 终止", "", "项目阶段"), graph.Stages),
			col("signed_on", "签约日期", false, "", ""),
			col("started_on", "开工日期", false, "", ""),
			col("producing_on", "投产日期", false, "", ""),
			col("at_capacity_on", "达产日期", false, "", "", "达效日期"),
			col("planned_start_on", "计划开工日期", false, "", ""),
			col("planned_producing_on", "计划投产日期", false, "", ""),
			provenance,
		}},
	{Table: graph.TProjectLog, Aliases: []string{"项目进展记录", "项目历史"}, NoteZH: "项目阶段变更记录（只增不改）；导入新项目或阶段变化时自动追加", NoteEN: "project stage history (append-only); imports add an entry for every new or moved project",
		Columns: []Column{
			col("project_id", "项目编号", true, "", ""),
			col("seq", "序号", false, "该项目的第几条记录；空 = 追加", "n-th event of the project; empty = append"),
			col("at", "记录时间", true, "如 2024-01-31T09:30:00+08:00", "e.g. 2024-01-31T09:30:00+08:00"),
			col("who", "记录人", true, "", ""),
			enumCol(col("from_stage", "原阶段", false, "", ""), graph.Stages),
			enumCol(col("to_stage", "新阶段", true, "", ""), graph.Stages),
			col("on", "到达日期", false, "到达新阶段的日期", "the day the stage was reached"),
			col("note", "说明", false, "", ""),
			enumCol(col("correction", "是否更正", false, "回退或更正时为 是", "true for a move back or a fix"), []string{"true", "false"}),
			provenance,
		}},
}

// FormatOf returns the format of table t.
func FormatOf(t graph.Table) *TableFormat {
	for i := range Formats {
		if Formats[i].Table == t {
			return &Formats[i]
		}
	}
	return nil
}

// normalize folds the spellings officials use for the same header or sheet name:
// case, spaces, full-width brackets and an "(万元)"-style unit in either bracket.
func normalize(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	r := strings.NewReplacer("（", "(", "）", ")", " ", "", "\u3000", "", "_", "", "-", "")
	return r.Replace(s)
}

// tableFor finds the table a sheet or file base name stands for.
func tableFor(name string) (*TableFormat, bool) {
	n := normalize(name)
	for i := range Formats {
		f := &Formats[i]
		if n == normalize(string(f.Table)) {
			return f, true
		}
		for _, a := range f.Aliases {
			if n == normalize(a) {
				return f, true
			}
		}
	}
	return nil, false
}

// columnFor finds the column a header names, or -1.
func (f *TableFormat) columnFor(header string) int {
	n := normalize(header)
	for i, c := range f.Columns {
		if n == normalize(c.Name) {
			return i
		}
		for _, a := range c.Aliases {
			if n == normalize(a) {
				return i
			}
		}
	}
	return -1
}

// ignoredHeader reports headers of free-text note columns that imports skip.
func ignoredHeader(h string) bool {
	n := normalize(h)
	return strings.HasPrefix(n, "#") || n == "备注" || n == "note" || n == "notes" || n == "remark" || n == "remarks"
}

// TableNames returns every table's English name for messages.
func TableNames() string {
	s := make([]string, len(Formats))
	for i, f := range Formats {
		s[i] = string(f.Table) + "(" + f.Aliases[0] + ")"
	}
	return strings.Join(s, ", ")
}

func fmtFloat(f float64) string {
	if f == 0 {
		return ""
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}
