package neo4j

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
)

//go:embed cypher/*.cypher
var cypherFiles embed.FS

// Statement is one named Cypher statement from a .cypher file. Files hold statements
// separated by `// name: NAME` lines, each optionally followed by `// params: a, b`
// declaring the $parameters it takes.
type Statement struct {
	Key    string   `json:"key"` // file stem + "." + name, e.g. "company.upsert"
	File   string   `json:"file"`
	Query  string   `json:"query"`
	Params []string `json:"params"`
}

var statements = mustParseStatements()

// Statements returns every embedded statement in key order.
func Statements() []Statement {
	out := make([]Statement, 0, len(statements))
	for _, s := range statements {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// cypher returns the text of a statement; a missing key is a programming error.
func cypher(key string) string {
	s, ok := statements[key]
	if !ok {
		panic("neo4j: no statement " + key)
	}
	return s.Query
}

func mustParseStatements() map[string]Statement {
	m, err := parseStatements(cypherFiles)
	if err != nil {
		panic(err)
	}
	return m
}

func parseStatements(fsys fs.FS) (map[string]Statement, error) {
	names, err := fs.Glob(fsys, "cypher/*.cypher")
	if err != nil {
		return nil, err
	}
	out := map[string]Statement{}
	for _, name := range names {
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		stem := strings.TrimSuffix(path.Base(name), ".cypher")
		var cur *Statement
		flush := func() error {
			if cur == nil {
				return nil
			}
			cur.Query = strings.TrimSpace(cur.Query)
			if cur.Query == "" {
				return fmt.Errorf("%s: statement %s is empty", name, cur.Key)
			}
			if _, dup := out[cur.Key]; dup {
				return fmt.Errorf("%s: statement %s defined twice", name, cur.Key)
			}
			out[cur.Key] = *cur
			return nil
		}
		for _, line := range strings.Split(string(body), "\n") {
			trimmed := strings.TrimSpace(line)
			switch {
			case strings.HasPrefix(trimmed, "// name:"):
				if err := flush(); err != nil {
					return nil, err
				}
				cur = &Statement{Key: stem + "." + strings.TrimSpace(strings.TrimPrefix(trimmed, "// name:")), File: name, Params: []string{}}
			case strings.HasPrefix(trimmed, "// params:") && cur != nil:
				for _, p := range strings.Split(strings.TrimPrefix(trimmed, "// params:"), ",") {
					cur.Params = append(cur.Params, strings.TrimSpace(p))
				}
			case strings.HasPrefix(trimmed, "//"):
				// a comment: documentation for readers, not sent to the server
			case cur != nil:
				cur.Query += line + "\n"
			}
		}
		if err := flush(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Schema is the graph schema every statement must stay within; the CI lint passes it
// to Neo4j's Cypher front-end so a misspelled label, type or property is an error.
type Schema struct {
	Labels            []string `json:"labels"`
	RelationshipTypes []string `json:"relationshipTypes"`
	PropertyKeys      []string `json:"propertyKeys"`
	// RowKeys are the keys of the maps sent in $rows that are not stored properties;
	// the linter cannot tell map keys from property keys, so it is given both.
	RowKeys []string `json:"rowKeys"`
}

// GraphSchema declares chainmap's Neo4j schema, in one place.
var GraphSchema = Schema{
	Labels: []string{"Region", "RegionGroup", "Cluster", "Chain", "Link", "Company", "Project", "ProjectEvent",
		// Staged imports (cypher/staging.cypher): staged records, the registry, the lock.
		"Staged", "StagedRegion", "StagedCluster", "StagedChain", "StagedLink", "StagedCompany",
		"ChainmapImport", "ChainmapLock",
		// Other writers' counts and the audit outbox (cypher/writes.cypher).
		"ChainmapWriter", "ChainmapAudit"},
	RelationshipTypes: []string{"PART_OF", "IN_GROUP", "IN_CLUSTER", "IN_CHAIN", "FEEDS", "LOCATED_IN", "OPERATES_IN", "LEADS", "SUPPLIES", "BY", "TARGETS", "LANDS_IN", "FROM", "HAS_EVENT"},
	PropertyKeys: []string{
		"code", "name", "parent_code", "kind", "provenance", // Region, RegionGroup
		"id", "name_en", "cluster_id", "key", "chain_id", "tier", "role", // Cluster, Chain, Link
		"region_code", "revenue_wan", "employees", "founded_on", "tags", // Company
		"products",                                                                     // OPERATES_IN
		"link_id", "product", "amount_wan", "evidence", "confidence", "since", "until", // SUPPLIES
		"company_id", "investment_wan", "foreign", "source_region_code", "stage", "signed_on", "started_on",
		"producing_on", "at_capacity_on", "planned_start_on", "planned_producing_on", // Project
		"project_id", "seq", "at", "who", "from_stage", "to_stage", "on", "note", "correction", // ProjectEvent
		"_import", "started", "beat", "dead", // staged records, ChainmapImport, ChainmapLock
		"writes", "audit_seq", "n", "entry", "ref", // ChainmapLock, ChainmapWriter, ChainmapAudit
	},
	RowKeys: []string{"props", "from", "to", "supplier_id", "customer_id", "group_code", "group_name"},
}

var (
	paramRE = regexp.MustCompile(`\$([A-Za-z_][A-Za-z0-9_]*)`)
	// labelRE finds `:Name` after `(` or `[`-side variable bindings; relationship types
	// may be alternatives separated by `|`.
	labelRE = regexp.MustCompile(`[(\[][A-Za-z_0-9]*:([A-Za-z_|]+)`)
)

// usedParams returns the $parameters a query refers to.
func usedParams(q string) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range paramRE.FindAllStringSubmatch(q, -1) {
		if !seen[m[1]] {
			seen[m[1]] = true
			out = append(out, m[1])
		}
	}
	sort.Strings(out)
	return out
}

// usedNames returns the labels and relationship types a query mentions.
func usedNames(q string) []string {
	var out []string
	for _, m := range labelRE.FindAllStringSubmatch(q, -1) {
		out = append(out, strings.Split(m[1], "|")...)
	}
	return out
}
