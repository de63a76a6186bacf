package synthetic

import "github.com/chainmap/chainmap/graph"

// linkTemplate is one link of a chain template.
type linkTemplate struct {
	name, en string
	tier     graph.Tier
}

// chainTemplate is a realistic industrial chain whose links, in tier order, seed a
// generated chain. Chains beyond the templates reuse them with a numbered name.
type chainTemplate struct {
	name, en string
	cluster  int // index into clusterNames
	links    []linkTemplate
}

var clusterNames = []struct{ name, en string }{
	{"先进制造", "Advanced manufacturing"},
	{"电子信息", "Electronics and information"},
	{"生命健康", "Life and health"},
	{"绿色能源", "Green energy"},
	{"现代轻工", "Modern light industry"},
}

func up(name, en string) linkTemplate   { return linkTemplate{name, en, graph.Upstream} }
func mid(name, en string) linkTemplate  { return linkTemplate{name, en, graph.Midstream} }
func down(name, en string) linkTemplate { return linkTemplate{name, en, graph.Downstream} }

var chainTemplates = []chainTemplate{
	{"新能源汽车", "New energy vehicles", 0, []linkTemplate{
		up("锂矿资源", "Lithium resources"), up("正极材料", "Cathode materials"), up("负极材料", "Anode materials"),
		up("电解液", "Electrolyte"), up("隔膜", "Separators"),
		mid("动力电池", "Traction batteries"), mid("驱动电机", "Drive motors"), mid("电控系统", "Electronic controls"),
		mid("汽车芯片", "Automotive chips"),
		down("整车制造", "Vehicle assembly"), down("充电设施", "Charging infrastructure"), down("汽车后市场", "Aftermarket"),
	}},
	{"集成电路", "Integrated circuits", 1, []linkTemplate{
		up("硅片", "Silicon wafers"), up("电子特气", "Electronic special gases"), up("光刻胶", "Photoresist"),
		up("半导体设备", "Semiconductor equipment"),
		mid("芯片设计", "Chip design"), mid("晶圆制造", "Wafer fabrication"), mid("封装测试", "Packaging and testing"),
		down("消费电子", "Consumer electronics"), down("汽车电子", "Automotive electronics"), down("工业控制", "Industrial control"),
	}},
	{"生物医药", "Biomedicine", 2, []linkTemplate{
		up("原料药", "Active pharmaceutical ingredients"), up("医药中间体", "Pharmaceutical intermediates"),
		up("药用辅料", "Excipients"), up("实验试剂", "Laboratory reagents"),
		mid("化学药制剂", "Chemical drugs"), mid("生物制品", "Biologics"), mid("医疗器械", "Medical devices"),
		mid("中药", "Traditional Chinese medicine"),
		down("医药流通", "Pharmaceutical distribution"), down("医疗服务", "Medical services"),
	}},
	{"光伏", "Photovoltaics", 3, []linkTemplate{
		up("多晶硅", "Polysilicon"), up("单晶硅片", "Monocrystalline wafers"), up("光伏玻璃", "PV glass"), up("银浆", "Silver paste"),
		mid("电池片", "Solar cells"), mid("光伏组件", "PV modules"), mid("逆变器", "Inverters"),
		down("电站开发", "Power plant development"), down("运维服务", "Operation and maintenance"),
	}},
	{"工业机器人", "Industrial robots", 0, []linkTemplate{
		up("精密减速器", "Precision reducers"), up("伺服电机", "Servo motors"), up("运动控制器", "Motion controllers"),
		up("传感器", "Sensors"),
		mid("机器人本体", "Robot bodies"), mid("系统集成", "System integration"),
		down("汽车制造应用", "Automotive applications"), down("电子制造应用", "Electronics applications"),
	}},
	{"纺织服装", "Textiles and apparel", 4, []linkTemplate{
		up("化学纤维", "Chemical fibres"), up("棉花加工", "Cotton processing"), up("印染助剂", "Dyeing auxiliaries"),
		mid("纺纱", "Spinning"), mid("织造", "Weaving"), mid("印染", "Dyeing and printing"),
		down("服装制造", "Garment manufacturing"), down("家用纺织品", "Home textiles"), down("品牌零售", "Branded retail"),
	}},
	{"智能家电", "Smart home appliances", 1, []linkTemplate{
		up("钢材板材", "Steel sheet"), up("塑料粒子", "Plastic pellets"), up("压缩机", "Compressors"),
		up("电子元器件", "Electronic components"), up("显示面板", "Display panels"),
		mid("电机组件", "Motor assemblies"), mid("控制模组", "Control modules"), mid("整机装配", "Final assembly"),
		down("白色家电", "White goods"), down("小家电", "Small appliances"), down("智能家居服务", "Smart home services"),
		down("家电回收", "Appliance recycling"),
	}},
	{"航空航天", "Aerospace", 0, []linkTemplate{
		up("高温合金", "Superalloys"), up("碳纤维复合材料", "Carbon-fibre composites"), up("钛合金", "Titanium alloys"),
		up("航空电子元件", "Avionics components"),
		mid("航空发动机", "Aero engines"), mid("机载系统", "Airborne systems"), mid("机体结构件", "Airframe structures"),
		mid("卫星载荷", "Satellite payloads"),
		down("整机总装", "Aircraft final assembly"), down("航空维修", "MRO services"), down("卫星运营", "Satellite operation"),
		down("通用航空服务", "General aviation services"), down("航天发射服务", "Launch services"),
		down("地面设备", "Ground equipment"),
	}},
}

// Syllables for synthetic place names; combinations are not meant to name real places.
var placeFirst = []string{"东", "西", "南", "北", "青", "云", "江", "河", "山", "海", "长", "平", "安", "宁", "临",
	"丰", "明", "清", "华", "阳", "金", "玉", "天", "龙", "凤", "春", "新", "永", "德", "兴"}
var placeSecond = []string{"州", "阳", "城", "安", "宁", "江", "山", "原", "平", "川", "浦", "门", "口", "林", "泉",
	"溪", "台", "庆", "昌", "陵"}

var homeDistricts = []string{"东城区", "西城区", "南湖区", "北山区", "新城区", "江滨区", "临港区"}

var externalRegions = []struct{ code, name string }{
	{"XDE", "德国"}, {"XJP", "日本"}, {"XKR", "韩国"}, {"XSG", "新加坡"}, {"XUS", "美国"},
}

// Trade-name characters of company names (字号).
var tradeChars = []string{"华", "鑫", "恒", "瑞", "宏", "盛", "达", "泰", "安", "康", "新", "创", "中", "天", "远",
	"博", "凯", "信", "德", "润", "海", "通", "科", "联", "智", "源", "航", "金", "利", "嘉", "诚", "协", "众", "正",
	"明", "辰", "星", "晟", "宇", "昊"}

var projectKinds = []string{"新建", "扩产", "技改", "总部", "研发中心", "二期"}
