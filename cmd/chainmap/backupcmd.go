package main

import (
	"fmt"

	"github.com/chainmap/chainmap/graph/sqlite"
	"github.com/spf13/cobra"
)

func newBackup(g *globals) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "backup --out FILE",
		Short: "在线备份内置数据库（一致快照，服务可继续运行）/ back up the embedded store online (a consistent copy)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return usageError{"需要 --out 文件 / --out FILE is required"}
			}
			s, err := sqlite.Open(cmd.Context(), g.db)
			if err != nil {
				return err
			}
			defer s.Close()
			if err := s.Backup(cmd.Context(), out); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "已备份到 / backed up to %s\n", out)
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "备份文件（不能已存在）/ backup file (must not exist)")
	return cmd
}

func newRestore(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "restore BACKUP",
		Short: "从备份恢复内置数据库（先停止服务；校验完整性后原子替换）/ restore the embedded store from a backup (stop the server first)",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			kept, err := sqlite.Restore(cmd.Context(), args[0], g.db)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "已从 %s 恢复到 %s，校验通过 / restored %s from %s and verified it\n", args[0], g.db, g.db, args[0])
			if kept != "" {
				fmt.Fprintf(cmd.OutOrStdout(), "原数据库保留为 %s（确认无误后可删除）/ the previous store was kept as %s (delete it once you are sure)\n", kept, kept)
			}
			return nil
		},
	}
}
