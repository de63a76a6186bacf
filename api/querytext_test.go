package api

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The rule "values are parameters, never query text" is checked on the source: a
// request's data can only reach SQL or Cypher text through a string, so no string
// that a caller hands in may end up in query text. Per package:
//
//   - api: no database access at all (no driver imported);
//   - graph/neo4j: every statement comes from the embedded .cypher files, through
//     cypher(key) or a Statement's Query;
//   - api/auth and graph/sqlite: statements are assembled from literal fragments and
//     the tables' constant column lists, so the check is on string parameters: none
//     may flow into query text, except the few listed in sqlTextParams, and every
//     call of those passes a literal.
//
// The source is parsed, not type-checked: a parameter laundered through another
// variable would escape this test, which is why builders stay small and listed.

var sqlDriverCalls = map[string]int{ // method → index of the query argument
	"QueryContext": 1, "QueryRowContext": 1, "ExecContext": 1, "PrepareContext": 1,
	"Query": 0, "QueryRow": 0, "Exec": 0, "Prepare": 0,
}

var sqlKeyword = regexp.MustCompile(`\b(SELECT|INSERT|UPDATE|DELETE|FROM|WHERE|PRAGMA|VACUUM|CREATE|DROP|ALTER|MATCH|MERGE|RETURN)\b`)

// sqlTextParams are the string parameters allowed into SQL text: constant WHERE
// clauses, given as literals by every caller.
var sqlTextParams = map[string]bool{"streamWhere.where": true, "packedSelectSQL.where": true,
	"prepared.query": true, "queryRowPrepared.query": true}

func parseDir(t *testing.T, dir string) []*ast.File {
	t.Helper()
	fset := token.NewFileSet()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, e.Name()), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	if len(files) == 0 {
		t.Fatalf("no Go files in %s", dir)
	}
	return files
}

// funcCalls calls fn with every call expression in the bodies of files' functions.
func funcCalls(files []*ast.File, fn func(fd *ast.FuncDecl, call *ast.CallExpr)) {
	for _, f := range files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				if call, ok := n.(*ast.CallExpr); ok {
					fn(fd, call)
				}
				return true
			})
		}
	}
}

// queryArgs calls fn with every driver call's query argument and its function.
func queryArgs(files []*ast.File, neo4j bool, fn func(fd *ast.FuncDecl, call string, arg ast.Expr)) {
	funcCalls(files, func(fd *ast.FuncDecl, call *ast.CallExpr) {
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok {
			return
		}
		i, isSQL := sqlDriverCalls[sel.Sel.Name]
		if neo4j {
			i, isSQL = 1, sel.Sel.Name == "Run" || sel.Sel.Name == "ExecuteQuery"
			if sel.Sel.Name == "ExecuteQuery" {
				i = 2 // neo4j.ExecuteQuery(ctx, driver, query, params, …)
			}
		}
		if isSQL && len(call.Args) > i {
			fn(fd, sel.Sel.Name, call.Args[i])
		}
	})
}

func isStringLit(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.BasicLit:
		return e.Kind == token.STRING
	case *ast.BinaryExpr:
		return e.Op == token.ADD && isStringLit(e.X) && isStringLit(e.Y)
	case *ast.ParenExpr:
		return isStringLit(e.X)
	}
	return false
}

// stringParams lists fd's parameters of type string, []string or ...string.
func stringParams(fd *ast.FuncDecl) map[string]int {
	out := map[string]int{}
	i := 0
	for _, field := range fd.Type.Params.List {
		typ := field.Type
		if el, ok := typ.(*ast.Ellipsis); ok {
			typ = el.Elt
		} else if arr, ok := typ.(*ast.ArrayType); ok {
			typ = arr.Elt
		}
		id, isString := typ.(*ast.Ident)
		for _, name := range field.Names {
			if isString && id.Name == "string" {
				out[name.Name] = i
			}
			i++
		}
		if len(field.Names) == 0 {
			i++
		}
	}
	return out
}

func mentions(e ast.Node, names map[string]int) []string {
	var found []string
	ast.Inspect(e, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if _, ok := names[id.Name]; ok {
				found = append(found, id.Name)
			}
		}
		return true
	})
	return found
}

func hasSQLText(e ast.Node) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING && sqlKeyword.MatchString(lit.Value) {
			found = true
		}
		return !found
	})
	return found
}

func TestQueryTextNeverComesFromInput(t *testing.T) {
	// The HTTP layer has no database access of its own: everything goes through the
	// store and auth packages checked below.
	for _, f := range parseDir(t, ".") {
		for _, imp := range f.Imports {
			if p := strings.Trim(imp.Path.Value, `"`); p == "database/sql" || strings.Contains(p, "neo4j-go-driver") || strings.Contains(p, "sqlite") {
				t.Errorf("api imports %s: queries belong in the store and auth packages", p)
			}
		}
	}

	n := 0
	queryArgs(parseDir(t, "../graph/neo4j"), true, func(fd *ast.FuncDecl, call string, arg ast.Expr) {
		n++
		switch a := arg.(type) {
		case *ast.CallExpr:
			if id, ok := a.Fun.(*ast.Ident); ok && id.Name == "cypher" {
				return
			}
		case *ast.SelectorExpr:
			if a.Sel.Name == "Query" {
				return
			}
		}
		t.Errorf("graph/neo4j: %s: %s runs a statement that is not from the embedded .cypher files", fd.Name.Name, call)
	})
	if n < 5 {
		t.Errorf("graph/neo4j: only %d statements found", n)
	}

	for _, dir := range []string{"auth", "../graph/sqlite"} {
		checkSQLPackage(t, dir, parseDir(t, dir))
	}
}

// checkSQLPackage: no string parameter of any function flows into a query's text,
// either directly or through the concatenations, appends, Sprintfs and builder writes
// of a function that holds SQL text, except those listed in sqlTextParams, whose
// callers all pass literals.
func checkSQLPackage(t *testing.T, dir string, files []*ast.File) {
	t.Helper()
	n := 0
	queryArgs(files, false, func(fd *ast.FuncDecl, call string, arg ast.Expr) {
		n++
		for _, p := range mentions(arg, stringParams(fd)) {
			if !sqlTextParams[fd.Name.Name+"."+p] {
				t.Errorf("%s: %s: parameter %s flows into the text of %s", dir, fd.Name.Name, p, call)
			}
		}
	})
	if n < 5 {
		t.Errorf("%s: only %d queries found; is the check still looking at them?", dir, n)
	}
	for _, f := range files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil || !hasSQLText(fd.Body) {
				continue
			}
			params := stringParams(fd)
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				var expr ast.Node
				switch n := n.(type) {
				case *ast.BinaryExpr:
					if n.Op == token.ADD {
						expr = n
					}
				case *ast.AssignStmt:
					if n.Tok == token.ADD_ASSIGN {
						expr = n
					}
				case *ast.CallExpr:
					switch fn := n.Fun.(type) {
					case *ast.SelectorExpr:
						if x, ok := fn.X.(*ast.Ident); ok && x.Name == "sql" && fn.Sel.Name == "Open" {
							return false // a file name in a DSN, not query text
						}
						if fn.Sel.Name == "WriteString" || fn.Sel.Name == "Sprintf" {
							expr = n
						}
					case *ast.Ident:
						if fn.Name == "append" && len(n.Args) > 0 {
							// append(args, value) collects parameters, not text; only
							// appends to a slice of SQL fragments matter, and those are
							// told apart by holding a literal.
							for _, a := range n.Args[1:] {
								if hasSQLText(a) || isStringLit(a) {
									expr = n
								}
							}
						}
					}
				}
				if expr == nil {
					return true
				}
				for _, p := range mentions(expr, params) {
					if !sqlTextParams[fd.Name.Name+"."+p] {
						t.Errorf("%s: %s: parameter %s is written into SQL text", dir, fd.Name.Name, p)
					}
				}
				return false
			})
		}
	}
	// Every call of a function that takes SQL text passes a literal, or passes on its
	// own listed parameter.
	funcCalls(files, func(fd *ast.FuncDecl, call *ast.CallExpr) {
		name := ""
		switch fn := call.Fun.(type) {
		case *ast.Ident:
			name = fn.Name
		case *ast.SelectorExpr:
			name = fn.Sel.Name
		case *ast.IndexExpr: // generic instantiation
			if id, ok := fn.X.(*ast.Ident); ok {
				name = id.Name
			}
		}
		for key := range sqlTextParams {
			callee, param, _ := strings.Cut(key, ".")
			idx := paramIndex(files, callee, param)
			if callee != name || idx < 0 {
				continue
			}
			if idx >= len(call.Args) {
				t.Errorf("%s: %s calls %s without its %s", dir, fd.Name.Name, callee, param)
				continue
			}
			arg := call.Args[idx]
			if id, ok := arg.(*ast.Ident); ok && sqlTextParams[fd.Name.Name+"."+id.Name] {
				continue
			}
			if !isStringLit(arg) {
				t.Errorf("%s: %s passes a non-literal %s to %s", dir, fd.Name.Name, param, callee)
			}
		}
	})
}

func paramIndex(files []*ast.File, fn, param string) int {
	for _, f := range files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Name.Name == fn {
				if i, ok := stringParams(fd)[param]; ok {
					return i
				}
			}
		}
	}
	return -1
}
