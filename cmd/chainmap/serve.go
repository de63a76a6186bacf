package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/chainmap/chainmap/api"
	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/seed/zhenjiang"
	"github.com/spf13/cobra"
)

func newServe(g *globals) *cobra.Command {
	var addr, tlsCert, tlsKey string
	var trustedProxies []string
	var noDemo, secureCookies, noResultCache, noAnonymous, noSnapshotFile bool
	var analysisWorkers int
	var writeWait time.Duration
	cmd := &cobra.Command{
		Use:   "serve [--addr 127.0.0.1:8080]",
		Short: "启动服务（空库时载入镇江示例数据）/ start the server (loads the Zhenjiang demo into an empty store)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			log := slog.New(slog.NewTextHandler(os.Stderr, nil))
			if analysisWorkers < 0 {
				return fmt.Errorf("--analysis-workers 应为 0 或正整数，而不是 %d / --analysis-workers must be 0 or positive, not %d", analysisWorkers, analysisWorkers)
			}
			store, err := g.open(ctx)
			if err != nil {
				return err
			}
			defer store.Close()
			// An API write behind another process's long import waits this long, then
			// answers 503 with Retry-After.
			if w, ok := store.(interface{ SetWriteWait(time.Duration) }); ok {
				w.SetWriteWait(writeWait)
			}
			if !noDemo {
				if loaded, err := seedIfEmpty(ctx, store); err != nil {
					return fmt.Errorf("loading demo data: %w", err)
				} else if loaded {
					log.Info("loaded the Zhenjiang demo data into an empty store", "db", g.db)
				}
			}
			users, err := g.openAuth(ctx)
			if err != nil {
				return err
			}
			defer users.Close()
			if (tlsCert == "") != (tlsKey == "") {
				return usageError{"--tls-cert 与 --tls-key 须同时给出 / --tls-cert and --tls-key go together"}
			}
			for _, p := range trustedProxies {
				if _, _, err := net.ParseCIDR(p); err != nil && net.ParseIP(p) == nil {
					return usageError{fmt.Sprintf("--trusted-proxy %q 不是 IP 或 CIDR / is not an IP address or CIDR", p)}
				}
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return fmt.Errorf("listening on %s: %w", addr, err)
			}
			// Anonymous read access only on loopback: a planner's own machine. On any
			// other address every request needs a token or a login.
			anonymous := isLoopback(ln.Addr()) && !noAnonymous
			if !isLoopback(ln.Addr()) {
				log.Info("not on loopback: anonymous viewing is off; create users with `chainmap users add`")
				if tlsCert == "" && !secureCookies {
					log.Warn("serving plain HTTP on a network address: passwords, tokens and session cookies cross the network unencrypted; use --tls-cert/--tls-key, or a TLS proxy and --secure-cookies")
				}
			}
			// ReadTimeout bounds a whole request, upload included, against clients that
			// trickle their bodies; the API tightens it per route (api.Server.limits).
			srv := &http.Server{Addr: addr, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 10 * time.Minute,
				IdleTimeout: 2 * time.Minute,
				ErrorLog:    slog.NewLogLogger(log.Handler(), slog.LevelWarn),
				Handler: api.New(store, api.Options{Version: version, Logger: log, Auth: users,
					AnonymousViewer: anonymous, CookieSecure: secureCookies, NoResultCache: noResultCache, AnalysisWorkers: analysisWorkers,
					TrustedProxies: trustedProxies, SnapshotFile: snapshotFile(g, noSnapshotFile)}).Handler()}
			scheme := "http"
			if tlsCert != "" {
				// Requests over TLS get Secure cookies and HSTS without --secure-cookies.
				cert, err := tls.LoadX509KeyPair(tlsCert, tlsKey)
				if err != nil {
					ln.Close()
					return fmt.Errorf("loading --tls-cert/--tls-key: %w", err)
				}
				srv.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert}}
				scheme = "https"
			}
			fmt.Fprintf(cmd.OutOrStdout(), "chainmap 已启动 / listening: %s://%s/\n", scheme, ln.Addr())
			errc := make(chan error, 1)
			go func() {
				if tlsCert != "" {
					errc <- srv.ServeTLS(ln, "", "") // certificates are in TLSConfig
					return
				}
				errc <- srv.Serve(ln)
			}()
			select {
			case err := <-errc:
				return err
			case <-ctx.Done():
			}
			log.Info("shutting down")
			shut, cancel := context.WithTimeout(context.Background(), 15*time.Second)
			defer cancel()
			if err := srv.Shutdown(shut); err != nil {
				return fmt.Errorf("shutting down: %w", err)
			}
			if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
				return err
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "监听地址 / listen address")
	cmd.Flags().BoolVar(&noDemo, "no-demo", false, "空库时不载入示例数据 / do not load the demo into an empty store")
	cmd.Flags().DurationVar(&writeWait, "write-wait", 15*time.Second, "写入等待其他写入（如命令行导入）的上限，超过则答 503 / how long an API write waits behind another writer (e.g. a CLI import) before answering 503")
	cmd.Flags().BoolVar(&noSnapshotFile, "no-snapshot-file", false, "不保存/读取分析快照文件（默认保存在数据库旁，下次启动直接读取）/ do not persist the analysis snapshot beside the store (by default it is saved there and read at the next start)")
	cmd.Flags().IntVar(&analysisWorkers, "analysis-workers", 0, "同时计算的分析数，其余按到达顺序排队（0 = CPU 数减一，至少 1）/ analyses computed at once, the rest queue in arrival order (0 = CPUs minus one, at least 1)")
	cmd.Flags().BoolVar(&noResultCache, "no-result-cache", false, "每次重新计算分析结果（用于性能测量）/ recompute every analysis (for measuring)")
	cmd.Flags().StringVar(&tlsCert, "tls-cert", "", "HTTPS 证书文件（PEM）/ serve HTTPS with this certificate (PEM)")
	cmd.Flags().StringVar(&tlsKey, "tls-key", "", "HTTPS 私钥文件（PEM）/ the certificate's private key (PEM)")
	cmd.Flags().StringSliceVar(&trustedProxies, "trusted-proxy", nil, "可信反向代理的 IP 或 CIDR（据其 X-Forwarded-For 识别客户端）/ reverse proxy IPs or CIDRs whose X-Forwarded-For names the client")
	cmd.Flags().BoolVar(&noAnonymous, "no-anonymous", false, "本机访问也须登录 / require sign-in even on loopback")
	cmd.Flags().BoolVar(&secureCookies, "secure-cookies", false, "会话 Cookie 仅经 HTTPS 发送（在 TLS 代理之后）/ mark session cookies Secure (behind a TLS proxy)")
	return cmd
}

// seedIfEmpty loads the demo dataset when the store holds no record at all.
func seedIfEmpty(ctx context.Context, store graph.Store) (bool, error) {
	counts, err := store.Counts(ctx)
	if err != nil {
		return false, err
	}
	for _, n := range counts {
		if n > 0 {
			return false, nil
		}
	}
	_, err = store.Import(ctx, zhenjiang.Dataset(), graph.ImportOptions{})
	return err == nil, err
}

func newSeed(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "seed",
		Short: "载入镇江“四群八链”示例数据 / load the Zhenjiang demo ecosystem",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			store, err := g.open(ctx)
			if err != nil {
				return err
			}
			defer store.Close()
			res, err := store.Import(ctx, zhenjiang.Dataset(), graph.ImportOptions{})
			if err != nil {
				return err
			}
			printChanges(cmd.OutOrStdout(), res)
			return nil
		},
	}
}

// isLoopback reports whether a listening address accepts only local connections.
func isLoopback(a net.Addr) bool {
	tcp, ok := a.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}

// snapshotFile is where serve persists the analysis snapshot: beside the embedded
// store (FILE.snapshot), or nowhere for Neo4j or with --no-snapshot-file.
func snapshotFile(g *globals, off bool) string {
	if off || g.neo4jURI != "" {
		return ""
	}
	return g.db + ".snapshot"
}
