package main

import (
	"encoding/json"
	"fmt"

	"github.com/chainmap/chainmap/graph"
	neo4jstore "github.com/chainmap/chainmap/graph/neo4j"
	"github.com/chainmap/chainmap/graph/sqlite"
	"github.com/spf13/cobra"
)

func newDB(g *globals) *cobra.Command {
	db := &cobra.Command{Use: "db", Short: "存储管理 / store administration"}
	db.AddCommand(&cobra.Command{
		Use:   "migrate",
		Short: "创建或升级存储结构（幂等）/ create or upgrade the store's schema, idempotently",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			// Opening either store brings its schema up to date.
			s, err := g.open(cmd.Context())
			if err != nil {
				return err
			}
			defer s.Close()
			fmt.Fprintln(cmd.OutOrStdout(), "存储结构已是最新 / schema is up to date")
			return nil
		},
	})
	var from, to string
	copyCmd := &cobra.Command{
		Use:   "copy --from STORE --to STORE",
		Short: "在存储之间复制全部数据 / copy a whole ecosystem between stores (sqlite:PATH or neo4j://…)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if from == "" || to == "" {
				return usageError{"需要 --from 和 --to / --from and --to are required, e.g. --from sqlite:./chainmap.db --to neo4j://localhost:7687"}
			}
			ctx := cmd.Context()
			src, err := openStore(ctx, from)
			if err != nil {
				return err
			}
			defer src.Close()
			dst, err := openStore(ctx, to)
			if err != nil {
				return err
			}
			defer dst.Close()
			bar := newProgress("复制 copying")
			res, err := graph.Copy(ctx, src, dst, graph.ImportOptions{Progress: bar.update})
			bar.done()
			if err != nil {
				return err
			}
			printChanges(cmd.OutOrStdout(), res)
			return nil
		},
	}
	copyCmd.Flags().StringVar(&from, "from", "", "来源存储 / source store")
	copyCmd.Flags().StringVar(&to, "to", "", "目标存储 / target store")
	db.AddCommand(copyCmd)
	db.AddCommand(&cobra.Command{
		Use:   "schema",
		Short: "输出 Neo4j 图模式与全部 Cypher 语句（JSON，供 CI 检查）/ print the Neo4j schema and every Cypher statement as JSON (for the CI lint)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			enc := json.NewEncoder(cmd.OutOrStdout())
			enc.SetIndent("", "  ")
			return enc.Encode(struct {
				Schema     neo4jstore.Schema      `json:"schema"`
				Statements []neo4jstore.Statement `json:"statements"`
			}{neo4jstore.GraphSchema, neo4jstore.Statements()})
		},
	})
	db.AddCommand(&cobra.Command{
		Use:   "verify",
		Short: "检查内置数据库文件的完整性与引用一致性 / check the embedded store's integrity and references",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := sqlite.Open(cmd.Context(), g.db)
			if err != nil {
				return err
			}
			defer s.Close()
			if err := s.Verify(cmd.Context()); err != nil {
				return fmt.Errorf("%s: %w", g.db, err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s 完好 / is intact (integrity_check ok, no dangling references)\n", g.db)
			return nil
		},
	})
	return db
}
