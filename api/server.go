// Package api is chainmap's HTTP side: a gin server whose routes, OpenAPI document,
// role requirements and auditing all come from one route table (routes.go), so the
// documentation cannot drift from what is served. Handlers only translate HTTP to
// the store and the analyses; they compute nothing themselves.
package api

import (
	"context"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"encoding/json"
	"html/template"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/chainmap/chainmap/api/auth"
	"github.com/chainmap/chainmap/graph"
	"github.com/gin-gonic/gin"
)

//go:embed templates/*.html
var templates embed.FS

// Options configure the server.
type Options struct {
	Version string
	// SnapshotFile is where the analysis snapshot is saved beside the store and
	// loaded from at the next start when the store's data version matches ("" = not
	// persisted).
	SnapshotFile string
	Logger       *slog.Logger
	// Auth holds users, tokens, sessions and the audit log; required.
	Auth *auth.Store
	// AnonymousViewer lets unauthenticated clients read and run analyses; the serve
	// command sets it only when listening on loopback. Writes always need a role.
	AnonymousViewer bool
	// CookieSecure marks session cookies Secure (behind TLS).
	CookieSecure bool
	// TrustedProxies are the addresses or CIDRs of reverse proxies whose
	// X-Forwarded-For names the real client; none by default.
	TrustedProxies []string
	// NoResultCache recomputes every analysis (for measuring; ETags still work).
	NoResultCache bool
	// AnalysisWorkers is how many analyses are computed at once (the others wait
	// their turn in arrival order); 0 takes DefaultAnalysisWorkers.
	AnalysisWorkers int
	// Limits; zero values take the defaults below.
	MaxBodyBytes   int64
	MaxUploadBytes int64
	RequestTimeout time.Duration
	// BodyReadTimeout bounds the time to receive a request body (an upload gets
	// twenty times as long).
	BodyReadTimeout time.Duration
}

// Defaults for Options' limits.
const (
	DefaultMaxBodyBytes    = 1 << 20
	DefaultMaxUploadBytes  = 64 << 20
	DefaultRequestTimeout  = 60 * time.Second
	DefaultBodyReadTimeout = 30 * time.Second
	MaxPageSize            = 500
	DefaultPageSize        = 50
)

// Server serves chainmap over HTTP.
type Server struct {
	store   graph.Store
	opts    Options
	handler *gin.Engine
	snaps   *snapshots
	search  searchIndex
	metrics *metrics
	started time.Time
	routes  []route
	queryOf map[string][]param // "METHOD /path" → documented query parameters
	routeOf map[string]route   // "METHOD /path" → its route
	// outbox is the store when it keeps audit entries in the write's transaction.
	outbox graph.AuditOutbox
	// unacked are delivered outbox entries the store was too busy to forget.
	unackedMu sync.Mutex
	unacked   []string
}

// New returns a server over store.
func New(store graph.Store, opts Options) *Server {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.MaxBodyBytes == 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if opts.MaxUploadBytes == 0 {
		opts.MaxUploadBytes = DefaultMaxUploadBytes
	}
	if opts.RequestTimeout == 0 {
		opts.RequestTimeout = DefaultRequestTimeout
	}
	if opts.BodyReadTimeout == 0 {
		opts.BodyReadTimeout = DefaultBodyReadTimeout
	}
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.ContextWithFallback = true // c.Done/Err follow the request's context
	s := &Server{store: store, opts: opts, handler: e, snaps: newSnapshotsPersisted(store, opts.SnapshotFile, opts.Logger), metrics: newMetrics(),
		started: time.Now()}
	s.snaps.noResults = opts.NoResultCache
	if opts.AnalysisWorkers > 0 {
		s.snaps.slots = make(chan struct{}, opts.AnalysisWorkers)
	}
	// Client IPs (for login throttling and the audit log) come from the connection,
	// never from X-Forwarded-For, which any client can forge — unless the connection
	// is from a reverse proxy the operator named.
	if err := e.SetTrustedProxies(opts.TrustedProxies); err != nil {
		panic(err) // the serve command validates the list first
	}
	e.Use(s.recover, s.observe, s.secureHeaders, s.limits)
	identify := opts.Auth.Middleware(s.authOptions())
	e.SetHTMLTemplate(template.Must(template.ParseFS(templates, "templates/*.html")))
	e.NoRoute(func(c *gin.Context) { problem(c, graph.ENOTFOUND, "没有这个地址", "no such path") })
	s.routes = s.routeTable() // after s.opts is final: routes capture the auth options
	s.queryOf = map[string][]param{}
	s.routeOf = map[string]route{}
	for _, r := range s.routes {
		s.queryOf[r.Method+" "+r.Path] = r.Query
		s.routeOf[r.Method+" "+r.Path] = r
		chain := []gin.HandlerFunc{}
		// The audit wraps the checks, so a write refused for its role or its CSRF
		// token is recorded too.
		if r.Write || r.Audited {
			chain = append(chain, s.audited(r))
		}
		// Login is outside the session middleware: a browser still holding a session
		// must be able to sign in again without its CSRF token.
		if !(r.Method == http.MethodPost && r.Path == "/api/v1/session") {
			chain = append(chain, identify)
		}
		if r.Role != "" {
			chain = append(chain, auth.Require(r.Role))
		}
		chain = append(chain, r.Handle)
		e.Handle(r.Method, r.Path, chain...)
	}
	if ob, ok := store.(graph.AuditOutbox); ok {
		s.outbox = ob
		// Entries of writes committed by a server that stopped before recording them
		// (killed, crashed) go to the audit log now.
		if err := s.DeliverAudit(context.Background()); err != nil {
			opts.Logger.Error("delivering pending audit entries", "err", err)
		}
	}
	return s
}

// auditRefKey is where save leaves the ref of the write's outbox entry.
const auditRefKey = "chainmap/api.audit_ref"

// auditRecord is the audit entry of the write c is about to make, for the store to
// keep in the write's own transaction (nil when the store cannot): what the audited
// middleware would record if the write succeeds — who, where, the route's action and
// success status, the state before, and what is written. A crash after the commit
// leaves this entry, which DeliverAudit records at the next start; otherwise the
// middleware records its own, complete entry under the same ref, and this one is
// forgotten.
func (s *Server) auditRecord(c *gin.Context, ds *graph.Dataset) *graph.AuditRecord {
	if s.outbox == nil {
		return nil
	}
	r := s.routeOf[c.Request.Method+" "+c.FullPath()]
	var ref [16]byte
	rand.Read(ref[:])
	e := auth.AuditEntry{At: time.Now().UTC(), IP: c.ClientIP(), Method: c.Request.Method, Path: c.Request.URL.Path,
		Action: r.Summary, Target: c.Param("id") + c.Param("name"), Status: http.StatusOK, Ref: hex.EncodeToString(ref[:])}
	if r.Created {
		e.Status = http.StatusCreated
	}
	if p := auth.PrincipalFrom(c); p != nil {
		e.User, e.Role = p.User, p.Role
	}
	if v, ok := c.Get(auditBefore); ok {
		b, _ := json.Marshal(v)
		e.Before = string(b)
	}
	var after any = ds.Projects
	switch {
	case onlyProjects(ds) && len(ds.Projects) == 1:
		after = ds.Projects[0]
	case !onlyProjects(ds):
		n := map[graph.Table]int{}
		for _, t := range graph.Tables {
			if ds.Len(t) > 0 {
				n[t] = ds.Len(t)
			}
		}
		after = map[string]any{"received": n}
	}
	b, _ := json.Marshal(after)
	e.After = string(b)
	entry, err := json.Marshal(e)
	if err != nil {
		return nil
	}
	c.Set(auditRefKey, e.Ref)
	return &graph.AuditRecord{Ref: e.Ref, Entry: entry}
}

// recordAudit appends the audited middleware's entry e of request c to the audit
// log, under the ref of the write's outbox entry when it kept one (so that the
// two are one entry), and forgets the outbox entry.
func (s *Server) recordAudit(c *gin.Context, e auth.AuditEntry) {
	ref := c.GetString(auditRefKey)
	e.Ref = ref
	// A client that hangs up after its write committed must still leave a record.
	ctx := context.WithoutCancel(c.Request.Context())
	if err := s.opts.Auth.Audit(ctx, e); err != nil {
		// The outbox entry stays: the next start delivers it.
		s.opts.Logger.Error("audit log write failed", "err", err)
		return
	}
	if ref != "" {
		s.ack(ctx, ref)
	}
}

// ack forgets delivered outbox entries, with those an earlier busy store kept.
func (s *Server) ack(ctx context.Context, refs ...string) {
	s.unackedMu.Lock()
	refs = append(s.unacked, refs...)
	s.unacked = nil
	s.unackedMu.Unlock()
	done, err := s.outbox.AckAudit(ctx, refs)
	if err != nil {
		s.opts.Logger.Warn("forgetting delivered audit entries", "err", err)
	}
	if !done {
		s.unackedMu.Lock()
		s.unacked = append(s.unacked, refs...) // recorded already; forgotten next time
		if len(s.unacked) > 10000 {
			s.unacked = s.unacked[len(s.unacked)-10000:] // the rest: delivered again, recorded once
		}
		s.unackedMu.Unlock()
	}
}

// DeliverAudit moves the audit entries the store kept for committed writes into the
// audit log — each once, by its ref, whether or not it was delivered before — and
// forgets them. New calls it, so that a restart records what a killed server left.
func (s *Server) DeliverAudit(ctx context.Context) error {
	if s.outbox == nil {
		return nil
	}
	pending, err := s.outbox.PendingAudit(ctx)
	if err != nil {
		return err
	}
	var refs []string
	for _, p := range pending {
		var e auth.AuditEntry
		if err := json.Unmarshal(p.Entry, &e); err != nil {
			s.opts.Logger.Error("unreadable pending audit entry", "ref", p.Ref, "err", err)
			continue
		}
		e.Ref = p.Ref
		if err := s.opts.Auth.Audit(ctx, e); err != nil {
			return err
		}
		refs = append(refs, p.Ref)
	}
	if len(refs) > 0 {
		s.opts.Logger.Info("recorded audit entries of writes committed before a restart", "entries", len(refs))
		s.ack(ctx, refs...)
	}
	return nil
}

// Handler returns the server's http.Handler.
func (s *Server) Handler() http.Handler { return s.handler }

// recover turns a panic into a logged 500 problem, without the stack in the body.
func (s *Server) recover(c *gin.Context) {
	defer func() {
		if r := recover(); r != nil {
			s.opts.Logger.Error("panic", "path", c.FullPath(), "panic", r)
			problem(c, graph.EINTERNAL, "服务器内部错误，已记录", "internal error; it has been logged")
		}
	}()
	c.Next()
}

// observe logs one line per request and feeds the metrics; it never logs headers,
// query strings or bodies, which may carry tokens.
func (s *Server) observe(c *gin.Context) {
	start := time.Now()
	c.Next()
	path := c.FullPath()
	if path == "" {
		path = "unmatched"
	}
	d := time.Since(start)
	s.metrics.request(c.Request.Method, path, c.Writer.Status(), d)
	s.opts.Logger.Info("request", "method", c.Request.Method, "path", path, "status", c.Writer.Status(),
		"ms", d.Milliseconds())
}

// contentSecurityPolicy allows scripts only from chainmap itself (no inline script,
// no eval). Inline styles stay allowed: ECharts writes its tooltips as HTML with style
// attributes, and a style cannot run code. data:/blob: images are the charts' PNG
// exports.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; object-src 'none'; " +
	"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// secureHeaders sets the browser-side defences on every response, errors included.
func (s *Server) secureHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	if c.Request.TLS != nil {
		// Only over TLS: sent over plain HTTP it would be ignored anyway, and a
		// deployment that is not on TLS yet must not be pinned to it by accident.
		h.Set("Strict-Transport-Security", "max-age=31536000")
	}
	c.Next()
}

// retryAfterBusy is the Retry-After, in seconds, of a 503: a write that waited its
// bounded time behind another writer (a long command-line import), or a store that
// is not ready. A client that waits this long tries again in a new turn.
const retryAfterBusy = "5"

func init() {
	// graph.EUNAVAILABLE (the store busy beyond a write's wait) answers 503, in the
	// one code → status map of problem.go.
	statusOf[graph.EUNAVAILABLE] = http.StatusServiceUnavailable
	titles[graph.EUNAVAILABLE] = [2]string{"服务繁忙，请稍后重试", "Busy, retry later"}
}

// retryAfterWriter adds Retry-After to a 503 response that lacks one.
type retryAfterWriter struct{ gin.ResponseWriter }

func (w retryAfterWriter) WriteHeader(code int) {
	if code == http.StatusServiceUnavailable && w.Header().Get("Retry-After") == "" {
		w.Header().Set("Retry-After", retryAfterBusy)
	}
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the connection (read deadlines).
func (w retryAfterWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// limits bounds the request body and the time a request may take.
func (s *Server) limits(c *gin.Context) {
	c.Writer = retryAfterWriter{c.Writer}
	max, readFor := s.opts.MaxBodyBytes, s.opts.BodyReadTimeout
	if c.FullPath() == "/api/v1/imports" {
		max, readFor = s.opts.MaxUploadBytes, 20*s.opts.BodyReadTimeout
	}
	if c.Request.ContentLength > max {
		problem(c, "too_large", "请求体过大", "the request body is too large")
		return
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, max)
	if c.Request.ContentLength != 0 && c.Request.Body != http.NoBody {
		// A client trickling its body holds a connection and a goroutine: the body
		// must arrive within readFor. net/http lifts the deadline itself once the
		// body is read. A request without a body gets none: net/http is already
		// watching its connection for a hang-up, and a deadline there would cancel a
		// long analysis. Writers that cannot set deadlines (httptest's recorder)
		// skip this.
		_ = http.NewResponseController(c.Writer).SetReadDeadline(time.Now().Add(readFor))
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.opts.RequestTimeout)
	defer cancel()
	c.Request = c.Request.WithContext(ctx)
	c.Next()
}

func (s *Server) healthz(c *gin.Context) {
	c.JSON(http.StatusOK, Health{Status: "ok", Version: s.opts.Version})
}

// Health is the body of /healthz and /readyz.
type Health struct {
	Status  string `json:"status"`
	Version string `json:"version,omitempty"`
}

func (s *Server) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	if err := s.store.Ping(ctx); err != nil {
		s.opts.Logger.Warn("store not ready", "err", err)
		c.JSON(http.StatusServiceUnavailable, Health{Status: "unavailable"})
		return
	}
	c.JSON(http.StatusOK, Health{Status: "ready", Version: s.opts.Version})
}

// chainRow is one chain on the status page.
type chainRow struct {
	Cluster, Chain, ChainEN string
	Key                     bool
	Links                   int
}

func (s *Server) status(c *gin.Context) {
	snap, _, err := s.snaps.get(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	counts, err := s.store.Counts(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	var rows []chainRow
	for i, ch := range snap.Chains {
		cl := ""
		if k := snap.ChainCluster[i]; k >= 0 {
			cl = snap.Clusters[k].Name
		}
		rows = append(rows, chainRow{Cluster: cl, Chain: ch.Name, ChainEN: ch.NameEN, Key: ch.Key, Links: len(snap.ChainLinks[i])})
	}
	type tableCount struct {
		Table string
		Count int
	}
	var tc []tableCount
	for _, t := range graph.Tables {
		tc = append(tc, tableCount{string(t), counts[t]})
	}
	c.HTML(http.StatusOK, "status.html", gin.H{"Version": s.opts.Version, "Counts": tc, "Chains": rows,
		"Started": s.started.Format(time.DateTime)})
}
