// Package api is chainmap's HTTP side: the gin server, its JSON API and the web UI.
package api

import (
	"context"
	"embed"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"github.com/chainmap/chainmap/graph"
	"github.com/gin-gonic/gin"
)

//go:embed templates/*.html
var templates embed.FS

// Options configure the server.
type Options struct {
	Version string
	Logger  *slog.Logger
}

// Server serves chainmap over HTTP.
type Server struct {
	store   graph.Store
	opts    Options
	handler *gin.Engine
	started time.Time
}

// New returns a server over store.
func New(store graph.Store, opts Options) *Server {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.Use(gin.Recovery(), requestLog(opts.Logger))
	e.SetHTMLTemplate(template.Must(template.ParseFS(templates, "templates/*.html")))
	s := &Server{store: store, opts: opts, handler: e, started: time.Now()}
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/", s.status)
	return s
}

// Handler returns the server's http.Handler.
func (s *Server) Handler() http.Handler { return s.handler }

// requestLog logs one line per request; it never logs headers or bodies, which may
// carry secrets.
func requestLog(l *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		l.Info("request", "method", c.Request.Method, "path", c.FullPath(), "status", c.Writer.Status(),
			"ms", time.Since(start).Milliseconds())
	}
}

func (s *Server) healthz(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": "ok", "version": s.opts.Version})
}

func (s *Server) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	if err := s.store.Ping(ctx); err != nil {
		s.opts.Logger.Warn("store not ready", "err", err)
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable"})
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ready"})
}

// chainRow is one chain on the status page.
type chainRow struct {
	Cluster, Chain, ChainEN string
	Key                     bool
	Links                   int
}

func (s *Server) status(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 10*time.Second)
	defer cancel()
	counts, err := s.store.Counts(ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	clusterName := map[string]string{}
	for cl, err := range s.store.Clusters(ctx) {
		if err != nil {
			s.fail(c, err)
			return
		}
		clusterName[cl.ID] = cl.Name
	}
	linksOf := map[string]int{}
	for l, err := range s.store.Links(ctx) {
		if err != nil {
			s.fail(c, err)
			return
		}
		linksOf[l.ChainID]++
	}
	var rows []chainRow
	for ch, err := range s.store.Chains(ctx) {
		if err != nil {
			s.fail(c, err)
			return
		}
		rows = append(rows, chainRow{Cluster: clusterName[ch.ClusterID], Chain: ch.Name, ChainEN: ch.NameEN,
			Key: ch.Key, Links: linksOf[ch.ID]})
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

func (s *Server) fail(c *gin.Context, err error) {
	if errors.Is(err, context.DeadlineExceeded) {
		c.String(http.StatusGatewayTimeout, "请求超时 / request timed out")
		return
	}
	s.opts.Logger.Error("status page", "err", err)
	c.String(http.StatusInternalServerError, "内部错误 / internal error")
}
