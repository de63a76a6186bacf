package api

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chainmap/chainmap/api/auth"
	"github.com/chainmap/chainmap/graph"
	"github.com/gin-gonic/gin"
)

// TestSecurityHeaders: every kind of response — the UI, its assets, JSON, problems,
// the docs and status pages — carries the browser-side defences, and the policy
// never allows inline script or eval.
func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t, true)
	for _, path := range []string{"/", "/ui/app.js", "/ui/app.css", "/api/v1/chains", "/api/v1/companies/NO-SUCH",
		"/no/such/path", "/api/docs", "/api/openapi.json", "/status", "/healthz"} {
		w := e.do(t, "", "GET", path, nil)
		h := w.Header()
		csp := h.Get("Content-Security-Policy")
		script := ""
		for _, d := range strings.Split(csp, ";") {
			if d = strings.TrimSpace(d); strings.HasPrefix(d, "script-src ") {
				script = d
			}
		}
		switch {
		case script != "script-src 'self'":
			t.Errorf("%s (%d): script-src is %q in %q", path, w.Code, script, csp)
		case !strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, "object-src 'none'"):
			t.Errorf("%s: CSP %q lacks frame-ancestors/object-src 'none'", path, csp)
		case h.Get("X-Content-Type-Options") != "nosniff" || h.Get("X-Frame-Options") != "DENY":
			t.Errorf("%s: nosniff %q, frame %q", path, h.Get("X-Content-Type-Options"), h.Get("X-Frame-Options"))
		case h.Get("Referrer-Policy") != "no-referrer":
			t.Errorf("%s: Referrer-Policy %q", path, h.Get("Referrer-Policy"))
		case h.Get("Strict-Transport-Security") != "":
			t.Errorf("%s: HSTS over plain HTTP", path)
		}
	}
	// The pages themselves must work under that policy: no inline script or handler.
	for _, path := range []string{"/", "/api/docs", "/status"} {
		body := strings.ToLower(e.do(t, "", "GET", path, nil).Body.String())
		for _, bad := range []string{"<script>", "<script type=\"text/javascript\">", " onclick=", " onload=", "javascript:"} {
			if strings.Contains(body, bad) {
				t.Errorf("%s contains %q, which the CSP blocks", path, bad)
			}
		}
	}
}

// TestTLSCookiesAndHSTS drives a real TLS listener: signing in over HTTPS sets a
// Secure, HttpOnly, SameSite=Strict cookie and HSTS, without --secure-cookies; the
// same server over plain HTTP sets neither Secure nor HSTS.
func TestTLSCookiesAndHSTS(t *testing.T) {
	e := newEnv(t, false)
	for _, tc := range []struct {
		name   string
		server *httptest.Server
		secure bool
	}{
		{"https", httptest.NewTLSServer(e.srv.Handler()), true},
		{"http", httptest.NewServer(e.srv.Handler()), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer tc.server.Close()
			client := tc.server.Client()
			client.Jar, _ = cookiejar.New(nil)
			resp, err := client.Post(tc.server.URL+"/api/v1/session", "application/json",
				strings.NewReader(`{"user":"u-viewer","password":"password-viewer-long"}`))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Fatalf("login: %d", resp.StatusCode)
			}
			if (resp.TLS != nil) != tc.secure {
				t.Fatalf("TLS state %v", resp.TLS != nil)
			}
			cookies := resp.Cookies()
			if len(cookies) != 1 {
				t.Fatalf("cookies: %v", cookies)
			}
			ck := cookies[0]
			if ck.Secure != tc.secure || !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode {
				t.Errorf("cookie Secure=%v HttpOnly=%v SameSite=%v, want Secure=%v, HttpOnly, Strict",
					ck.Secure, ck.HttpOnly, ck.SameSite, tc.secure)
			}
			if hsts := resp.Header.Get("Strict-Transport-Security"); (hsts != "") != tc.secure {
				t.Errorf("HSTS %q", hsts)
			}
			// The cookie signs the next request in (the jar sends it back).
			me, err := client.Get(tc.server.URL + "/api/v1/me")
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(me.Body)
			me.Body.Close()
			if me.StatusCode != 200 || !strings.Contains(string(body), "u-viewer") {
				t.Errorf("me with the session cookie: %d %s", me.StatusCode, body)
			}
		})
	}
}

// TestUploadTypeChecks: an upload's bytes must agree with its extension; a refused
// upload writes nothing, and the client's file name never becomes a path.
func TestUploadTypeChecks(t *testing.T) {
	e := newEnv(t, false)
	before, err := e.store.Counts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	zipOf := func(files ...string) []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for i := 0; i+1 < len(files); i += 2 {
			w, _ := zw.Create(files[i])
			w.Write([]byte(files[i+1]))
		}
		zw.Close()
		return buf.Bytes()
	}
	good := "id,name,region_code\nUP-1,上传企业,321181\n"
	for _, tc := range []struct {
		name, file string
		body       []byte
		query      string
		want       int
		says       string
	}{
		{"csv renamed to xlsx", "data.xlsx", []byte(good), "", 422, "不是 Excel 工作簿"},
		{"old xls", "data.xlsx", []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, "", 422, "不是 Excel 工作簿"},
		{"xlsx renamed to csv", "companies.csv", zipOf("x", "y"), "?table=companies", 422, "不是文本"},
		{"binary as csv", "companies.csv", []byte("id,name\x00\x01\x02"), "?table=companies", 422, "不是文本"},
		{"not a zip", "tables.zip", []byte(good), "", 422, "不是 zip 压缩包"},
		{"a zip that is no workbook", "data.xlsx", zipOf("readme.txt", "hello"), "", 422, "不是可读取的 .xlsx 工作簿"},
		{"executable", "tool.exe", []byte("MZ\x90\x00"), "", 422, "只接受 .xlsx、.csv 或 .zip"},
		{"no extension", "companies", []byte(good), "", 422, "只接受 .xlsx、.csv 或 .zip"},
		{"zip with clashing names", "tables.zip", zipOf("a/companies.csv", good, "b/companies.csv", good), "", 422, "同名"},
		{"zip with too many files", "tables.zip", zipOf(manyCSV(maxZipEntries + 1)...), "", 422, "超过 64 个"},
		// A traversal in the name is only a name: the table comes from ?table=.
		{"traversal in the name", "../../../../etc/passwd.csv", []byte(good), "?table=companies&dry_run=true", 200, ""},
		{"utf-16 csv passes the type check", "companies.csv", []byte{0xFF, 0xFE, 'i', 0, 'd', 0}, "?table=companies&dry_run=true", 422, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := upload(t, e, auth.Editor, tc.file, tc.body, tc.query)
			if w.Code != tc.want || !strings.Contains(w.Body.String(), tc.says) {
				t.Errorf("%d %s, want %d mentioning %q", w.Code, truncate(w.Body.String()), tc.want, tc.says)
			}
			if strings.Contains(w.Body.String(), os.TempDir()) || strings.Contains(w.Body.String(), "chainmap-upload") {
				t.Errorf("the answer names a server path: %s", w.Body)
			}
			if strings.Contains(tc.name, "utf-16") && strings.Contains(w.Body.String(), "不是文本") {
				t.Errorf("a UTF-16 csv was refused as binary: %s", w.Body)
			}
		})
	}
	after, err := e.store.Counts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for table, n := range before {
		if after[table] != n {
			t.Errorf("%s: %d rows before, %d after refused uploads", table, n, after[table])
		}
	}
}

func manyCSV(n int) []string {
	var files []string
	for i := range n {
		files = append(files, "t"+strings.Repeat("x", i)+".csv", "a\n")
	}
	return files
}

// TestStaticFilesStayInside: the UI's file route serves only the embedded assets,
// whatever the path says.
func TestStaticFilesStayInside(t *testing.T) {
	e := newEnv(t, true)
	get := func(path string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", path, nil) // the path exactly as written
		req.RemoteAddr, req.Host = "127.0.0.1:50000", "127.0.0.1:8080"
		w := httptest.NewRecorder()
		e.srv.Handler().ServeHTTP(w, req)
		return w
	}
	// The same requests reach the file route: a real asset is served.
	if w := get("/ui/app.js"); w.Code != 200 {
		t.Fatalf("/ui/app.js: %d", w.Code)
	}
	for _, path := range []string{"/ui/../go.mod", "/ui/..%2f..%2fgo.mod", "/ui/%2e%2e/%2e%2e/etc/passwd",
		"/ui/....//....//etc/passwd", "/ui//etc/passwd", "/ui/../../api/server.go"} {
		w := get(path)
		body := w.Body.String()
		if strings.Contains(body, "module github.com") || strings.Contains(body, "root:") || strings.Contains(body, "package api") {
			t.Errorf("%s leaked a file: %d %s", path, w.Code, truncate(body))
		}
	}
}

// TestJSONErrorsSpeakJSON: a bad body is described by its JSON field and type, never
// by the server's Go types.
func TestJSONErrorsSpeakJSON(t *testing.T) {
	e := newEnv(t, false)
	for _, tc := range []struct{ body, says string }{
		{`{"id":"X","investment_wan":"lots"}`, "investment_wan must be a JSON integer"},
		{`{"id":"X","name":5}`, "name must be a JSON string"},
		{`{"id":"X",`, "cut short"},
		{`{"id":"X"}}`, "after byte"},
		{`{"id":"X"} {"id":"Y"}`, "after byte"},
		{`{"id":"X","colour":"red"}`, `unknown field \"colour\"`},
		{``, "empty"},
	} {
		w := e.do(t, auth.Editor, "POST", "/api/v1/projects", tc.body, "Accept-Language", "en")
		body := w.Body.String()
		if w.Code != 400 || !strings.Contains(body, tc.says) || strings.Contains(body, "Go struct") || strings.Contains(body, "graph.") {
			t.Errorf("%s: %d %s, want 400 saying %q", tc.body, w.Code, body, tc.says)
		}
	}
}

// TestAuditRecordsRefusalsAndExports: a write refused for its role, a cookie write
// without its CSRF token and a whole-database export all leave an entry; a request
// from nobody at all does not (anyone could fill the log with those).
func TestAuditRecordsRefusalsAndExports(t *testing.T) {
	e := newEnv(t, false)
	e.do(t, auth.Editor, "POST", "/api/v1/users", NewUser{Name: "mallory", Password: "a-long-password", Role: auth.Admin})
	e.do(t, auth.Viewer, "GET", "/api/v1/exports?format=csv", nil)
	e.do(t, "", "POST", "/api/v1/projects", `{"id":"ANON"}`)
	login := e.do(t, "", "POST", "/api/v1/session", `{"user":"u-editor","password":"password-editor-long"}`)
	cookie, _, _ := strings.Cut(login.Header().Get("Set-Cookie"), ";")
	if w := e.do(t, "", "POST", "/api/v1/projects", `{"id":"NO-CSRF"}`, "Cookie", cookie); w.Code != 403 {
		t.Fatalf("cookie write without CSRF: %d", w.Code)
	}

	var entries []auth.AuditEntry
	json.Unmarshal(e.do(t, auth.Admin, "GET", "/api/v1/audit", nil).Body.Bytes(), &entries)
	has := func(user, method, path string, status int) bool {
		for _, en := range entries {
			if en.User == user && en.Method == method && en.Path == path && en.Status == status && en.IP != "" {
				return true
			}
		}
		return false
	}
	if !has("u-editor", "POST", "/api/v1/users", 403) {
		t.Error("a write refused for its role is not audited")
	}
	if !has("", "POST", "/api/v1/projects", 403) {
		t.Error("a cookie write refused for its CSRF token is not audited")
	}
	if !has("u-viewer", "GET", "/api/v1/exports", 200) {
		t.Error("the export is not audited")
	}
	for _, en := range entries {
		if en.Status == 401 {
			t.Errorf("an unauthenticated request was audited: %+v", en)
		}
	}
}

// TestSlowBodyIsCutOff: a client that sends its headers and then trickles its body
// is answered and disconnected once the body deadline passes, instead of holding a
// connection for as long as it likes.
func TestSlowBodyIsCutOff(t *testing.T) {
	e := newEnv(t, false)
	srv := New(e.store, Options{Auth: e.srv.opts.Auth, Logger: e.srv.opts.Logger, BodyReadTimeout: 300 * time.Millisecond})
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	conn, err := net.Dial("tcp", ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /api/v1/projects HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"+
		"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{", e.tokens[auth.Editor])
	start := time.Now()
	done := make(chan string, 1)
	go func() {
		b, _ := io.ReadAll(conn) // until the server answers and closes
		done <- string(b)
	}()
	for range 100 { // up to 10 s of trickling, one byte every 100 ms
		select {
		case resp := <-done:
			if !strings.HasPrefix(resp, "HTTP/1.1 4") || time.Since(start) > 5*time.Second {
				t.Errorf("after %v: %.80q", time.Since(start), resp)
			}
			return
		case <-time.After(100 * time.Millisecond):
			conn.Write([]byte(" "))
		}
	}
	t.Fatal("a trickling body held the connection for 10 s")
}

// TestUserAdministration: an admin can change a role, disable and re-enable a user,
// reset a password and revoke a token, each taking effect at once; the last admin
// cannot be demoted; nobody else can do any of it.
func TestUserAdministration(t *testing.T) {
	e := newEnv(t, false)
	patch := func(role auth.Role, name, body string) *httptest.ResponseRecorder {
		return e.do(t, role, "PATCH", "/api/v1/users/"+name, body)
	}
	if w := patch(auth.Editor, "u-viewer", `{"role":"admin"}`); w.Code != 403 {
		t.Errorf("an editor promoting: %d", w.Code)
	}
	if w := patch(auth.Admin, "u-viewer", `{"role":"editor"}`); w.Code != 200 || !strings.Contains(w.Body.String(), `"role":"editor"`) {
		t.Errorf("promote: %d %s", w.Code, w.Body)
	}
	// The viewer's token now carries the editor role.
	p := `{"id":"UA-1","name":"权限","region_code":"321181","investment_wan":10000,"stage":"negotiating"}`
	if w := e.do(t, auth.Viewer, "POST", "/api/v1/projects", p); w.Code != 201 {
		t.Errorf("write after promotion: %d", w.Code)
	}
	if w := patch(auth.Admin, "u-viewer", `{"disabled":true}`); w.Code != 200 || !strings.Contains(w.Body.String(), `"disabled":true`) {
		t.Errorf("disable: %d %s", w.Code, w.Body)
	}
	if w := e.do(t, auth.Viewer, "GET", "/api/v1/regions", nil); w.Code != 401 {
		t.Errorf("a disabled user's token still works: %d", w.Code)
	}
	if w := patch(auth.Admin, "u-viewer", `{"disabled":false,"password":"a-brand-new-password"}`); w.Code != 200 {
		t.Errorf("enable and reset: %d %s", w.Code, w.Body)
	}
	if w := e.do(t, "", "POST", "/api/v1/session", `{"user":"u-viewer","password":"a-brand-new-password"}`); w.Code != 200 {
		t.Errorf("sign-in with the reset password: %d", w.Code)
	}
	if w := patch(auth.Admin, "u-admin", `{"role":"viewer"}`); w.Code != 409 {
		t.Errorf("demoting the last admin: %d", w.Code)
	}
	if w := patch(auth.Admin, "nobody", `{"role":"viewer"}`); w.Code != 404 {
		t.Errorf("unknown user: %d", w.Code)
	}
	if w := patch(auth.Admin, "u-viewer", `{"role":"root"}`); w.Code != 422 {
		t.Errorf("unknown role: %d %s", w.Code, w.Body)
	}

	var toks []auth.Token
	w := e.do(t, auth.Admin, "GET", "/api/v1/users/u-editor/tokens", nil)
	if json.Unmarshal(w.Body.Bytes(), &toks); w.Code != 200 || len(toks) != 1 || strings.Contains(w.Body.String(), "cm_") {
		t.Fatalf("tokens: %d %s", w.Code, w.Body)
	}
	if w := e.do(t, auth.Editor, "DELETE", "/api/v1/tokens/"+toks[0].ID, nil); w.Code != 403 {
		t.Errorf("revoking one's own token as an editor must fail as 403, got %d", w.Code)
	}
	if w := e.do(t, auth.Admin, "DELETE", "/api/v1/tokens/"+toks[0].ID, nil); w.Code != 200 || !strings.Contains(w.Body.String(), `"revoked"`) {
		t.Errorf("revoke: %d %s", w.Code, w.Body)
	}
	if w := e.do(t, auth.Editor, "GET", "/api/v1/regions", nil); w.Code != 401 {
		t.Errorf("a revoked token still works: %d", w.Code)
	}
	if w := e.do(t, auth.Admin, "DELETE", "/api/v1/tokens/no-such-token", nil); w.Code != 404 {
		t.Errorf("unknown token: %d", w.Code)
	}
}

// TestClientGoneIsNotAServerError: a request whose client hung up ends as 499, not
// as a logged 500 that would set off error-rate alarms.
func TestClientGoneIsNotAServerError(t *testing.T) {
	e := newEnv(t, false)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	w := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(w)
	c.Request = httptest.NewRequest("GET", "/api/v1/regions", nil).WithContext(ctx)
	e.srv.fail(c, fmt.Errorf("reading: %w", context.Canceled))
	if c.Writer.Status() != 499 {
		t.Errorf("status %d, want 499", c.Writer.Status())
	}
	// A cancellation that is not the client's (the request is still live) is a fault.
	w = httptest.NewRecorder()
	c, _ = gin.CreateTestContext(w)
	c.Request = httptest.NewRequest("GET", "/api/v1/regions", nil)
	e.srv.fail(c, context.Canceled)
	if w.Code != 500 {
		t.Errorf("status %d, want 500", w.Code)
	}
}

// TestAuditPages: the whole log is reachable by paging with before_id.
func TestAuditPages(t *testing.T) {
	e := newEnv(t, false)
	for i := range 5 {
		p := graph.Project{ID: fmt.Sprintf("AP-%d", i), Name: "翻页", RegionCode: "321112", InvestmentWan: 10000, Stage: graph.Negotiating}
		e.do(t, auth.Editor, "POST", "/api/v1/projects", p)
	}
	seen := map[int64]bool{}
	path := "/api/v1/audit?limit=2"
	for pages := 0; pages < 10; pages++ {
		var entries []auth.AuditEntry
		w := e.do(t, auth.Admin, "GET", path, nil)
		if json.Unmarshal(w.Body.Bytes(), &entries); w.Code != 200 {
			t.Fatalf("%s: %d", path, w.Code)
		}
		if len(entries) == 0 {
			break
		}
		for _, en := range entries {
			if seen[en.ID] {
				t.Fatalf("entry %d seen twice", en.ID)
			}
			seen[en.ID] = true
		}
		path = fmt.Sprintf("/api/v1/audit?limit=2&before_id=%d", entries[len(entries)-1].ID)
	}
	if len(seen) < 5 {
		t.Errorf("paged through %d entries, want ≥ 5", len(seen))
	}
	if w := e.do(t, auth.Admin, "GET", "/api/v1/audit?before_id=x", nil); w.Code != 400 {
		t.Errorf("bad before_id: %d", w.Code)
	}
}

// TestTrustedProxy: X-Forwarded-For names the client in the audit log only when the
// connection comes from a proxy the operator named; otherwise it is ignored (anyone
// can send it).
func TestTrustedProxy(t *testing.T) {
	for _, tc := range []struct {
		proxies []string
		want    string
	}{{nil, "127.0.0.1"}, {[]string{"127.0.0.1/32"}, "203.0.113.5"}} {
		e := newEnv(t, false)
		e.srv = New(e.store, Options{Auth: e.srv.opts.Auth, Logger: e.srv.opts.Logger, TrustedProxies: tc.proxies})
		p := graph.Project{ID: "TP-1", Name: "代理", RegionCode: "321112", InvestmentWan: 10000, Stage: graph.Negotiating}
		if w := e.do(t, auth.Editor, "POST", "/api/v1/projects", p, "X-Forwarded-For", "203.0.113.5"); w.Code != 201 {
			t.Fatalf("write: %d", w.Code)
		}
		var entries []auth.AuditEntry
		json.Unmarshal(e.do(t, auth.Admin, "GET", "/api/v1/audit?limit=1", nil).Body.Bytes(), &entries)
		if len(entries) != 1 || entries[0].IP != tc.want {
			t.Errorf("proxies %v: audit %+v, want IP %s", tc.proxies, entries, tc.want)
		}
	}
}

// TestLongRequestsOutliveTheBodyDeadline: the body deadline covers receiving the
// body only; a request that takes longer than it afterwards (a big analysis, with or
// without a body) is not cut off.
func TestLongRequestsOutliveTheBodyDeadline(t *testing.T) {
	e := newEnv(t, false)
	srv := New(e.store, Options{Auth: e.srv.opts.Auth, Logger: e.srv.opts.Logger, BodyReadTimeout: 100 * time.Millisecond})
	srv.handler.Any("/test/slow", func(c *gin.Context) {
		io.ReadAll(c.Request.Body)
		select {
		case <-time.After(400 * time.Millisecond):
			c.String(200, "done")
		case <-c.Request.Context().Done():
			c.String(499, "cancelled")
		}
	})
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	for _, method := range []string{"GET", "POST"} {
		req, _ := http.NewRequest(method, ts.URL+"/test/slow", strings.NewReader(`{"x":1}`))
		if method == "GET" {
			req.Body, req.ContentLength = http.NoBody, 0
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("%s: %d %s", method, resp.StatusCode, b)
		}
	}
}

// TestNewUserIsAnsweredAsStored: POST /users answered and audited the name as typed
// ("Plain.User") with zero timestamps while storing "plain.user", and a Kelvin sign
// (U+212A) passed as the letter k (issue 15 #13).
func TestNewUserIsAnsweredAsStored(t *testing.T) {
	e := newEnv(t, false)
	w := e.do(t, auth.Admin, "POST", "/api/v1/users", NewUser{Name: " Plain.User ", Password: "a-long-password", Role: auth.Viewer})
	var u auth.User
	if err := json.Unmarshal(w.Body.Bytes(), &u); w.Code != 201 || err != nil {
		t.Fatalf("POST /users: %d %s", w.Code, w.Body.String())
	}
	if u.Name != "plain.user" || u.Created.IsZero() || u.Updated.IsZero() {
		t.Errorf("answered %+v, want the stored user plain.user with its timestamps", u)
	}
	var entries []auth.AuditEntry
	json.Unmarshal(e.do(t, auth.Admin, "GET", "/api/v1/audit", nil).Body.Bytes(), &entries)
	found := false
	for _, en := range entries {
		if en.Method == "POST" && en.Path == "/api/v1/users" && en.Status == 201 {
			found = true
			if !strings.Contains(en.After, `"plain.user"`) || strings.Contains(en.After, "Plain") {
				t.Errorf("audited after %s, want the stored name", en.After)
			}
		}
	}
	if !found {
		t.Error("the new user is not audited")
	}
	w = e.do(t, auth.Admin, "POST", "/api/v1/users", NewUser{Name: "\u212Aelvin", Password: "a-long-password", Role: auth.Viewer})
	if w.Code != 422 {
		t.Errorf("a name with a Kelvin sign: %d %s, want 422", w.Code, w.Body.String())
	}
	if w := e.do(t, auth.Admin, "POST", "/api/v1/users", NewUser{Name: "kelvin", Password: "a-long-password", Role: auth.Viewer}); w.Code != 201 {
		t.Errorf("kelvin in ASCII after the refusal: %d %s", w.Code, w.Body.String())
	}
}
