package neo4j

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chainmap/chainmap/analysis/snapshot"
	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/graph/sqlite"
	"github.com/chainmap/chainmap/seed/synthetic"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// benchSizes are the generated ecosystems of docs/benchmarks.md.
var benchSizes = map[string]synthetic.Config{
	"100k": {Companies: 100_000, Supplies: 1_000_000, Regions: 60, Chains: 8, Seed: 1},
	"1m":   {Companies: 1_000_000, Supplies: 10_000_000, Regions: 200, Chains: 20, Seed: 1},
}

// TestBenchNeo4j measures, side by side with the embedded store, import throughput,
// the snapshot build, a per-region snapshot and analysts' Cypher on a generated
// ecosystem (docs/benchmarks.md, "Neo4j"). It runs only when CHAINMAP_BENCH_NEO4J names
// a size (100k or 1m) and EMPTIES the Neo4j it is pointed at. CHAINMAP_BENCH_STEPS
// picks steps (import, build, region, cypher; default all); CHAINMAP_BENCH_DB is the
// embedded store file to compare with (created by the import step; default a temporary
// file, and no comparison without the import step).
func TestBenchNeo4j(t *testing.T) {
	size := os.Getenv("CHAINMAP_BENCH_NEO4J")
	if size == "" {
		t.Skip("CHAINMAP_BENCH_NEO4J not set (100k or 1m): the Neo4j benchmark is run by hand (docs/benchmarks.md)")
	}
	cfg, ok := benchSizes[size]
	if !ok {
		t.Fatalf("CHAINMAP_BENCH_NEO4J=%s: want 100k or 1m", size)
	}
	steps := os.Getenv("CHAINMAP_BENCH_STEPS")
	if steps == "" {
		steps = "import,build,region,cypher"
	}
	step := func(name string) bool { return slices.Contains(strings.Split(steps, ","), name) }
	ctx := context.Background()
	s, err := Open(ctx, liveConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	dbPath := os.Getenv("CHAINMAP_BENCH_DB")
	if dbPath == "" {
		dbPath = filepath.Join(t.TempDir(), "bench.db")
	}
	t.Logf("size %s: %+v; GOMAXPROCS %d", size, cfg, runtime.GOMAXPROCS(0))

	if step("import") {
		eco, err := synthetic.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		ds, err := graph.ReadAll(ctx, eco)
		if err != nil {
			t.Fatal(err)
		}
		n := ds.Total()
		t.Logf("generated %d records in %v", n, time.Since(start).Round(time.Millisecond))
		start = time.Now()
		if err := s.Wipe(ctx); err != nil {
			t.Fatal(err)
		}
		t.Logf("wiped the Neo4j database in %v", time.Since(start).Round(time.Millisecond))
		start = time.Now()
		if _, err := s.Import(ctx, ds, graph.ImportOptions{}); err != nil {
			t.Fatal(err)
		}
		took := time.Since(start)
		t.Logf("RESULT neo4j import (staged: %v): %d records in %v = %.0f records/s", n > s.cfg.MaxTxRecords, n,
			took.Round(time.Millisecond), float64(n)/took.Seconds())
		if _, err := os.Stat(dbPath); err != nil {
			lite, err := sqlite.Open(ctx, dbPath)
			if err != nil {
				t.Fatal(err)
			}
			start = time.Now()
			_, err = lite.Import(ctx, ds, graph.ImportOptions{})
			took = time.Since(start)
			lite.Close()
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("RESULT sqlite import: %d records in %v = %.0f records/s", n, took.Round(time.Millisecond), float64(n)/took.Seconds())
		}
		ds = nil
		runtime.GC()
	}

	if step("build") {
		for run := 1; run <= 2; run++ {
			neo := build(t, "neo4j", s)
			if _, err := os.Stat(dbPath); err == nil {
				lite, err := sqlite.Open(ctx, dbPath)
				if err != nil {
					t.Fatal(err)
				}
				ref := build(t, "sqlite", lite)
				lite.Close()
				if len(ref.Companies) != len(neo.Companies) || len(ref.Ties) != len(neo.Ties) {
					t.Errorf("the snapshots differ: %d/%d companies, %d/%d ties", len(neo.Companies), len(ref.Companies),
						len(neo.Ties), len(ref.Ties))
				}
				ref = nil
			}
			neo = nil
			runtime.GC()
		}
	}

	if step("region") {
		for _, code := range regionsToRead(t, s) {
			var st runtime.MemStats
			start := time.Now()
			snap, err := snapshot.Build(ctx, s.Region(code))
			if err != nil {
				t.Fatal(err)
			}
			took := time.Since(start)
			runtime.GC()
			runtime.ReadMemStats(&st)
			t.Logf("RESULT neo4j region snapshot %s: %d companies, %d ties in %v (heap %d MB)", code, len(snap.Companies),
				len(snap.Ties), took.Round(time.Millisecond), st.HeapAlloc>>20)
			runtime.KeepAlive(snap)
		}
	}

	if step("cypher") {
		for _, q := range analystQueries(size) {
			start := time.Now()
			res, err := neo4j.ExecuteQuery(ctx, s.driver, q.cypher, q.params, neo4j.EagerResultTransformer,
				neo4j.ExecuteQueryWithDatabase(s.cfg.Database), neo4j.ExecuteQueryWithReadersRouting())
			if err != nil {
				t.Fatalf("%s: %v", q.name, err)
			}
			t.Logf("RESULT cypher %q: %d rows in %v", q.name, len(res.Records), time.Since(start).Round(time.Millisecond))
		}
	}
}

// build builds a snapshot from r and logs the time and the process's memory.
func build(t *testing.T, name string, r graph.Reader) *snapshot.Snapshot {
	t.Helper()
	runtime.GC()
	start := time.Now()
	snap, err := snapshot.Build(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	var st runtime.MemStats
	runtime.ReadMemStats(&st)
	t.Logf("RESULT %s snapshot build: %d companies, %d ties in %v (heap after %d MB, sys %d MB)", name, len(snap.Companies),
		len(snap.Ties), took.Round(time.Millisecond), st.HeapAlloc>>20, st.Sys>>20)
	return snap
}

// regionsToRead are the provinces read as region snapshots: the largest (the home
// city's) and a typical one.
func regionsToRead(t *testing.T, s *Store) []string {
	t.Helper()
	res, err := neo4j.ExecuteQuery(context.Background(), s.driver, `
MATCH (p:Region {kind: 'province'})<-[:PART_OF*0..]-(:Region)<-[:LOCATED_IN]-(c:Company)
RETURN p.code AS code, count(c) AS n ORDER BY n DESC`, nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(s.cfg.Database))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i, r := range res.Records {
		if i == 0 || i == len(res.Records)/2 {
			t.Logf("province %v: %v companies", r.Values[0], r.Values[1])
			out = append(out, r.Values[0].(string))
		}
	}
	return out
}

type analystQuery struct {
	name   string
	cypher string
	params map[string]any
}

// analystQueries are the analysts' queries of docs/neo4j.md on the generated
// ecosystem: home city 110100, its district 110102, its first chain.
func analystQueries(size string) []analystQuery {
	chain := map[string]string{"100k": "C001", "1m": "C001"}[size]
	return []analystQuery{
		{"a chain's map (links, feeds, local firm counts)", `
MATCH (l:Link)-[:IN_CHAIN]->(:Chain {id: $chain})
OPTIONAL MATCH (l)-[:FEEDS]->(next:Link)
OPTIONAL MATCH (c:Company)-[:OPERATES_IN]->(l)
WHERE (c)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..]->(:Region {code: $city})
RETURN l.tier, l.id, l.name, collect(DISTINCT next.id) AS feeds, count(DISTINCT c) AS local_firms
ORDER BY l.tier, l.id`, map[string]any{"chain": chain, "city": "110100"}},
		{"a district's missing links in every key chain", `
MATCH (ch:Chain {key: true})<-[:IN_CHAIN]-(l:Link)
WHERE NOT EXISTS {
  MATCH (:Region {code: $district})<-[:PART_OF*0..]-(:Region)<-[:LOCATED_IN]-(:Company)-[:OPERATES_IN]->(l)
}
RETURN ch.name, l.tier, l.name
ORDER BY ch.name, l.tier`, map[string]any{"district": "110102"}},
		{"a chain leader's suppliers outside the city", `
MATCH (leader:Company)-[:LEADS]->(:Chain {id: $chain})
MATCH (s:Company)-[t:SUPPLIES]->(leader)
WHERE NOT (s)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..]->(:Region {code: $city})
RETURN leader.name, s.name, s.region_code, t.product, t.amount_wan, t.since, t.until
ORDER BY t.amount_wan DESC`, map[string]any{"chain": chain, "city": "110100"}},
	}
}

var _ = fmt.Sprint
