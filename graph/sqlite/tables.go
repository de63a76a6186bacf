package sqlite

import (
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/chainmap/chainmap/graph"
)

// scanner is what a table needs to read one row.
type scanner interface{ Scan(dest ...any) error }

// table maps one record type to its SQL table: columns in order, the first keys of
// which form the primary key.
type table[T any] struct {
	name graph.Table
	cols []string
	keys int
	args func(*T) []any
	scan func(scanner) (T, error)
	// For the big tables, whose text columns are all NOT NULL: packed lists those
	// text columns, which the streaming SELECT returns as one value (see
	// packedSelectSQL) followed by the other columns, and scanPacked reads such a
	// row, splitting the packed value into fields (a reused buffer). The pure-Go
	// driver takes a lock and allocates per column value; one value instead of
	// eight makes reading ten million supply ties several times faster.
	packed     []string
	scanPacked func(s scanner, fields []string) (T, error)
}

// upsertSQL returns an INSERT of n rows that updates stored rows only where a value
// differs, so re-importing identical data writes nothing. Built from the constant
// column lists; values are always parameters.
func (t *table[T]) upsertSQL(n int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO " + string(t.name) + " (" + strings.Join(t.cols, ", ") + ") VALUES ")
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(t.cols)), ", ") + ")"
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
	}
	b.WriteString(" ON CONFLICT (" + strings.Join(t.cols[:t.keys], ", ") + ") DO UPDATE SET ")
	var set, diff []string
	for _, c := range t.cols[t.keys:] {
		set = append(set, c+" = excluded."+c)
		diff = append(diff, string(t.name)+"."+c+" IS NOT excluded."+c)
	}
	b.WriteString(strings.Join(set, ", ") + " WHERE " + strings.Join(diff, " OR "))
	return b.String()
}

func (t *table[T]) selectSQL() string {
	return "SELECT " + strings.Join(t.cols, ", ") + " FROM " + string(t.name) +
		" ORDER BY " + strings.Join(t.cols[:t.keys], ", ")
}

// packedSelectSQL selects the packed text columns as one value — a header giving the
// byte length L of each but the last as two characters, char(1 + L>>15) and
// char(1 + L&32767) (code points below the surrogates, so any length under 2^30
// round-trips), then their concatenation — followed by the table's other columns in
// order, restricted by where (constant SQL with parameters, or ""). Column names
// are constants.
func (t *table[T]) packedSelectSQL(where string) string {
	var lens, rest []string
	for _, c := range t.packed[:len(t.packed)-1] {
		lens = append(lens, "1 + (octet_length("+c+") >> 15), 1 + (octet_length("+c+") & 32767)")
	}
	for _, c := range t.cols {
		if !slices.Contains(t.packed, c) {
			rest = append(rest, c)
		}
	}
	sel := strings.Join(t.packed, " || ")
	if len(lens) > 0 {
		sel = "char(" + strings.Join(lens, ", ") + ") || " + sel
	}
	if len(rest) > 0 {
		sel += ", " + strings.Join(rest, ", ")
	}
	if where != "" {
		where = " WHERE " + where
	}
	return "SELECT " + sel + " FROM " + string(t.name) + where + " ORDER BY " + strings.Join(t.cols[:t.keys], ", ")
}

// unpack splits a packed value into len(f) fields, which share its memory.
func unpack(row string, f []string) error {
	var lens [16]int
	n := len(f)
	if n == 0 || n > len(lens) {
		return errBadPacked
	}
	pos := 0
	for k := 0; k < n-1; k++ {
		hi, w1 := utf8.DecodeRuneInString(row[pos:])
		if w1 == 0 || hi < 1 || hi > 32768 {
			return errBadPacked
		}
		lo, w2 := utf8.DecodeRuneInString(row[pos+w1:])
		if w2 == 0 || lo < 1 || lo > 32768 {
			return errBadPacked
		}
		lens[k] = int(hi-1)<<15 | int(lo-1)
		pos += w1 + w2
	}
	for k := 0; k < n-1; k++ {
		if lens[k] > len(row)-pos {
			return errBadPacked
		}
		f[k] = row[pos : pos+lens[k]]
		pos += lens[k]
	}
	f[n-1] = row[pos:]
	return nil
}

var errBadPacked = errors.New("malformed packed row")

// float and integer convert a numeric column scanned into an any.
func float(v any) (float64, error) {
	switch v := v.(type) {
	case float64:
		return v, nil
	case int64:
		return float64(v), nil
	}
	return 0, fmt.Errorf("numeric column holds %T", v)
}

func integer(v any) (int, error) {
	switch v := v.(type) {
	case int64:
		return int(v), nil
	case float64:
		if v == math.Trunc(v) {
			return int(v), nil
		}
	}
	return 0, fmt.Errorf("integer column holds %T %v", v, v)
}

// nullable maps an empty optional reference to NULL so foreign keys skip it.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func fromNull(s sql.NullString) string { return s.String }

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

var regions = &table[graph.Region]{
	name: graph.TRegions, keys: 1,
	cols: []string{"code", "name", "parent_code", "kind", "provenance"},
	args: func(x *graph.Region) []any {
		return []any{x.Code, x.Name, nullable(x.ParentCode), string(x.Kind), x.Provenance}
	},
	scan: func(s scanner) (x graph.Region, err error) {
		var parent sql.NullString
		err = s.Scan(&x.Code, &x.Name, &parent, &x.Kind, &x.Provenance)
		x.ParentCode = fromNull(parent)
		return
	},
}

var regionGroups = &table[graph.RegionGroupMember]{
	name: graph.TRegionGroups, keys: 2,
	cols: []string{"group_code", "region_code", "group_name", "provenance"},
	args: func(x *graph.RegionGroupMember) []any {
		return []any{x.GroupCode, x.RegionCode, x.GroupName, x.Provenance}
	},
	scan: func(s scanner) (x graph.RegionGroupMember, err error) {
		err = s.Scan(&x.GroupCode, &x.RegionCode, &x.GroupName, &x.Provenance)
		return
	},
}

var clusters = &table[graph.Cluster]{
	name: graph.TClusters, keys: 1,
	cols: []string{"id", "name", "name_en", "provenance"},
	args: func(x *graph.Cluster) []any { return []any{x.ID, x.Name, x.NameEN, x.Provenance} },
	scan: func(s scanner) (x graph.Cluster, err error) {
		err = s.Scan(&x.ID, &x.Name, &x.NameEN, &x.Provenance)
		return
	},
}

var chains = &table[graph.Chain]{
	name: graph.TChains, keys: 1,
	cols: []string{"id", "name", "name_en", "cluster_id", "key", "provenance"},
	args: func(x *graph.Chain) []any {
		return []any{x.ID, x.Name, x.NameEN, x.ClusterID, boolInt(x.Key), x.Provenance}
	},
	scan: func(s scanner) (x graph.Chain, err error) {
		err = s.Scan(&x.ID, &x.Name, &x.NameEN, &x.ClusterID, &x.Key, &x.Provenance)
		return
	},
}

var links = &table[graph.Link]{
	name: graph.TLinks, keys: 1,
	cols: []string{"id", "chain_id", "name", "name_en", "tier", "role", "provenance"},
	args: func(x *graph.Link) []any {
		return []any{x.ID, x.ChainID, x.Name, x.NameEN, string(x.Tier), string(x.Role), x.Provenance}
	},
	scan: func(s scanner) (x graph.Link, err error) {
		err = s.Scan(&x.ID, &x.ChainID, &x.Name, &x.NameEN, &x.Tier, &x.Role, &x.Provenance)
		return
	},
}

var feeds = &table[graph.Feed]{
	name: graph.TLinkFeeds, keys: 2,
	cols: []string{"from_link_id", "to_link_id", "provenance"},
	args: func(x *graph.Feed) []any { return []any{x.From, x.To, x.Provenance} },
	scan: func(s scanner) (x graph.Feed, err error) {
		err = s.Scan(&x.From, &x.To, &x.Provenance)
		return
	},
}

var companies = &table[graph.Company]{
	name: graph.TCompanies, keys: 1,
	cols: []string{"id", "name", "region_code", "revenue_wan", "employees", "founded_on", "tags", "provenance"},
	args: func(x *graph.Company) []any {
		return []any{x.ID, x.Name, x.RegionCode, x.RevenueWan, x.Employees, string(x.FoundedOn),
			graph.JoinTags(x.Tags), x.Provenance}
	},
	scan: func(s scanner) (x graph.Company, err error) {
		var tags string
		err = s.Scan(&x.ID, &x.Name, &x.RegionCode, &x.RevenueWan, &x.Employees, &x.FoundedOn, &tags, &x.Provenance)
		x.Tags = splitTags(tags)
		return
	},
	packed: []string{"id", "name", "region_code", "founded_on", "tags", "provenance"},
	scanPacked: func(s scanner, f []string) (x graph.Company, err error) {
		var row string
		var revenue, employees any
		if err = s.Scan(&row, &revenue, &employees); err != nil {
			return
		}
		if err = unpack(row, f); err != nil {
			return
		}
		if x.RevenueWan, err = float(revenue); err != nil {
			return
		}
		if x.Employees, err = integer(employees); err != nil {
			return
		}
		x.ID, x.Name, x.RegionCode, x.FoundedOn, x.Provenance = f[0], f[1], f[2], graph.Date(f[3]), f[5]
		x.Tags = splitTags(f[4])
		return
	},
}

func splitTags(s string) []graph.Tag {
	if s == "" {
		return nil
	}
	var out []graph.Tag
	for _, t := range graph.SplitTags(s) {
		out = append(out, graph.Tag(t))
	}
	return out
}

var companyLinks = &table[graph.CompanyLink]{
	name: graph.TCompanyLinks, keys: 2,
	cols: []string{"company_id", "link_id", "products", "provenance"},
	args: func(x *graph.CompanyLink) []any { return []any{x.CompanyID, x.LinkID, x.Products, x.Provenance} },
	scan: func(s scanner) (x graph.CompanyLink, err error) {
		err = s.Scan(&x.CompanyID, &x.LinkID, &x.Products, &x.Provenance)
		return
	},
	packed: []string{"company_id", "link_id", "products", "provenance"},
	scanPacked: func(s scanner, f []string) (x graph.CompanyLink, err error) {
		var row string
		if err = s.Scan(&row); err != nil {
			return
		}
		if err = unpack(row, f); err != nil {
			return
		}
		x.CompanyID, x.LinkID, x.Products, x.Provenance = f[0], f[1], f[2], f[3]
		return
	},
}

var leaders = &table[graph.Leader]{
	name: graph.TLeaders, keys: 2,
	cols: []string{"company_id", "chain_id", "provenance"},
	args: func(x *graph.Leader) []any { return []any{x.CompanyID, x.ChainID, x.Provenance} },
	scan: func(s scanner) (x graph.Leader, err error) {
		err = s.Scan(&x.CompanyID, &x.ChainID, &x.Provenance)
		return
	},
}

var supplies = &table[graph.Supply]{
	name: graph.TSupplies, keys: 3,
	cols: []string{"supplier_id", "customer_id", "link_id", "product", "amount_wan", "evidence", "confidence",
		"since", "until", "provenance"},
	args: func(x *graph.Supply) []any {
		return []any{x.SupplierID, x.CustomerID, x.LinkID, x.Product, x.AmountWan, string(x.Evidence),
			x.Confidence, string(x.Since), string(x.Until), x.Provenance}
	},
	scan: func(s scanner) (x graph.Supply, err error) {
		err = s.Scan(&x.SupplierID, &x.CustomerID, &x.LinkID, &x.Product, &x.AmountWan, &x.Evidence,
			&x.Confidence, &x.Since, &x.Until, &x.Provenance)
		return
	},
	packed: []string{"supplier_id", "customer_id", "link_id", "product", "evidence", "since", "until", "provenance"},
	scanPacked: func(s scanner, f []string) (x graph.Supply, err error) {
		var row string
		var amount, confidence any
		if err = s.Scan(&row, &amount, &confidence); err != nil {
			return
		}
		if err = unpack(row, f); err != nil {
			return
		}
		if x.AmountWan, err = float(amount); err != nil {
			return
		}
		if x.Confidence, err = float(confidence); err != nil {
			return
		}
		x.SupplierID, x.CustomerID, x.LinkID, x.Product = f[0], f[1], f[2], f[3]
		x.Evidence, x.Since, x.Until, x.Provenance = graph.Evidence(f[4]), graph.Date(f[5]), graph.Date(f[6]), f[7]
		return
	},
}

var projects = &table[graph.Project]{
	name: graph.TProjects, keys: 1,
	cols: []string{"id", "name", "company_id", "link_id", "region_code", "investment_wan", "foreign_investor",
		"source_region_code", "stage", "signed_on", "started_on", "producing_on", "at_capacity_on",
		"planned_start_on", "planned_producing_on", "provenance"},
	args: func(x *graph.Project) []any {
		return []any{x.ID, x.Name, nullable(x.CompanyID), nullable(x.LinkID), x.RegionCode, x.InvestmentWan,
			boolInt(x.Foreign), nullable(x.SourceRegionCode), string(x.Stage), string(x.SignedOn),
			string(x.StartedOn), string(x.ProducingOn), string(x.AtCapacityOn), string(x.PlannedStartOn),
			string(x.PlannedProduceOn), x.Provenance}
	},
	scan: func(s scanner) (x graph.Project, err error) {
		var company, link, source sql.NullString
		err = s.Scan(&x.ID, &x.Name, &company, &link, &x.RegionCode, &x.InvestmentWan, &x.Foreign,
			&source, &x.Stage, &x.SignedOn, &x.StartedOn, &x.ProducingOn, &x.AtCapacityOn,
			&x.PlannedStartOn, &x.PlannedProduceOn, &x.Provenance)
		x.CompanyID, x.LinkID, x.SourceRegionCode = fromNull(company), fromNull(link), fromNull(source)
		return
	},
}

var projectEvents = &table[graph.ProjectEvent]{
	name: graph.TProjectLog, keys: 2,
	cols: []string{"project_id", "seq", "at", "who", "from_stage", "to_stage", "on_date", "note", "correction", "provenance"},
	args: func(x *graph.ProjectEvent) []any {
		return []any{x.ProjectID, x.Seq, x.At, x.Who, string(x.From), string(x.To), string(x.On), x.Note,
			boolInt(x.Correction), x.Provenance}
	},
	scan: func(s scanner) (x graph.ProjectEvent, err error) {
		err = s.Scan(&x.ProjectID, &x.Seq, &x.At, &x.Who, &x.From, &x.To, &x.On, &x.Note, &x.Correction, &x.Provenance)
		return
	},
}
