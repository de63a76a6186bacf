package main

import (
	"context"
	"fmt"
	"os"

	"github.com/chainmap/chainmap/graph/sqlite"
	"github.com/spf13/cobra"
)

// globals holds the flags every command shares.
type globals struct {
	db   string
	lang string
}

func newRoot() *cobra.Command {
	g := &globals{}
	root := &cobra.Command{
		Use:   "chainmap",
		Short: "chainmap 产业链图谱：产业链缺链断链诊断与招商目标推荐 / industrial-chain gaps and investment targets",
		Long: `chainmap 把城市的产业链（集群、产业链、环节、企业、链主、供应关系、招商项目）建成图谱，
找出缺链、断链、弱链，并推荐可招引的企业。

chainmap models a city's industrial chains as a graph, shows where they have gaps and
which companies to invite.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	def := os.Getenv("CHAINMAP_DB")
	if def == "" {
		def = "chainmap.db"
	}
	root.PersistentFlags().StringVar(&g.db, "db", def, "数据库文件 / embedded store file (env CHAINMAP_DB)")
	root.PersistentFlags().StringVar(&g.lang, "lang", "zh", "消息语言 zh|en / message language (zh prints both)")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err.Error()} })
	root.AddCommand(newServe(g), newImport(g), newExport(g), newTemplate(), newSeed(g), newGenerate(), newVersion())
	return root
}

func (g *globals) open(ctx context.Context) (*sqlite.Store, error) {
	s, err := sqlite.Open(ctx, g.db)
	if err != nil {
		return nil, fmt.Errorf("opening store %s: %w", g.db, err)
	}
	return s, nil
}

func newVersion() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "版本 / print the version",
		Args:  cobra.NoArgs,
		Run: func(cmd *cobra.Command, _ []string) {
			fmt.Fprintln(cmd.OutOrStdout(), "chainmap", version)
		},
	}
}

// exactArgs is cobra.ExactArgs reporting a usage error.
func exactArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usageError{fmt.Sprintf("%s 需要 %d 个参数 / needs %d argument(s): %s", cmd.Name(), n, n, cmd.Use)}
		}
		return nil
	}
}
