package neo4j

import (
	"context"
	"fmt"

	"github.com/chainmap/chainmap/graph"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// Rows sent to UNWIND carry the stored properties as one map, `props`, so a statement
// can compare it with properties(old) and skip unchanged records, plus the endpoint
// keys of relationship tables. Properties are never null: empty text stays "" so
// that a stored record compares equal to the same record sent again.

func regionRow(x graph.Region) map[string]any {
	return map[string]any{"props": map[string]any{"code": x.Code, "name": x.Name, "parent_code": x.ParentCode,
		"kind": string(x.Kind), "provenance": x.Provenance}}
}

func regionGroupRow(x graph.RegionGroupMember) map[string]any {
	return map[string]any{"group_code": x.GroupCode, "group_name": x.GroupName, "region_code": x.RegionCode,
		"provenance": x.Provenance}
}

func clusterRow(x graph.Cluster) map[string]any {
	return map[string]any{"props": map[string]any{"id": x.ID, "name": x.Name, "name_en": x.NameEN, "provenance": x.Provenance}}
}

func chainRow(x graph.Chain) map[string]any {
	return map[string]any{"props": map[string]any{"id": x.ID, "name": x.Name, "name_en": x.NameEN,
		"cluster_id": x.ClusterID, "key": x.Key, "provenance": x.Provenance}}
}

func linkRow(x graph.Link) map[string]any {
	return map[string]any{"props": map[string]any{"id": x.ID, "chain_id": x.ChainID, "name": x.Name,
		"name_en": x.NameEN, "tier": string(x.Tier), "role": string(x.Role), "provenance": x.Provenance}}
}

func feedRow(x graph.Feed) map[string]any {
	return map[string]any{"from": x.From, "to": x.To, "props": map[string]any{"provenance": x.Provenance}}
}

func companyRow(x graph.Company) map[string]any {
	tags := make([]string, len(x.Tags))
	for i, t := range x.Tags {
		tags[i] = string(t)
	}
	return map[string]any{"props": map[string]any{"id": x.ID, "name": x.Name, "region_code": x.RegionCode,
		"revenue_wan": x.RevenueWan, "employees": int64(x.Employees), "founded_on": string(x.FoundedOn),
		"tags": tags, "provenance": x.Provenance}}
}

func companyLinkRow(x graph.CompanyLink) map[string]any {
	return map[string]any{"company_id": x.CompanyID, "link_id": x.LinkID,
		"props": map[string]any{"products": x.Products, "provenance": x.Provenance}}
}

func leaderRow(x graph.Leader) map[string]any {
	return map[string]any{"company_id": x.CompanyID, "chain_id": x.ChainID,
		"props": map[string]any{"provenance": x.Provenance}}
}

func supplyRow(x graph.Supply) map[string]any {
	return map[string]any{"supplier_id": x.SupplierID, "customer_id": x.CustomerID,
		"props": map[string]any{"link_id": x.LinkID, "product": x.Product, "amount_wan": x.AmountWan,
			"evidence": string(x.Evidence), "confidence": x.Confidence, "since": string(x.Since),
			"until": string(x.Until), "provenance": x.Provenance}}
}

func projectRow(x graph.Project) map[string]any {
	return map[string]any{"props": map[string]any{"id": x.ID, "name": x.Name, "company_id": x.CompanyID,
		"link_id": x.LinkID, "region_code": x.RegionCode, "investment_wan": x.InvestmentWan, "foreign": x.Foreign,
		"source_region_code": x.SourceRegionCode, "stage": string(x.Stage), "signed_on": string(x.SignedOn),
		"started_on": string(x.StartedOn), "producing_on": string(x.ProducingOn),
		"at_capacity_on": string(x.AtCapacityOn), "planned_start_on": string(x.PlannedStartOn),
		"planned_producing_on": string(x.PlannedProduceOn), "provenance": x.Provenance}}
}

// rec reads typed values from a record; a missing or null value reads as zero.
type rec struct{ r *neo4j.Record }

func (r rec) str(k string) string {
	v, _ := r.r.Get(k)
	s, _ := v.(string)
	return s
}

func (r rec) float(k string) float64 {
	v, _ := r.r.Get(k)
	switch n := v.(type) {
	case float64:
		return n
	case int64:
		return float64(n)
	}
	return 0
}

func (r rec) int(k string) int64 {
	v, _ := r.r.Get(k)
	switch n := v.(type) {
	case int64:
		return n
	case float64:
		return int64(n)
	}
	return 0
}

func (r rec) bool(k string) bool {
	v, _ := r.r.Get(k)
	b, _ := v.(bool)
	return b
}

func toRegion(x *neo4j.Record) (graph.Region, error) {
	r := rec{x}
	return graph.Region{Code: r.str("code"), Name: r.str("name"), ParentCode: r.str("parent_code"),
		Kind: graph.RegionKind(r.str("kind")), Provenance: r.str("provenance")}, nil
}

func toRegionGroup(x *neo4j.Record) (graph.RegionGroupMember, error) {
	r := rec{x}
	return graph.RegionGroupMember{GroupCode: r.str("group_code"), GroupName: r.str("group_name"),
		RegionCode: r.str("region_code"), Provenance: r.str("provenance")}, nil
}

func toCluster(x *neo4j.Record) (graph.Cluster, error) {
	r := rec{x}
	return graph.Cluster{ID: r.str("id"), Name: r.str("name"), NameEN: r.str("name_en"), Provenance: r.str("provenance")}, nil
}

func toChain(x *neo4j.Record) (graph.Chain, error) {
	r := rec{x}
	return graph.Chain{ID: r.str("id"), Name: r.str("name"), NameEN: r.str("name_en"), ClusterID: r.str("cluster_id"),
		Key: r.bool("key"), Provenance: r.str("provenance")}, nil
}

func toLink(x *neo4j.Record) (graph.Link, error) {
	r := rec{x}
	return graph.Link{ID: r.str("id"), ChainID: r.str("chain_id"), Name: r.str("name"), NameEN: r.str("name_en"),
		Tier: graph.Tier(r.str("tier")), Role: graph.Role(r.str("role")), Provenance: r.str("provenance")}, nil
}

func toFeed(x *neo4j.Record) (graph.Feed, error) {
	r := rec{x}
	return graph.Feed{From: r.str("from_link_id"), To: r.str("to_link_id"), Provenance: r.str("provenance")}, nil
}

func toCompany(x *neo4j.Record) (graph.Company, error) {
	r := rec{x}
	c := graph.Company{ID: r.str("id"), Name: r.str("name"), RegionCode: r.str("region_code"),
		RevenueWan: r.float("revenue_wan"), Employees: int(r.int("employees")), FoundedOn: graph.Date(r.str("founded_on")),
		Provenance: r.str("provenance")}
	if v, ok := x.Get("tags"); ok {
		list, _ := v.([]any)
		for _, t := range list {
			if s, ok := t.(string); ok {
				c.Tags = append(c.Tags, graph.Tag(s))
			}
		}
	}
	return c, nil
}

func toCompanyLink(x *neo4j.Record) (graph.CompanyLink, error) {
	r := rec{x}
	return graph.CompanyLink{CompanyID: r.str("company_id"), LinkID: r.str("link_id"), Products: r.str("products"),
		Provenance: r.str("provenance")}, nil
}

func toLeader(x *neo4j.Record) (graph.Leader, error) {
	r := rec{x}
	return graph.Leader{CompanyID: r.str("company_id"), ChainID: r.str("chain_id"), Provenance: r.str("provenance")}, nil
}

func toSupply(x *neo4j.Record) (graph.Supply, error) {
	r := rec{x}
	return graph.Supply{SupplierID: r.str("supplier_id"), CustomerID: r.str("customer_id"), LinkID: r.str("link_id"),
		Product: r.str("product"), AmountWan: r.float("amount_wan"), Evidence: graph.Evidence(r.str("evidence")),
		Confidence: r.float("confidence"), Since: graph.Date(r.str("since")), Until: graph.Date(r.str("until")),
		Provenance: r.str("provenance")}, nil
}

func toProject(x *neo4j.Record) (graph.Project, error) {
	r := rec{x}
	return graph.Project{ID: r.str("id"), Name: r.str("name"), CompanyID: r.str("company_id"), LinkID: r.str("link_id"),
		RegionCode: r.str("region_code"), InvestmentWan: r.int("investment_wan"), Foreign: r.bool("foreign"),
		SourceRegionCode: r.str("source_region_code"), Stage: graph.Stage(r.str("stage")),
		SignedOn: graph.Date(r.str("signed_on")), StartedOn: graph.Date(r.str("started_on")),
		ProducingOn: graph.Date(r.str("producing_on")), AtCapacityOn: graph.Date(r.str("at_capacity_on")),
		PlannedStartOn: graph.Date(r.str("planned_start_on")), PlannedProduceOn: graph.Date(r.str("planned_producing_on")),
		Provenance: r.str("provenance")}, nil
}

// The whole-table reads of the large tables return rows holding many records as
// lists (cypher/company.cypher, cypher/supply.cypher); these read them. A value of
// an unexpected type or a null reads as zero, as rec does.

// list is the list at position i of a row, or nil.
func list(x *neo4j.Record, i int) []any {
	if i >= len(x.Values) {
		return nil
	}
	l, _ := x.Values[i].([]any)
	return l
}

func str(v any) string { s, _ := v.(string); return s }

func num(v any) float64 {
	switch n := v.(type) {
	case float64:
		return n
	case int64:
		return float64(n)
	}
	return 0
}

func integer(v any) int64 {
	switch n := v.(type) {
	case int64:
		return n
	case float64:
		return int64(n)
	}
	return 0
}

// companyRows reads a row of [id, name, region_code, revenue_wan, employees,
// founded_on, tags, provenance] lists.
func companyRows(x *neo4j.Record) ([]graph.Company, error) {
	rows := list(x, 0)
	out := make([]graph.Company, 0, len(rows))
	for _, r := range rows {
		v, _ := r.([]any)
		if len(v) != 8 {
			return nil, fmt.Errorf("company row of %d values, want 8", len(v))
		}
		c := graph.Company{ID: str(v[0]), Name: str(v[1]), RegionCode: str(v[2]), RevenueWan: num(v[3]),
			Employees: int(integer(v[4])), FoundedOn: graph.Date(str(v[5])), Provenance: str(v[7])}
		tags, _ := v[6].([]any)
		for _, t := range tags {
			if s, ok := t.(string); ok {
				c.Tags = append(c.Tags, graph.Tag(s))
			}
		}
		out = append(out, c)
	}
	return out, nil
}

// companyLinkRows reads a row of company_id and its [link_id, products, provenance].
func companyLinkRows(x *neo4j.Record) ([]graph.CompanyLink, error) {
	company := str(x.Values[0])
	rows := list(x, 1)
	out := make([]graph.CompanyLink, 0, len(rows))
	for _, r := range rows {
		v, _ := r.([]any)
		if len(v) != 3 {
			return nil, fmt.Errorf("company link row of %d values, want 3", len(v))
		}
		out = append(out, graph.CompanyLink{CompanyID: company, LinkID: str(v[0]), Products: str(v[1]), Provenance: str(v[2])})
	}
	return out, nil
}

// supplyRows reads a row of supplier_id and its ties [customer_id, link_id, product,
// amount_wan, evidence, confidence, since, until, provenance].
func supplyRows(x *neo4j.Record) ([]graph.Supply, error) {
	supplier := str(x.Values[0])
	rows := list(x, 1)
	out := make([]graph.Supply, 0, len(rows))
	for _, r := range rows {
		v, _ := r.([]any)
		if len(v) != 9 {
			return nil, fmt.Errorf("supply row of %d values, want 9", len(v))
		}
		out = append(out, graph.Supply{SupplierID: supplier, CustomerID: str(v[0]), LinkID: str(v[1]), Product: str(v[2]),
			AmountWan: num(v[3]), Evidence: graph.Evidence(str(v[4])), Confidence: num(v[5]), Since: graph.Date(str(v[6])),
			Until: graph.Date(str(v[7])), Provenance: str(v[8])})
	}
	return out, nil
}

// batchWriter sends one table's rows in UNWIND batches of batch rows and tallies the
// changes.
type batchWriter struct {
	ctx      context.Context
	tx       runner
	res      *graph.ImportResult
	done     int
	total    int
	progress func(done, total int)
	batch    int // rows per statement; BatchRows if 0
}

// size is the number of rows w sends per statement.
func (w *batchWriter) size() int {
	if w.batch <= 0 {
		return BatchRows
	}
	return w.batch
}

func writeTable[T any](w *batchWriter, t graph.Table, key string, recs []T, row func(T) map[string]any) error {
	if len(recs) == 0 {
		return nil
	}
	change := graph.TableChange{Received: len(recs)}
	n := w.size()
	rows := make([]map[string]any, 0, min(n, len(recs)))
	for start := 0; start < len(recs); start += n {
		rows = rows[:0]
		for _, x := range recs[start:min(start+n, len(recs))] {
			rows = append(rows, row(x))
		}
		res, err := w.tx.Run(w.ctx, cypher(key), map[string]any{"rows": rows})
		if err != nil {
			return fmt.Errorf("neo4j writing %s: %w", t, err)
		}
		r, err := res.Single(w.ctx)
		if err != nil {
			return fmt.Errorf("neo4j writing %s: %w", t, err)
		}
		if err := allMatched(t, r, len(rows)); err != nil {
			return err
		}
		written, inserted := rec{r}.int("written"), rec{r}.int("inserted")
		change.Inserted += int(inserted)
		change.Updated += int(written - inserted)
		w.done += len(rows)
		if w.progress != nil {
			w.progress(w.done, w.total)
		}
	}
	w.res.Changes[t] = change
	return nil
}

// writeAll writes every table of ds, and events, in dependency order through w.
func writeAll(w *batchWriter, ds *graph.Dataset, events []graph.ProjectEvent) error {
	steps := []func() error{
		func() error { return writeTable(w, graph.TRegions, "region.upsert", ds.Regions, regionRow) },
		func() error { return linkParents(w, ds.Regions) },
		func() error {
			return writeTable(w, graph.TRegionGroups, "region.upsert_groups", ds.RegionGroups, regionGroupRow)
		},
		func() error { return writeTable(w, graph.TClusters, "chain.upsert_clusters", ds.Clusters, clusterRow) },
		func() error { return writeTable(w, graph.TChains, "chain.upsert_chains", ds.Chains, chainRow) },
		func() error { return writeTable(w, graph.TLinks, "chain.upsert_links", ds.Links, linkRow) },
		func() error { return writeTable(w, graph.TLinkFeeds, "chain.upsert_feeds", ds.Feeds, feedRow) },
		func() error { return writeTable(w, graph.TCompanies, "company.upsert", ds.Companies, companyRow) },
		func() error {
			return writeTable(w, graph.TCompanyLinks, "company.upsert_links", ds.CompanyLinks, companyLinkRow)
		},
		func() error { return writeTable(w, graph.TLeaders, "company.upsert_leaders", ds.Leaders, leaderRow) },
		func() error { return writeTable(w, graph.TSupplies, "supply.upsert", ds.Supplies, supplyRow) },
		func() error { return writeTable(w, graph.TProjects, "project.upsert", ds.Projects, projectRow) },
		func() error {
			return writeTable(w, graph.TProjectLog, "project.upsert_events", events, projectEventRow)
		},
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// linkParents keeps PART_OF relationships equal to the regions' parent codes, once
// all regions of the import exist.
func linkParents(w *batchWriter, regions []graph.Region) error {
	n := w.size()
	for start := 0; start < len(regions); start += n {
		rows := make([]map[string]any, 0, n)
		for _, x := range regions[start:min(start+n, len(regions))] {
			rows = append(rows, regionRow(x))
		}
		res, err := w.tx.Run(w.ctx, cypher("region.link_parents"), map[string]any{"rows": rows})
		if err != nil {
			return fmt.Errorf("neo4j linking region parents: %w", err)
		}
		r, err := res.Single(w.ctx)
		if err != nil {
			return fmt.Errorf("neo4j linking region parents: %w", err)
		}
		if err := allMatched(graph.TRegions, r, len(rows)); err != nil {
			return err
		}
	}
	return nil
}

// allMatched checks the `matched` count an upsert returns: the rows of its batch
// whose referenced records were found. Validation has already checked every reference
// in this transaction, so a shortfall means the statement and the validation disagree;
// the import stops rather than drop those rows silently.
func allMatched(t graph.Table, r *neo4j.Record, sent int) error {
	matched := rec{r}.int("matched")
	if matched != int64(sent) {
		return fmt.Errorf("neo4j writing %s: %d of %d rows refer to records that are not stored; nothing was written", t, int64(sent)-matched, sent)
	}
	return nil
}

func projectEventRow(x graph.ProjectEvent) map[string]any {
	return map[string]any{"props": map[string]any{"project_id": x.ProjectID, "seq": int64(x.Seq), "at": x.At,
		"who": x.Who, "from_stage": string(x.From), "to_stage": string(x.To), "on": string(x.On), "note": x.Note,
		"correction": x.Correction, "provenance": x.Provenance}}
}

func toProjectEvent(x *neo4j.Record) (graph.ProjectEvent, error) {
	r := rec{x}
	return graph.ProjectEvent{ProjectID: r.str("project_id"), Seq: int(r.int("seq")), At: r.str("at"), Who: r.str("who"),
		From: graph.Stage(r.str("from_stage")), To: graph.Stage(r.str("to_stage")), On: graph.Date(r.str("on")),
		Note: r.str("note"), Correction: r.bool("correction"), Provenance: r.str("provenance")}, nil
}
