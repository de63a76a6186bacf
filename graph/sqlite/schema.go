package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/chainmap/chainmap/graph"
)

// Kind names a kind of chainmap database file and the migrations that define its
// schema, so that a file can be recognised by its tables and columns rather than by
// its user_version alone (which any SQLite file may carry).
type Kind struct {
	NameZH, NameEN string // e.g. "图谱库", "graph store"
	Migrations     fs.FS  // holds migrations/NNN_*.sql
	// Marker tables: a file holding all of them is this kind, whatever else is wrong.
	Markers []string
}

// GraphKind is the chain graph store this package keeps.
var GraphKind = Kind{NameZH: "图谱库", NameEN: "graph store", Migrations: migrationFiles,
	Markers: []string{"regions", "companies", "projects"}}

// otherKinds are the other chainmap files a user may hand to restore by mistake; the
// auth package registers its store here (RegisterKind) so messages can name it.
var otherKinds struct {
	sync.Mutex
	list []Kind
}

// RegisterKind makes k known to Restore and Open, so that a file of kind k given in
// place of another is named in the error ("this is the users database").
func RegisterKind(k Kind) {
	otherKinds.Lock()
	otherKinds.list = append(otherKinds.list, k)
	otherKinds.Unlock()
}

// column is what a schema check compares of a column.
type column struct {
	name, typ string
	notNull   bool
	pk        int
}

func (c column) String() string {
	s := c.typ
	if c.notNull {
		s += " NOT NULL"
	}
	if c.pk > 0 {
		s += fmt.Sprintf(" (key %d)", c.pk)
	}
	return strings.TrimSpace(s)
}

// schema maps each table (SQLite's own excluded) to its columns in order.
type schema map[string][]column

// readSchema reads the tables and columns of db.
func readSchema(ctx context.Context, q querier) (schema, error) {
	rows, err := q.QueryContext(ctx, `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'`)
	if err != nil {
		return nil, err
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return nil, err
		}
		names = append(names, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := schema{}
	for _, n := range names {
		// The table name is a parameter of the table-valued pragma function.
		cols, err := q.QueryContext(ctx, `SELECT name, upper(type), "notnull", pk FROM pragma_table_info(?) ORDER BY cid`, n)
		if err != nil {
			return nil, err
		}
		for cols.Next() {
			var c column
			if err := cols.Scan(&c.name, &c.typ, &c.notNull, &c.pk); err != nil {
				cols.Close()
				return nil, err
			}
			out[n] = append(out[n], c)
		}
		cols.Close()
		if err := cols.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// expected caches the schema each kind's migrations 1..version produce.
var expected struct {
	sync.Mutex
	m map[string]schema
}

// expectedSchema returns the schema that migrations 1..version of k create, by
// applying them to an empty in-memory database: the migrations are the one
// definition of the schema.
func expectedSchema(ctx context.Context, k Kind, version int) (schema, error) {
	key := fmt.Sprintf("%s/%d", k.NameEN, version)
	expected.Lock()
	defer expected.Unlock()
	if s, ok := expected.m[key]; ok {
		return s, nil
	}
	names, err := fs.Glob(k.Migrations, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	if version > len(names) {
		return nil, fmt.Errorf("no migration %d", version)
	}
	db, err := sql.Open("sqlite", "file::memory:")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	for _, n := range names[:version] {
		body, err := fs.ReadFile(k.Migrations, n)
		if err != nil {
			return nil, err
		}
		if _, err := db.ExecContext(ctx, string(body)); err != nil {
			return nil, fmt.Errorf("%s: %w", n, err)
		}
	}
	s, err := readSchema(ctx, db)
	if err != nil {
		return nil, err
	}
	if expected.m == nil {
		expected.m = map[string]schema{}
	}
	expected.m[key] = s
	return s, nil
}

// migrationCount is the number of migrations of k: the newest schema version.
func migrationCount(k Kind) int {
	names, _ := fs.Glob(k.Migrations, "migrations/*.sql")
	return len(names)
}

// checkSchema compares the tables and columns of q with those of kind k at version
// and returns an EINVALID error, in Chinese and English, that names the file (what)
// and every difference; nil when they match.
func checkSchema(ctx context.Context, q querier, k Kind, version int, what string) error {
	got, err := readSchema(ctx, q)
	if err != nil {
		return graph.Errorf(graph.EINVALID, "%s 无法读取表结构（%v）/ %s: cannot read its tables (%v)", what, err, what, err)
	}
	if version == 0 && len(got) == 0 {
		return graph.Errorf(graph.EINVALID, "%s 是空的 SQLite 数据库，不是 chainmap %s / %s is an empty SQLite database, not a chainmap %s",
			what, k.NameZH, what, k.NameEN)
	}
	if other, ok := recognise(got, k); ok {
		return graph.Errorf(graph.EINVALID, "%s 是 chainmap 的%s，不是%s / %s is chainmap's %s, not its %s",
			what, other.NameZH, k.NameZH, what, other.NameEN, k.NameEN)
	}
	if version == 0 {
		return graph.Errorf(graph.EINVALID, "%s 不是 chainmap %s（结构版本为 0，含表 %s）/ %s is not a chainmap %s (schema version 0, tables %s)",
			what, k.NameZH, tableList(got), what, k.NameEN, tableList(got))
	}
	if newest := migrationCount(k); version > newest {
		return graph.Errorf(graph.EINVALID, "%s 的结构版本 %d 比本程序支持的 %d 新，请升级 chainmap / %s has schema version %d, newer than this chainmap's %d; upgrade chainmap",
			what, version, newest, what, version, newest)
	}
	want, err := expectedSchema(ctx, k, version)
	if err != nil {
		return err
	}
	var zh, en []string
	var missing, extra []string
	for t := range want {
		if _, ok := got[t]; !ok {
			missing = append(missing, t)
		}
	}
	for t := range got {
		if _, ok := want[t]; !ok {
			extra = append(extra, t)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing) > 0 {
		zh = append(zh, "缺少表 "+strings.Join(missing, "、"))
		en = append(en, "missing tables "+strings.Join(missing, ", "))
	}
	if len(extra) > 0 {
		zh = append(zh, "多出表 "+strings.Join(extra, "、"))
		en = append(en, "unexpected tables "+strings.Join(extra, ", "))
	}
	tables := make([]string, 0, len(want))
	for t := range want {
		tables = append(tables, t)
	}
	sort.Strings(tables)
	for _, t := range tables {
		have, ok := got[t]
		if !ok {
			continue
		}
		for _, c := range want[t] {
			i := slices.IndexFunc(have, func(h column) bool { return h.name == c.name })
			switch {
			case i < 0:
				zh = append(zh, fmt.Sprintf("表 %s 缺少列 %s", t, c.name))
				en = append(en, fmt.Sprintf("table %s lacks column %s", t, c.name))
			case have[i] != c:
				zh = append(zh, fmt.Sprintf("表 %s 列 %s 应为 %s，实为 %s", t, c.name, c, have[i]))
				en = append(en, fmt.Sprintf("table %s column %s should be %s, is %s", t, c.name, c, have[i]))
			}
		}
		for _, h := range have {
			if !slices.ContainsFunc(want[t], func(c column) bool { return c.name == h.name }) {
				zh = append(zh, fmt.Sprintf("表 %s 多出列 %s", t, h.name))
				en = append(en, fmt.Sprintf("table %s has an unexpected column %s", t, h.name))
			}
		}
	}
	if len(zh) == 0 {
		return nil
	}
	const show = 8
	if len(zh) > show {
		zh = append(zh[:show], fmt.Sprintf("等共 %d 处", len(zh)))
		en = append(en[:show], fmt.Sprintf("%d differences in all", len(en)))
	}
	return graph.Errorf(graph.EINVALID, "%s 不是结构版本 %d 的 chainmap %s：%s / %s is not a chainmap %s of schema version %d: %s",
		what, version, k.NameZH, strings.Join(zh, "；"), what, k.NameEN, version, strings.Join(en, "; "))
}

// recognise reports which other known kind a file of tables got is, when it holds
// all of that kind's marker tables and not all of k's.
func recognise(got schema, k Kind) (Kind, bool) {
	has := func(ts []string) bool {
		for _, t := range ts {
			if _, ok := got[t]; !ok {
				return false
			}
		}
		return len(ts) > 0
	}
	if has(k.Markers) {
		return Kind{}, false
	}
	otherKinds.Lock()
	defer otherKinds.Unlock()
	for _, o := range append([]Kind{GraphKind}, otherKinds.list...) {
		if o.NameEN != k.NameEN && has(o.Markers) {
			return o, true
		}
	}
	return Kind{}, false
}

// tableList names at most a few tables of s, for messages.
func tableList(s schema) string {
	var ts []string
	for t := range s {
		ts = append(ts, t)
	}
	sort.Strings(ts)
	if len(ts) == 0 {
		return "（无 none）"
	}
	if len(ts) > 6 {
		ts = append(ts[:6], "…")
	}
	return strings.Join(ts, ", ")
}
