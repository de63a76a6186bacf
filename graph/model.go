package graph

import "slices"

// Table names one table of the interchange format and of the store.
type Table string

// The tables in dependency order: a table only refers to tables before it.
const (
	TRegions      Table = "regions"
	TRegionGroups Table = "region_groups"
	TClusters     Table = "clusters"
	TChains       Table = "chains"
	TLinks        Table = "links"
	TLinkFeeds    Table = "link_feeds"
	TCompanies    Table = "companies"
	TCompanyLinks Table = "company_links"
	TLeaders      Table = "leaders"
	TSupplies     Table = "supplies"
	TProjects     Table = "projects"
	TProjectLog   Table = "project_history"
)

// Tables lists every table in dependency order.
var Tables = []Table{TRegions, TRegionGroups, TClusters, TChains, TLinks, TLinkFeeds,
	TCompanies, TCompanyLinks, TLeaders, TSupplies, TProjects, TProjectLog}

// RegionKind says what level of administration a region is.
type RegionKind string

const (
	Province RegionKind = "province"
	City     RegionKind = "city"
	District RegionKind = "district" // 区/县级市
	Zone     RegionKind = "zone"     // development zone (开发区/高新区), not a GB/T 2260 unit
	External RegionKind = "external" // a place outside the administration using chainmap
)

// RegionKinds is the vocabulary of RegionKind.
var RegionKinds = []string{string(Province), string(City), string(District), string(Zone), string(External)}

// Region is an administrative area. "Local to region R" means located in R or any
// region below it in the parent hierarchy.
type Region struct {
	Code       string     `json:"code"` // GB/T 2260 where one exists
	Name       string     `json:"name"`
	ParentCode string     `json:"parent_code,omitempty"`
	Kind       RegionKind `json:"kind"`
	Provenance string     `json:"provenance,omitempty"`
}

// RegionGroupMember puts a region into a named group such as 长三角 or 大湾区, which
// reports use to aggregate source regions. One record per member.
type RegionGroupMember struct {
	GroupCode  string `json:"group_code"`
	GroupName  string `json:"group_name"`
	RegionCode string `json:"region_code"`
	Provenance string `json:"provenance,omitempty"`
}

// Cluster is an industrial cluster (产业集群) grouping chains.
type Cluster struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	NameEN     string `json:"name_en,omitempty"`
	Provenance string `json:"provenance,omitempty"`
}

// Chain is an industrial chain (产业链). Key marks the chains the city designated as
// key chains; the on-chain project share counts only those.
type Chain struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	NameEN     string `json:"name_en,omitempty"`
	ClusterID  string `json:"cluster_id"`
	Key        bool   `json:"key"`
	Provenance string `json:"provenance,omitempty"`
}

// Tier places a link from upstream materials to downstream services.
type Tier string

const (
	Upstream   Tier = "upstream"
	Midstream  Tier = "midstream"
	Downstream Tier = "downstream"
)

// Tiers is the vocabulary of Tier.
var Tiers = []string{string(Upstream), string(Midstream), string(Downstream)}

// Role says what kind of activity a link is, which decides what its firms can be:
// only a firm in a production link can lead a chain (a hospital buys a great deal of
// medical equipment, but it does not pull a manufacturing chain into a city).
type Role string

const (
	Production   Role = "production"   // making goods or materials (the default)
	Service      Role = "service"      // technical, logistics, R&D or after-sales services
	Trade        Role = "trade"        // distribution and retail
	Institution  Role = "institution"  // hospitals, schools, public bodies
	Construction Role = "construction" // building and installation contractors
)

// Roles is the vocabulary of Role.
var Roles = []string{string(Production), string(Service), string(Trade), string(Institution), string(Construction)}

// Link is one segment (环节) of a chain.
type Link struct {
	ID      string `json:"id"`
	ChainID string `json:"chain_id"`
	Name    string `json:"name"`
	NameEN  string `json:"name_en,omitempty"`
	Tier    Tier   `json:"tier"`
	// Role is the link's kind of activity; empty means Production.
	Role       Role   `json:"role,omitempty"`
	Provenance string `json:"provenance,omitempty"`
}

// RoleOrDefault returns the link's role, Production when none is given.
func (l *Link) RoleOrDefault() Role {
	if l.Role == "" {
		return Production
	}
	return l.Role
}

// Feed says the output of link From is an input of link To. Feeds between links of
// one chain must form a DAG; feeds across chains are allowed.
type Feed struct {
	From       string `json:"from_link_id"`
	To         string `json:"to_link_id"`
	Provenance string `json:"provenance,omitempty"`
}

// Company is a firm, local or outside. ID is its 统一社会信用代码 when it has 18
// characters; other ids (e.g. for synthetic firms) are free-form.
type Company struct {
	ID         string  `json:"id"`
	Name       string  `json:"name"`
	RegionCode string  `json:"region_code"`
	RevenueWan float64 `json:"revenue_wan,omitempty"` // annual revenue, 万元; 0 = unknown
	Employees  int     `json:"employees,omitempty"`   // 0 = unknown
	FoundedOn  Date    `json:"founded_on,omitempty"`
	Tags       []Tag   `json:"tags,omitempty"`
	Provenance string  `json:"provenance,omitempty"`
}

// CompanyLink says a company operates in a link, making the listed products.
type CompanyLink struct {
	CompanyID  string `json:"company_id"`
	LinkID     string `json:"link_id"`
	Products   string `json:"products,omitempty"`
	Provenance string `json:"provenance,omitempty"`
}

// Leader marks a company as a chain leader (链主) of a chain.
type Leader struct {
	CompanyID  string `json:"company_id"`
	ChainID    string `json:"chain_id"`
	Provenance string `json:"provenance,omitempty"`
}

// Evidence says how a supply tie is known.
type Evidence string

const (
	Observed Evidence = "observed" // seen in a record: contract, invoice, annual report
	Inferred Evidence = "inferred" // deduced, e.g. from product knowledge
)

// Evidences is the vocabulary of Evidence.
var Evidences = []string{string(Observed), string(Inferred)}

// Supply is a supply tie: Supplier sells to Customer goods of link LinkID. A tie is
// identified by (SupplierID, CustomerID, LinkID). Since and Until are the first and
// last dates it was observed: tie history is the strongest predictor of new ties.
type Supply struct {
	SupplierID string   `json:"supplier_id"`
	CustomerID string   `json:"customer_id"`
	LinkID     string   `json:"link_id,omitempty"`
	Product    string   `json:"product,omitempty"`
	AmountWan  float64  `json:"amount_wan,omitempty"` // annual amount, 万元; 0 = unknown
	Evidence   Evidence `json:"evidence"`
	Confidence float64  `json:"confidence"` // 0–1
	Since      Date     `json:"since,omitempty"`
	Until      Date     `json:"until,omitempty"`
	Provenance string   `json:"provenance,omitempty"`
}

// Stage is where an investment project is in its life.
type Stage string

const (
	Negotiating Stage = "negotiating" // 在谈
	Signed      Stage = "signed"      // 签约
	Started     Stage = "started"     // 开工
	Producing   Stage = "producing"   // 投产
	AtCapacity  Stage = "at_capacity" // 达产/达效
	Dropped     Stage = "dropped"     // 终止
)

// Stages is the vocabulary of Stage, in lifecycle order with Dropped last.
var Stages = []string{string(Negotiating), string(Signed), string(Started), string(Producing),
	string(AtCapacity), string(Dropped)}

// Project is an investment-promotion project (招商项目) landing in a district.
type Project struct {
	ID               string `json:"id"`
	Name             string `json:"name"`
	CompanyID        string `json:"company_id,omitempty"`
	LinkID           string `json:"link_id,omitempty"` // empty: not on any chain
	RegionCode       string `json:"region_code"`       // the district it lands in
	InvestmentWan    int64  `json:"investment_wan"`    // agreed investment in 万元 (exact; shown as 亿元)
	Foreign          bool   `json:"foreign"`
	SourceRegionCode string `json:"source_region_code,omitempty"`
	Stage            Stage  `json:"stage"`
	SignedOn         Date   `json:"signed_on,omitempty"`
	StartedOn        Date   `json:"started_on,omitempty"`
	ProducingOn      Date   `json:"producing_on,omitempty"`
	AtCapacityOn     Date   `json:"at_capacity_on,omitempty"`
	PlannedStartOn   Date   `json:"planned_start_on,omitempty"`
	PlannedProduceOn Date   `json:"planned_producing_on,omitempty"`
	Provenance       string `json:"provenance,omitempty"`
}

// Dataset is a set of records of every table, as read from a workbook or a store.
type Dataset struct {
	Regions      []Region
	RegionGroups []RegionGroupMember
	Clusters     []Cluster
	Chains       []Chain
	Links        []Link
	Feeds        []Feed
	Companies    []Company
	CompanyLinks []CompanyLink
	Leaders      []Leader
	Supplies     []Supply
	Projects     []Project
	// ProjectEvents is the projects' stage history; imports add an event for every
	// project they create or move, besides any given here.
	ProjectEvents []ProjectEvent
}

// Len returns the number of records in table t.
func (d *Dataset) Len(t Table) int {
	switch t {
	case TRegions:
		return len(d.Regions)
	case TRegionGroups:
		return len(d.RegionGroups)
	case TClusters:
		return len(d.Clusters)
	case TChains:
		return len(d.Chains)
	case TLinks:
		return len(d.Links)
	case TLinkFeeds:
		return len(d.Feeds)
	case TCompanies:
		return len(d.Companies)
	case TCompanyLinks:
		return len(d.CompanyLinks)
	case TLeaders:
		return len(d.Leaders)
	case TSupplies:
		return len(d.Supplies)
	case TProjects:
		return len(d.Projects)
	case TProjectLog:
		return len(d.ProjectEvents)
	}
	return 0
}

// Total returns the number of records in all tables.
func (d *Dataset) Total() int {
	n := 0
	for _, t := range Tables {
		n += d.Len(t)
	}
	return n
}

// Grow makes room for n more records in table t, so that reading a large file does
// not copy a million records again and again as the table grows.
func (d *Dataset) Grow(t Table, n int) {
	switch t {
	case TRegions:
		d.Regions = slices.Grow(d.Regions, n)
	case TRegionGroups:
		d.RegionGroups = slices.Grow(d.RegionGroups, n)
	case TClusters:
		d.Clusters = slices.Grow(d.Clusters, n)
	case TChains:
		d.Chains = slices.Grow(d.Chains, n)
	case TLinks:
		d.Links = slices.Grow(d.Links, n)
	case TLinkFeeds:
		d.Feeds = slices.Grow(d.Feeds, n)
	case TCompanies:
		d.Companies = slices.Grow(d.Companies, n)
	case TCompanyLinks:
		d.CompanyLinks = slices.Grow(d.CompanyLinks, n)
	case TLeaders:
		d.Leaders = slices.Grow(d.Leaders, n)
	case TSupplies:
		d.Supplies = slices.Grow(d.Supplies, n)
	case TProjects:
		d.Projects = slices.Grow(d.Projects, n)
	case TProjectLog:
		d.ProjectEvents = slices.Grow(d.ProjectEvents, n)
	}
}
