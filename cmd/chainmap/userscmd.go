package main

import (
	"bufio"
	"context"
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
			pw := os.Getenv("CHAINMAP_PASSWORD")
			if pw == "" {
				fmt.Fprint(cmd.ErrOrStderr(), "密码 password: ")
				line, err := bufio.NewReader(cmd.InOrStdin()).ReadString('\n')
				if err != nil && line == "" {
					return usageError{"需要密码 / a password is required"}
				}
				pw = strings.TrimRight(line, "\r\n")
			}
			s, err := g.openAuth(cmd.Context())
			if err != nil {
				return err
			}
			defer s.Close()
			if err := s.AddUser(cmd.Context(), args[0], pw, auth.Role(role)); err != nil {
				return err
			}
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
			tok, err := s.CreateToken(cmd.Context(), args[0], label, time.Duration(days)*24*time.Hour)
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), tok)
			fmt.Fprintln(cmd.ErrOrStderr(), "请妥善保存，令牌不会再次显示 / keep it safe: it is not shown again")
			return nil
		},
	}
	token.Flags().StringVar(&label, "label", "cli", "用途说明 / label")
	token.Flags().IntVar(&days, "days", 0, "有效天数（0 = 不过期）/ days valid (0 = no expiry)")
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
			fmt.Fprintln(tw, "用户 user\t角色 role")
			for _, u := range users {
				fmt.Fprintf(tw, "%s\t%s\n", u.Name, u.Role)
			}
			return tw.Flush()
		},
	}
	cmd.AddCommand(add, token, list)
	return cmd
}
