package auth

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/chainmap/chainmap/graph"
	"github.com/gin-gonic/gin"
)

// Options configure the middleware and the sign-in handlers.
type Options struct {
	// AnonymousViewer lets requests without credentials read as a viewer — only
	// requests that are local in every respect (see localRequest). The server should
	// set it only when it listens on loopback. Unsafe requests are never anonymous.
	AnonymousViewer bool
	// CookieSecure marks the session cookie Secure (sent over HTTPS only) even when
	// the request itself arrived over plain HTTP, i.e. behind a TLS-terminating proxy;
	// requests that arrive over TLS always get Secure cookies.
	CookieSecure bool
	// SessionCookie names the session cookie; default DefaultSessionCookie.
	SessionCookie string
	// Logger receives internal errors (never secrets); default slog.Default().
	Logger *slog.Logger
}

// DefaultSessionCookie is the session cookie's name unless Options say otherwise.
const DefaultSessionCookie = "chainmap_session"

// CSRFHeader carries the session's CSRF token on unsafe requests.
const CSRFHeader = "X-CSRF-Token"

func (o Options) cookie() string {
	if o.SessionCookie != "" {
		return o.SessionCookie
	}
	return DefaultSessionCookie
}

func (o Options) logger() *slog.Logger {
	if o.Logger != nil {
		return o.Logger
	}
	return slog.Default()
}

const (
	principalKey = "chainmap/auth.principal"
	csrfKey      = "chainmap/auth.csrf"
)

type principalCtxKey struct{}

// PrincipalFrom returns the principal the middleware found for the request, or nil.
func PrincipalFrom(c *gin.Context) *Principal {
	if v, ok := c.Get(principalKey); ok {
		p, _ := v.(*Principal)
		return p
	}
	return nil
}

// PrincipalFromContext returns the principal of the request whose context ctx is
// (or derives from), or nil; for layers below the handlers.
func PrincipalFromContext(ctx context.Context) *Principal {
	p, _ := ctx.Value(principalCtxKey{}).(*Principal)
	return p
}

func setPrincipal(c *gin.Context, p *Principal) {
	c.Set(principalKey, p)
	c.Request = c.Request.WithContext(context.WithValue(c.Request.Context(), principalCtxKey{}, p))
}

// safeMethod reports whether m only reads; every other method is a write.
func safeMethod(m string) bool {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return true
	}
	return false
}

// WriteError writes an error response and is the only way this package does; the
// API layer may replace it (before serving) to share its own problem format. The
// caller aborts the gin chain itself, so a replacement need not. zh and en are the
// detail in Chinese and English.
var WriteError = func(c *gin.Context, status int, code, zh, en string) {
	t, ok := titles[code]
	if !ok {
		t = [2]string{http.StatusText(status), http.StatusText(status)}
	}
	p := Problem{Type: "https://chainmap.dev/problems/" + code, Title: t[0], Status: status, Detail: zh, Code: code}
	if Lang(c) == "en" {
		p.Title, p.Detail = t[1], en
	}
	c.Header("Content-Type", "application/problem+json")
	c.AbortWithStatusJSON(status, p)
}

// Problem is the RFC 9457 body the default WriteError writes.
type Problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail,omitempty"`
	Code   string `json:"code"`
}

var titles = map[string][2]string{
	EUNAUTHORIZED:   {"需要登录", "Authentication required"},
	EFORBIDDEN:      {"无权操作", "Forbidden"},
	ETOOMANY:        {"请求过于频繁", "Too many requests"},
	EBADREQUEST:     {"请求格式错误", "Bad request"},
	graph.EINVALID:  {"数据有误", "Invalid input"},
	graph.EINTERNAL: {"服务器内部错误", "Internal error"},
	"timeout":       {"请求超时", "Request timed out"},
}

// Lang returns "zh" when the client prefers Chinese or states no preference (or
// accepts anything), and "en" otherwise.
func Lang(c *gin.Context) string {
	al := strings.TrimSpace(c.GetHeader("Accept-Language"))
	if al == "" {
		return "zh"
	}
	best, bestQ := "", -1.0
	for part := range strings.SplitSeq(al, ",") {
		fields := strings.Split(part, ";")
		tag := strings.ToLower(strings.TrimSpace(fields[0]))
		q := 1.0
		for _, f := range fields[1:] {
			if v, ok := strings.CutPrefix(strings.TrimSpace(f), "q="); ok {
				if x, err := strconv.ParseFloat(v, 64); err == nil {
					q = x
				}
			}
		}
		if tag != "" && q > bestQ {
			best, bestQ = tag, q
		}
	}
	if best == "*" || best == "zh" || strings.HasPrefix(best, "zh-") {
		return "zh"
	}
	return "en"
}

// abort writes an error and stops the chain.
func abort(c *gin.Context, status int, code, zh, en string) {
	if status == http.StatusUnauthorized {
		c.Header("WWW-Authenticate", `Bearer realm="chainmap"`)
	}
	WriteError(c, status, code, zh, en)
	c.Abort()
}

// fail answers with err: coded errors with their message, anything else as an
// internal error that is logged, not shown.
func fail(c *gin.Context, o Options, err error) {
	var ge *graph.Error
	status := 0
	switch graph.ErrorCode(err) {
	case EUNAUTHORIZED:
		status = http.StatusUnauthorized
	case EFORBIDDEN:
		status = http.StatusForbidden
	case ETOOMANY:
		status = http.StatusTooManyRequests
		if d, ok := retryAfter(err); ok {
			c.Header("Retry-After", strconv.Itoa(max(1, int(d.Seconds()+0.999))))
		}
	case EBADREQUEST:
		status = http.StatusBadRequest
	case graph.EINVALID:
		status = http.StatusUnprocessableEntity
	}
	if status != 0 && errors.As(err, &ge) {
		zh, en, ok := strings.Cut(ge.Message, " / ")
		if !ok {
			en = zh
		}
		abort(c, status, ge.Code, zh, en)
		return
	}
	if errors.Is(err, context.DeadlineExceeded) {
		abort(c, http.StatusGatewayTimeout, "timeout", "请求处理超时", "the request took too long")
		return
	}
	if errors.Is(err, context.Canceled) && c.Request.Context().Err() != nil {
		// The client went away while its credentials were being checked: nobody
		// reads an answer, and it is no server error. 499 is nginx's "client closed".
		c.AbortWithStatus(499)
		return
	}
	o.logger().Error("auth", "path", c.FullPath(), "err", err)
	abort(c, http.StatusInternalServerError, graph.EINTERNAL, "服务器内部错误，已记录", "internal error; it has been logged")
}

// Middleware finds who makes each request and stores it for PrincipalFrom:
//
//   - "Authorization: Bearer cm_…" authenticates with an access token; a bad token
//     is 401 and any other scheme is 401 too. Token requests need no CSRF token
//     (a cross-site page cannot set the header) and ignore the session cookie.
//   - Otherwise the session cookie authenticates; on unsafe methods the request must
//     carry X-CSRF-Token equal to the session's CSRF token, else 403. A stale or
//     unknown session cookie is cleared and the request goes on unauthenticated, so
//     that an expired session does not block the sign-in page.
//   - Without credentials the request is anonymous: a viewer principal with Via
//     "anonymous" when o.AnonymousViewer, else no principal.
//
// Middleware only authenticates; Require authorises.
func (s *Store) Middleware(o Options) gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx := c.Request.Context()
		if h := c.GetHeader("Authorization"); h != "" {
			scheme, tok, _ := strings.Cut(h, " ")
			if !strings.EqualFold(scheme, "Bearer") {
				abort(c, http.StatusUnauthorized, EUNAUTHORIZED, "不支持的认证方式，请使用 Bearer 访问令牌",
					"unsupported Authorization scheme; use a Bearer access token")
				return
			}
			p, err := s.AuthenticateToken(ctx, strings.TrimSpace(tok))
			if err != nil {
				fail(c, o, err)
				return
			}
			setPrincipal(c, p)
			c.Next()
			return
		}
		if id, err := c.Cookie(o.cookie()); err == nil && id != "" {
			p, csrf, err := s.SessionPrincipal(ctx, id)
			switch {
			case err == nil:
				if !safeMethod(c.Request.Method) &&
					subtle.ConstantTimeCompare([]byte(c.GetHeader(CSRFHeader)), []byte(csrf)) != 1 {
					abort(c, http.StatusForbidden, EFORBIDDEN, "缺少或错误的 CSRF 令牌，请刷新页面后重试",
						"missing or wrong "+CSRFHeader+" header; reload the page and try again")
					return
				}
				c.Set(csrfKey, csrf)
				setPrincipal(c, p)
				c.Next()
				return
			case isCode(err, EUNAUTHORIZED):
				s.clearCookie(c, o)
			default:
				fail(c, o, err)
				return
			}
		}
		if o.AnonymousViewer && localRequest(c.Request) {
			setPrincipal(c, &Principal{Role: Viewer, Via: ViaAnonymous})
		}
		c.Next()
	}
}

// localRequest reports whether r comes from a browser or script on this machine and
// nothing else: a loopback peer, a loopback Host (a page on another site that
// rebinds its DNS name to 127.0.0.1 still sends its own name), and no forwarding
// headers (a reverse proxy on this machine connects over loopback on behalf of
// clients anywhere).
func localRequest(r *http.Request) bool {
	for _, h := range []string{"Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Real-Ip"} {
		if r.Header.Get(h) != "" {
			return false
		}
	}
	peer, _, err := net.SplitHostPort(r.RemoteAddr)
	if ip := net.ParseIP(peer); err != nil || ip == nil || !ip.IsLoopback() {
		return false
	}
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

var roleZH = map[Role]string{Viewer: "查看者", Editor: "编辑者", Admin: "管理员"}

// Require lets the request on only if its principal's role allows need: 401 without
// a principal, or when the principal is anonymous and the route needs more than a
// viewer or the method is unsafe (writes are never anonymous); 403 when the role is
// insufficient. Use it after Middleware.
func Require(need Role) gin.HandlerFunc {
	if !need.Valid() {
		panic("auth.Require: invalid role " + strconv.Quote(string(need)))
	}
	return func(c *gin.Context) {
		p := PrincipalFrom(c)
		switch {
		case p == nil || (p.Via == ViaAnonymous && (need != Viewer || !safeMethod(c.Request.Method))):
			abort(c, http.StatusUnauthorized, EUNAUTHORIZED, "请先登录", "please sign in first")
		case !p.Role.Allows(need):
			abort(c, http.StatusForbidden, EFORBIDDEN, "此操作需要"+roleZH[need]+"（"+string(need)+"）权限",
				"this needs the "+string(need)+" role")
		default:
			c.Next()
		}
	}
}

func (s *Store) setCookie(c *gin.Context, o Options, value string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{Name: o.cookie(), Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: o.CookieSecure || c.Request.TLS != nil, SameSite: http.SameSiteStrictMode})
}

func (s *Store) clearCookie(c *gin.Context, o Options) { s.setCookie(c, o, "", -1) }

// maxLoginBody bounds a sign-in request's body.
const maxLoginBody = 16 << 10

// LoginHandler signs a user in: POST a JSON body {"user": …, "password": …}. On
// success it sets the session cookie (HttpOnly, SameSite=Strict, Path=/, Secure when
// o.CookieSecure or the request came over TLS, Max-Age = Policy.SessionMax) and answers {user, role, csrf_token,
// expires}; the page keeps csrf_token for X-CSRF-Token. Wrong credentials are 401,
// a lockout 429 with Retry-After, a body that is not JSON 400 (requiring JSON also
// stops cross-site form posts). Every attempt is audited as "login",
// "login_failed" or "login_locked". Mount it outside Middleware (or have the page
// send X-CSRF-Token), since a browser that still holds a live session would
// otherwise need the CSRF token to sign in again. The client IP used for throttling
// is gin's ClientIP, so the engine's trusted proxies must be set correctly.
func (s *Store) LoginHandler(o Options) gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Header("Cache-Control", "no-store")
		if c.ContentType() != "application/json" {
			abort(c, http.StatusBadRequest, EBADREQUEST, "请以 JSON 提交用户名和密码", "send the user name and password as JSON")
			return
		}
		var req struct {
			User     string `json:"user"`
			Password string `json:"password"`
		}
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxLoginBody)
		if err := json.NewDecoder(c.Request.Body).Decode(&req); err != nil || strings.TrimSpace(req.User) == "" || req.Password == "" {
			abort(c, http.StatusBadRequest, EBADREQUEST, "请求须为 {\"user\": …, \"password\": …}", `the body must be {"user": …, "password": …}`)
			return
		}
		ctx := c.Request.Context()
		sess, err := s.Login(ctx, req.User, req.Password, c.ClientIP())
		name := NormalizeName(req.User)
		if checkName(name) != nil {
			name = "" // not a user name: perhaps a password typed in the wrong box
		}
		entry := AuditEntry{User: name, IP: c.ClientIP(), Method: c.Request.Method, Path: c.Request.URL.Path}
		if err != nil {
			entry.Action = "login_failed"
			if isCode(err, ETOOMANY) {
				entry.Action = "login_locked"
			}
			fail(c, o, err)
			entry.Status = c.Writer.Status()
			s.auditQuietly(ctx, o, entry)
			return
		}
		if old, err := c.Cookie(o.cookie()); err == nil && old != "" {
			if err := s.Logout(ctx, old); err != nil {
				o.logger().Warn("auth: ending the previous session", "err", err)
			}
		}
		s.setCookie(c, o, sess.ID, int(s.policy.SessionMax/time.Second))
		c.JSON(http.StatusOK, gin.H{"user": sess.User, "role": sess.Role, "csrf_token": sess.CSRF, "expires": sess.Expires})
		entry.Action, entry.Role, entry.Status = "login", sess.Role, http.StatusOK
		s.auditQuietly(ctx, o, entry)
	}
}

// LogoutHandler ends the request's session and clears the cookie; it answers 204
// whether or not there was a session. Mounted after Middleware, a browser must send
// X-CSRF-Token like on any other unsafe request.
func (s *Store) LogoutHandler(o Options) gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx := c.Request.Context()
		if id, err := c.Cookie(o.cookie()); err == nil && id != "" {
			p := PrincipalFrom(c)
			if p == nil || p.Via != ViaSession {
				p, _, _ = s.SessionPrincipal(ctx, id)
			}
			if err := s.Logout(ctx, id); err != nil {
				fail(c, o, err)
				return
			}
			if p != nil {
				s.auditQuietly(ctx, o, AuditEntry{User: p.User, Role: p.Role, IP: c.ClientIP(), Method: c.Request.Method,
					Path: c.Request.URL.Path, Action: "logout", Status: http.StatusNoContent})
			}
		}
		s.clearCookie(c, o)
		c.Status(http.StatusNoContent)
	}
}

// MeHandler answers who the request's principal is: {user, role, via} plus
// csrf_token for a session, so that a reloaded page can recover its CSRF token (a
// cross-site page cannot read the answer). 401 without a principal.
func (s *Store) MeHandler() gin.HandlerFunc {
	return func(c *gin.Context) {
		p := PrincipalFrom(c)
		if p == nil {
			abort(c, http.StatusUnauthorized, EUNAUTHORIZED, "请先登录", "please sign in first")
			return
		}
		c.Header("Cache-Control", "no-store")
		body := gin.H{"user": p.User, "role": p.Role, "via": p.Via}
		if csrf := c.GetString(csrfKey); csrf != "" {
			body["csrf_token"] = csrf
		}
		c.JSON(http.StatusOK, body)
	}
}

// auditQuietly appends e, logging (not returning) a failure: the audit log must not
// decide whether someone can sign in.
func (s *Store) auditQuietly(ctx context.Context, o Options, e AuditEntry) {
	if err := s.Audit(ctx, e); err != nil {
		o.logger().Error("auth: writing the audit log", "action", e.Action, "err", err)
	}
}
