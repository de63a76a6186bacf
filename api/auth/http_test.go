package auth

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
)

func init() { gin.SetMode(gin.TestMode) }

// engine is a small API: reads and writes at each role, sign-in and sign-out.
func engine(s *Store, o Options) *gin.Engine {
	e := gin.New()
	e.POST("/login", s.LoginHandler(o)) // outside the middleware, as a server may mount it
	g := e.Group("/", s.Middleware(o))
	ok := func(c *gin.Context) {
		p := PrincipalFrom(c)
		if PrincipalFromContext(c.Request.Context()) != p {
			c.String(500, "request context lost the principal")
			return
		}
		c.String(http.StatusOK, p.User)
	}
	for _, r := range []Role{Viewer, Editor, Admin} {
		g.GET("/"+string(r), Require(r), ok)
		g.POST("/"+string(r), Require(r), ok)
	}
	g.GET("/open", ok) // authenticated or not: the middleware alone
	g.GET("/me", s.MeHandler())
	g.POST("/logout", s.LogoutHandler(o))
	return e
}

type req struct {
	method, path string
	header       map[string]string
	body         string
}

func do(e http.Handler, r req) *httptest.ResponseRecorder {
	var hr *http.Request
	if r.body != "" {
		hr = httptest.NewRequest(r.method, r.path, strings.NewReader(r.body))
	} else {
		hr = httptest.NewRequest(r.method, r.path, nil)
	}
	// A browser on this machine unless the test says otherwise (":remote" sets the
	// peer address, "Host" the Host header).
	hr.RemoteAddr, hr.Host = "127.0.0.1:50000", "localhost:8080"
	for k, v := range r.header {
		switch k {
		case ":remote":
			hr.RemoteAddr = v
		case "Host":
			hr.Host = v
		default:
			hr.Header.Set(k, v)
		}
	}
	w := httptest.NewRecorder()
	e.ServeHTTP(w, hr)
	return w
}

func bearer(tok string) map[string]string { return map[string]string{"Authorization": "Bearer " + tok} }

func TestRequireMatrix(t *testing.T) {
	s, _, _ := newStore(t)
	ctx := context.Background()
	tokens := map[string]string{}
	for _, r := range []Role{Viewer, Editor, Admin} {
		mustAdd(t, s, string(r)+"-user", r)
		tok, err := s.CreateToken(ctx, string(r)+"-user", "", 0)
		if err != nil {
			t.Fatal(err)
		}
		tokens[string(r)] = tok
	}
	// want[who] gives the status for GET and POST on the viewer, editor, admin routes.
	type row struct {
		who  string // a role, or "none"
		anon bool
		get  [3]int
		post [3]int
	}
	const ok, u, f = http.StatusOK, http.StatusUnauthorized, http.StatusForbidden
	rows := []row{
		{"viewer", false, [3]int{ok, f, f}, [3]int{ok, f, f}},
		{"editor", false, [3]int{ok, ok, f}, [3]int{ok, ok, f}},
		{"admin", false, [3]int{ok, ok, ok}, [3]int{ok, ok, ok}},
		{"none", false, [3]int{u, u, u}, [3]int{u, u, u}},
		{"none", true, [3]int{ok, u, u}, [3]int{u, u, u}}, // writes are never anonymous
		{"viewer", true, [3]int{ok, f, f}, [3]int{ok, f, f}},
		{"editor", true, [3]int{ok, ok, f}, [3]int{ok, ok, f}},
		{"admin", true, [3]int{ok, ok, ok}, [3]int{ok, ok, ok}},
	}
	for _, rw := range rows {
		e := engine(s, Options{AnonymousViewer: rw.anon})
		var h map[string]string
		if rw.who != "none" {
			h = bearer(tokens[rw.who])
		}
		for i, route := range []string{"viewer", "editor", "admin"} {
			for _, m := range []struct {
				method string
				want   int
			}{{"GET", rw.get[i]}, {"POST", rw.post[i]}} {
				w := do(e, req{method: m.method, path: "/" + route, header: h})
				if w.Code != m.want {
					t.Errorf("%s (anonymous viewer %v) %s /%s: %d, want %d: %s", rw.who, rw.anon, m.method, route, w.Code, m.want, w.Body)
				}
				if w.Code == ok && rw.who != "none" && w.Body.String() != rw.who+"-user" {
					t.Errorf("principal %q", w.Body)
				}
				if w.Code == u && w.Header().Get("WWW-Authenticate") == "" {
					t.Errorf("401 without WWW-Authenticate")
				}
				if w.Code != ok && !strings.HasPrefix(w.Header().Get("Content-Type"), "application/problem+json") {
					t.Errorf("error content type %q", w.Header().Get("Content-Type"))
				}
			}
		}
	}
}

func TestMiddlewareTokens(t *testing.T) {
	s, _, _ := newStore(t)
	ctx := context.Background()
	mustAdd(t, s, "alice", Editor)
	tok, _ := s.CreateToken(ctx, "alice", "", 0)
	revoked, _ := s.CreateToken(ctx, "alice", "old", 0)
	toks, _ := s.Tokens(ctx, "alice")
	for _, tk := range toks {
		if tk.Label == "old" {
			s.RevokeToken(ctx, tk.ID)
		}
	}
	e := engine(s, Options{AnonymousViewer: true})
	cases := []struct {
		name   string
		auth   string
		status int
	}{
		{"valid", "Bearer " + tok, 200},
		{"lower-case scheme", "bearer " + tok, 200},
		{"revoked", "Bearer " + revoked, 401},
		{"garbage", "Bearer nonsense", 401},
		{"empty bearer", "Bearer ", 401},
		{"basic", "Basic YWxpY2U6cHc=", 401},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// An invalid token is 401 even where anonymous reading is allowed.
			w := do(e, req{method: "GET", path: "/open", header: map[string]string{"Authorization": c.auth}})
			if w.Code != c.status {
				t.Errorf("%d, want %d: %s", w.Code, c.status, w.Body)
			}
			if strings.Contains(w.Body.String(), tok) || strings.Contains(w.Body.String(), revoked) {
				t.Errorf("the response quotes a token")
			}
		})
	}
}

// login signs in through the handler and returns the session cookie and CSRF token.
func login(t *testing.T, e http.Handler, user, password string) (*http.Cookie, string) {
	t.Helper()
	w := do(e, req{method: "POST", path: "/login", header: map[string]string{"Content-Type": "application/json"},
		body: `{"user":"` + user + `","password":"` + password + `"}`})
	if w.Code != 200 {
		t.Fatalf("login: %d %s", w.Code, w.Body)
	}
	var body struct {
		User, Role string
		CSRF       string    `json:"csrf_token"`
		Expires    time.Time `json:"expires"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || body.User != user || body.CSRF == "" || body.Expires.IsZero() {
		t.Fatalf("login body %s (%v)", w.Body, err)
	}
	cookies := w.Result().Cookies()
	if len(cookies) != 1 {
		t.Fatalf("cookies: %v", cookies)
	}
	if strings.Contains(w.Body.String(), cookies[0].Value) {
		t.Errorf("the body carries the session id")
	}
	return cookies[0], body.CSRF
}

func TestCSRF(t *testing.T) {
	s, _, _ := newStore(t)
	ctx := context.Background()
	mustAdd(t, s, "alice", Editor)
	tok, _ := s.CreateToken(ctx, "alice", "", 0)
	e := engine(s, Options{})
	cookie, csrf := login(t, e, "alice", pw)
	ck := cookie.Name + "=" + cookie.Value
	cases := []struct {
		name   string
		method string
		header map[string]string
		status int
	}{
		{"session GET needs no CSRF", "GET", map[string]string{"Cookie": ck}, 200},
		{"session POST without CSRF", "POST", map[string]string{"Cookie": ck}, 403},
		{"session POST with wrong CSRF", "POST", map[string]string{"Cookie": ck, "X-CSRF-Token": csrf[:42] + "x"}, 403},
		{"session POST with the session id as CSRF", "POST", map[string]string{"Cookie": ck, "X-CSRF-Token": cookie.Value}, 403},
		{"session POST with CSRF", "POST", map[string]string{"Cookie": ck, "X-CSRF-Token": csrf}, 200},
		{"session PUT without CSRF", "PUT", map[string]string{"Cookie": ck}, 403},
		{"session DELETE without CSRF", "DELETE", map[string]string{"Cookie": ck}, 403},
		{"bearer POST needs no CSRF", "POST", bearer(tok), 200},
		{"bearer POST with a cookie needs no CSRF", "POST", map[string]string{"Authorization": "Bearer " + tok, "Cookie": ck}, 200},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := "/editor"
			w := do(e, req{method: c.method, path: path, header: c.header})
			if c.method == "PUT" || c.method == "DELETE" {
				// no such routes: the middleware answers before routing would 404
				w = do(routeAll(s, c.method), req{method: c.method, path: path, header: c.header})
			}
			if w.Code != c.status {
				t.Errorf("%d, want %d: %s", w.Code, c.status, w.Body)
			}
		})
	}
}

// routeAll is an engine with method on /editor behind the middleware.
func routeAll(s *Store, method string) *gin.Engine {
	e := gin.New()
	e.Handle(method, "/editor", s.Middleware(Options{}), Require(Editor), func(c *gin.Context) { c.Status(200) })
	return e
}

func TestLoginCookieAndLogout(t *testing.T) {
	for _, secure := range []bool{false, true} {
		s, _, _ := newStore(t)
		mustAdd(t, s, "alice", Admin)
		e := engine(s, Options{CookieSecure: secure, SessionCookie: "cm_test"})
		w := do(e, req{method: "POST", path: "/login", header: map[string]string{"Content-Type": "application/json"},
			body: `{"user":"alice","password":"` + pw + `"}`})
		if w.Code != 200 {
			t.Fatalf("login: %d %s", w.Code, w.Body)
		}
		raw := w.Header().Get("Set-Cookie")
		for _, attr := range []string{"cm_test=", "HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=604800"} {
			if !strings.Contains(raw, attr) {
				t.Errorf("secure=%v: Set-Cookie %q lacks %s", secure, raw, attr)
			}
		}
		if got := strings.Contains(raw, "Secure;") || strings.HasSuffix(raw, "Secure"); got != secure {
			t.Errorf("secure=%v: Set-Cookie %q", secure, raw)
		}
		if w.Header().Get("Cache-Control") != "no-store" {
			t.Errorf("login response may be cached")
		}
		c := w.Result().Cookies()[0]
		ck := "cm_test=" + c.Value
		var lb map[string]any
		json.Unmarshal(w.Body.Bytes(), &lb)
		csrf, _ := lb["csrf_token"].(string)
		if lb["role"] != "admin" || lb["user"] != "alice" {
			t.Errorf("login body %v", lb)
		}

		// /me gives the CSRF token back to a reloaded page.
		w = do(e, req{method: "GET", path: "/me", header: map[string]string{"Cookie": ck}})
		var me map[string]string
		json.Unmarshal(w.Body.Bytes(), &me)
		if w.Code != 200 || me["user"] != "alice" || me["via"] != "session" || me["csrf_token"] != csrf {
			t.Errorf("/me: %d %s", w.Code, w.Body)
		}

		// Logout needs the CSRF token, ends the session and clears the cookie.
		if w := do(e, req{method: "POST", path: "/logout", header: map[string]string{"Cookie": ck}}); w.Code != 403 {
			t.Errorf("logout without CSRF: %d", w.Code)
		}
		w = do(e, req{method: "POST", path: "/logout", header: map[string]string{"Cookie": ck, "X-CSRF-Token": csrf}})
		if w.Code != 204 || !strings.Contains(w.Header().Get("Set-Cookie"), "Max-Age=0") {
			t.Errorf("logout: %d %q", w.Code, w.Header().Get("Set-Cookie"))
		}
		// The old cookie no longer authenticates: cleared and treated as no credentials.
		w = do(e, req{method: "GET", path: "/viewer", header: map[string]string{"Cookie": ck}})
		if w.Code != 401 || !strings.Contains(w.Header().Get("Set-Cookie"), "Max-Age=0") {
			t.Errorf("after logout: %d %q", w.Code, w.Header().Get("Set-Cookie"))
		}
		log, _ := s.AuditLog(context.Background(), AuditFilter{User: "alice"})
		if len(log) != 2 || log[0].Action != "logout" || log[1].Action != "login" || log[1].Status != 200 {
			t.Errorf("audit: %+v", log)
		}
	}
}

func TestStaleCookieFallsBackToAnonymous(t *testing.T) {
	s, clk, _ := newStore(t)
	mustAdd(t, s, "alice", Viewer)
	e := engine(s, Options{AnonymousViewer: true})
	c, _ := login(t, e, "alice", pw)
	clk.Advance(13 * time.Hour)
	w := do(e, req{method: "GET", path: "/me", header: map[string]string{"Cookie": c.Name + "=" + c.Value}})
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"via":"anonymous"`) {
		t.Errorf("expired session with anonymous viewing: %d %s", w.Code, w.Body)
	}
}

func TestLoginHandlerErrors(t *testing.T) {
	s, _, _ := newStore(t)
	mustAdd(t, s, "alice", Viewer)
	e := engine(s, Options{})
	js := map[string]string{"Content-Type": "application/json"}
	jsEN := map[string]string{"Content-Type": "application/json", "Accept-Language": "en-GB,en;q=0.9,zh;q=0.5"}
	cases := []struct {
		name   string
		header map[string]string
		body   string
		status int
		code   string
		text   string // in the title or detail
	}{
		{"form post", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, "user=alice&password=" + pw, 400, EBADREQUEST, "JSON"},
		{"not JSON", js, "{", 400, EBADREQUEST, "请求"},
		{"no password", js, `{"user":"alice"}`, 400, EBADREQUEST, "password"},
		{"wrong password zh", js, `{"user":"alice","password":"wrong password"}`, 401, EUNAUTHORIZED, "用户名或密码错误"},
		{"wrong password en", jsEN, `{"user":"alice","password":"wrong password"}`, 401, EUNAUTHORIZED, "wrong user name or password"},
		{"unknown user", js, `{"user":"bob","password":"wrong password"}`, 401, EUNAUTHORIZED, "用户名或密码错误"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := do(e, req{method: "POST", path: "/login", header: c.header, body: c.body})
			var p Problem
			json.Unmarshal(w.Body.Bytes(), &p)
			if w.Code != c.status || p.Code != c.code || p.Status != c.status || !strings.Contains(p.Title+" "+p.Detail, c.text) ||
				w.Header().Get("Content-Type") != "application/problem+json" {
				t.Errorf("%d %s %s", w.Code, w.Header().Get("Content-Type"), w.Body)
			}
			if strings.Contains(w.Body.String(), "wrong password\"") || w.Header().Get("Set-Cookie") != "" {
				t.Errorf("leaks: %s / %q", w.Body, w.Header().Get("Set-Cookie"))
			}
		})
	}
	// Lockout: 429 with Retry-After, for the right password too.
	for range 3 { // with the 2 above: 5 failures for alice
		do(e, req{method: "POST", path: "/login", header: js, body: `{"user":"alice","password":"wrong password"}`})
	}
	w := do(e, req{method: "POST", path: "/login", header: jsEN, body: `{"user":"alice","password":"` + pw + `"}`})
	ra := w.Header().Get("Retry-After")
	if w.Code != 429 || ra == "" || ra == "0" || !strings.Contains(w.Body.String(), "try again in 15 minutes") {
		t.Errorf("locked: %d Retry-After %q %s", w.Code, ra, w.Body)
	}
	log, _ := s.AuditLog(context.Background(), AuditFilter{User: "alice"})
	if len(log) != 6 || log[0].Action != "login_locked" || log[0].Status != 429 || log[1].Action != "login_failed" || log[1].Status != 401 {
		t.Errorf("audit: %+v", log)
	}
}

func TestLang(t *testing.T) {
	cases := map[string]string{
		"":                       "zh",
		"zh-CN,zh;q=0.9":         "zh",
		"en-US,en;q=0.9":         "en",
		"en;q=0.5,zh;q=0.8":      "zh",
		"zh;q=0.5, en-GB;q=0.8 ": "en",
		"fr-FR":                  "en",
		"*":                      "zh",
		"ZH-tw":                  "zh",
	}
	for al, want := range cases {
		c, _ := gin.CreateTestContext(httptest.NewRecorder())
		c.Request = httptest.NewRequest("GET", "/", nil)
		c.Request.Header.Set("Accept-Language", al)
		if got := Lang(c); got != want {
			t.Errorf("Lang(%q) = %s, want %s", al, got, want)
		}
	}
}

func TestWriteErrorReplaceable(t *testing.T) {
	s, _, _ := newStore(t)
	old := WriteError
	defer func() { WriteError = old }()
	var got []string
	WriteError = func(c *gin.Context, status int, code, zh, en string) {
		got = append(got, code)
		c.String(status, "custom") // does not abort: the package must
	}
	e := engine(s, Options{})
	w := do(e, req{method: "GET", path: "/admin"})
	if w.Code != 401 || w.Body.String() != "custom" || len(got) != 1 || got[0] != EUNAUTHORIZED {
		t.Errorf("%d %q %v", w.Code, w.Body, got)
	}
}

// TestAnonymousOnlyForLocalRequests: with anonymous viewing on, only a request that
// is local in every respect reads without credentials; a proxied request, a peer on
// the network or a page whose DNS name was rebound to 127.0.0.1 must sign in.
func TestAnonymousOnlyForLocalRequests(t *testing.T) {
	s, _, _ := newStore(t)
	e := engine(s, Options{AnonymousViewer: true})
	for _, tc := range []struct {
		name   string
		header map[string]string
		want   int
	}{
		{"localhost", nil, 200},
		{"127.0.0.1 host", map[string]string{"Host": "127.0.0.1:8080"}, 200},
		{"[::1] host and peer", map[string]string{"Host": "[::1]:8080", ":remote": "[::1]:50000"}, 200},
		{"app.localhost", map[string]string{"Host": "app.localhost"}, 200},
		{"DNS rebinding", map[string]string{"Host": "attacker.example:8080"}, 401},
		{"LAN name", map[string]string{"Host": "192.168.1.20:8080"}, 401},
		{"network peer", map[string]string{":remote": "192.168.1.30:40000"}, 401},
		{"reverse proxy (X-Forwarded-For)", map[string]string{"X-Forwarded-For": "203.0.113.9"}, 401},
		{"reverse proxy (Forwarded)", map[string]string{"Forwarded": "for=203.0.113.9"}, 401},
		{"reverse proxy (X-Real-IP)", map[string]string{"X-Real-IP": "203.0.113.9"}, 401},
	} {
		if w := do(e, req{method: "GET", path: "/viewer", header: tc.header}); w.Code != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, w.Code, tc.want)
		}
	}
}

// TestClientGoneIsNoServerError: a client that hangs up while its token is checked
// gets a 499 in the logs and metrics, not an ERROR line and a 500.
func TestClientGoneIsNoServerError(t *testing.T) {
	s, _, _ := newStore(t)
	mustAdd(t, s, "alice", Editor)
	tok, _ := s.CreateToken(context.Background(), "alice", "", 0)
	var logged strings.Builder
	e := engine(s, Options{Logger: slog.New(slog.NewTextHandler(&logged, nil))})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	hr := httptest.NewRequest("GET", "/viewer", nil).WithContext(ctx)
	hr.RemoteAddr, hr.Host = "127.0.0.1:50000", "localhost:8080"
	hr.Header.Set("Authorization", "Bearer "+tok)
	w := httptest.NewRecorder()
	e.ServeHTTP(w, hr)
	if w.Code != 499 || strings.Contains(logged.String(), "ERROR") {
		t.Errorf("status %d, log %q; want 499 and no ERROR", w.Code, logged.String())
	}
}
