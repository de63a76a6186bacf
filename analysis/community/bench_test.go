package community

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chainmap/chainmap/analysis/snapshot"
	"github.com/chainmap/chainmap/analysis/snapshot/snapshottest"
	"github.com/chainmap/chainmap/seed/synthetic"
)

// exportConfig is the network compared with igraph: 50k firms, 500k supplies.
var exportConfig = synthetic.Config{Companies: 50_000, Supplies: 500_000, Regions: 30, Chains: 8, Seed: 1}

// TestExportBenchGraph (CHAINMAP_BENCH_COMMUNITY=1) writes the undirected supply
// network of exportConfig as an edge list ("n m" then "u v" per distinct pair, u < v)
// to $CHAINMAP_BENCH_GRAPH (default a temp file), reads it back, times LouvainCSR on
// it over 20 seeds with one trial and with DefaultTrials, and, when Debian's python3-igraph is installed, runs
// bench/communities.py on the same file and prints the Go/igraph time ratio.
func TestExportBenchGraph(t *testing.T) {
	if os.Getenv("CHAINMAP_BENCH_COMMUNITY") == "" {
		t.Skip("set CHAINMAP_BENCH_COMMUNITY=1")
	}
	path := os.Getenv("CHAINMAP_BENCH_GRAPH")
	if path == "" {
		path = filepath.Join(t.TempDir(), "communities.txt")
	}
	eco, err := synthetic.New(exportConfig)
	if err != nil {
		t.Fatal(err)
	}
	s, err := snapshot.Build(context.Background(), eco)
	if err != nil {
		t.Fatal(err)
	}
	off, nbr, _ := SnapshotCSR(s, false)
	n := len(s.Companies)
	if err := writeEdgeList(path, n, off, nbr); err != nil {
		t.Fatal(err)
	}
	n, edges, err := readEdgeList(path)
	if err != nil {
		t.Fatal(err)
	}
	off, nbr, w := CSRFromEdges(n, edges, nil)
	t.Logf("graph %s: %d nodes, %d edges (%d supply ties)", path, n, len(edges), len(s.Ties))

	const runs = 20
	var goMed time.Duration
	var goQ float64
	for _, trials := range []int{1, DefaultTrials} {
		var times []time.Duration
		var qs []float64
		for seed := range uint64(runs) {
			start := time.Now()
			m, q := LouvainCSR(n, off, nbr, w, Params{Seed: seed, Trials: trials})
			times = append(times, time.Since(start))
			qs = append(qs, q)
			t.Logf("go trials=%d seed %d: %v, %d communities, Q=%.5f", trials, seed, times[seed], slices.Max(m)+1, q)
		}
		goMed, goQ = median(times), mean(qs)
		fmt.Printf("go     Louvain (Trials=%d): runs=%d time_min=%.4fs time_median=%.4fs modularity_mean=%.5f min=%.5f max=%.5f\n",
			trials, runs, slices.Min(times).Seconds(), goMed.Seconds(), goQ, slices.Min(qs), slices.Max(qs))
	}

	py := "/usr/bin/python3"
	script := filepath.Join("..", "..", "bench", "communities.py")
	if err := exec.Command(py, "-c", "import igraph").Run(); err != nil {
		t.Logf("python3-igraph not available (%v): run %s %s %s yourself", err, py, script, path)
		return
	}
	out, err := exec.Command(py, script, path, "--runs", strconv.Itoa(runs)).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", script, err, out)
	}
	fmt.Print(string(out))
	var igMed, igQ float64
	for _, f := range strings.Fields(string(out)) {
		if v, ok := strings.CutPrefix(f, "time_median="); ok {
			igMed, _ = strconv.ParseFloat(strings.TrimSuffix(v, "s"), 64)
		}
		if v, ok := strings.CutPrefix(f, "modularity_mean="); ok {
			igQ, _ = strconv.ParseFloat(v, 64)
		}
	}
	if igMed > 0 {
		fmt.Printf("Trials=%d: ratio go/igraph (median time) = %.2f; modularity go − igraph (means) = %+.5f\n",
			DefaultTrials, goMed.Seconds()/igMed, goQ-igQ)
	}
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func mean(xs []float64) float64 {
	var t float64
	for _, x := range xs {
		t += x
	}
	return t / float64(len(xs))
}

func writeEdgeList(path string, n int, off []int64, nbr []int32) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	m := 0
	for u := range n {
		for _, v := range nbr[off[u]:off[u+1]] {
			if int32(u) < v {
				m++
			}
		}
	}
	fmt.Fprintf(w, "%d %d\n", n, m)
	buf := make([]byte, 0, 32)
	for u := range n {
		for _, v := range nbr[off[u]:off[u+1]] {
			if int32(u) < v {
				buf = strconv.AppendInt(buf[:0], int64(u), 10)
				buf = append(buf, ' ')
				buf = strconv.AppendInt(buf, int64(v), 10)
				buf = append(buf, '\n')
				w.Write(buf)
			}
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func readEdgeList(path string) (int, [][2]int32, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	var n, m int
	if !sc.Scan() {
		return 0, nil, fmt.Errorf("%s: empty", path)
	}
	if _, err := fmt.Sscan(sc.Text(), &n, &m); err != nil {
		return 0, nil, fmt.Errorf("%s: header: %w", path, err)
	}
	edges := make([][2]int32, 0, m)
	for sc.Scan() {
		a, b, ok := strings.Cut(sc.Text(), " ")
		u, err1 := strconv.Atoi(a)
		v, err2 := strconv.Atoi(b)
		if !ok || err1 != nil || err2 != nil {
			return 0, nil, fmt.Errorf("%s: bad line %q", path, sc.Text())
		}
		edges = append(edges, [2]int32{int32(u), int32(v)})
	}
	return n, edges, sc.Err()
}

// BenchmarkLouvain100k times Louvain on the shared 100k-firm / 1M-supply snapshot
// (CSR build from the snapshot included).
func BenchmarkLouvain100k(b *testing.B) {
	s := snapshottest.Bench(b)
	b.ResetTimer()
	var r *Result
	for i := 0; i < b.N; i++ {
		var err error
		if r, err = Louvain(s, Params{Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(r.Modularity, "Q")
	b.ReportMetric(float64(len(r.Communities)), "communities")
}

// BenchmarkLouvainFile times LouvainCSR on the edge list at $CHAINMAP_BENCH_GRAPH
// (written by TestExportBenchGraph), with one trial and with DefaultTrials.
func BenchmarkLouvainFile(b *testing.B) {
	path := os.Getenv("CHAINMAP_BENCH_GRAPH")
	if path == "" {
		b.Skip("set CHAINMAP_BENCH_GRAPH to an edge list written by TestExportBenchGraph")
	}
	n, edges, err := readEdgeList(path)
	if err != nil {
		b.Fatal(err)
	}
	off, nbr, w := CSRFromEdges(n, edges, nil)
	for _, trials := range []int{1, DefaultTrials} {
		b.Run("trials="+strconv.Itoa(trials), func(b *testing.B) {
			var q float64
			for i := 0; i < b.N; i++ {
				_, q = LouvainCSR(n, off, nbr, w, Params{Seed: uint64(i), Trials: trials})
			}
			b.ReportMetric(q, "Q")
		})
	}
}
