package zhenjiang

import "github.com/chainmap/chainmap/graph"

// Region codes used by the generators.
const (
	codeJiangsu   = "320000"
	codeCity      = "321100" // 镇江市, the administration using chainmap
	codeJingkou   = "321102"
	codeRunzhou   = "321111"
	codeDantu     = "321112"
	codeDanyang   = "321181"
	codeYangzhong = "321182"
	codeJurong    = "321183"
	// The two development zones have no GB/T 2260 code; these are invented.
	codeJKQ = "321100-JKQ" // 镇江经开区（镇江新区）
	codeGXQ = "321100-GXQ" // 镇江高新区

	codeShanghai  = "310000"
	codeSuzhou    = "320500"
	codeNanjing   = "320100"
	codeChangzhou = "320400"
	codeWuxi      = "320200"
	codeHefei     = "340100"
	codeShenzhen  = "440300"
	codeBeijing   = "110000"
	codeGuangzhou = "440100"
	codeDongguan  = "441900"
	codeFoshan    = "440600"
	codeZhuhai    = "440400"
	codeHangzhou  = "330100"
	codeNingbo    = "330200"
	codeWuhan     = "420100"
	codeChengdu   = "510100"
	codeXian      = "610100"
	codeHongKong  = "810000"
	codeGermany   = "DE"
	codeJapan     = "JP"
)

const (
	provGB   = "GB/T 2260 administrative division code"
	provZone = "not a GB/T 2260 unit: code invented for chainmap (镇江经开区 and 镇江新区 are one zone; newer texts use 经开区)"
)

// regions lists the province, the city, its districts and zones, and the outside
// places that supply firms and projects.
var regions = []graph.Region{
	{Code: codeJiangsu, Name: "江苏省", Kind: graph.Province, Provenance: provGB},
	{Code: codeCity, Name: "镇江市", ParentCode: codeJiangsu, Kind: graph.City, Provenance: provGB},
	{Code: codeJingkou, Name: "京口区", ParentCode: codeCity, Kind: graph.District, Provenance: provGB},
	{Code: codeRunzhou, Name: "润州区", ParentCode: codeCity, Kind: graph.District, Provenance: provGB},
	{Code: codeDantu, Name: "丹徒区", ParentCode: codeCity, Kind: graph.District, Provenance: provGB},
	{Code: codeDanyang, Name: "丹阳市", ParentCode: codeCity, Kind: graph.District, Provenance: provGB},
	{Code: codeYangzhong, Name: "扬中市", ParentCode: codeCity, Kind: graph.District, Provenance: provGB},
	{Code: codeJurong, Name: "句容市", ParentCode: codeCity, Kind: graph.District, Provenance: provGB},
	{Code: codeJKQ, Name: "镇江经开区（镇江新区）", ParentCode: codeCity, Kind: graph.Zone, Provenance: provZone},
	{Code: codeGXQ, Name: "镇江高新区", ParentCode: codeCity, Kind: graph.Zone, Provenance: provZone},

	{Code: codeSuzhou, Name: "苏州", ParentCode: codeJiangsu, Kind: graph.External, Provenance: provGB},
	{Code: codeNanjing, Name: "南京", ParentCode: codeJiangsu, Kind: graph.External, Provenance: provGB},
	{Code: codeChangzhou, Name: "常州", ParentCode: codeJiangsu, Kind: graph.External, Provenance: provGB},
	{Code: codeWuxi, Name: "无锡", ParentCode: codeJiangsu, Kind: graph.External, Provenance: provGB},
	{Code: codeShanghai, Name: "上海", Kind: graph.External, Provenance: provGB},
	{Code: codeHangzhou, Name: "杭州", Kind: graph.External, Provenance: provGB},
	{Code: codeNingbo, Name: "宁波", Kind: graph.External, Provenance: provGB},
	{Code: codeHefei, Name: "合肥", Kind: graph.External, Provenance: provGB},
	{Code: codeBeijing, Name: "北京", Kind: graph.External, Provenance: provGB},
	{Code: codeShenzhen, Name: "深圳", Kind: graph.External, Provenance: provGB},
	{Code: codeGuangzhou, Name: "广州", Kind: graph.External, Provenance: provGB},
	{Code: codeDongguan, Name: "东莞", Kind: graph.External, Provenance: provGB},
	{Code: codeFoshan, Name: "佛山", Kind: graph.External, Provenance: provGB},
	{Code: codeZhuhai, Name: "珠海", Kind: graph.External, Provenance: provGB},
	{Code: codeWuhan, Name: "武汉", Kind: graph.External, Provenance: provGB},
	{Code: codeChengdu, Name: "成都", Kind: graph.External, Provenance: provGB},
	{Code: codeXian, Name: "西安", Kind: graph.External, Provenance: provGB},
	{Code: codeHongKong, Name: "香港", Kind: graph.External, Provenance: provGB},
	{Code: codeGermany, Name: "德国", Kind: graph.External, Provenance: "ISO 3166-1 alpha-2 country code (foreign place)"},
	{Code: codeJapan, Name: "日本", Kind: graph.External, Provenance: "ISO 3166-1 alpha-2 country code (foreign place)"},
}

// Region groups used to aggregate project sources.
const (
	groupGBA = "GBA"
	groupYRD = "YRD"
	groupJJJ = "JJJ"
)

// groupMembers lists the members of each region group present in this dataset.
var groupMembers = []struct {
	code, name, prov string
	members          []string
}{
	{groupGBA, "大湾区", "粤港澳大湾区发展规划纲要 (2019): members present in this dataset",
		[]string{codeShenzhen, codeGuangzhou, codeDongguan, codeFoshan, codeZhuhai, codeHongKong}},
	{groupYRD, "长三角", "长江三角洲区域一体化发展规划纲要 (2019) central-area cities present in this dataset",
		[]string{codeShanghai, codeSuzhou, codeNanjing, codeChangzhou, codeWuxi, codeHangzhou, codeNingbo, codeHefei, codeCity}},
	{groupJJJ, "京津冀", "京津冀协同发展: members present in this dataset", []string{codeBeijing}},
}

// regionGroups flattens groupMembers into one record per member.
func regionGroups() []graph.RegionGroupMember {
	var out []graph.RegionGroupMember
	for _, g := range groupMembers {
		for _, m := range g.members {
			out = append(out, graph.RegionGroupMember{GroupCode: g.code, GroupName: g.name, RegionCode: m, Provenance: g.prov})
		}
	}
	return out
}

// localUnits are the 板块 firms and projects land in.
var localUnits = []string{codeJingkou, codeRunzhou, codeDantu, codeDanyang, codeYangzhong, codeJurong, codeJKQ, codeGXQ}

// placeName is the place word in a synthetic firm's name.
var placeName = map[string]string{
	codeJingkou: "镇江", codeRunzhou: "镇江", codeDantu: "镇江", codeJKQ: "镇江", codeGXQ: "镇江", codeCity: "镇江",
	codeDanyang: "丹阳", codeYangzhong: "扬中", codeJurong: "句容",
	codeShanghai: "上海", codeSuzhou: "苏州", codeNanjing: "南京", codeChangzhou: "常州", codeWuxi: "无锡",
	codeHefei: "合肥", codeShenzhen: "深圳", codeBeijing: "北京", codeGuangzhou: "广州", codeDongguan: "东莞",
	codeFoshan: "佛山", codeZhuhai: "珠海", codeHangzhou: "杭州", codeNingbo: "宁波", codeWuhan: "武汉",
	codeChengdu: "成都", codeXian: "西安", codeHongKong: "香港", codeGermany: "德国", codeJapan: "日本",
}

// weighted is a region (or other choice) with a relative weight.
type weighted struct {
	code string
	w    float64
}

// outsideFirmRegions weighs where outside firms sit: mostly 长三角, then 深圳/北京.
var outsideFirmRegions = []weighted{
	{codeShanghai, 20}, {codeSuzhou, 12}, {codeNanjing, 8}, {codeChangzhou, 8}, {codeWuxi, 7},
	{codeHangzhou, 5}, {codeNingbo, 4}, {codeHefei, 5}, {codeShenzhen, 8}, {codeGuangzhou, 3},
	{codeDongguan, 3}, {codeFoshan, 2}, {codeZhuhai, 2}, {codeBeijing, 5}, {codeWuhan, 3},
	{codeChengdu, 2}, {codeXian, 3}, {codeHongKong, 1}, {codeGermany, 2}, {codeJapan, 2},
}

// Project source pools: mainland non-大湾区 (上海 largest, per the articles), 大湾区
// mainland, and foreign places (香港 counts as foreign investment, as in 外资 statistics).
var (
	domesticSources = []weighted{
		{codeShanghai, 24}, {codeSuzhou, 12}, {codeNanjing, 10}, {codeChangzhou, 9}, {codeBeijing, 10},
		{codeWuxi, 7}, {codeHangzhou, 6}, {codeNingbo, 4}, {codeHefei, 5}, {codeWuhan, 4},
		{codeChengdu, 3}, {codeXian, 3},
	}
	gbaMainlandSources = []weighted{{codeShenzhen, 10}, {codeGuangzhou, 4}, {codeDongguan, 3}, {codeFoshan, 2}, {codeZhuhai, 2}}
	hongKongSource     = []weighted{{codeHongKong, 1}}
	overseasSources    = []weighted{{codeGermany, 1}, {codeJapan, 1}}
)

// isForeignSource says whether a project from this place is foreign investment.
func isForeignSource(code string) bool {
	return code == codeHongKong || code == codeGermany || code == codeJapan
}
