package api

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chainmap/chainmap/api/auth"
	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/graph/interchange"
	"github.com/chainmap/chainmap/graph/sqlite"
	"github.com/chainmap/chainmap/seed/zhenjiang"
	"github.com/xuri/excelize/v2"
)

// env is a server over the Zhenjiang demo with one user per role.
type env struct {
	srv    *Server
	store  *sqlite.Store
	tokens map[auth.Role]string
}

func newEnv(t testing.TB, anonymous bool) *env {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	store, err := sqlite.Open(ctx, filepath.Join(dir, "api.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if _, err := store.Import(ctx, zhenjiang.Dataset(), graph.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	as, err := auth.Open(ctx, filepath.Join(dir, "auth.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { as.Close() })
	e := &env{store: store, tokens: map[auth.Role]string{}}
	for _, r := range []auth.Role{auth.Viewer, auth.Editor, auth.Admin} {
		if err := as.AddUser(ctx, "u-"+string(r), "password-"+string(r)+"-long", r); err != nil {
			t.Fatal(err)
		}
		tok, err := as.CreateToken(ctx, "u-"+string(r), "test", 0)
		if err != nil {
			t.Fatal(err)
		}
		e.tokens[r] = tok
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	e.srv = New(store, Options{Version: "test", Auth: as, AnonymousViewer: anonymous, Logger: quiet})
	return e
}

// do sends a request as role ("" = anonymous) and returns the recorder.
func (e *env) do(t *testing.T, role auth.Role, method, path string, body any, headers ...string) *httptest.ResponseRecorder {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	case string:
		rd = strings.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		rd = bytes.NewReader(j)
	}
	req := httptest.NewRequest(method, path, rd)
	req.RemoteAddr, req.Host = "127.0.0.1:50000", "127.0.0.1:8080" // a browser on this machine
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if role != "" {
		req.Header.Set("Authorization", "Bearer "+e.tokens[role])
	}
	for i := 0; i+1 < len(headers); i += 2 {
		switch headers[i] {
		case ":remote":
			req.RemoteAddr = headers[i+1]
		case "Host":
			req.Host = headers[i+1]
		default:
			req.Header.Set(headers[i], headers[i+1])
		}
	}
	w := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(w, req)
	return w
}

// TestEveryRouteIsDocumented: the OpenAPI document and the served routes agree.
func TestEveryRouteIsDocumented(t *testing.T) {
	e := newEnv(t, false)
	spec := e.srv.Spec()
	paths := spec["paths"].(map[string]map[string]any)
	served := map[string]bool{}
	for _, r := range e.srv.handler.Routes() {
		key := strings.ToLower(r.Method) + " " + pathParam.ReplaceAllString(r.Path, "{$1}")
		served[key] = true
		p := pathParam.ReplaceAllString(r.Path, "{$1}")
		if _, ok := paths[p][strings.ToLower(r.Method)]; !ok {
			t.Errorf("%s %s is served but not documented", r.Method, r.Path)
		}
	}
	for p, ops := range paths {
		for m := range ops {
			if !served[m+" "+p] {
				t.Errorf("%s %s is documented but not served", m, p)
			}
		}
	}
	if _, err := json.Marshal(spec); err != nil {
		t.Fatalf("spec does not marshal: %v", err)
	}
}

// call is one request of the route tests, with the status it must get.
type call struct {
	role   auth.Role
	method string
	path   string
	body   any
	want   int
}

// TestRoutes exercises every route: success, and where the route has them,
// validation error, 401, 403, 404 and conflict. Successful JSON bodies are checked
// against the route's documented schema.
func TestRoutes(t *testing.T) {
	e := newEnv(t, false)
	newProject := graph.Project{ID: "API-1", Name: "接口项目", RegionCode: "321181", InvestmentWan: 50000, Stage: graph.Signed,
		SignedOn: "2025-09-01", LinkID: "EV_M3"}
	badProject := graph.Project{ID: "API-2", Name: "", RegionCode: "999", Stage: graph.Signed}
	calls := []call{
		{"", "GET", "/healthz", nil, 200},
		{"", "GET", "/readyz", nil, 200},
		{"", "GET", "/", nil, 200},
		{"", "GET", "/api/openapi.json", nil, 200},
		{"", "GET", "/api/docs", nil, 200},
		{"", "GET", "/metrics", nil, 401},
		{auth.Viewer, "GET", "/metrics", nil, 200},
		{"", "GET", "/api/v1/regions", nil, 401},
		{auth.Viewer, "GET", "/api/v1/me", nil, 200},
		{auth.Viewer, "GET", "/api/v1/regions", nil, 200},
		{auth.Viewer, "GET", "/api/v1/clusters", nil, 200},
		{auth.Viewer, "GET", "/api/v1/chains", nil, 200},
		{auth.Viewer, "GET", "/api/v1/chains/CH_EV", nil, 200},
		{auth.Viewer, "GET", "/api/v1/chains/NOPE", nil, 404},
		{auth.Viewer, "GET", "/api/v1/links/EV_M3", nil, 200},
		{auth.Viewer, "GET", "/api/v1/links/NOPE", nil, 404},
		{auth.Viewer, "GET", "/api/v1/companies?q=鱼跃", nil, 200},
		{auth.Viewer, "GET", "/api/v1/companies?region=321181&chain=CH_MD&page=1&page_size=5", nil, 200},
		{auth.Viewer, "GET", "/api/v1/companies?page_size=1000", nil, 400},
		{auth.Viewer, "GET", "/api/v1/companies?tag=明星", nil, 422},
		{auth.Viewer, "GET", "/api/v1/companies/ZJ-REAL-003", nil, 200},
		{auth.Viewer, "GET", "/api/v1/companies/NOPE", nil, 404},
		{auth.Viewer, "GET", "/api/v1/supplies?customer=ZJ-REAL-003", nil, 200},
		{auth.Viewer, "GET", "/api/v1/supplies?supplier=NOPE", nil, 404},
		{auth.Viewer, "GET", "/api/v1/leaders", nil, 200},
		{auth.Viewer, "GET", "/api/v1/projects?district=321181&page_size=10", nil, 200},
		{auth.Viewer, "GET", "/api/v1/exports?format=pdf", nil, 400},
		{auth.Viewer, "GET", "/api/v1/analysis/diagnosis?region=321100&chain=CH_EV", nil, 200},
		{auth.Viewer, "GET", "/api/v1/analysis/diagnosis?region=999", nil, 404},
		{auth.Viewer, "GET", "/api/v1/analysis/diagnosis", nil, 400},
		{auth.Viewer, "GET", "/api/v1/analysis/targets?region=321100&link=EV_M3&limit=5", nil, 200},
		{auth.Viewer, "GET", "/api/v1/analysis/targets?region=321100&link=EV_M3&limit=x", nil, 400},
		{auth.Viewer, "GET", "/api/v1/analysis/leaders?region=321100&chain=CH_MD", nil, 200},
		{auth.Viewer, "GET", "/api/v1/analysis/chokepoints?region=321100", nil, 200},
		{auth.Viewer, "GET", "/api/v1/analysis/removal?region=321100&company=ZJ-REAL-003", nil, 200},
		{auth.Viewer, "GET", "/api/v1/analysis/whatif?region=321100&link=EV_M3&district=321112", nil, 200},
		{auth.Viewer, "GET", "/api/v1/analysis/kpi?from=2025-01-01&to=2025-06-30", nil, 200},
		{auth.Viewer, "GET", "/api/v1/analysis/extend?region=321100&limit=5", nil, 200},
		{auth.Viewer, "GET", "/api/v1/analysis/extend?region=999", nil, 404},
		{auth.Viewer, "GET", "/api/v1/analysis/communities", nil, 200},
		{auth.Viewer, "GET", "/api/v1/analysis/communities?resolution=2&seed=7", nil, 200},
		{auth.Viewer, "GET", "/api/v1/analysis/communities?resolution=-1", nil, 400},
		{auth.Viewer, "GET", "/api/v1/analysis/targets?region=321181&link=EV_M4&include_same_city=true", nil, 200},
		{auth.Viewer, "GET", "/api/v1/analysis/targets?region=321181&link=EV_M4&include_same_city=maybe", nil, 400},
		{auth.Viewer, "GET", "/api/v1/analysis/kpi?from=2025-07-01&to=2025-01-01", nil, 422},
		{auth.Viewer, "POST", "/api/v1/projects", newProject, 403},
		{"", "POST", "/api/v1/projects", newProject, 401},
		{auth.Editor, "POST", "/api/v1/projects", badProject, 422},
		{auth.Editor, "POST", "/api/v1/projects", `{"id": 1`, 400},
		{auth.Editor, "POST", "/api/v1/projects", newProject, 201},
		{auth.Editor, "POST", "/api/v1/projects", newProject, 409},
		{auth.Viewer, "GET", "/api/v1/projects/API-1", nil, 200},
		{auth.Viewer, "GET", "/api/v1/projects/NOPE", nil, 404},
		{auth.Editor, "PUT", "/api/v1/projects/API-1", withName(newProject, "接口项目（改）"), 200},
		{auth.Editor, "PUT", "/api/v1/projects/API-1", withStage(newProject, graph.Started), 409},
		{auth.Editor, "PUT", "/api/v1/projects/NOPE", withID(newProject, "NOPE"), 404},
		{auth.Editor, "POST", "/api/v1/projects/API-1/transitions", TransitionRequest{To: graph.Producing, On: "2025-10-01"}, 422},
		{auth.Editor, "POST", "/api/v1/projects/API-1/transitions", TransitionRequest{To: graph.Started, On: "2025-10-01"}, 200},
		{auth.Editor, "POST", "/api/v1/projects/NOPE/transitions", TransitionRequest{To: graph.Started, On: "2025-10-01"}, 404},
		{auth.Viewer, "GET", "/api/v1/projects/API-1/history", nil, 200},
		{auth.Viewer, "GET", "/api/v1/projects/NOPE/history", nil, 404},
		{auth.Editor, "POST", "/api/v1/imports", nil, 400},
		{auth.Editor, "GET", "/api/v1/users", nil, 403},
		{auth.Admin, "GET", "/api/v1/users", nil, 200},
		{auth.Admin, "POST", "/api/v1/users", NewUser{Name: "new-user", Password: "a-long-password", Role: auth.Viewer}, 201},
		{auth.Admin, "POST", "/api/v1/users", NewUser{Name: "new-user", Password: "a-long-password", Role: auth.Viewer}, 409},
		{auth.Admin, "POST", "/api/v1/users/new-user/tokens", NewToken{Label: "script"}, 201},
		{auth.Admin, "POST", "/api/v1/users/nobody/tokens", NewToken{Label: "script"}, 404},
		{auth.Admin, "GET", "/api/v1/audit?limit=50", nil, 200},
		{auth.Viewer, "GET", "/api/v1/nothing-here", nil, 404},
	}
	for _, c := range calls {
		name := fmt.Sprintf("%s %s %s as %q", c.method, c.path, "", c.role)
		w := e.do(t, c.role, c.method, c.path, c.body)
		if w.Code != c.want {
			t.Errorf("%s: status %d, want %d: %s", name, w.Code, c.want, truncate(w.Body.String()))
			continue
		}
		ct := w.Header().Get("Content-Type")
		if c.want >= 400 && !strings.HasPrefix(ct, "application/problem+json") {
			t.Errorf("%s: error content type %q", name, ct)
		}
		if c.want < 300 && strings.HasPrefix(ct, "application/json") {
			if err := e.checkSchema(c.method, c.path, c.want, w.Body.Bytes()); err != nil {
				t.Errorf("%s: response does not match its schema: %v", name, err)
			}
		}
	}
}

func withName(p graph.Project, n string) graph.Project { p.Name = n; return p }
func withStage(p graph.Project, st graph.Stage) graph.Project {
	p.Stage, p.StartedOn = st, "2025-09-10"
	return p
}
func withID(p graph.Project, id string) graph.Project { p.ID = id; return p }
func truncate(s string) string                        { return s[:min(len(s), 300)] }

// checkSchema validates a response body against the documented schema of its route.
func (e *env) checkSchema(method, path string, status int, body []byte) error {
	spec := e.srv.Spec()
	path, _, _ = strings.Cut(path, "?")
	var op map[string]any
	for p, ops := range spec["paths"].(map[string]map[string]any) {
		re := regexp.MustCompile("^" + regexp.MustCompile(`\{[a-z_]+\}`).ReplaceAllString(p, "[^/]+") + "$")
		if re.MatchString(path) {
			if o, ok := ops[strings.ToLower(method)]; ok {
				op = o.(map[string]any)
			}
		}
	}
	if op == nil {
		return fmt.Errorf("no documented operation")
	}
	resp, ok := op["responses"].(map[string]any)[fmt.Sprint(status)].(map[string]any)
	if !ok {
		return fmt.Errorf("status %d not documented", status)
	}
	content, ok := resp["content"].(map[string]any)
	if !ok {
		return nil
	}
	mt, ok := content["application/json"].(map[string]any)
	if !ok {
		return nil
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return err
	}
	return validate(mt["schema"].(map[string]any), v, spec["components"].(map[string]any)["schemas"].(map[string]any), "$")
}

// validate checks v against an OpenAPI schema subset: $ref, type, properties,
// required, items, additionalProperties.
func validate(sch map[string]any, v any, defs map[string]any, at string) error {
	if ref, ok := sch["$ref"].(string); ok {
		return validate(defs[strings.TrimPrefix(ref, "#/components/schemas/")].(map[string]any), v, defs, at)
	}
	if v == nil {
		return nil // nullable fields (pointers, nil slices) are allowed
	}
	switch sch["type"] {
	case "object":
		m, ok := v.(map[string]any)
		if !ok {
			return fmt.Errorf("%s: want object, got %T", at, v)
		}
		props, _ := sch["properties"].(map[string]any)
		if req, ok := sch["required"].([]string); ok {
			for _, r := range req {
				if _, has := m[r]; !has {
					return fmt.Errorf("%s: missing required %q", at, r)
				}
			}
		}
		for k, x := range m {
			if ps, ok := props[k].(map[string]any); ok {
				if err := validate(ps, x, defs, at+"."+k); err != nil {
					return err
				}
			} else if ap, ok := sch["additionalProperties"].(map[string]any); ok {
				if err := validate(ap, x, defs, at+"."+k); err != nil {
					return err
				}
			} else if props != nil {
				return fmt.Errorf("%s: undocumented property %q", at, k)
			}
		}
	case "array":
		a, ok := v.([]any)
		if !ok {
			return fmt.Errorf("%s: want array, got %T", at, v)
		}
		for i, x := range a {
			if err := validate(sch["items"].(map[string]any), x, defs, fmt.Sprintf("%s[%d]", at, i)); err != nil {
				return err
			}
		}
	case "string":
		if _, ok := v.(string); !ok {
			return fmt.Errorf("%s: want string, got %T", at, v)
		}
	case "integer", "number":
		if _, ok := v.(float64); !ok {
			return fmt.Errorf("%s: want number, got %T", at, v)
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			return fmt.Errorf("%s: want boolean, got %T", at, v)
		}
	}
	return nil
}

// TestAuthMatrix: every write route, as every role and anonymously: only roles at
// or above the route's are let through (to a non-auth status), writes are never
// anonymous even when anonymous viewing is on.
func TestAuthMatrix(t *testing.T) {
	for _, anonymous := range []bool{false, true} {
		e := newEnv(t, anonymous)
		for _, r := range e.srv.routes {
			if r.Role == "" {
				continue
			}
			path := pathParam.ReplaceAllString(r.Path, "x")
			for _, role := range []auth.Role{"", auth.Viewer, auth.Editor, auth.Admin} {
				w := e.do(t, role, r.Method, path, nil)
				allowed := role != "" && role.Allows(r.Role) || role == "" && anonymous && r.Role == auth.Viewer && !r.Write
				denied := w.Code == http.StatusUnauthorized || w.Code == http.StatusForbidden
				if allowed == denied {
					t.Errorf("anonymous=%v %s %s as %q: status %d, allowed=%v", anonymous, r.Method, r.Path, role, w.Code, allowed)
				}
			}
		}
	}
}

func TestETagAndInvalidation(t *testing.T) {
	e := newEnv(t, false)
	const path = "/api/v1/analysis/diagnosis?region=321100&chain=CH_EV"
	const list = "/api/v1/projects?district=321112&page_size=500"
	listTag := e.do(t, auth.Viewer, "GET", list, nil).Header().Get("ETag")
	first := e.do(t, auth.Viewer, "GET", path, nil)
	etag := first.Header().Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	if w := e.do(t, auth.Viewer, "GET", path, nil, "If-None-Match", etag); w.Code != http.StatusNotModified {
		t.Errorf("If-None-Match: %d, want 304", w.Code)
	}
	p := graph.Project{ID: "ET-1", Name: "缓存测试", RegionCode: "321112", InvestmentWan: 10000, Stage: graph.Negotiating}
	if w := e.do(t, auth.Editor, "POST", "/api/v1/projects", p); w.Code != 201 {
		t.Fatalf("create: %d %s", w.Code, w.Body)
	}
	if w := e.do(t, auth.Viewer, "GET", list, nil, "If-None-Match", listTag); w.Code != 200 || w.Header().Get("ETag") == listTag {
		t.Errorf("a changed list must not revalidate: %d", w.Code)
	}
	if w := e.do(t, auth.Viewer, "GET", "/api/v1/projects/ET-1", nil); w.Code != 200 {
		t.Errorf("a write must be visible at once: %d", w.Code)
	}
	// The ETag is a hash of the content: a result the write did not change still
	// revalidates, one it changed does not.
	if w := e.do(t, auth.Viewer, "GET", path, nil, "If-None-Match", etag); w.Code != http.StatusNotModified {
		t.Errorf("an unchanged result after a write: %d, want 304", w.Code)
	}
}

func TestProblemLanguage(t *testing.T) {
	e := newEnv(t, false)
	var p Problem
	w := e.do(t, auth.Viewer, "GET", "/api/v1/chains/NOPE", nil, "Accept-Language", "en-US,en;q=0.9")
	json.Unmarshal(w.Body.Bytes(), &p)
	if p.Title != "Not found" || !strings.Contains(p.Detail, "not found") {
		t.Errorf("English problem: %+v", p)
	}
	w = e.do(t, auth.Viewer, "GET", "/api/v1/chains/NOPE", nil)
	json.Unmarshal(w.Body.Bytes(), &p)
	if p.Title != "未找到" || !strings.Contains(p.Detail, "不存在") {
		t.Errorf("Chinese problem: %+v", p)
	}
}

func upload(t *testing.T, e *env, role auth.Role, name string, body []byte, query string) *httptest.ResponseRecorder {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(body)
	mw.Close()
	req := httptest.NewRequest("POST", "/api/v1/imports"+query, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+e.tokens[role])
	w := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(w, req)
	return w
}

func TestImportAndExport(t *testing.T) {
	e := newEnv(t, false)
	w := e.do(t, auth.Viewer, "GET", "/api/v1/exports?format=xlsx", nil)
	if w.Code != 200 || !strings.Contains(w.Header().Get("Content-Disposition"), ".xlsx") {
		t.Fatalf("xlsx export: %d", w.Code)
	}
	xlsx := w.Body.Bytes()
	if w := e.do(t, auth.Viewer, "GET", "/api/v1/exports?format=csv", nil); w.Code != 200 || w.Header().Get("Content-Type") != "application/zip" {
		t.Errorf("csv export: %d %s", w.Code, w.Header().Get("Content-Type"))
	}
	w = upload(t, e, auth.Editor, "demo.xlsx", xlsx, "")
	var res graph.ImportResult
	if json.Unmarshal(w.Body.Bytes(), &res); w.Code != 200 || res.Written() != 0 {
		t.Errorf("re-importing the export: %d, %d written", w.Code, res.Written())
	}
	bad := "id,name,region_code\nX-1,,999\n"
	w = upload(t, e, auth.Editor, "companies.csv", []byte(bad), "?table=companies")
	var p Problem
	json.Unmarshal(w.Body.Bytes(), &p)
	if w.Code != 422 || len(p.Errors) != 2 || p.Errors[0].Row != 2 || p.Errors[0].Field != "name" {
		t.Errorf("invalid upload: %d %+v", w.Code, p)
	}
	good := "id,name,region_code\nX-1,新企业,321181\n"
	if w := upload(t, e, auth.Editor, "companies.csv", []byte(good), "?table=companies&dry_run=true"); w.Code != 200 {
		t.Errorf("dry run: %d %s", w.Code, w.Body)
	}
	if w := e.do(t, auth.Viewer, "GET", "/api/v1/companies/X-1", nil); w.Code != 404 {
		t.Errorf("a dry run must not write: %d", w.Code)
	}
	if w := upload(t, e, auth.Viewer, "companies.csv", []byte(good), "?table=companies"); w.Code != 403 {
		t.Errorf("viewer upload: %d", w.Code)
	}
	_ = interchange.Formats
}

func TestLimits(t *testing.T) {
	e := newEnv(t, false)
	big := `{"id":"` + strings.Repeat("x", DefaultMaxBodyBytes) + `"}`
	if w := e.do(t, auth.Editor, "POST", "/api/v1/projects", big); w.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized body: %d", w.Code)
	}
	w := e.do(t, auth.Viewer, "GET", "/metrics", nil)
	if !strings.Contains(w.Body.String(), "chainmap_http_requests_total") || !strings.Contains(w.Body.String(), "chainmap_snapshot_age_seconds") {
		t.Errorf("metrics: %s", truncate(w.Body.String()))
	}
}

func TestAuditLogRecordsWrites(t *testing.T) {
	e := newEnv(t, false)
	p := graph.Project{ID: "AU-1", Name: "审计", RegionCode: "321112", InvestmentWan: 10000, Stage: graph.Negotiating}
	e.do(t, auth.Editor, "POST", "/api/v1/projects", p)
	w := e.do(t, auth.Admin, "GET", "/api/v1/audit", nil)
	var entries []auth.AuditEntry
	json.Unmarshal(w.Body.Bytes(), &entries)
	found := false
	for _, en := range entries {
		if en.User == "u-editor" && en.Method == "POST" && en.Status == 201 && strings.Contains(en.After, "AU-1") {
			found = true
		}
	}
	if !found {
		t.Errorf("audit log lacks the write: %s", truncate(w.Body.String()))
	}
}

// TestUnknownParametersShareTheCache: a parameter no route documents cannot make
// a distinct cache entry.
func TestUnknownParametersShareTheCache(t *testing.T) {
	e := newEnv(t, false)
	e.do(t, auth.Viewer, "GET", "/api/v1/analysis/diagnosis?region=321100&chain=CH_EV", nil)
	before := e.srv.snaps.bytes
	for i := 0; i < 5; i++ {
		e.do(t, auth.Viewer, "GET", fmt.Sprintf("/api/v1/analysis/diagnosis?region=321100&chain=CH_EV&junk=%d", i), nil)
	}
	if e.srv.snaps.bytes != before || before == 0 {
		t.Errorf("cache grew from %d to %d bytes on unknown parameters", before, e.srv.snaps.bytes)
	}
}

// TestSpecIsConsistent: every $ref resolves, every {param} in a path is declared,
// every operation has an id, a summary and a 2xx response.
func TestSpecIsConsistent(t *testing.T) {
	e := newEnv(t, false)
	spec := e.srv.Spec()
	raw, _ := json.Marshal(spec)
	var doc map[string]any
	json.Unmarshal(raw, &doc)
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	for _, m := range regexp.MustCompile(`"\$ref":"#/components/schemas/([^"]+)"`).FindAllStringSubmatch(string(raw), -1) {
		if _, ok := schemas[m[1]]; !ok {
			t.Errorf("unresolved $ref %s", m[1])
		}
	}
	ids := map[string]bool{}
	for p, ops := range doc["paths"].(map[string]any) {
		for m, o := range ops.(map[string]any) {
			op := o.(map[string]any)
			id, _ := op["operationId"].(string)
			if id == "" || ids[id] || op["summary"] == "" {
				t.Errorf("%s %s: operationId %q missing or duplicate, or no summary", m, p, id)
			}
			ids[id] = true
			declared := map[string]bool{}
			params, _ := op["parameters"].([]any)
			for _, x := range params {
				if pm := x.(map[string]any); pm["in"] == "path" {
					declared[pm["name"].(string)] = true
				}
			}
			for _, pm := range regexp.MustCompile(`\{([a-z_]+)\}`).FindAllStringSubmatch(p, -1) {
				if !declared[pm[1]] {
					t.Errorf("%s %s: path parameter %s undeclared", m, p, pm[1])
				}
			}
			ok2xx := false
			for code := range op["responses"].(map[string]any) {
				ok2xx = ok2xx || strings.HasPrefix(code, "2")
			}
			if !ok2xx {
				t.Errorf("%s %s: no success response", m, p)
			}
		}
	}
}

// TestBrowserSession: login sets an HttpOnly cookie; writes with the cookie need
// the CSRF token; a wrong password is 401; logout ends the session.
func TestBrowserSession(t *testing.T) {
	e := newEnv(t, false)
	h := e.srv.Handler()
	send := func(method, path, body, cookie, csrf string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if cookie != "" {
			req.Header.Set("Cookie", cookie)
		}
		if csrf != "" {
			req.Header.Set("X-CSRF-Token", csrf)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w
	}
	if w := send("POST", "/api/v1/session", `{"user":"u-editor","password":"wrong-password-x"}`, "", ""); w.Code != 401 {
		t.Errorf("wrong password: %d", w.Code)
	}
	w := send("POST", "/api/v1/session", `{"user":"u-editor","password":"password-editor-long"}`, "", "")
	if w.Code != 200 {
		t.Fatalf("login: %d %s", w.Code, w.Body)
	}
	var login LoginResponse
	json.Unmarshal(w.Body.Bytes(), &login)
	setCookie := w.Header().Get("Set-Cookie")
	if !strings.Contains(setCookie, "HttpOnly") || !strings.Contains(setCookie, "SameSite=Strict") || login.CSRFToken == "" {
		t.Fatalf("cookie %q, csrf %q", setCookie, login.CSRFToken)
	}
	cookie, _, _ := strings.Cut(setCookie, ";")
	if w := send("GET", "/api/v1/me", "", cookie, ""); w.Code != 200 || !strings.Contains(w.Body.String(), `"u-editor"`) {
		t.Errorf("me: %d %s", w.Code, w.Body)
	}
	p := `{"id":"SS-1","name":"会话项目","region_code":"321181","investment_wan":10000,"stage":"negotiating"}`
	if w := send("POST", "/api/v1/projects", p, cookie, ""); w.Code != 403 {
		t.Errorf("write without CSRF token: %d", w.Code)
	}
	if w := send("POST", "/api/v1/projects", p, cookie, login.CSRFToken); w.Code != 201 {
		t.Errorf("write with CSRF token: %d %s", w.Code, w.Body)
	}
	if w := send("DELETE", "/api/v1/session", "", cookie, login.CSRFToken); w.Code != 204 {
		t.Errorf("logout: %d", w.Code)
	}
	if w := send("GET", "/api/v1/me", "", cookie, ""); w.Code != 401 {
		t.Errorf("after logout: %d", w.Code)
	}
}

// TestProjectWritesPatchTheSnapshot: creating and advancing a project does not
// rebuild the snapshot, yet every analysis sees the change at once.
func TestProjectWritesPatchTheSnapshot(t *testing.T) {
	e := newEnv(t, false)
	const kpiPath = "/api/v1/analysis/kpi?from=2025-11-01&to=2025-11-30&min_investment=0"
	before := e.do(t, auth.Viewer, "GET", kpiPath, nil)
	builds := e.srv.snaps.builds
	p := graph.Project{ID: "INC-1", Name: "增量项目", RegionCode: "321181", InvestmentWan: 30000, Stage: graph.Signed,
		SignedOn: "2025-11-05", LinkID: "EV_M3"}
	if w := e.do(t, auth.Editor, "POST", "/api/v1/projects", p); w.Code != 201 {
		t.Fatalf("create: %d %s", w.Code, w.Body)
	}
	if w := e.do(t, auth.Editor, "POST", "/api/v1/projects/INC-1/transitions", TransitionRequest{To: graph.Started, On: "2025-11-20"}); w.Code != 200 {
		t.Fatalf("advance: %d %s", w.Code, w.Body)
	}
	after := e.do(t, auth.Viewer, "GET", kpiPath, nil)
	var r1, r2 struct {
		Projects int `json:"projects"`
	}
	json.Unmarshal(before.Body.Bytes(), &r1)
	json.Unmarshal(after.Body.Bytes(), &r2)
	if r2.Projects != r1.Projects+1 {
		t.Errorf("KPI after the write: %d projects, want %d", r2.Projects, r1.Projects+1)
	}
	if w := e.do(t, auth.Viewer, "GET", "/api/v1/projects/INC-1", nil); !strings.Contains(w.Body.String(), `"started"`) {
		t.Errorf("project after the transition: %s", w.Body)
	}
	if e.srv.snaps.builds != builds {
		t.Errorf("project writes rebuilt the snapshot %d time(s)", e.srv.snaps.builds-builds)
	}
	// Any other write still rebuilds.
	c := graph.Company{ID: "INC-C", Name: "增量企业", RegionCode: "321181"}
	if _, err := e.store.Import(context.Background(), &graph.Dataset{Companies: []graph.Company{c}}, graph.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	e.srv.snaps.invalidate()
	e.do(t, auth.Viewer, "GET", "/api/v1/companies/INC-C", nil)
	if e.srv.snaps.builds != builds+1 {
		t.Errorf("a company write must rebuild once: %d builds", e.srv.snaps.builds-builds)
	}
}

// TestHostileDatesAreRefused: the date forms issue 15 #8 found mangled or accepted
// are refused through the API too — in a project body, a transition and as_of —
// and nothing is stored.
func TestHostileDatesAreRefused(t *testing.T) {
	e := newEnv(t, false)
	body := func(id, signed string) string {
		return `{"id":"` + id + `","name":"日期","region_code":"321181","investment_wan":10000,"stage":"signed","signed_on":"` + signed + `"}`
	}
	for i, tc := range []struct{ signed, code string }{
		{"9999-12-31", graph.PFutureDate}, {"2024-01-31 garbage", graph.PBadDate}, {"2024013", graph.PBadDate},
		{"2024-01-31 至 2024-12-31", graph.PBadDate}, {"2024/1/31", graph.PBadDate},
	} {
		id := fmt.Sprintf("HD-%d", i)
		w := e.do(t, auth.Editor, "POST", "/api/v1/projects", body(id, tc.signed))
		if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), `"field":"signed_on"`) ||
			!strings.Contains(w.Body.String(), `"code":"`+tc.code+`"`) {
			t.Errorf("signed_on %q: %d %s; want 422 %s on signed_on", tc.signed, w.Code, truncate(w.Body.String()), tc.code)
		}
		if w := e.do(t, auth.Viewer, "GET", "/api/v1/projects/"+id, nil); w.Code != http.StatusNotFound {
			t.Errorf("signed_on %q: the refused project was stored (%d)", tc.signed, w.Code)
		}
	}
	if w := e.do(t, auth.Editor, "POST", "/api/v1/projects", body("HD-OK", "2025-09-01")); w.Code != http.StatusCreated {
		t.Fatalf("a good project: %d %s", w.Code, w.Body)
	}
	w := e.do(t, auth.Editor, "POST", "/api/v1/projects/HD-OK/transitions", `{"to":"dropped","on":"2024-01-31 garbage","note":"撤资"}`)
	if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), `"field":"on"`) {
		t.Errorf("transition with a garbage date: %d %s", w.Code, truncate(w.Body.String()))
	}
	if w := e.do(t, auth.Viewer, "GET", "/api/v1/projects/HD-OK/history", nil); strings.Contains(w.Body.String(), "garbage") {
		t.Errorf("the garbage date reached the history: %s", w.Body)
	}
	for _, q := range []string{"2024013", "202401", "2024-01-31 garbage", "2024-01-31 至 2024-12-31"} {
		path := "/api/v1/analysis/kpi?from=2025-01-01&to=2025-06-30&as_of=" + url.QueryEscape(q)
		if w := e.do(t, auth.Viewer, "GET", path, nil); w.Code != http.StatusBadRequest {
			t.Errorf("as_of=%q: %d, want 400", q, w.Code)
		}
		path = "/api/v1/analysis/kpi?to=2025-06-30&from=" + url.QueryEscape(q)
		if w := e.do(t, auth.Viewer, "GET", path, nil); w.Code != http.StatusBadRequest {
			t.Errorf("from=%q: %d, want 400", q, w.Code)
		}
	}
}

// TestKPIAmountsAreNumbers: min_investment=NaN was accepted and echoed as
// −9223372036854775808 万元; NaN, Inf, hexadecimal and decimal commas are refused
// (issue 15 #8, #13).
func TestKPIAmountsAreNumbers(t *testing.T) {
	e := newEnv(t, false)
	const base = "/api/v1/analysis/kpi?from=2025-01-01&to=2025-06-30&"
	for _, q := range []string{"min_investment=NaN", "min_investment=Inf", "min_investment=-1", "min_investment=0x1p4",
		"min_investment=1,5", "min_investment=1_000", "min_investment=0.00001", "plan=NaN", "plan=%2BInf", "plan=1,5", "plan=-3"} {
		if w := e.do(t, auth.Viewer, "GET", base+q, nil); w.Code != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400: %s", q, w.Code, truncate(w.Body.String()))
		}
	}
	for _, q := range []string{"min_investment=0.5", "min_investment=1,000", "plan=1094.6"} {
		w := e.do(t, auth.Viewer, "GET", base+q, nil)
		if w.Code != http.StatusOK || strings.Contains(w.Body.String(), "-9223372036854775808") {
			t.Errorf("%s: %d %s", q, w.Code, truncate(w.Body.String()))
		}
	}
}

// TestAnalysisNumbersAreNumbers: min_revenue=NaN was accepted (no revenue is below
// NaN, so the filter silently vanished), as were Inf, hexadecimal and 1_000; the
// communities resolution took 0x1p-2 (issue 15 #13).
func TestAnalysisNumbersAreNumbers(t *testing.T) {
	e := newEnv(t, false)
	bad := []string{
		"/api/v1/analysis/targets?region=321100&link=EV_M3&min_revenue=NaN",
		"/api/v1/analysis/targets?region=321100&link=EV_M3&min_revenue=Inf",
		"/api/v1/analysis/targets?region=321100&link=EV_M3&min_revenue=0x1p4",
		"/api/v1/analysis/targets?region=321100&link=EV_M3&min_revenue=1_000",
		"/api/v1/analysis/targets?region=321100&link=EV_M3&min_revenue=-5",
		"/api/v1/analysis/communities?resolution=0x1p-2",
		"/api/v1/analysis/communities?resolution=NaN",
	}
	for _, path := range bad {
		if w := e.do(t, auth.Viewer, "GET", path, nil); w.Code != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400: %s", path, w.Code, truncate(w.Body.String()))
		}
	}
	for _, path := range []string{"/api/v1/analysis/targets?region=321100&link=EV_M3&min_revenue=1,000",
		"/api/v1/analysis/communities?resolution=0.5"} {
		if w := e.do(t, auth.Viewer, "GET", path, nil); w.Code != http.StatusOK {
			t.Errorf("%s: %d, want 200: %s", path, w.Code, truncate(w.Body.String()))
		}
	}
}

// TestPagingCannotOverflow: a huge page overflowed (page-1)*page_size into a 500 or
// wrapped round to page 1 (issue 15 #7); beyond MaxPage is a 400, at it an empty page.
func TestPagingCannotOverflow(t *testing.T) {
	e := newEnv(t, true)
	for _, path := range []string{"/api/v1/companies", "/api/v1/supplies", "/api/v1/projects"} {
		for _, q := range []string{"page=4611686018427387904&page_size=4", "page=2305843009213693953&page_size=8",
			"page=9223372036854775807&page_size=500", "page=99999999999999999999", fmt.Sprintf("page=%d", MaxPage+1)} {
			w := e.do(t, "", "GET", path+"?"+q, nil)
			if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "page") {
				t.Errorf("%s?%s: %d %s; want 400", path, q, w.Code, truncate(w.Body.String()))
			}
		}
		w := e.do(t, "", "GET", fmt.Sprintf("%s?page=%d&page_size=%d", path, MaxPage, MaxPageSize), nil)
		var p struct {
			Items []json.RawMessage `json:"items"`
			Total int               `json:"total"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &p); w.Code != http.StatusOK || err != nil || len(p.Items) != 0 || p.Total == 0 {
			t.Errorf("%s page %d: %d, %d items of %d; want 200 and an empty page", path, MaxPage, w.Code, len(p.Items), p.Total)
		}
	}
}

// TestWritesStoreNormalisedText: the API stored names with spaces, tabs, CR/LF and
// NBSP around them, and ids differing only by U+200B, U+FEFF or U+202E as different
// projects (issue 15 #12). Text is stored as an import would store it, the answer
// shows what was stored, and an invisible character in an id is a located 422.
func TestWritesStoreNormalisedText(t *testing.T) {
	e := newEnv(t, false)
	body := `{"id":" NT-1\u00a0","name":"\t 规范化\u00a0项目\r\n第二行 \u200b","region_code":"321181 ","investment_wan":10000,` +
		`"stage":" negotiating","provenance":"\u00a0来源\u202e "}`
	w := e.do(t, auth.Editor, "POST", "/api/v1/projects", body)
	if w.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", w.Code, w.Body)
	}
	var answered graph.Project
	json.Unmarshal(w.Body.Bytes(), &answered)
	var stored graph.Project
	json.Unmarshal(e.do(t, auth.Viewer, "GET", "/api/v1/projects/NT-1", nil).Body.Bytes(), &stored)
	want := graph.Project{ID: "NT-1", Name: "规范化 项目\n第二行", RegionCode: "321181", InvestmentWan: 10000,
		Stage: graph.Negotiating, Provenance: "来源"}
	if stored != want || answered != want {
		t.Errorf("stored %+v\nanswered %+v\nwant %+v", stored, answered, want)
	}
	if w := e.do(t, auth.Editor, "POST", "/api/v1/projects", strings.Replace(body, " NT-1", "NT-1 ", 1)); w.Code != http.StatusConflict {
		t.Errorf("the same id with other spaces: %d, want 409", w.Code)
	}
	for _, id := range []string{`NT-1\u200b`, `\ufeffNT-1`, `NT\u202e-1`, `NT\u00a01`} {
		w := e.do(t, auth.Editor, "POST", "/api/v1/projects", strings.Replace(body, ` NT-1\u00a0`, id, 1))
		if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), `"code":"invisible_char"`) {
			t.Errorf("id %s: %d %s; want 422 invisible_char", id, w.Code, truncate(w.Body.String()))
		}
	}
	w = e.do(t, auth.Editor, "PUT", "/api/v1/projects/NT-1", `{"name":" 改名\t","region_code":"321181","investment_wan":10000,"stage":"negotiating"}`)
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"name":"改名"`) {
		t.Errorf("update: %d %s", w.Code, truncate(w.Body.String()))
	}
	w = e.do(t, auth.Editor, "POST", "/api/v1/projects/NT-1/transitions", `{"to":" dropped ","note":" 撤资\r\n原因 "}`)
	if w.Code != http.StatusOK {
		t.Fatalf("transition: %d %s", w.Code, w.Body)
	}
	if h := e.do(t, auth.Viewer, "GET", "/api/v1/projects/NT-1/history", nil).Body.String(); !strings.Contains(h, `"note":"撤资\n原因"`) {
		t.Errorf("history note not normalised: %s", h)
	}
}

// TestUploadsAreBounded: issue 15 #10 — a workbook of white space, a csv with a
// million header cells and a zip full of bad rows are answered within seconds, with
// a report of bounded size (the first problems of each kind per column, the rest
// counted) and nothing stored.
func TestUploadsAreBounded(t *testing.T) {
	e := newEnv(t, false)
	check := func(name string, w *httptest.ResponseRecorder, took time.Duration, wantIn ...string) Problem {
		t.Helper()
		var p Problem
		json.Unmarshal(w.Body.Bytes(), &p)
		if w.Code != http.StatusUnprocessableEntity || took > 10*time.Second || w.Body.Len() > 256<<10 {
			t.Errorf("%s: %d in %v, %d-byte body: %s", name, w.Code, took, w.Body.Len(), truncate(w.Body.String()))
		}
		t.Logf("%s: %d in %v, %d-byte body", name, w.Code, took.Round(time.Millisecond), w.Body.Len())
		for _, s := range wantIn {
			if !strings.Contains(w.Body.String(), s) {
				t.Errorf("%s: %q not in %s", name, s, truncate(w.Body.String()))
			}
		}
		return p
	}

	// A workbook whose sheet holds 64 MB of white space between two rows.
	x := excelize.NewFile()
	x.SetSheetName("Sheet1", "companies")
	x.SetSheetRow("companies", "A1", &[]any{"id", "name", "region_code"})
	x.SetSheetRow("companies", "A2", &[]any{"BOMB-1", "甲", "321181"})
	book, _ := x.WriteToBuffer()
	zr, _ := zip.NewReader(bytes.NewReader(book.Bytes()), int64(book.Len()))
	var bomb bytes.Buffer
	zw := zip.NewWriter(&bomb)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestSpeed) })
	for _, f := range zr.File {
		rc, _ := f.Open()
		data, _ := io.ReadAll(rc)
		rc.Close()
		w, _ := zw.Create(f.Name)
		if i := bytes.Index(data, []byte(`<row r="2"`)); f.Name == "xl/worksheets/sheet1.xml" && i >= 0 {
			w.Write(data[:i])
			spaces := bytes.Repeat([]byte(" "), 1<<20)
			for range 64 {
				w.Write(spaces)
			}
			data = data[i:]
		}
		w.Write(data)
	}
	zw.Close()
	start := time.Now()
	check("white-space workbook", upload(t, e, auth.Editor, "bomb.xlsx", bomb.Bytes(), ""), time.Since(start), "1048576")

	// A csv whose header has a million cells.
	start = time.Now()
	w := upload(t, e, auth.Editor, "companies.csv", []byte("id,name,region_code"+strings.Repeat(",x", 1_000_000)+"\nW-1,甲,321181\n"), "?table=companies")
	check("million-cell header", w, time.Since(start), `"code":"too_many_columns"`)

	// A zip of a csv with 100,000 bad rows: a bad number (counted by the reader) and
	// an unknown region (counted by the report) in each.
	var rows bytes.Buffer
	rows.WriteString("id,name,region_code,revenue_wan\n")
	for i := range 100_000 {
		fmt.Fprintf(&rows, "Z-%d,名,999,一千\n", i)
	}
	var zipped bytes.Buffer
	zw = zip.NewWriter(&zipped)
	f, _ := zw.Create("companies.csv")
	f.Write(rows.Bytes())
	zw.Close()
	start = time.Now()
	p := check("zip of bad rows", upload(t, e, auth.Editor, "bad.zip", zipped.Bytes(), ""), time.Since(start), `"code":"more_problems"`, "200000")
	if len(p.Errors) > 50 {
		t.Errorf("zip of bad rows: %d entries listed", len(p.Errors))
	}
	if w := e.do(t, auth.Viewer, "GET", "/api/v1/companies/Z-1", nil); w.Code != http.StatusNotFound {
		t.Errorf("a refused upload stored Z-1: %d", w.Code)
	}
}
