package interchange

import (
	"math"
	"strconv"
	"strings"

	"github.com/chainmap/chainmap/graph"
)

// cells is one data row arranged in the table's column order; get returns "" for a
// column the file does not have.
type cells []string

func (c cells) get(i int) string {
	if i < len(c) {
		return c[i]
	}
	return ""
}

// decoder turns cell text into typed values, recording a located problem for each
// value that cannot be read. The record is still produced, so that validation can
// report every other problem in the same pass.
type decoder struct {
	f     *TableFormat
	file  string
	row   int
	index int
	add   func(graph.Problem)
}

func (d *decoder) bad(col int, val, code string, args ...string) {
	d.add(graph.Problem{Table: d.f.Table, Index: d.index, File: d.file, Row: d.row,
		Column: d.f.Columns[col].Name, Value: val, Code: code, Args: args})
}

// float reads a number as graph.ParseNumber does: a decimal comma or a hexadecimal
// number is refused rather than read as something else.
func (d *decoder) float(c cells, col int) float64 {
	s := c.get(col)
	if s == "" {
		return 0
	}
	v, ok := graph.ParseNumber(s)
	if !ok || v > 1e300 || v < -1e300 {
		d.bad(col, s, graph.PBadNumber)
		return 0
	}
	return v
}

// int reads a whole number: a number as float reads it without a fraction
// (7.0 is 7), within the range where a float64 holds every integer.
func (d *decoder) int(c cells, col int) int {
	s := c.get(col)
	if s == "" {
		return 0
	}
	v, ok := graph.ParseNumber(s)
	if !ok || v != math.Trunc(v) || math.Abs(v) > 1<<53 {
		d.bad(col, s, graph.PBadInteger)
		return 0
	}
	return int(v)
}

func (d *decoder) date(c cells, col int) graph.Date {
	v, ok := graph.ParseDate(c.get(col))
	if !ok {
		d.bad(col, c.get(col), graph.PBadDate)
	}
	return v
}

var trueWords = map[string]bool{"true": true, "1": true, "yes": true, "y": true, "是": true, "√": true, "对": true}
var falseWords = map[string]bool{"false": true, "0": true, "no": true, "n": true, "否": true, "": true, "×": true}

func (d *decoder) bool(c cells, col int) bool {
	s := strings.ToLower(c.get(col))
	switch {
	case trueWords[s]:
		return true
	case falseWords[s]:
		return false
	}
	d.bad(col, c.get(col), graph.PBadBool)
	return false
}

// enum maps a Chinese or English spelling onto the canonical value; anything else
// is kept as given so that validation names it.
func enum(s string, words map[string]string) string {
	if v, ok := words[strings.ToLower(s)]; ok {
		return v
	}
	return s
}

var kindWords = map[string]string{"省": "province", "省份": "province", "市": "city", "城市": "city",
	"区": "district", "县": "district", "区县": "district", "县级市": "district", "园区": "zone", "开发区": "zone",
	"外部": "external", "域外": "external"}
var tierWords = map[string]string{"上游": "upstream", "中游": "midstream", "下游": "downstream"}
var roleWords = map[string]string{"生产": "production", "制造": "production", "生产制造": "production",
	"服务": "service", "服务业": "service", "贸易": "trade", "商贸": "trade", "流通": "trade", "批发零售": "trade",
	"机构": "institution", "公共机构": "institution", "事业单位": "institution",
	"建设": "construction", "施工": "construction", "工程建设": "construction", "建设安装": "construction"}
var evidenceWords = map[string]string{"观察": "observed", "观察到": "observed", "实际": "observed", "推断": "inferred"}
var stageWords = map[string]string{"在谈": "negotiating", "洽谈": "negotiating", "签约": "signed", "已签约": "signed",
	"开工": "started", "在建": "started", "投产": "producing", "达产": "at_capacity", "达效": "at_capacity",
	"达产达效": "at_capacity", "终止": "dropped", "取消": "dropped"}

func (d *decoder) decode(c cells, ds *graph.Dataset) {
	switch d.f.Table {
	case graph.TRegions:
		ds.Regions = append(ds.Regions, graph.Region{Code: c.get(0), Name: c.get(1), ParentCode: c.get(2),
			Kind: graph.RegionKind(enum(c.get(3), kindWords)), Provenance: c.get(4)})
	case graph.TRegionGroups:
		ds.RegionGroups = append(ds.RegionGroups, graph.RegionGroupMember{GroupCode: c.get(0), GroupName: c.get(1),
			RegionCode: c.get(2), Provenance: c.get(3)})
	case graph.TClusters:
		ds.Clusters = append(ds.Clusters, graph.Cluster{ID: c.get(0), Name: c.get(1), NameEN: c.get(2), Provenance: c.get(3)})
	case graph.TChains:
		ds.Chains = append(ds.Chains, graph.Chain{ID: c.get(0), Name: c.get(1), NameEN: c.get(2), ClusterID: c.get(3),
			Key: d.bool(c, 4), Provenance: c.get(5)})
	case graph.TLinks:
		ds.Links = append(ds.Links, graph.Link{ID: c.get(0), ChainID: c.get(1), Name: c.get(2), NameEN: c.get(3),
			Tier: graph.Tier(enum(c.get(4), tierWords)), Role: graph.Role(enum(c.get(5), roleWords)), Provenance: c.get(6)})
	case graph.TLinkFeeds:
		ds.Feeds = append(ds.Feeds, graph.Feed{From: c.get(0), To: c.get(1), Provenance: c.get(2)})
	case graph.TCompanies:
		var tags []graph.Tag
		for _, s := range graph.SplitTags(c.get(6)) {
			if t, ok := graph.ParseTag(s); ok {
				tags = append(tags, t)
			} else {
				tags = append(tags, graph.Tag(s)) // Validate names it
			}
		}
		ds.Companies = append(ds.Companies, graph.Company{ID: companyID(c.get(0)), Name: c.get(1),
			RegionCode: c.get(2), RevenueWan: d.float(c, 3), Employees: d.int(c, 4), FoundedOn: d.date(c, 5),
			Tags: tags, Provenance: c.get(7)})
	case graph.TCompanyLinks:
		ds.CompanyLinks = append(ds.CompanyLinks, graph.CompanyLink{CompanyID: companyID(c.get(0)),
			LinkID: c.get(1), Products: c.get(2), Provenance: c.get(3)})
	case graph.TLeaders:
		ds.Leaders = append(ds.Leaders, graph.Leader{CompanyID: companyID(c.get(0)), ChainID: c.get(1),
			Provenance: c.get(2)})
	case graph.TSupplies:
		s := graph.Supply{SupplierID: companyID(c.get(0)), CustomerID: companyID(c.get(1)),
			LinkID: c.get(2), Product: c.get(3), AmountWan: d.float(c, 4),
			Evidence: graph.Evidence(enum(c.get(5), evidenceWords)), Since: d.date(c, 7), Until: d.date(c, 8),
			Provenance: c.get(9)}
		if s.Evidence == "" {
			s.Evidence = graph.Observed
		}
		if c.get(6) == "" {
			s.Confidence = 1
			if s.Evidence == graph.Inferred {
				s.Confidence = 0.5
			}
		} else {
			s.Confidence = d.float(c, 6)
		}
		ds.Supplies = append(ds.Supplies, s)
	case graph.TProjects:
		inv, ok := graph.ParseYi(c.get(5))
		if !ok {
			d.bad(5, c.get(5), graph.PBadNumber)
		}
		ds.Projects = append(ds.Projects, graph.Project{ID: c.get(0), Name: c.get(1),
			CompanyID: companyID(c.get(2)), LinkID: c.get(3), RegionCode: c.get(4), InvestmentWan: inv,
			Foreign: d.bool(c, 6), SourceRegionCode: c.get(7), Stage: graph.Stage(enum(c.get(8), stageWords)),
			SignedOn: d.date(c, 9), StartedOn: d.date(c, 10), ProducingOn: d.date(c, 11), AtCapacityOn: d.date(c, 12),
			PlannedStartOn: d.date(c, 13), PlannedProduceOn: d.date(c, 14), Provenance: c.get(15)})
	case graph.TProjectLog:
		ds.ProjectEvents = append(ds.ProjectEvents, graph.ProjectEvent{ProjectID: c.get(0), Seq: d.int(c, 1),
			At: c.get(2), Who: c.get(3), From: graph.Stage(enum(c.get(4), stageWords)),
			To: graph.Stage(enum(c.get(5), stageWords)), On: d.date(c, 6), Note: c.get(7), Correction: d.bool(c, 8),
			Provenance: c.get(9)})
	}
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// Encoders render records as cells in their table's column order, so that reading
// them back gives the same records.

func encodeRegion(x graph.Region) []string {
	return []string{x.Code, x.Name, x.ParentCode, string(x.Kind), x.Provenance}
}
func encodeRegionGroup(x graph.RegionGroupMember) []string {
	return []string{x.GroupCode, x.GroupName, x.RegionCode, x.Provenance}
}
func encodeCluster(x graph.Cluster) []string { return []string{x.ID, x.Name, x.NameEN, x.Provenance} }
func encodeChain(x graph.Chain) []string {
	return []string{x.ID, x.Name, x.NameEN, x.ClusterID, boolText(x.Key), x.Provenance}
}
func encodeLink(x graph.Link) []string {
	return []string{x.ID, x.ChainID, x.Name, x.NameEN, string(x.Tier), string(x.Role), x.Provenance}
}
func encodeFeed(x graph.Feed) []string { return []string{x.From, x.To, x.Provenance} }
func encodeCompany(x graph.Company) []string {
	emp := ""
	if x.Employees != 0 {
		emp = strconv.Itoa(x.Employees)
	}
	return []string{x.ID, x.Name, x.RegionCode, fmtFloat(x.RevenueWan), emp, string(x.FoundedOn),
		graph.JoinTags(x.Tags), x.Provenance}
}
func encodeCompanyLink(x graph.CompanyLink) []string {
	return []string{x.CompanyID, x.LinkID, x.Products, x.Provenance}
}
func encodeLeader(x graph.Leader) []string { return []string{x.CompanyID, x.ChainID, x.Provenance} }
func encodeSupply(x graph.Supply) []string {
	return []string{x.SupplierID, x.CustomerID, x.LinkID, x.Product, fmtFloat(x.AmountWan), string(x.Evidence),
		strconv.FormatFloat(x.Confidence, 'f', -1, 64), string(x.Since), string(x.Until), x.Provenance}
}
func encodeProject(x graph.Project) []string {
	return []string{x.ID, x.Name, x.CompanyID, x.LinkID, x.RegionCode, graph.FormatYi(x.InvestmentWan),
		boolText(x.Foreign), x.SourceRegionCode, string(x.Stage), string(x.SignedOn), string(x.StartedOn),
		string(x.ProducingOn), string(x.AtCapacityOn), string(x.PlannedStartOn), string(x.PlannedProduceOn),
		x.Provenance}
}

// companyID upper-cases an 18-character id, a credit code typed in lower case;
// other ids are kept exactly.
func companyID(s string) string {
	if graph.IsUSCCLength(s) {
		return strings.ToUpper(s)
	}
	return s
}

func encodeProjectEvent(x graph.ProjectEvent) []string {
	seq := ""
	if x.Seq != 0 {
		seq = strconv.Itoa(x.Seq)
	}
	return []string{x.ProjectID, seq, x.At, x.Who, string(x.From), string(x.To), string(x.On), x.Note,
		boolText(x.Correction), x.Provenance}
}
