package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/chainmap/chainmap/api/auth"
	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/graph/sqlite"
	"github.com/spf13/cobra"
)

// The files of a backup folder made with --with-users.
const (
	backupGraphName = "chainmap.db"
	backupUsersName = "chainmap-auth.db"
)

func newBackup(g *globals) *cobra.Command {
	var out string
	var withUsers bool
	cmd := &cobra.Command{
		Use:   "backup --out FILE | --out DIR --with-users",
		Short: "在线备份内置数据库（一致快照，服务可继续运行；--with-users 连同用户库）/ back up the embedded store online (a consistent copy; --with-users: and the users database)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return usageError{"需要 --out 文件 / --out FILE is required"}
			}
			ctx := cmd.Context()
			s, err := sqlite.Open(ctx, g.db)
			if err != nil {
				return err
			}
			defer s.Close()
			if !withUsers {
				if err := s.Backup(ctx, out); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "已备份到 / backed up to %s\n", out)
				return nil
			}
			if _, err := os.Lstat(out); !errors.Is(err, fs.ErrNotExist) {
				return usageError{fmt.Sprintf("--with-users 时 --out 是新建的文件夹，%s 已存在 / with --with-users, --out names a new folder; %s exists", out, out)}
			}
			users, err := g.openAuth(ctx)
			if err != nil {
				return err
			}
			defer users.Close()
			if err := os.Mkdir(out, 0o700); err != nil {
				return err
			}
			gp, up := filepath.Join(out, backupGraphName), filepath.Join(out, backupUsersName)
			// Graph writers wait while both copies are made, so they are one moment.
			err = s.BackupWith(ctx, gp, func(ctx context.Context) error { return users.Backup(ctx, up) })
			if err != nil {
				os.RemoveAll(out)
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "已备份到 / backed up to %s：\n  图谱库 graph store  %s\n  用户库 users        %s\n", out, gp, up)
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "备份文件（不能已存在）；--with-users 时为新文件夹 / backup file (must not exist); with --with-users a new folder")
	cmd.Flags().BoolVar(&withUsers, "with-users", false, "连同用户库（用户、令牌、审计日志）一并备份，二者为同一时刻 / also back up the users database (users, tokens, audit log), both of one moment")
	return cmd
}

func newRestore(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "restore BACKUP | restore DIR",
		Short: "从备份恢复内置数据库（先停止服务；校验后原子替换，原库保留）；DIR 为 backup --with-users 的文件夹时连同用户库 / restore the embedded store from a backup (stop the server first; verified, the previous store kept); a --with-users folder restores the users database too",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, w := cmd.Context(), cmd.OutOrStdout()
			src := args[0]
			graphSrc, usersSrc := src, ""
			if st, err := os.Stat(src); err == nil && st.IsDir() {
				graphSrc, usersSrc = filepath.Join(src, backupGraphName), filepath.Join(src, backupUsersName)
				for _, p := range []string{graphSrc, usersSrc} {
					if _, err := os.Stat(p); err != nil {
						return graph.Errorf(graph.EINVALID, "%s 不是 backup --with-users 生成的文件夹：缺少 %s / %s is not a folder made by backup --with-users: %s is missing",
							src, filepath.Base(p), src, filepath.Base(p))
					}
				}
				// Both are checked before either replaces anything.
				if err := sqlite.VerifyFile(ctx, sqlite.GraphKind, graphSrc); err != nil {
					return err
				}
				if err := sqlite.VerifyFile(ctx, auth.Kind, usersSrc); err != nil {
					return err
				}
			}
			kept, err := sqlite.Restore(ctx, graphSrc, g.db)
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "已从 %s 恢复到 %s，校验通过 / restored %s from %s and verified it\n", graphSrc, g.db, g.db, graphSrc)
			printKept(cmd, kept)
			if usersSrc == "" {
				return nil
			}
			kept, err = auth.Restore(ctx, usersSrc, g.authPath())
			if err != nil {
				return fmt.Errorf("图谱库已恢复，用户库未恢复 / the graph store was restored, the users database was not: %w", err)
			}
			fmt.Fprintf(w, "已从 %s 恢复到 %s，校验通过 / restored %s from %s and verified it\n", usersSrc, g.authPath(), g.authPath(), usersSrc)
			printKept(cmd, kept)
			return nil
		},
	}
}

// printKept says where restore left the previous file.
func printKept(cmd *cobra.Command, kept string) {
	if kept != "" {
		fmt.Fprintf(cmd.OutOrStdout(), "原文件保留为 %s（确认无误后可删除）/ the previous file was kept as %s (delete it once you are sure)\n", kept, kept)
	}
}
