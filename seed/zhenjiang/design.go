package zhenjiang

import "github.com/chainmap/chainmap/graph"

// Status is the local strength a link is designed to show for 镇江市 as a whole.
type Status string

const (
	// Strong: three or more local firms, and local customers buy most (≈80%) of this
	// link's goods from local suppliers.
	Strong Status = "strong"
	// Moderate: two or three local firms; about half of local purchases are local.
	Moderate Status = "moderate"
	// Weak: one local firm, or local customers buy mostly (≈80%) from outside.
	Weak Status = "weak"
	// Missing (缺链): no local firm, and the link does not sit between two locally
	// present links (it is a source or a sink of the chain, or isolated).
	Missing Status = "missing"
	// Broken (断链): no local firm although local firms sit both upstream and
	// downstream of it along feeds.
	Broken Status = "broken"
)

// localShare is the chance that a local customer's purchase of a link's goods goes
// to a local supplier of that link, by the link's status.
var localShare = map[Status]float64{Strong: 0.8, Moderate: 0.5, Weak: 0.2}

// outsideFirms is how many outside firms each link gets: more where the city is
// short, so missing and broken links have a list of outside 客商 to approach.
var outsideFirms = map[Status]int{Strong: 2, Moderate: 3, Weak: 4, Missing: 5, Broken: 5}

// linkPlan is the designed local presence of one link.
type linkPlan struct {
	Link   string
	Status Status
	Local  int    // synthetic local firms added; real firms (in comments) come on top
	Word   string // short product word for synthetic firm and project names
}

// plan is the design of the demo: per chain, which links are strong, moderate,
// weak, missing or broken for the city as a whole. Real firms named in the sources
// are noted; they count towards the local presence.
//
//	chain  strong                 weak                   missing        broken
//	CH_PE  U1 M2 M3 M6            U2 U3                  D2             M5 (U2 → M5 → D1)
//	CH_SH  M3 M4                  U1 M2 D2               U2 D3          M5 (M1–M3 → M5 → D1/D2)
//	CH_AV  M1 M4 D1               U1 M2 M6 D2            U2 D3          M3 (U1 → M3 → M5/M6)
//	CH_EV  M1 M4 M6               U3 M2 M5 D2 D3         U1             M3 (U3 → M3 → M6)
//	CH_HM  M1 M2 M5               U1 M3 M6 D3            D4             M4 (U1 → M4 → M5)
//	CH_IT  M3 M5 D1               M2 M4                  U2 D2          M1 (U1 → M1 → M2)
//	CH_BP  M2 D1                  U1 D3 D2               U3             M1 (U1/U2 → M1 → D1)
//	CH_MD  U1 M1 M2 M3            U2 M5 D2               D3             M4 (U1 → M4 → D1)
//	CH_EY  M1 M2 (non-key chain)
//
// Links not listed are moderate. Real firms (noted per line) count towards presence.
var plan = []linkPlan{
	// 新型电力装备: 扬中 switchgear and cables are strong; power electronics are bought in.
	{"PE_U1", Strong, 5, "电工材料"},
	{"PE_U2", Weak, 1, "电力电子"},
	{"PE_U3", Weak, 0, "铸锻件"},       // 华核
	{"PE_M1", Moderate, 2, "输变电设备"}, // 能建华东
	{"PE_M2", Strong, 6, "配电设备"},    // 大全, 奥克斯
	{"PE_M3", Strong, 5, "电线电缆"},
	{"PE_M4", Moderate, 1, "储能系统"}, // 远信
	{"PE_M5", Broken, 0, "电网二次设备"},
	{"PE_M6", Strong, 2, "发电装备"}, // 中节能, 哈电, 哈汽
	{"PE_D1", Moderate, 2, "电网工程"},
	{"PE_D2", Missing, 0, "配用电服务"},
	{"PE_D3", Moderate, 1, "电站运营"}, // 中国能建, 国能

	// 船舶海工: 整船 and 扬中 marine electrical strong; no local offshore-equipment yard.
	{"SH_U1", Weak, 1, "船用钢材"},
	{"SH_U2", Missing, 0, "船舶设计"},
	{"SH_M1", Moderate, 2, "船用动力"}, // 中船动力
	{"SH_M2", Weak, 0, "甲板机械"},     // 鹰普
	{"SH_M3", Strong, 5, "船舶电气"},
	{"SH_M4", Strong, 3, "船舶制造"}, // 镇江船厂
	{"SH_M5", Broken, 0, "海工装备"},
	{"SH_D1", Moderate, 2, "航运"},
	{"SH_D2", Weak, 1, "修船"},
	{"SH_D3", Missing, 0, "船舶检验服务"},

	// 航空航天: 经开区 composites, cabin systems and general aviation strong.
	{"AV_U1", Weak, 1, "航空材料"},
	{"AV_U2", Missing, 0, "航空设计"},
	{"AV_M1", Strong, 3, "航空结构件"}, // 航天海鹰
	{"AV_M2", Weak, 1, "航空发动机部件"},
	{"AV_M3", Broken, 0, "航空标准件"},
	{"AV_M4", Strong, 2, "机载设备"}, // 菲舍尔, 美龙, 逸帆
	{"AV_M5", Moderate, 2, "大飞机部件"},
	{"AV_M6", Weak, 0, "通用飞机"},   // 中陆航星
	{"AV_D1", Strong, 3, "通用航空"}, // 大路机场
	{"AV_D2", Weak, 1, "航空维修"},
	{"AV_D3", Missing, 0, "商用飞机总装"},

	// 新能源汽车: batteries, body parts (丹阳) and vehicles strong; no local
	// electronic-control/thermal firm between local chips and the vehicle plants.
	{"EV_U1", Missing, 0, "锂电材料"},
	{"EV_U2", Moderate, 1, "轻量化部件"}, // 澳盛
	{"EV_U3", Weak, 1, "汽车电子"},
	{"EV_M1", Strong, 2, "动力电池"}, // 孚能, 成泰
	{"EV_M2", Weak, 0, "电驱动力总成"}, // 蜂巢
	{"EV_M3", Broken, 0, "电控热管理"},
	{"EV_M4", Strong, 6, "汽车零部件"},
	{"EV_M5", Weak, 1, "智能座舱"},
	{"EV_M6", Strong, 1, "专用汽车"}, // 北汽蓝谷麦格纳, 麦格纳卫蓝
	{"EV_D1", Moderate, 2, "汽车销售服务"},
	{"EV_D2", Weak, 1, "充换电"},
	{"EV_D3", Weak, 1, "电池回收"},

	// 高性能材料: 丹阳 alloys and 京口/经开区 aluminium strong; no polymer maker.
	{"HM_U1", Weak, 1, "金属原料"},
	{"HM_U2", Moderate, 2, "合金熔铸"},
	{"HM_M1", Strong, 3, "铝合金"},  // 爱励
	{"HM_M2", Strong, 3, "特种合金"}, // 豪然, 天工, 晶海
	{"HM_M3", Weak, 0, "碳纤维复材"},  // 恒神
	{"HM_M4", Broken, 0, "高分子材料"},
	{"HM_M6", Weak, 0, "碳纳米材料"}, // 天奈
	{"HM_M5", Strong, 5, "精密锻件"},
	{"HM_D1", Moderate, 2, "航空零件"},
	{"HM_D2", Moderate, 2, "轻量化应用"},
	{"HM_D3", Weak, 1, "装备构件"},
	{"HM_D4", Missing, 0, "电子材料应用"},

	// 新一代信息技术: 高新区 design → packaging → application, but no wafer fab.
	{"IT_U1", Moderate, 2, "芯片设计"},
	{"IT_U2", Missing, 0, "半导体材料"},
	{"IT_M1", Broken, 0, "晶圆制造"},
	{"IT_M2", Weak, 1, "封装测试"},
	{"IT_M3", Strong, 3, "光电器件"}, // 德伽, 奥雷
	{"IT_M4", Weak, 1, "智能终端"},
	{"IT_M5", Strong, 4, "软件"},    // 微软/华为/阿里 centres
	{"IT_D1", Strong, 3, "工业互联网"}, // 金海星
	{"IT_D2", Missing, 0, "数字内容"},
	{"IT_D3", Moderate, 2, "汽车电子应用"},

	// 生物医药: 丹阳 biologics and distribution strong; no chemical-formulation plant.
	{"BP_U1", Weak, 1, "医药研发"},
	{"BP_U2", Moderate, 2, "原料药"},
	{"BP_U3", Missing, 0, "生物原料"},
	{"BP_M1", Broken, 0, "化学制剂"},
	{"BP_M2", Strong, 3, "生物制品"}, // 金宇
	{"BP_M3", Moderate, 2, "中药"},
	{"BP_D1", Strong, 4, "医药流通"},
	{"BP_D3", Weak, 0, "医学检验"}, // 兰卫
	{"BP_D2", Weak, 1, "医疗服务"},

	// 医疗器械: 丹阳 is strong around 鱼跃 and 国药; imaging is bought in.
	{"MD_U1", Strong, 4, "医用材料"},
	{"MD_U2", Weak, 1, "医疗器械研发"},
	{"MD_M1", Strong, 3, "家用医疗器械"}, // 鱼跃
	{"MD_M2", Strong, 4, "医用耗材"},
	{"MD_M3", Strong, 3, "康复器械"}, // 国药
	{"MD_M4", Broken, 0, "医学影像设备"},
	{"MD_M5", Weak, 1, "体外诊断"},
	{"MD_D1", Moderate, 2, "医疗机构"},
	{"MD_D2", Weak, 1, "医疗器械零售"},
	{"MD_D3", Missing, 0, "数字健康"},

	// 眼镜 (non-key traditional chain): 丹阳 is strong throughout.
	{"EY_U1", Moderate, 2, "光学材料"},
	{"EY_M1", Strong, 4, "镜片"}, // 明月
	{"EY_M2", Strong, 4, "眼镜架"},
	{"EY_D1", Moderate, 2, "眼镜"},
}

// The non-key traditional chain 眼镜 gives 明月镜片 a home and makes the on-chain
// share meaningful (a project on it is not on a key chain). Its links are a guess.
const eyewearProv = "guess: synthetic link structure for the 876 traditional industry 眼镜 (丹阳)"

var eyewearCluster = graph.Cluster{ID: "C_TR", Name: "传统产业", NameEN: "Traditional industries",
	Provenance: "seed 004: 876 includes 6大传统产业 (冶金、眼镜 named); cluster grouping is a guess"}

var eyewearChain = graph.Chain{ID: "CH_EY", Name: "眼镜", NameEN: "Eyewear", ClusterID: "C_TR", Key: false,
	Provenance: "seed 004: 眼镜 is one of the 6大传统产业 of 876; not a key chain"}

var eyewearLinks = []linkFact{
	{"EY_U1", "CH_EY", "光学材料（树脂单体、光学玻璃、镜架板材）", "Optical materials (resin monomers, optical glass, frame sheet)", graph.Upstream, graph.Production, []string{"EY_M1", "EY_M2"}},
	{"EY_M1", "CH_EY", "镜片", "Spectacle lenses", graph.Midstream, graph.Production, []string{"EY_D1"}},
	{"EY_M2", "CH_EY", "镜架与配件", "Frames & accessories", graph.Midstream, graph.Production, []string{"EY_D1"}},
	{"EY_D1", "CH_EY", "眼镜批发零售与视光服务", "Eyewear wholesale, retail & optometry", graph.Downstream, graph.Trade, nil},
}

// chainDistricts weighs the 板块 where a chain's synthetic local firms and projects
// land: 扬中 power equipment, 丹阳 medical devices/alloys/eyewear, 经开区 aviation and
// new energy, 高新区 ships and IT, 丹徒 vehicles.
var chainDistricts = map[string][]weighted{
	"CH_PE": {{codeYangzhong, 55}, {codeGXQ, 15}, {codeJKQ, 15}, {codeDanyang, 10}, {codeJurong, 5}},
	"CH_SH": {{codeGXQ, 40}, {codeYangzhong, 25}, {codeDantu, 20}, {codeJingkou, 15}},
	"CH_AV": {{codeJKQ, 70}, {codeDanyang, 10}, {codeJurong, 10}, {codeGXQ, 10}},
	"CH_EV": {{codeDantu, 35}, {codeDanyang, 30}, {codeJKQ, 20}, {codeYangzhong, 15}},
	"CH_HM": {{codeDanyang, 40}, {codeJKQ, 30}, {codeJingkou, 25}, {codeJurong, 5}},
	"CH_IT": {{codeGXQ, 45}, {codeRunzhou, 20}, {codeJKQ, 20}, {codeJingkou, 15}},
	"CH_BP": {{codeDanyang, 35}, {codeJKQ, 30}, {codeJurong, 20}, {codeJingkou, 15}},
	"CH_MD": {{codeDanyang, 80}, {codeJKQ, 10}, {codeRunzhou, 10}},
	"CH_EY": {{codeDanyang, 100}},
}

// Intents returns the designed status of every link, keyed by link id.
func Intents() map[string]Status {
	m := make(map[string]Status, len(plan))
	for _, p := range plan {
		m[p.Link] = p.Status
	}
	return m
}
