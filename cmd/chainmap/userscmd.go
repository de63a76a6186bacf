package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/chainmap/chainmap/api/auth"
	"github.com/spf13/cobra"
)

// authPath is where users, tokens, sessions and the audit log live: next to the
// embedded store, or in the working directory when the graph is in Neo4j.
func (g *globals) authPath() string {
	if g.authDB != "" {
		return g.authDB
	}
	if g.neo4jURI != "" {
		return "chainmap-auth.db"
	}
	return strings.TrimSuffix(g.db, ".db") + "-auth.db"
}

func (g *globals) openAuth(ctx context.Context) (*auth.Store, error) {
	s, err := auth.Open(ctx, g.authPath())
	if err != nil {
		return nil, fmt.Errorf("opening the user store %s: %w", g.authPath(), err)
	}
	return s, nil
}

func newUsers(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "users", Short: "用户与 API 令牌 / users and API tokens"}
	var role string
	add := &cobra.Command{
		Use:   "add NAME --role viewer|editor|admin",
		Short: "新建用户（密码取自 CHAINMAP_PASSWORD 或标准输入）/ add a user (password from CHAINMAP_PASSWORD or stdin)",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			pw, err := readPassword(cmd)
			if err != nil {
				return err
			}
			s, err := g.openAuth(cmd.Context())
			if err != nil {
				return err
			}
			defer s.Close()
			if err := s.AddUser(cmd.Context(), args[0], pw, auth.Role(role)); err != nil {
				return err
			}
			auditCLI(cmd.Context(), s, "users add", args[0], role)
			fmt.Fprintf(cmd.OutOrStdout(), "已添加用户 %s（%s）/ user added\n", args[0], role)
			return nil
		},
	}
	add.Flags().StringVar(&role, "role", "viewer", "角色 / role: viewer|editor|admin")
	var label string
	var days int
	token := &cobra.Command{
		Use:   "token NAME [--label TEXT] [--days N]",
		Short: "签发 API 令牌（只显示一次）/ issue an API token (shown once)",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := g.openAuth(cmd.Context())
			if err != nil {
				return err
			}
			defer s.Close()
			if days < 0 {
				return usageError{"--days 不能为负 / --days must not be negative"}
			}
			tok, err := s.CreateToken(cmd.Context(), args[0], label, time.Duration(days)*24*time.Hour)
			if err != nil {
				return err
			}
			auditCLI(cmd.Context(), s, "users token", args[0], label)
			fmt.Fprintln(cmd.OutOrStdout(), tok)
			fmt.Fprintln(cmd.ErrOrStderr(), "请妥善保存，令牌不会再次显示 / keep it safe: it is not shown again")
			return nil
		},
	}
	token.Flags().StringVar(&label, "label", "cli", "用途说明 / label")
	// Tokens expire by default: a forgotten token in an old script should not work
	// for ever. --days 0 opts out.
	token.Flags().IntVar(&days, "days", 90, "有效天数（0 = 不过期）/ days valid (0 = no expiry)")
	list := &cobra.Command{
		Use:   "list",
		Short: "列出用户 / list users",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := g.openAuth(cmd.Context())
			if err != nil {
				return err
			}
			defer s.Close()
			users, err := s.Users(cmd.Context())
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "用户 user\t角色 role\t状态 state")
			for _, u := range users {
				state := "启用 enabled"
				if u.Disabled {
					state = "停用 disabled"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\n", u.Name, u.Role, state)
			}
			return tw.Flush()
		},
	}
	cmd.AddCommand(add, token, list)
	cmd.AddCommand(userChange(g, "role NAME ROLE", "修改角色 / change a user's role (viewer|editor|admin)", 2,
		func(ctx context.Context, s *auth.Store, args []string) error {
			return s.SetRole(ctx, args[0], auth.Role(args[1]))
		}))
	cmd.AddCommand(userChange(g, "disable NAME", "停用用户（会话立即失效，令牌被拒）/ disable a user (sessions end, tokens refused)", 1,
		func(ctx context.Context, s *auth.Store, args []string) error { return s.DisableUser(ctx, args[0]) }))
	cmd.AddCommand(userChange(g, "enable NAME", "启用用户 / enable a user again", 1,
		func(ctx context.Context, s *auth.Store, args []string) error { return s.EnableUser(ctx, args[0]) }))
	cmd.AddCommand(userChange(g, "revoke TOKEN_ID", "吊销 API 令牌（编号见 users tokens）/ revoke an API token (ids from `users tokens`)", 1,
		func(ctx context.Context, s *auth.Store, args []string) error { return s.RevokeToken(ctx, args[0]) }))
	passwd := userChange(g, "passwd NAME", "重设密码（取自 CHAINMAP_PASSWORD 或标准输入；会话失效）/ reset a password (from CHAINMAP_PASSWORD or stdin; sessions end)", 1, nil)
	passwd.RunE = func(cmd *cobra.Command, args []string) error {
		pw, err := readPassword(cmd)
		if err != nil {
			return err
		}
		return runUserChange(cmd, g, "passwd", args, func(ctx context.Context, s *auth.Store, args []string) error {
			return s.SetPassword(ctx, args[0], pw)
		})
	}
	cmd.AddCommand(passwd)
	cmd.AddCommand(&cobra.Command{
		Use:   "tokens [NAME]",
		Short: "列出 API 令牌（不含密钥）/ list API tokens (never the secrets)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := g.openAuth(cmd.Context())
			if err != nil {
				return err
			}
			defer s.Close()
			user := ""
			if len(args) == 1 {
				user = auth.NormalizeName(args[0])
			}
			toks, err := s.Tokens(cmd.Context(), user)
			if err != nil {
				return err
			}
			day := func(t time.Time, zero string) string {
				if t.IsZero() {
					return zero
				}
				return t.Local().Format(time.DateOnly)
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "编号 id\t用户 user\t用途 label\t签发 created\t到期 expires\t最近使用 last used\t吊销 revoked")
			for _, t := range toks {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.User, t.Label, day(t.Created, ""),
					day(t.Expires, "不过期 never"), day(t.LastUsed, "—"), day(t.Revoked, "—"))
			}
			return tw.Flush()
		},
	})
	return cmd
}

type userOp func(ctx context.Context, s *auth.Store, args []string) error

// userChange is a users subcommand that applies op to the auth store and audits it.
func userChange(g *globals, use, short string, nargs int, op userOp) *cobra.Command {
	verb, _, _ := strings.Cut(use, " ")
	return &cobra.Command{Use: use, Short: short, Args: exactArgs(nargs),
		RunE: func(cmd *cobra.Command, args []string) error { return runUserChange(cmd, g, verb, args, op) }}
}

func runUserChange(cmd *cobra.Command, g *globals, verb string, args []string, op userOp) error {
	s, err := g.openAuth(cmd.Context())
	if err != nil {
		return err
	}
	defer s.Close()
	if err := op(cmd.Context(), s, args); err != nil {
		return err
	}
	auditCLI(cmd.Context(), s, "users "+verb, args[0], strings.Join(args[1:], " "))
	fmt.Fprintf(cmd.OutOrStdout(), "已完成 / done: users %s %s\n", verb, args[0])
	return nil
}

// auditCLI records a change made from the command line in the same log as the
// API's, under the operating-system user who ran it. A failure to record is
// reported but does not undo the change.
func auditCLI(ctx context.Context, s *auth.Store, action, target, detail string) {
	who := "cli"
	if u := os.Getenv("USER"); u != "" {
		who = "cli:" + u
	}
	e := auth.AuditEntry{At: time.Now().UTC(), User: who, Method: "CLI", Path: action, Action: action, Target: target, Status: 200}
	if detail != "" {
		b, _ := json.Marshal(map[string]string{"detail": detail})
		e.After = string(b)
	}
	if err := s.Audit(ctx, e); err != nil {
		fmt.Fprintf(os.Stderr, "warning: the audit log was not written: %v\n", err)
	}
}

// readPassword takes a password from CHAINMAP_PASSWORD or the first line of stdin.
func readPassword(cmd *cobra.Command) (string, error) {
	if pw := os.Getenv("CHAINMAP_PASSWORD"); pw != "" {
		return pw, nil
	}
	fmt.Fprint(cmd.ErrOrStderr(), "密码 password: ")
	line, err := bufio.NewReader(cmd.InOrStdin()).ReadString('\n')
	if err != nil && line == "" {
		return "", usageError{"需要密码 / a password is required"}
	}
	return strings.TrimRight(line, "\r\n"), nil
}
