package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/chainmap/chainmap/graph"
	neo4jstore "github.com/chainmap/chainmap/graph/neo4j"
	"github.com/chainmap/chainmap/graph/sqlite"
	"github.com/spf13/cobra"
)

// globals holds the flags every command shares.
type globals struct {
	db       string
	authDB   string
	neo4jURI string
	lang     string
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
	root.PersistentFlags().StringVar(&g.neo4jURI, "neo4j-uri", os.Getenv("NEO4J_URI"),
		"使用 Neo4j 而非内置库 / use Neo4j instead of the embedded store (env NEO4J_URI; NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE)")
	root.PersistentFlags().StringVar(&g.authDB, "auth-db", os.Getenv("CHAINMAP_AUTH_DB"),
		"用户库文件（默认与数据库同目录）/ users, tokens and audit log file (default: next to --db)")
	root.PersistentFlags().StringVar(&g.lang, "lang", "zh", "消息语言 zh|en / message language (zh prints both)")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err.Error()} })
	root.AddCommand(newServe(g), newImport(g), newExport(g), newTemplate(), newSeed(g), newGenerate(), newDB(g), newDiagnose(g), newWhatIf(g), newTargets(g),
		newLeaders(g), newChokepoints(g), newExtend(g), newProjects(g), newKPI(g), newUsers(g), newBackup(g), newRestore(g), newIO(), newBacktest(), newChain(), newCommunities(g), newVersion())
	return root
}

// open opens the store the flags select: Neo4j when a URI is given, else the
// embedded store file.
func (g *globals) open(ctx context.Context) (graph.Store, error) {
	if g.neo4jURI != "" {
		return openStore(ctx, g.neo4jURI)
	}
	return openStore(ctx, "sqlite:"+g.db)
}

// openStore opens a store named by a spec: sqlite:PATH, or a Neo4j URI
// (neo4j://, neo4j+s://, bolt://, bolt+s://) with credentials from NEO4J_USER,
// NEO4J_PASSWORD and NEO4J_DATABASE — never from flags, which other users can see.
func openStore(ctx context.Context, spec string) (graph.Store, error) {
	if path, ok := strings.CutPrefix(spec, "sqlite:"); ok {
		s, err := sqlite.Open(ctx, path)
		if err != nil {
			return nil, fmt.Errorf("opening store %s: %w", path, err)
		}
		return s, nil
	}
	for _, scheme := range []string{"neo4j://", "neo4j+s://", "neo4j+ssc://", "bolt://", "bolt+s://", "bolt+ssc://"} {
		if strings.HasPrefix(spec, scheme) {
			return neo4jstore.Open(ctx, neo4jstore.Config{URI: spec, User: os.Getenv("NEO4J_USER"),
				Password: os.Getenv("NEO4J_PASSWORD"), Database: os.Getenv("NEO4J_DATABASE")})
		}
	}
	return nil, usageError{fmt.Sprintf("无法识别的存储 %q：应为 sqlite:路径 或 neo4j://… / unknown store %q: expected sqlite:PATH or neo4j://…", spec, spec)}
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
