package rank

import (
	"bufio"
	"cmp"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/chainmap/chainmap/analysis/community"
	"github.com/chainmap/chainmap/analysis/snapshot"
	"github.com/chainmap/chainmap/seed/synthetic"
)

// compareSizes are the networks bench/run.sh compares with igraph.
var compareSizes = map[string]synthetic.Config{
	"small":  {Companies: 20_000, Supplies: 200_000, Regions: 30, Chains: 8, Seed: 1},
	"medium": {Companies: 200_000, Supplies: 2_000_000, Regions: 60, Chains: 8, Seed: 1},
	"large":  {Companies: 1_000_000, Supplies: 10_000_000, Regions: 60, Chains: 8, Seed: 1},
}

// Comparison settings shared with bench/compare_igraph.py.
const (
	compareDamping = 0.85
	compareTol     = 1e-10 // PRPACK's fixed tolerance in igraph
)

// TestCompareExport (CHAINMAP_BENCH_COMPARE=1) is the chainmap half of
// bench/run.sh. It generates the synthetic network of $CHAINMAP_BENCH_SIZE (small
// 20k/200k, medium 200k/2M — the default —, large 1M/10M), writes its directed
// supply network once to $CHAINMAP_BENCH_EDGES (default a temp file) as "n m" then
// one distinct "supplier customer" pair per line (0-based company indices), reads it
// back, and times on the graph read from the file (reading and CSR building
// excluded) PageRankCSR (damping 0.85, L1 change < 1e-10), WeakComponentsCSR and
// community.LouvainCSR on the undirected view (distinct pairs, no loops) with the
// default trials and with one trial, $CHAINMAP_BENCH_RUNS times each (default 5;
// 3 for large). It prints one machine-readable line per operation:
//
//	RESULT impl=chainmap op=pagerank runs=5 time_min=0.1234 time_median=0.1301 ...
//
// and writes the PageRank vector (float64) and WCC membership (int32), little
// endian, next to the edge list (EDGES.chainmap-pagerank.f64,
// EDGES.chainmap-wcc.i32) so bench/compare_igraph.py can check it computed the same.
func TestCompareExport(t *testing.T) {
	if os.Getenv("CHAINMAP_BENCH_COMPARE") == "" {
		t.Skip("set CHAINMAP_BENCH_COMPARE=1 (or run bench/run.sh)")
	}
	size := cmp.Or(os.Getenv("CHAINMAP_BENCH_SIZE"), "medium")
	cfg, ok := compareSizes[size]
	if !ok {
		t.Fatalf("CHAINMAP_BENCH_SIZE=%q: want small, medium or large", size)
	}
	runs := 5
	if size == "large" {
		runs = 3
	}
	if v := os.Getenv("CHAINMAP_BENCH_RUNS"); v != "" {
		var err error
		if runs, err = strconv.Atoi(v); err != nil || runs < 1 {
			t.Fatalf("CHAINMAP_BENCH_RUNS=%q", v)
		}
	}
	path := os.Getenv("CHAINMAP_BENCH_EDGES")
	if path == "" {
		path = filepath.Join(t.TempDir(), "edges.txt")
	}

	start := time.Now()
	s := smallSnapshot(t, cfg)
	genTime := time.Since(start)
	start = time.Now()
	if err := writeDirected(path, s); err != nil {
		t.Fatal(err)
	}
	writeTime := time.Since(start)

	start = time.Now()
	n, off, tg, err := readDirected(path)
	if err != nil {
		t.Fatal(err)
	}
	loadTime := time.Since(start)
	m := len(tg)
	loops := 0
	for u := range n {
		for _, v := range tg[off[u]:off[u+1]] {
			if v == int32(u) {
				loops++
			}
		}
	}
	// The undirected view for Louvain: distinct pairs u < v (both directions of a
	// pair and loops collapse), as igraph's as_undirected + simplify.
	pairs := make([][2]int32, 0, m)
	for u := range n {
		for _, v := range tg[off[u]:off[u+1]] {
			a, b := int32(u), v
			if a > b {
				a, b = b, a
			}
			if a != b {
				pairs = append(pairs, [2]int32{a, b})
			}
		}
	}
	slices.SortFunc(pairs, func(x, y [2]int32) int { return cmp.Or(cmp.Compare(x[0], y[0]), cmp.Compare(x[1], y[1])) })
	pairs = slices.Compact(pairs)
	uoff, unbr, uw := community.CSRFromEdges(n, pairs, nil)
	fmt.Printf("GRAPH impl=chainmap size=%s nodes=%d edges=%d self_loops=%d undirected_edges=%d generate_s=%.2f write_s=%.2f load_s=%.2f path=%s\n",
		size, n, m, loops, len(pairs), genTime.Seconds(), writeTime.Seconds(), loadTime.Seconds(), path)

	// PageRank.
	var pr []float64
	var iters int
	times := make([]time.Duration, runs)
	for i := range runs {
		start := time.Now()
		pr, iters = pageRankCSR(n, off, tg, compareDamping, compareTol)
		times[i] = time.Since(start)
	}
	if direct := PageRank(s, compareDamping, compareTol); !slices.Equal(direct, pr) {
		t.Fatal("PageRank on the snapshot and PageRankCSR on the edge file differ")
	}
	top := 0
	for v := range pr {
		if pr[v] > pr[top] {
			top = v
		}
	}
	fmt.Printf("RESULT impl=chainmap op=pagerank runs=%d %s iterations=%d damping=%g tol=%g stop=L1 top_node=%d top_rank=%.6g\n",
		runs, timeFields(times), iters, compareDamping, compareTol, top, pr[top])

	// Weakly connected components.
	var memb []int32
	var k int
	for i := range runs {
		start := time.Now()
		memb, k = WeakComponentsCSR(n, off, tg)
		times[i] = time.Since(start)
	}
	if direct, dk := WeakComponents(s); dk != k || !slices.Equal(direct, memb) {
		t.Fatal("WeakComponents on the snapshot and WeakComponentsCSR on the edge file differ")
	}
	sizes := make([]int, k)
	for _, c := range memb {
		sizes[c]++
	}
	fmt.Printf("RESULT impl=chainmap op=wcc runs=%d %s components=%d largest=%d\n", runs, timeFields(times), k, slices.Max(append(sizes, 0)))

	// Leiden (the default) and Louvain, default trials and one trial; seeds 0..runs-1.
	for _, c := range []struct {
		op, method string
		trials     int
	}{{"leiden", community.Leiden, community.DefaultLeidenTrials}, {"leiden3", community.Leiden, community.DefaultTrials},
		{"louvain", community.LouvainMethod, community.DefaultTrials}, {"louvain1", community.LouvainMethod, 1}} {
		qs := make([]float64, runs)
		ks := make([]int, runs)
		for i := range runs {
			start := time.Now()
			mm, q := community.LouvainCSR(n, uoff, unbr, uw, community.Params{Seed: uint64(i), Trials: c.trials, Method: c.method})
			times[i] = time.Since(start)
			qs[i] = q
			ks[i] = int(slices.Max(append(mm, -1))) + 1
		}
		slices.Sort(ks)
		fmt.Printf("RESULT impl=chainmap op=%s runs=%d %s trials=%d communities=%d modularity_mean=%.5f modularity_min=%.5f modularity_max=%.5f\n",
			c.op, runs, timeFields(times), c.trials, ks[len(ks)/2], meanOf(qs), slices.Min(qs), slices.Max(qs))
	}

	if err := writeBinary(path+".chainmap-pagerank.f64", pr); err != nil {
		t.Fatal(err)
	}
	if err := writeBinary(path+".chainmap-wcc.i32", memb); err != nil {
		t.Fatal(err)
	}
}

func timeFields(ts []time.Duration) string {
	s := slices.Clone(ts)
	slices.Sort(s)
	return fmt.Sprintf("time_min=%.4f time_median=%.4f", s[0].Seconds(), s[len(s)/2].Seconds())
}

func meanOf(xs []float64) float64 {
	var t float64
	for _, x := range xs {
		t += x
	}
	return t / float64(len(xs))
}

// writeDirected writes the supply network of s: "n m", then "u v" for every
// distinct supplier u and customer v, in CSR order.
func writeDirected(path string, s *snapshot.Snapshot) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	n, m := len(s.Companies), 0
	for u := range n {
		m += len(s.Customers(int32(u)))
	}
	fmt.Fprintf(w, "%d %d\n", n, m)
	buf := make([]byte, 0, 32)
	for u := range n {
		for _, v := range s.Customers(int32(u)) {
			buf = strconv.AppendInt(buf[:0], int64(u), 10)
			buf = append(buf, ' ')
			buf = strconv.AppendInt(buf, int64(v), 10)
			buf = append(buf, '\n')
			w.Write(buf)
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// readDirected reads a file written by writeDirected into an out-CSR (rows in file
// order within each source).
func readDirected(path string) (n int, off []int64, tg []int32, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, nil, nil, err
	}
	pos := 0
	next := func() (int, bool) {
		for pos < len(data) && (data[pos] == ' ' || data[pos] == '\n' || data[pos] == '\r' || data[pos] == '\t') {
			pos++
		}
		if pos == len(data) || data[pos] < '0' || data[pos] > '9' {
			return 0, false
		}
		x := 0
		for ; pos < len(data) && data[pos] >= '0' && data[pos] <= '9'; pos++ {
			x = 10*x + int(data[pos]-'0')
		}
		return x, true
	}
	n, ok1 := next()
	m, ok2 := next()
	if !ok1 || !ok2 || n > math.MaxInt32 {
		return 0, nil, nil, fmt.Errorf("%s: bad header", path)
	}
	src := make([]int32, m)
	dst := make([]int32, m)
	for i := range m {
		u, ok1 := next()
		v, ok2 := next()
		if !ok1 || !ok2 || u >= n || v >= n {
			return 0, nil, nil, fmt.Errorf("%s: bad edge %d", path, i)
		}
		src[i], dst[i] = int32(u), int32(v)
	}
	if _, more := next(); more {
		return 0, nil, nil, fmt.Errorf("%s: more than %d edges", path, m)
	}
	off = make([]int64, n+1)
	for _, u := range src {
		off[u+1]++
	}
	for u := range n {
		off[u+1] += off[u]
	}
	tg = make([]int32, m)
	fill := slices.Clone(off[:n])
	for i, u := range src {
		tg[fill[u]] = dst[i]
		fill[u]++
	}
	return n, off, tg, nil
}

func writeBinary[T float64 | int32](path string, xs []T) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if err := binary.Write(w, binary.LittleEndian, xs); err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
