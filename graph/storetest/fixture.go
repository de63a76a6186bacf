// Package storetest is the conformance suite every graph.Store backend must pass,
// with the fixtures it uses. Backends call Run from their own tests.
package storetest

import "github.com/chainmap/chainmap/graph"

// Fixture returns a small dataset that uses every table and every field, with
// Chinese text, a real-format credit code, optional fields both set and empty, and
// records listed in key order (as stores return them).
func Fixture() *graph.Dataset {
	return &graph.Dataset{
		Regions: []graph.Region{
			{Code: "310000", Name: "上海市", Kind: graph.External, Provenance: "GB/T 2260"},
			{Code: "320000", Name: "江苏省", Kind: graph.Province, Provenance: "GB/T 2260"},
			{Code: "321100", Name: "镇江市", ParentCode: "320000", Kind: graph.City, Provenance: "GB/T 2260"},
			{Code: "321100-JKQ", Name: "镇江经开区（镇江新区）", ParentCode: "321100", Kind: graph.Zone, Provenance: "no GB/T 2260 code"},
			{Code: "321181", Name: "丹阳市", ParentCode: "321100", Kind: graph.District, Provenance: "GB/T 2260"},
			{Code: "440300", Name: "深圳市", Kind: graph.External},
		},
		RegionGroups: []graph.RegionGroupMember{
			{GroupCode: "GBA", GroupName: "大湾区", RegionCode: "440300", Provenance: "国务院《粤港澳大湾区发展规划纲要》"},
			{GroupCode: "YRD", GroupName: "长三角", RegionCode: "310000"},
			{GroupCode: "YRD", GroupName: "长三角", RegionCode: "321100"},
		},
		Clusters: []graph.Cluster{{ID: "C_LH", Name: "生命健康", NameEN: "Life & health", Provenance: "seed"}},
		Chains: []graph.Chain{
			{ID: "CH_MD", Name: "医疗器械", NameEN: "Medical devices", ClusterID: "C_LH", Key: true, Provenance: "reconstruction"},
			{ID: "CH_X", Name: "保健品", ClusterID: "C_LH"},
		},
		Links: []graph.Link{
			{ID: "MD_D1", ChainID: "CH_MD", Name: "医院与医疗机构", NameEN: "Hospitals", Tier: graph.Downstream, Role: graph.Institution},
			{ID: "MD_M1", ChainID: "CH_MD", Name: "家用医疗器械（制氧机、血压计）", NameEN: "Home medical devices", Tier: graph.Midstream, Role: graph.Production},
			{ID: "MD_U1", ChainID: "CH_MD", Name: "医用材料与元器件", NameEN: "Materials & components", Tier: graph.Upstream, Provenance: "guess"},
			{ID: "X_1", ChainID: "CH_X", Name: "保健食品", Tier: graph.Midstream}, // no role: production by default
		},
		Feeds: []graph.Feed{
			{From: "MD_M1", To: "MD_D1"},
			{From: "MD_U1", To: "MD_M1", Provenance: "reconstruction"},
			{From: "MD_U1", To: "X_1"},
		},
		Companies: []graph.Company{
			{ID: "914403001922038216", Name: "华为技术有限公司", RegionCode: "440300", RevenueWan: 70420000, Employees: 207000,
				FoundedOn: "1987-09-15", Tags: []graph.Tag{"500强", "高新技术企业"}, Provenance: "https://www.huawei.com"},
			{ID: "ZJ-001", Name: "江苏鱼跃医疗设备股份有限公司", RegionCode: "321181", RevenueWan: 797200.5, Employees: 5000,
				FoundedOn: "1998-10-22", Tags: []graph.Tag{"上市", "规上"}, Provenance: "seed 000"},
			{ID: "ZJ-002", Name: "镇江某材料公司", RegionCode: "321100-JKQ", Provenance: "synthetic"},
			{ID: "ZJ-003", Name: "Shanghai \"Quoted\", Ltd.\n第二行", RegionCode: "310000", RevenueWan: 1.25, Provenance: "synthetic"},
		},
		CompanyLinks: []graph.CompanyLink{
			{CompanyID: "914403001922038216", LinkID: "MD_U1", Products: "传感器芯片"},
			{CompanyID: "ZJ-001", LinkID: "MD_M1", Products: "制氧机；血压计", Provenance: "seed 000"},
			{CompanyID: "ZJ-002", LinkID: "MD_U1"},
		},
		Leaders: []graph.Leader{{CompanyID: "ZJ-001", ChainID: "CH_MD", Provenance: "seed: 链主"}},
		Supplies: []graph.Supply{
			{SupplierID: "914403001922038216", CustomerID: "ZJ-001", LinkID: "MD_U1", Product: "传感器", AmountWan: 1200.5,
				Evidence: graph.Observed, Confidence: 1, Since: "2019-01-01", Until: "2024-12-31", Provenance: "synthetic"},
			{SupplierID: "ZJ-002", CustomerID: "ZJ-001", Evidence: graph.Inferred, Confidence: 0.35},
			{SupplierID: "ZJ-002", CustomerID: "ZJ-001", LinkID: "MD_U1", Evidence: graph.Observed, Confidence: 0},
		},
		Projects: []graph.Project{
			{ID: "P-2024-001", Name: "智能康复器械项目", CompanyID: "ZJ-001", LinkID: "MD_M1", RegionCode: "321181",
				InvestmentWan: 125000, SourceRegionCode: "310000", Stage: graph.Producing, SignedOn: "2024-01-15",
				StartedOn: "2024-03-01", ProducingOn: "2025-02-01", PlannedStartOn: "2024-02-01",
				PlannedProduceOn: "2025-01-01", Provenance: "synthetic"},
			{ID: "P-2024-002", Name: "外资传感器项目", RegionCode: "321100-JKQ", InvestmentWan: 10001, Foreign: true,
				SourceRegionCode: "440300", Stage: graph.Dropped, SignedOn: "2024-05-20"},
			{ID: "P-2025-001", Name: "在谈项目", RegionCode: "321181", Stage: graph.Negotiating},
		},
		ProjectEvents: []graph.ProjectEvent{
			{ProjectID: "P-2024-001", Seq: 1, At: "2025-02-01T10:00:00+08:00", Who: "张三", From: graph.Producing,
				To: graph.Producing, On: "2025-02-01", Note: "首次录入 / first entry", Provenance: "synthetic"},
			{ProjectID: "P-2024-002", Seq: 1, At: "2024-08-01T10:00:00Z", Who: "import", From: graph.Signed, To: graph.Dropped,
				Note: "投资方撤资", Correction: false},
			{ProjectID: "P-2025-001", Seq: 1, At: "2025-03-01T08:00:00Z", Who: "李四", To: graph.Negotiating},
		},
	}
}
