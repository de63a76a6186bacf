// Code below was transcribed from the project's reference research (chains.json
// version 2026-11-22 and companies.json); it is plain data, edit it here.

package zhenjiang

import "github.com/chainmap/chainmap/graph"

// linkProv is the provenance of every researched link and feed: the link lists are
// proposed structures built from public descriptions of each industry, not official
// Zhenjiang 五图 maps.
const linkProv = "reconstruction: link list proposed from public descriptions of the industry (not an official Zhenjiang 五图 map)"

// clusters are the four industrial clusters of 四群八链.
var clusters = []graph.Cluster{
	{ID: "C_HEM", Name: "高端装备制造", NameEN: "High-end equipment manufacturing", Provenance: "seed: seed 000: 高端装备制造、新材料两个产业集群分别突破千亿元; 新华日报 2021-09-27 (http://pc.jiangsuxk.cn/detail/5gPwQtV9) targets per cluster"},
	{ID: "C_NM", Name: "新材料", NameEN: "New materials", Provenance: "seed: seed 000 (cluster > 1000亿); seed 001 京口 高性能铝合金新材料"},
	{ID: "C_DE", Name: "数字经济", NameEN: "Digital economy", Provenance: "reconstruction: 新华日报 2021-09-27 第八次党代会 targets name exactly 高端装备制造、新材料、数字经济、生命健康 (http://pc.jiangsuxk.cn/detail/5gPwQtV9); js.010b.com '高端装备制造、新材料、生命健康、数字经济等为主导的4+4产业体系' (https://js.010b.com/info/detail/64124.html); seed 000 '数字产业集群'. Alternative reading (新能源 as 4th cluster) not supported by any source found."},
	{ID: "C_LH", Name: "生命健康", NameEN: "Life & health", Provenance: "reconstruction: 新华日报 2021-09-27 (生命健康产业主营业务收入超500亿元 target); seed 000 丹阳 生物制药与医疗器械"},
}

// chains are the eight key chains; all are Key.
var chains = []graph.Chain{
	{ID: "CH_PE", Name: "新型电力装备", NameEN: "New-type power equipment (smart electrical)", ClusterID: "C_HEM", Key: true, Provenance: "seed (876 name); 2021 name 智能电气 = guess: seed 004 names 新型电力装备 as an 876 chain; seed 000 扬中 工程电气; seed 002 经开区 新能源及新型电力装备产业招商局; 876 name: 新型电力装备; researched name: 新型电力装备（原称智能电气，名称为推测）"},
	{ID: "CH_SH", Name: "船舶与海洋工程装备", NameEN: "Shipbuilding & offshore engineering equipment", ClusterID: "C_HEM", Key: true, Provenance: "seed: seed 000: 船舶与海洋工程装备产业链融合发展大会 (2023-07-14); 市长2024-07-05 '船舶海工' (http://zhenjiang.021cf.cn/index.php/post/5209.html); 876 name: 船舶与海工装备（船舶海工）"},
	{ID: "CH_AV", Name: "航空航天", NameEN: "Aviation & aerospace", ClusterID: "C_HEM", Key: true, Provenance: "seed: seed 000 lists the chain segments: 通用飞机为龙头, 通用航空、航空航天新材料、关键部件、发动机动力核心部件、航空机载设备与系统、航空服务; aitewo.net (https://aitewo.net/a410200-show/news-2118.html): '镇江聚力培育的8条重点产业链之一'; 876 name: 航空航天"},
	{ID: "CH_EV", Name: "汽车及零部件（新能源汽车）", NameEN: "Automobiles & parts (new-energy vehicles)", ClusterID: "C_HEM", Key: true, Provenance: "seed: seed 000 '汽车及零部件（新能源汽车）产业链'; seed 004 876 '新能源(智能网联)汽车'; 镇江日报 via https://www.91haoche.net/article/229310.html; 876 name: 新能源（智能网联）汽车"},
	{ID: "CH_HM", Name: "高性能材料", NameEN: "High-performance materials", ClusterID: "C_NM", Key: true, Provenance: "source: 市长2024-07-05 (http://zhenjiang.021cf.cn/index.php/post/5209.html); three boards 高性能合金材料、碳纤维及其复合材料、先进高分子材料 (https://js.cnipai.com/news/detail/172059.html); 876 name: 高性能材料"},
	{ID: "CH_IT", Name: "新一代信息技术（半导体及通信、软件与数字产业）", NameEN: "New-generation IT (semiconductors & communications, software/digital)", ClusterID: "C_DE", Key: true, Provenance: "reconstruction: 市长2024-07-05 '新一代信息技术' as a 新兴产业; seed 000 镇江高新区 半导体芯片设计-封装测试-产品应用; 2021 chain name not found; 876 name: 新一代信息技术"},
	{ID: "CH_BP", Name: "生物医药", NameEN: "Biomedicine / pharmaceuticals", ClusterID: "C_LH", Key: true, Provenance: "reconstruction: seed 000 '生物制药与医疗器械'; 市长2024 '医疗器械和生物医药'; 876 name: 医疗器械和生物医药（可能为一条或两条）"},
	{ID: "CH_MD", Name: "医疗器械", NameEN: "Medical devices", ClusterID: "C_LH", Key: true, Provenance: "reconstruction: seed 000 丹阳 以国药、鱼跃为龙头发挥链主作用; 876 name: 医疗器械和生物医药（可能为一条或两条）"},
}

// linkFact is one researched link with the links its output feeds.
type linkFact struct {
	ID, Chain, Name, NameEN string
	Tier                    graph.Tier
	// Role is judged from the link's name (roleProv): making goods, materials and
	// parts — chip design, ship and aircraft building among them — is production;
	// hospitals and clinics are institutions; distribution, dealers and retail are
	// trade; grid construction is construction; R&D, design, certification, testing,
	// logistics and operation, repair, after-sales, finance, software and platforms
	// are services.
	Role  graph.Role
	Feeds []string
}

// roleProv says where every link's role comes from.
const roleProv = "role: guess from the link's name"

// linkFacts lists the 86 links of the eight key chains in research order.
var linkFacts = []linkFact{
	{"PE_U1", "CH_PE", "电工材料（铜铝导体、硅钢、绝缘材料）", "Electrical materials (Cu/Al conductors, silicon steel, insulation)", graph.Upstream, graph.Production, []string{"PE_M1", "PE_M2", "PE_M3"}},
	{"PE_U2", "CH_PE", "电力电子与元器件（IGBT、传感器、断路器元件）", "Power electronics & components", graph.Upstream, graph.Production, []string{"PE_M2", "PE_M4", "PE_M5"}},
	{"PE_U3", "CH_PE", "大型铸锻件与核级阀门管件", "Large castings/forgings, nuclear-grade valves & fittings", graph.Upstream, graph.Production, []string{"PE_M6"}},
	{"PE_M1", "CH_PE", "输变电设备（变压器、GIS、高压开关）", "Transmission & transformation equipment", graph.Midstream, graph.Production, []string{"PE_D1"}},
	{"PE_M2", "CH_PE", "配电设备（成套开关柜、母线槽、桥架）", "Distribution equipment (switchgear, busways, cable trays)", graph.Midstream, graph.Production, []string{"PE_D1", "PE_D2"}},
	{"PE_M3", "CH_PE", "电线电缆", "Wires & cables", graph.Midstream, graph.Production, []string{"PE_D1", "PE_D2"}},
	{"PE_M4", "CH_PE", "储能系统（电芯集成、PCS、BMS、储能柜）", "Energy-storage systems", graph.Midstream, graph.Production, []string{"PE_D2", "PE_D3"}},
	{"PE_M5", "CH_PE", "智能电网二次设备与控制系统", "Smart-grid secondary equipment & control", graph.Midstream, graph.Production, []string{"PE_D1"}},
	{"PE_M6", "CH_PE", "发电装备（抽蓄/水电机组、重型燃机、核电装备、光伏组件）", "Generation equipment (pumped-storage units, gas turbines, nuclear, PV modules)", graph.Midstream, graph.Production, []string{"PE_D3"}},
	{"PE_D1", "CH_PE", "电网工程与运维", "Grid construction & O&M", graph.Downstream, graph.Construction, []string{}},
	{"PE_D2", "CH_PE", "用户侧配用电（工业园区、建筑、数据中心）", "Customer-side power distribution & use", graph.Downstream, graph.Service, []string{}},
	{"PE_D3", "CH_PE", "电站集成与运营（抽水蓄能、光伏、储能电站）", "Power-plant integration & operation", graph.Downstream, graph.Service, []string{}},
	{"SH_U1", "CH_SH", "船用钢材与配套材料", "Marine steel & materials", graph.Upstream, graph.Production, []string{"SH_M4", "SH_M5"}},
	{"SH_U2", "CH_SH", "船舶与海工设计研发", "Ship & offshore design / R&D", graph.Upstream, graph.Service, []string{"SH_M4", "SH_M5"}},
	{"SH_M1", "CH_SH", "船用动力系统（中速柴油机、双燃料/LNG主机、电推）", "Marine power (medium-speed diesel, dual-fuel/LNG engines, electric propulsion)", graph.Midstream, graph.Production, []string{"SH_M4", "SH_M5"}},
	{"SH_M2", "CH_SH", "推进与甲板机械（螺旋桨、舵桨、液压装备）", "Propulsion & deck machinery (propellers, thrusters, hydraulics)", graph.Midstream, graph.Production, []string{"SH_M4", "SH_M5"}},
	{"SH_M3", "CH_SH", "船舶电气与自动化（配电板、控制、救生设备）", "Marine electrical, automation & life-saving equipment", graph.Midstream, graph.Production, []string{"SH_M4", "SH_M5"}},
	{"SH_M4", "CH_SH", "特种船舶整船建造（全回转拖轮、工程船、公务船）", "Special-purpose ship construction", graph.Midstream, graph.Production, []string{"SH_D1", "SH_D2"}},
	{"SH_M5", "CH_SH", "海工装备制造（海洋工程船、风电安装、平台模块）", "Offshore equipment manufacturing", graph.Midstream, graph.Production, []string{"SH_D1", "SH_D2"}},
	{"SH_D1", "CH_SH", "航运、港口与海上作业运营", "Shipping, port & offshore operations", graph.Downstream, graph.Service, []string{}},
	{"SH_D2", "CH_SH", "修船、改装与维保", "Repair, conversion & maintenance", graph.Downstream, graph.Service, []string{}},
	{"SH_D3", "CH_SH", "船海生产性服务（检验、试航、海事、金融）", "Maritime producer services (survey, sea trials, finance)", graph.Downstream, graph.Service, []string{}},
	{"AV_U1", "CH_AV", "航空航天新材料（航空铝材、高温合金、碳纤维/预浸料）", "Aerospace materials (Al plate, superalloys, CF prepreg)", graph.Upstream, graph.Production, []string{"AV_M1", "AV_M2", "AV_M3"}},
	{"AV_U2", "CH_AV", "研发设计与适航取证", "R&D, design & airworthiness certification", graph.Upstream, graph.Service, []string{"AV_M1", "AV_M4", "AV_M6"}},
	{"AV_M1", "CH_AV", "机体结构件与复合材料结构件", "Airframe & composite structural parts", graph.Midstream, graph.Production, []string{"AV_M5", "AV_M6"}},
	{"AV_M2", "CH_AV", "发动机动力核心部件（叶片、盘轴、机匣）", "Engine core parts (blades, discs, casings)", graph.Midstream, graph.Production, []string{"AV_M5", "AV_M6"}},
	{"AV_M3", "CH_AV", "关键零部件与标准件", "Key parts & standard parts", graph.Midstream, graph.Production, []string{"AV_M5", "AV_M6"}},
	{"AV_M4", "CH_AV", "机载设备与系统（客舱内饰、座椅、救生系统）", "Airborne equipment & systems (cabin interiors, seats, escape systems)", graph.Midstream, graph.Production, []string{"AV_M5", "AV_M6"}},
	{"AV_M5", "CH_AV", "干线/宽体客机部件配套（C919/C929 供应）", "Supply to trunk/wide-body airliner programmes", graph.Midstream, graph.Production, []string{"AV_D3"}},
	{"AV_M6", "CH_AV", "通用飞机与无人机整机制造", "General-aviation aircraft & UAV assembly", graph.Midstream, graph.Production, []string{"AV_D1", "AV_D2"}},
	{"AV_D1", "CH_AV", "通用航空运营与低空经济（通用机场、短途运输）", "General-aviation operation & low-altitude economy", graph.Downstream, graph.Service, []string{}},
	{"AV_D2", "CH_AV", "航空服务（维修MRO、培训、检测）", "Aviation services (MRO, training, testing)", graph.Downstream, graph.Service, []string{}},
	{"AV_D3", "CH_AV", "主机厂总装（域外客户，如中国商飞）", "OEM final assembly outside Zhenjiang (e.g. COMAC)", graph.Downstream, graph.Production, []string{}},
	{"EV_U1", "CH_EV", "锂电材料（正负极、电解液、隔膜、铜铝箔）", "Li-ion materials (cathode/anode, electrolyte, separator, foils)", graph.Upstream, graph.Production, []string{"EV_M1"}},
	{"EV_U2", "CH_EV", "轻量化材料（铝合金、碳纤维复合材料）", "Lightweight materials", graph.Upstream, graph.Production, []string{"EV_M4"}},
	{"EV_U3", "CH_EV", "汽车芯片与电子元器件", "Automotive chips & electronics", graph.Upstream, graph.Production, []string{"EV_M3", "EV_M5"}},
	{"EV_M1", "CH_EV", "动力电池（电芯、模组、PACK）", "Traction battery (cell, module, pack)", graph.Midstream, graph.Production, []string{"EV_M6"}},
	{"EV_M2", "CH_EV", "电驱与动力总成（电机、混动专用变速器、发动机、增压器）", "E-drive & powertrain (motor, DHT, engine, turbo)", graph.Midstream, graph.Production, []string{"EV_M6"}},
	{"EV_M3", "CH_EV", "电控与热管理", "Power electronics control & thermal management", graph.Midstream, graph.Production, []string{"EV_M6"}},
	{"EV_M4", "CH_EV", "车身与底盘零部件", "Body & chassis parts", graph.Midstream, graph.Production, []string{"EV_M6"}},
	{"EV_M5", "CH_EV", "智能座舱与智能网联（传感器、域控、车联网）", "Smart cockpit & connected-vehicle systems", graph.Midstream, graph.Production, []string{"EV_M6"}},
	{"EV_M6", "CH_EV", "整车制造（乘用车、专用车/改装车）", "Vehicle assembly (passenger, special-purpose)", graph.Midstream, graph.Production, []string{"EV_D1", "EV_D2", "EV_D3"}},
	{"EV_D1", "CH_EV", "销售与汽车现代服务业", "Sales & automotive services", graph.Downstream, graph.Trade, []string{}},
	{"EV_D2", "CH_EV", "充换电与能源服务", "Charging/swapping & energy services", graph.Downstream, graph.Service, []string{}},
	{"EV_D3", "CH_EV", "后市场（维保、电池回收与梯次利用）", "After-market (maintenance, battery recycling/second life)", graph.Downstream, graph.Service, []string{}},
	{"HM_U1", "CH_HM", "矿产与基础原料（铝锭、镍钴、原丝前驱体）", "Ores & base feedstock", graph.Upstream, graph.Production, []string{"HM_U2", "HM_M3", "HM_M4"}},
	{"HM_U2", "CH_HM", "冶炼与熔铸", "Smelting & casting", graph.Upstream, graph.Production, []string{"HM_M1", "HM_M2"}},
	{"HM_M1", "CH_HM", "高性能铝合金板带箔与型材", "High-performance Al alloy plate/strip/foil & profiles", graph.Midstream, graph.Production, []string{"HM_M5"}},
	{"HM_M2", "CH_HM", "高温合金与特种钢（模具钢、高速钢、粉末冶金、喷射成形）", "Superalloys & special steels", graph.Midstream, graph.Production, []string{"HM_M5"}},
	{"HM_M3", "CH_HM", "碳纤维及复合材料（原丝、碳化、预浸料）", "Carbon fibre & composites", graph.Midstream, graph.Production, []string{"HM_M5"}},
	{"HM_M4", "CH_HM", "先进高分子与化工新材料（工程塑料、功能膜）", "Advanced polymers & chemical new materials", graph.Midstream, graph.Production, []string{"HM_M5", "HM_D4"}},
	{"HM_M6", "CH_HM", "前沿碳材料（碳纳米管导电剂、石墨烯）", "Frontier carbon materials (CNT conductive agents, graphene)", graph.Midstream, graph.Production, []string{"HM_D2"}},
	{"HM_M5", "CH_HM", "精深加工与构件（锻件、复材构件、精密刀具）", "Deep processing & components", graph.Midstream, graph.Production, []string{"HM_D1", "HM_D2", "HM_D3", "HM_D4"}},
	{"HM_D1", "CH_HM", "航空航天应用", "Aerospace applications", graph.Downstream, graph.Production, []string{}},
	{"HM_D2", "CH_HM", "汽车轻量化与新能源应用", "Automotive lightweighting & new-energy applications", graph.Downstream, graph.Production, []string{}},
	{"HM_D3", "CH_HM", "船舶海工与电力装备应用", "Marine & power-equipment applications", graph.Downstream, graph.Production, []string{}},
	{"HM_D4", "CH_HM", "电子、消费与工业应用", "Electronics, consumer & industrial applications", graph.Downstream, graph.Production, []string{}},
	{"IT_U1", "CH_IT", "芯片设计（含EDA/IP）", "Chip design (incl. EDA/IP)", graph.Upstream, graph.Production, []string{"IT_M1"}},
	{"IT_U2", "CH_IT", "半导体材料与设备", "Semiconductor materials & equipment", graph.Upstream, graph.Production, []string{"IT_M1", "IT_M2"}},
	{"IT_M1", "CH_IT", "晶圆制造", "Wafer fabrication", graph.Midstream, graph.Production, []string{"IT_M2"}},
	{"IT_M2", "CH_IT", "封装测试", "Packaging & testing", graph.Midstream, graph.Production, []string{"IT_M3"}},
	{"IT_M3", "CH_IT", "电子元器件与光电/光学模组", "Electronic components & opto-electronic/optical modules", graph.Midstream, graph.Production, []string{"IT_M4"}},
	{"IT_M4", "CH_IT", "通信与智能终端（5G、北斗导航终端、AR/VR设备）", "Communications & smart terminals", graph.Midstream, graph.Production, []string{"IT_D1", "IT_D3"}},
	{"IT_M5", "CH_IT", "软件、算力与数据服务（数据中心、云、行业大模型）", "Software, computing power & data services", graph.Midstream, graph.Service, []string{"IT_D1", "IT_D2"}},
	{"IT_D1", "CH_IT", "行业数字化应用（工业互联网、智慧交通、智慧城市）", "Industry digital applications", graph.Downstream, graph.Service, []string{}},
	{"IT_D2", "CH_IT", "数字创意与数字内容", "Digital creative & content", graph.Downstream, graph.Service, []string{}},
	{"IT_D3", "CH_IT", "电子产品应用（汽车电子、消费电子）", "Product applications (automotive & consumer electronics)", graph.Downstream, graph.Production, []string{}},
	{"BP_U1", "CH_BP", "药物研发与CRO/CDMO", "Drug R&D, CRO/CDMO", graph.Upstream, graph.Service, []string{"BP_M1", "BP_M2", "BP_M3"}},
	{"BP_U2", "CH_BP", "原料药、中间体与药用辅料", "APIs, intermediates & excipients", graph.Upstream, graph.Production, []string{"BP_M1", "BP_M3"}},
	{"BP_U3", "CH_BP", "生物原料（培养基、酶、细胞株）", "Bioprocess inputs (media, enzymes, cell lines)", graph.Upstream, graph.Production, []string{"BP_M2"}},
	{"BP_M1", "CH_BP", "化学制剂", "Chemical formulations", graph.Midstream, graph.Production, []string{"BP_D1"}},
	{"BP_M2", "CH_BP", "生物制品（疫苗、抗体、诊断试剂）", "Biologics (vaccines, antibodies, diagnostic reagents)", graph.Midstream, graph.Production, []string{"BP_D1", "BP_D3"}},
	{"BP_M3", "CH_BP", "中药与健康产品", "TCM & health products", graph.Midstream, graph.Production, []string{"BP_D1"}},
	{"BP_D1", "CH_BP", "医药流通与零售", "Pharma distribution & retail", graph.Downstream, graph.Trade, []string{"BP_D2"}},
	{"BP_D3", "CH_BP", "第三方医学检验（ICL）", "Independent clinical laboratories", graph.Downstream, graph.Service, []string{"BP_D2"}},
	{"BP_D2", "CH_BP", "医疗服务终端（医院、诊所、养老）", "Healthcare providers", graph.Downstream, graph.Institution, []string{}},
	{"MD_U1", "CH_MD", "医用材料与元器件（医用高分子、金属、传感器）", "Medical-grade materials & components", graph.Upstream, graph.Production, []string{"MD_M1", "MD_M2", "MD_M3", "MD_M4", "MD_M5"}},
	{"MD_U2", "CH_MD", "研发设计、注册检验", "R&D, design, registration testing", graph.Upstream, graph.Service, []string{"MD_M1", "MD_M3", "MD_M4", "MD_M5"}},
	{"MD_M1", "CH_MD", "家用医疗器械（制氧机、血压计、体温计）", "Home medical devices", graph.Midstream, graph.Production, []string{"MD_D2"}},
	{"MD_M2", "CH_MD", "医用耗材", "Medical consumables", graph.Midstream, graph.Production, []string{"MD_D1", "MD_D2"}},
	{"MD_M3", "CH_MD", "康复器械与智能康复（含脑机接口康复）", "Rehabilitation & smart rehab devices", graph.Midstream, graph.Production, []string{"MD_D1", "MD_D2"}},
	{"MD_M4", "CH_MD", "医学影像与诊疗设备", "Imaging & therapeutic equipment", graph.Midstream, graph.Production, []string{"MD_D1"}},
	{"MD_M5", "CH_MD", "体外诊断（IVD）设备与试剂", "In-vitro diagnostics", graph.Midstream, graph.Production, []string{"MD_D1"}},
	{"MD_D1", "CH_MD", "医院与医疗机构", "Hospitals & medical institutions", graph.Downstream, graph.Institution, []string{}},
	{"MD_D2", "CH_MD", "零售药房、电商与家庭用户", "Retail pharmacy, e-commerce & households", graph.Downstream, graph.Trade, []string{}},
	{"MD_D3", "CH_MD", "设备维保与数字健康平台", "Device service & digital-health platforms", graph.Downstream, graph.Service, []string{}},
}

// realFirm is one firm named in the sources. Region is a region code of this
// dataset (321100 when the district is unknown); Link is empty when unknown.
type realFirm struct {
	Name, NameEN, Region, Chain, Link string
	Products                          string
	Leader                            bool // a text calls it 链主/龙头 of Chain
	LeaderBasis                       string
	Tags                              []graph.Tag
	Prov, LinkProv                    string
}

// realFirms are the 41 real firms in research order; their ids are ZJ-REAL-001….
var realFirms = []realFirm{
	{Name: "中船动力镇江有限公司", NameEN: "CSSC Power (Zhenjiang) Co., Ltd.", Region: "321100-GXQ", Chain: "CH_SH", Link: "SH_M1", Products: "中速柴油机, 双燃料机", Leader: false, LeaderBasis: "guess: described as the representative firm (中速柴油机国内市场占比70%) but not called 链主 in any text found", Tags: []graph.Tag{"央企"},
		Prov: "seed: http://www.tomorrow-never-dies.com/chanyeyaowen/31754.html; district: source (district inferred from a 镇江高新区 article that cites it); link: source (中速柴油机, 双燃料机); tags: subsidiary of a central SOE (public knowledge)", LinkProv: "source (中速柴油机, 双燃料机)"},
	{Name: "镇江华核装备有限公司", NameEN: "Zhenjiang Huahe Equipment Co., Ltd.", Region: "321100", Chain: "CH_PE", Link: "PE_U3", Products: "", Leader: false, LeaderBasis: "seed: small high-tech firm (27 invention patents)", Tags: nil,
		Prov: "seed: seed article 001_c84865d6b80c2ef5.txt; district: unknown; link: guess (name suggests nuclear equipment; business not stated in seed)", LinkProv: "guess (name suggests nuclear equipment; business not stated in seed)"},
	{Name: "北汽蓝谷麦格纳汽车有限公司", NameEN: "BAIC BluePark Magna Automobile Co., Ltd.", Region: "321112", Chain: "CH_EV", Link: "EV_M6", Products: "整车", Leader: true, LeaderBasis: "source: '发挥北汽蓝谷麦格纳新能源整车企业龙头作用', anchors the 极狐 supplier alliance (龙头 wording, not literally 链主)", Tags: []graph.Tag{"瞪羚"},
		Prov: "seed: https://www.91haoche.net/article/229310.html; district: source (生态汽车产业园, 丹徒区); link: seed (整车); tags: seed 001: 2022苏南国家自主创新示范区瞪羚企业", LinkProv: "seed (整车)"},
	{Name: "孚能科技（镇江）有限公司", NameEN: "Farasis Energy (Zhenjiang) Co., Ltd.", Region: "321100-JKQ", Chain: "CH_EV", Link: "EV_M1", Products: "三元软包动力锂电池", Leader: false, LeaderBasis: "source: 经开区新能源产业龙头企业 (district-level leader)", Tags: nil,
		Prov: "seed: http://w54.net/public/xinwen.php?s1FRa=2Co0.html; district: source; link: source (三元软包动力锂电池)", LinkProv: "source (三元软包动力锂电池)"},
	{Name: "蜂巢易创 / 蜂巢动力（长城汽车核心零部件，扬中）", NameEN: "Great Wall Motor Honeycomb (SVOLT-affiliated powertrain unit), Yangzhong", Region: "321182", Chain: "CH_EV", Link: "EV_M2", Products: "DHT 混动变速器、发动机", Leader: false, LeaderBasis: "unknown", Tags: nil,
		Prov: "seed: https://ppfocus.com/0/cu9f2694c.html; district: source (扬中蜂巢易创产业园); link: source (DHT 混动变速器、发动机)", LinkProv: "source (DHT 混动变速器、发动机)"},
	{Name: "国药（国药智能康复医疗器械项目 / 国健健康产业发展有限公司）", NameEN: "Sinopharm smart rehabilitation medical-device park (Guojian Health)", Region: "321181", Chain: "CH_MD", Link: "MD_M3", Products: "智能康复医疗器械", Leader: true, LeaderBasis: "seed: '以国药、鱼跃等省重大项目为龙头，积极发挥企业“链主”作用'", Tags: []graph.Tag{"央企"},
		Prov: "seed: http://iv.gtxh.cn/iv/2021/1105/22473.html; district: source (丹阳开发区); link: source (智能康复医疗器械); tags: subsidiary of a central SOE (public knowledge)", LinkProv: "source (智能康复医疗器械)"},
	{Name: "江苏鱼跃医疗设备股份有限公司", NameEN: "Jiangsu Yuwell Medical Equipment & Supply Co., Ltd.", Region: "321181", Chain: "CH_MD", Link: "MD_M1", Products: "家用医疗/制氧/体温计等", Leader: true, LeaderBasis: "seed: 链主 role together with 国药", Tags: []graph.Tag{"上市"},
		Prov: "seed: https://dy001.cn/2020/0509/59894.shtml; district: source; link: source (家用医疗/制氧/体温计等); tags: listed company (public knowledge)", LinkProv: "source (家用医疗/制氧/体温计等)"},
	{Name: "兰卫医学", NameEN: "Lanwei Medical (independent clinical lab)", Region: "321181", Chain: "CH_BP", Link: "BP_D3", Products: "", Leader: false, LeaderBasis: "seed: introduced under 链主 pull", Tags: nil,
		Prov: "seed: http://iv.gtxh.cn/iv/2021/1105/22473.html; district: source; link: guess (ICL)", LinkProv: "guess (ICL)"},
	{Name: "金宇生物", NameEN: "Jinyu Bio-Technology", Region: "321181", Chain: "CH_BP", Link: "BP_M2", Products: "", Leader: false, LeaderBasis: "seed", Tags: nil,
		Prov: "seed: http://iv.gtxh.cn/iv/2021/1105/22473.html; district: source; link: guess (vaccines/biologics)", LinkProv: "guess (vaccines/biologics)"},
	{Name: "中节能太阳能科技（镇江）有限公司", NameEN: "CECEP Solar Energy Technology (Zhenjiang) Co., Ltd.", Region: "321100-JKQ", Chain: "CH_PE", Link: "PE_M6", Products: "晶硅电池/组件", Leader: false, LeaderBasis: "unknown", Tags: []graph.Tag{"央企"},
		Prov: "seed: http://w54.net/public/xinwen.php?s1FRa=2Co0.html; district: source; link: source (晶硅电池/组件); placing PV under 新型电力装备 is a modelling choice (经开区 groups 新能源及新型电力装备); tags: subsidiary of a central SOE (public knowledge)", LinkProv: "source (晶硅电池/组件); placing PV under 新型电力装备 is a modelling choice (经开区 groups 新能源及新型电力装备)"},
	{Name: "镇江贝斯特新材料股份有限公司", NameEN: "Zhenjiang Best New Materials Co., Ltd.", Region: "321100", Chain: "CH_HM", Link: "", Products: "", Leader: false, LeaderBasis: "seed: 专精特新'小巨人'", Tags: []graph.Tag{"专精特新", "小巨人"},
		Prov: "seed: seed article 002_6cee6a0920df3093.txt; district: unknown; link: unknown (R&D in Shanghai, testing/production in Zhenjiang); tags: seed 002: 专精特新'小巨人'", LinkProv: "unknown (R&D in Shanghai, testing/production in Zhenjiang)"},
	{Name: "哈电储能技术创新产业基地（哈电镇江公司）", NameEN: "Harbin Electric energy-storage technology innovation base (HE Zhenjiang)", Region: "321100-GXQ", Chain: "CH_PE", Link: "PE_M6", Products: "", Leader: false, LeaderBasis: "unknown", Tags: []graph.Tag{"央企"},
		Prov: "seed: https://chu21.com/html/chunengy-38032.shtml; district: source; link: guess (pumped-storage / hydro units; seed only says 储能); tags: subsidiary of a central SOE (public knowledge)", LinkProv: "guess (pumped-storage / hydro units; seed only says 储能)"},
	{Name: "哈汽重燃及核电装备生产制造基地（哈尔滨汽轮机）", NameEN: "Harbin Turbine heavy gas-turbine & nuclear equipment base", Region: "321100", Chain: "CH_PE", Link: "PE_M6", Products: "重燃、核电装备", Leader: false, LeaderBasis: "unknown", Tags: []graph.Tag{"央企"},
		Prov: "source: https://www.163.com/dy/article/JCR6H4D4055634P6.html; district: unknown (guess 镇江高新区, next to 哈电); link: source (重燃、核电装备); tags: subsidiary of a central SOE (public knowledge)", LinkProv: "source (重燃、核电装备)"},
	{Name: "江苏远信储能技术有限公司", NameEN: "Jiangsu Yuanxin Energy Storage Technology Co., Ltd.", Region: "321100", Chain: "CH_PE", Link: "PE_M4", Products: "储能", Leader: false, LeaderBasis: "unknown", Tags: nil,
		Prov: "seed: seed article 004_7353c12e103316cd.txt; district: unknown; link: seed (储能; also 876 future industry 新型储能与氢能)", LinkProv: "seed (储能; also 876 future industry 新型储能与氢能)"},
	{Name: "江苏金海星导航科技有限公司", NameEN: "Jiangsu Jinhaixing Navigation Technology Co., Ltd.", Region: "321100", Chain: "CH_IT", Link: "IT_D1", Products: "AI model for transport safety", Leader: false, LeaderBasis: "unknown", Tags: nil,
		Prov: "seed: seed article 004_7353c12e103316cd.txt; district: unknown; link: seed (AI model for transport safety; 876 future industry 人工智能)", LinkProv: "seed (AI model for transport safety; 876 future industry 人工智能)"},
	{Name: "德伽智能光电（镇江）有限公司", NameEN: "Dejia Intelligent Optoelectronics (Zhenjiang) Co., Ltd.", Region: "321100-GXQ", Chain: "CH_IT", Link: "IT_M3", Products: "AR/VR 自由曲面光学器件", Leader: false, LeaderBasis: "unknown", Tags: nil,
		Prov: "seed: https://m.hbxmad.com/newdetail-628724.html; district: source; link: seed (AR/VR 自由曲面光学器件; 876 future industry 元宇宙)", LinkProv: "seed (AR/VR 自由曲面光学器件; 876 future industry 元宇宙)"},
	{Name: "大全集团", NameEN: "Daqo Group", Region: "321182", Chain: "CH_PE", Link: "PE_M2", Products: "输配电设备, 智能输配电设备项目", Leader: false, LeaderBasis: "guess: largest power-equipment firm in 扬中, plausible 链主 but not named as such in sources found", Tags: nil,
		Prov: "source: https://m.fx361.cc/news/2010/0526/20303618.html; district: source; link: source (输配电设备, 智能输配电设备项目)", LinkProv: "source (输配电设备, 智能输配电设备项目)"},
	{Name: "中国能源建设股份有限公司（句容石砀山铜矿抽水蓄能电站投资主体）", NameEN: "China Energy Engineering Corp. (investor, Jurong pumped-storage plant)", Region: "321183", Chain: "CH_PE", Link: "PE_D3", Products: "", Leader: false, LeaderBasis: "project investor", Tags: []graph.Tag{"央企"},
		Prov: "seed: seed article 000_06ac3e11eaac887d.txt; district: seed; link: guess (power-plant operation); tags: subsidiary of a central SOE (public knowledge)", LinkProv: "guess (power-plant operation)"},
	{Name: "国能镇江多能互补一体化综合能源示范项目（国家能源集团）", NameEN: "CHN Energy Zhenjiang multi-energy complementary demonstration project", Region: "321102", Chain: "CH_PE", Link: "PE_D3", Products: "", Leader: false, LeaderBasis: "project", Tags: []graph.Tag{"央企"},
		Prov: "seed: seed article 000_06ac3e11eaac887d.txt; district: seed; link: guess; tags: subsidiary of a central SOE (public knowledge)", LinkProv: "guess"},
	{Name: "微软镇江数字经济创新中心 / 华为镇江数字应用创新中心 / 阿里·和润数字产业园", NameEN: "Microsoft / Huawei / Alibaba innovation centres in Zhenjiang", Region: "321100", Chain: "CH_IT", Link: "IT_M5", Products: "", Leader: false, LeaderBasis: "platforms", Tags: nil,
		Prov: "seed: http://www.jntimes.cn/jsdt/zj/202107/t20210721_7164217.shtml; district: unknown; link: guess", LinkProv: "guess"},
	{Name: "航天海鹰（镇江）特种材料有限公司", NameEN: "CASC Haiying (Zhenjiang) Special Materials Co., Ltd.", Region: "321100-JKQ", Chain: "CH_AV", Link: "AV_M1", Products: "", Leader: false, LeaderBasis: "guess: lead C919 composite supplier (50% of C919 composite structural parts), C929 qualified supplier", Tags: []graph.Tag{"央企"},
		Prov: "source: https://aitewo.net/a410200-show/news-2118.html; district: source; link: source; tags: subsidiary of a central SOE (public knowledge)", LinkProv: "source"},
	{Name: "菲舍尔航空部件（镇江）有限公司", NameEN: "FACC Aerospace Components (Zhenjiang)", Region: "321100-JKQ", Chain: "CH_AV", Link: "AV_M4", Products: "客舱内饰, 机翼结构件", Leader: false, LeaderBasis: "unknown", Tags: nil,
		Prov: "source: http://www.ylptlb.cn/article/1090712.html; district: source; link: source (客舱内饰, 机翼结构件)", LinkProv: "source (客舱内饰, 机翼结构件)"},
	{Name: "美龙航空", NameEN: "Meilong Aviation (cabin interiors)", Region: "321100-JKQ", Chain: "CH_AV", Link: "AV_M4", Products: "", Leader: false, LeaderBasis: "unknown", Tags: nil,
		Prov: "source: http://www.ylptlb.cn/article/1090712.html; district: source; link: source", LinkProv: "source"},
	{Name: "中陆航星航空工业", NameEN: "Zhonglu Hangxing Aviation Industry", Region: "321100-JKQ", Chain: "CH_AV", Link: "AV_M6", Products: "", Leader: false, LeaderBasis: "unknown", Tags: nil,
		Prov: "source: https://js.izst.com/yuanqu/detail/5445/intro; district: source; link: guess", LinkProv: "guess"},
	{Name: "逸帆航空", NameEN: "Yifan Aviation", Region: "321100-JKQ", Chain: "CH_AV", Link: "AV_M4", Products: "", Leader: false, LeaderBasis: "unknown", Tags: nil,
		Prov: "source: https://js.izst.com/yuanqu/detail/5445/intro; district: source; link: guess (救生系统 listed among park products)", LinkProv: "guess (救生系统 listed among park products)"},
	{Name: "镇江大路通用机场", NameEN: "Zhenjiang Dalu General Aviation Airport", Region: "321100-JKQ", Chain: "CH_AV", Link: "AV_D1", Products: "", Leader: false, LeaderBasis: "infrastructure", Tags: nil,
		Prov: "source: http://www.ylptlb.cn/article/1090712.html; district: source; link: source", LinkProv: "source"},
	{Name: "爱励铝业（镇江）/ 爱励鼎胜", NameEN: "Aleris (now Novelis) Aluminum Zhenjiang", Region: "321100-JKQ", Chain: "CH_HM", Link: "HM_M1", Products: "航空铝板", Leader: false, LeaderBasis: "unknown", Tags: []graph.Tag{"外资"},
		Prov: "source: https://js.cnipai.com/news/detail/172059.html; district: guess; link: source (航空铝板; also feeds AV_U1); tags: foreign-invested (public knowledge)", LinkProv: "source (航空铝板; also feeds AV_U1)"},
	{Name: "江苏恒神股份有限公司", NameEN: "Jiangsu Hengshen Co., Ltd. (carbon fibre)", Region: "321181", Chain: "CH_HM", Link: "HM_M3", Products: "T300/T700/T800 碳纤维", Leader: false, LeaderBasis: "unknown", Tags: nil,
		Prov: "source: http://polymer.cn/polymernews/2010-8-19/_201081994627816.htm; district: source; link: source (T300/T700/T800 碳纤维)", LinkProv: "source (T300/T700/T800 碳纤维)"},
	{Name: "江苏豪然喷射成形合金有限公司", NameEN: "Jiangsu Haoran Spray Forming Alloy Co., Ltd.", Region: "321181", Chain: "CH_HM", Link: "HM_M2", Products: "", Leader: false, LeaderBasis: "unknown", Tags: nil,
		Prov: "source: https://js.cnipai.com/news/detail/172059.html; district: guess (丹阳高性能合金产业园); link: source", LinkProv: "source"},
	{Name: "天工国际 / 天工集团", NameEN: "Tiangong International", Region: "321181", Chain: "CH_HM", Link: "HM_M2", Products: "", Leader: false, LeaderBasis: "guess: sector leader (模具钢/高速钢, 粉末冶金)", Tags: []graph.Tag{"上市"},
		Prov: "source: https://dy001.cn/2020/0509/59894.shtml; district: source; link: source; tags: listed company (public knowledge)", LinkProv: "source"},
	{Name: "江苏天奈科技股份有限公司", NameEN: "Jiangsu Cnano Technology Co., Ltd.", Region: "321100-JKQ", Chain: "CH_HM", Link: "HM_M6", Products: "石墨烯与碳纳米管复合导电剂", Leader: false, LeaderBasis: "unknown", Tags: []graph.Tag{"上市"},
		Prov: "source: https://js.cnipai.com/news/detail/172059.html; district: guess; link: source (石墨烯与碳纳米管复合导电剂); tags: listed company (public knowledge)", LinkProv: "source (石墨烯与碳纳米管复合导电剂)"},
	{Name: "晶海新材料", NameEN: "Jinghai New Materials", Region: "321100", Chain: "CH_HM", Link: "HM_M2", Products: "单晶涡轮叶片", Leader: false, LeaderBasis: "unknown", Tags: nil,
		Prov: "source: https://js.cnipai.com/news/detail/172059.html; district: unknown; link: source (单晶涡轮叶片; also AV_M2)", LinkProv: "source (单晶涡轮叶片; also AV_M2)"},
	{Name: "江苏省镇江船厂（集团）有限公司", NameEN: "Jiangsu Zhenjiang Shipyard (Group) Co., Ltd.", Region: "321100-GXQ", Chain: "CH_SH", Link: "SH_M4", Products: "", Leader: false, LeaderBasis: "guess: national single-champion product (全回转工作船 70% share)", Tags: nil,
		Prov: "source: http://www.tomorrow-never-dies.com/chanyeyaowen/31754.html; district: source; link: source", LinkProv: "source"},
	{Name: "鹰普流体科技（镇江）", NameEN: "IPE fluid technology (Zhenjiang) high-end hydraulics project", Region: "321100-GXQ", Chain: "CH_SH", Link: "SH_M2", Products: "摆线马达、移动液压", Leader: false, LeaderBasis: "unknown", Tags: nil,
		Prov: "source: http://www.tomorrow-never-dies.com/chanyeyaowen/31754.html; district: source; link: source (摆线马达、移动液压)", LinkProv: "source (摆线马达、移动液压)"},
	{Name: "中国能建华东电力装备有限公司", NameEN: "Energy China East China Power Equipment Co.", Region: "321100-GXQ", Chain: "CH_PE", Link: "PE_M1", Products: "辅机、母线、海上变电站", Leader: false, LeaderBasis: "unknown", Tags: []graph.Tag{"央企"},
		Prov: "source: http://news.jsw.com.cn/zjnews/2014-08/02/content_3108844.htm; district: source; link: source (辅机、母线、海上变电站); tags: subsidiary of a central SOE (public knowledge)", LinkProv: "source (辅机、母线、海上变电站)"},
	{Name: "奥克斯电力设备产业园（扬中）", NameEN: "AUX power-equipment industrial park (Yangzhong)", Region: "321182", Chain: "CH_PE", Link: "PE_M2", Products: "智能电气元器件", Leader: false, LeaderBasis: "unknown", Tags: nil,
		Prov: "source: https://jsnews.jschina.com.cn/jsyw/202105/t20210504_2775278.shtml; district: source; link: source (智能电气元器件)", LinkProv: "source (智能电气元器件)"},
	{Name: "镇江澳盛轻量化汽车科技有限公司", NameEN: "Zhenjiang Aosheng Lightweight Automotive Technology Co., Ltd.", Region: "321112", Chain: "CH_EV", Link: "EV_U2", Products: "碳纤维汽车零部件", Leader: false, LeaderBasis: "unknown", Tags: nil,
		Prov: "source: https://szb.jsw.com.cn/ZJRB/PC/content/202405/30/content_311457.html; district: source (丹徒高新园); link: source (碳纤维汽车零部件)", LinkProv: "source (碳纤维汽车零部件)"},
	{Name: "麦格纳卫蓝新能源汽车技术（镇江）有限公司", NameEN: "Magna BluePark NEV Technology (Zhenjiang)", Region: "321112", Chain: "CH_EV", Link: "EV_M6", Products: "整车/三电试验中心", Leader: false, LeaderBasis: "unknown", Tags: nil,
		Prov: "source: https://app.myzaker.com/article/5c3da6821bc8e0f31a0005c1; district: source; link: source (整车/三电试验中心)", LinkProv: "source (整车/三电试验中心)"},
	{Name: "镇江成泰自动化技术有限公司", NameEN: "Zhenjiang Chengtai Automation Technology", Region: "321100", Chain: "CH_EV", Link: "EV_M1", Products: "动力电池全极耳智能装配线 = equipment supplier", Leader: false, LeaderBasis: "unknown", Tags: nil,
		Prov: "source: http://jsnews.jschina.com.cn/zj/a/201901/t20190103_2149754.shtml; district: unknown; link: source (动力电池全极耳智能装配线 = equipment supplier)", LinkProv: "source (动力电池全极耳智能装配线 = equipment supplier)"},
	{Name: "江苏奥雷光电有限公司", NameEN: "Jiangsu Aolei Optoelectronics", Region: "321100-JKQ", Chain: "CH_IT", Link: "IT_M3", Products: "", Leader: false, LeaderBasis: "unknown", Tags: nil,
		Prov: "source: https://m.hbxmad.com/newdetail-628724.html; district: source; link: guess", LinkProv: "guess"},
	{Name: "明月镜片集团", NameEN: "Mingyue Lens Group", Region: "321181", Chain: "CH_EY", Link: "EY_M1", Products: "", Leader: false, LeaderBasis: "traditional industry 眼镜 (876 '6')", Tags: nil,
		Prov: "source: https://www.xinzixun.cn/news/china/2021/11/09/00006978.html; district: source; link: guess: 明月 makes spectacle lenses (镜片); the 眼镜 chain itself is a synthetic structure of this dataset", LinkProv: "guess: 明月 makes spectacle lenses (镜片); the 眼镜 chain itself is a synthetic structure of this dataset"},
}
