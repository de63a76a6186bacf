package io

// wiodCountry: WIOD 2013 release country codes (ROM is Romania, ISO ROU; RoW the rest
// of the world), Chinese and English names.
var wiodCountry = map[string][2]string{
	"AUS": {"澳大利亚", "Australia"}, "AUT": {"奥地利", "Austria"}, "BEL": {"比利时", "Belgium"},
	"BGR": {"保加利亚", "Bulgaria"}, "BRA": {"巴西", "Brazil"}, "CAN": {"加拿大", "Canada"},
	"CHN": {"中国", "China"}, "CYP": {"塞浦路斯", "Cyprus"}, "CZE": {"捷克", "Czech Rep."},
	"DEU": {"德国", "Germany"}, "DNK": {"丹麦", "Denmark"}, "ESP": {"西班牙", "Spain"},
	"EST": {"爱沙尼亚", "Estonia"}, "FIN": {"芬兰", "Finland"}, "FRA": {"法国", "France"},
	"GBR": {"英国", "United Kingdom"}, "GRC": {"希腊", "Greece"}, "HUN": {"匈牙利", "Hungary"},
	"IDN": {"印度尼西亚", "Indonesia"}, "IND": {"印度", "India"}, "IRL": {"爱尔兰", "Ireland"},
	"ITA": {"意大利", "Italy"}, "JPN": {"日本", "Japan"}, "KOR": {"韩国", "Korea"},
	"LTU": {"立陶宛", "Lithuania"}, "LUX": {"卢森堡", "Luxembourg"}, "LVA": {"拉脱维亚", "Latvia"},
	"MEX": {"墨西哥", "Mexico"}, "MLT": {"马耳他", "Malta"}, "NLD": {"荷兰", "Netherlands"},
	"POL": {"波兰", "Poland"}, "PRT": {"葡萄牙", "Portugal"}, "ROM": {"罗马尼亚", "Romania"},
	"ROU": {"罗马尼亚", "Romania"}, "RUS": {"俄罗斯", "Russia"}, "SVK": {"斯洛伐克", "Slovakia"},
	"SVN": {"斯洛文尼亚", "Slovenia"}, "SWE": {"瑞典", "Sweden"}, "TUR": {"土耳其", "Turkey"},
	"TWN": {"中国台湾", "Taiwan"}, "USA": {"美国", "United States"}, "RoW": {"世界其他地区", "Rest of World"},
}

// wiodIndustry: the 35 WIOD 2013 industries c1…c35 (NACE Rev. 1.1 groups).
var wiodIndustry = map[string][2]string{
	"c1": {"农林牧渔", "Agriculture, Hunting, Forestry and Fishing"}, "c2": {"采矿", "Mining and Quarrying"},
	"c3": {"食品饮料烟草", "Food, Beverages and Tobacco"}, "c4": {"纺织及纺织品", "Textiles and Textile Products"},
	"c5": {"皮革及鞋类", "Leather, Leather and Footwear"}, "c6": {"木材及木制品", "Wood and Products of Wood and Cork"},
	"c7": {"造纸印刷出版", "Pulp, Paper, Printing and Publishing"}, "c8": {"焦炭炼油核燃料", "Coke, Refined Petroleum and Nuclear Fuel"},
	"c9": {"化学品", "Chemicals and Chemical Products"}, "c10": {"橡胶塑料", "Rubber and Plastics"},
	"c11": {"其他非金属矿物", "Other Non-Metallic Mineral"}, "c12": {"基本金属及金属制品", "Basic Metals and Fabricated Metal"},
	"c13": {"机械设备", "Machinery, Nec"}, "c14": {"电气及光学设备", "Electrical and Optical Equipment"},
	"c15": {"运输设备", "Transport Equipment"}, "c16": {"其他制造及回收", "Manufacturing, Nec; Recycling"},
	"c17": {"电力燃气水", "Electricity, Gas and Water Supply"}, "c18": {"建筑", "Construction"},
	"c19": {"汽车销售维修及燃油零售", "Sale, Maintenance and Repair of Motor Vehicles; Retail Sale of Fuel"},
	"c20": {"批发贸易", "Wholesale Trade, Except of Motor Vehicles"}, "c21": {"零售贸易", "Retail Trade, Except of Motor Vehicles; Repair of Household Goods"},
	"c22": {"住宿餐饮", "Hotels and Restaurants"}, "c23": {"陆路运输", "Inland Transport"}, "c24": {"水路运输", "Water Transport"},
	"c25": {"航空运输", "Air Transport"}, "c26": {"运输辅助及旅行社", "Other Supporting and Auxiliary Transport; Travel Agencies"},
	"c27": {"邮政电信", "Post and Telecommunications"}, "c28": {"金融", "Financial Intermediation"},
	"c29": {"房地产", "Real Estate Activities"}, "c30": {"租赁及商务服务", "Renting of M&Eq and Other Business Activities"},
	"c31": {"公共管理国防社保", "Public Admin and Defence; Compulsory Social Security"}, "c32": {"教育", "Education"},
	"c33": {"卫生及社会工作", "Health and Social Work"}, "c34": {"其他社区社会个人服务", "Other Community, Social and Personal Services"},
	"c35": {"雇佣家庭服务", "Private Households with Employed Persons"},
}

// CountryName returns "中文 English" for a WIOD country code, or the code itself when
// unknown.
func CountryName(code string) string {
	if n, ok := wiodCountry[code]; ok {
		return n[0] + " " + n[1]
	}
	return code
}

// IndustryName returns "中文 English" for a WIOD 2013 industry code (c1…c35), or the
// code itself when unknown.
func IndustryName(code string) string {
	if n, ok := wiodIndustry[code]; ok {
		return n[0] + " " + n[1]
	}
	return code
}
