#!/usr/bin/env bash
# Compare chainmap's PageRank, weakly connected components, Leiden and Louvain with igraph on
# the same synthetic supply network, and print one table.
#
#   bash bench/run.sh [--size small|medium|large] [--runs N]
#
#   small   20k companies / 200k supplies   (CI smoke test, well under 30 s)
#   medium  200k / 2M                       (default; the figures in docs/benchmarks.md)
#   large   1M / 10M                        (minutes; several GB of memory)
#
# The Go harness (analysis/rank TestCompareExport) generates the network, writes its
# directed edge list once to a temp file and times chainmap on the graph read back from
# it; bench/compare_igraph.py (Debian's /usr/bin/python3 with python3-igraph) times
# igraph on the same file. Graph loading is excluded on both sides; times are medians
# of N runs (default 5, 3 for large). Nothing is installed: without python3-igraph
# the table shows chainmap's numbers only and says igraph was skipped
# (apt-get install -y python3-igraph to compare). The exit status is non-zero only if
# something crashes, never because a goal is missed.
set -u -o pipefail

size=medium
runs=
while [ $# -gt 0 ]; do
  case "$1" in
    --size) size="${2:-}"; shift 2 || { echo "run.sh: --size needs a value" >&2; exit 2; } ;;
    --size=*) size="${1#--size=}"; shift ;;
    --runs) runs="${2:-}"; shift 2 || { echo "run.sh: --runs needs a value" >&2; exit 2; } ;;
    --runs=*) runs="${1#--runs=}"; shift ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (usage: bash bench/run.sh [--size small|medium|large] [--runs N])" >&2; exit 2 ;;
  esac
done
case "$size" in small|medium|large) ;; *) echo "run.sh: --size must be small, medium or large" >&2; exit 2 ;; esac
if [ -z "$runs" ]; then
  if [ "$size" = large ]; then runs=3; else runs=5; fi
fi
case "$runs" in ''|*[!0-9]*|0) echo "run.sh: --runs must be a positive integer" >&2; exit 2 ;; esac

root="$(cd "$(dirname "$0")/.." && pwd)"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/chainmap-bench.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
edges="$tmp/edges.txt"
start=$(date +%s)

echo "== chainmap ($size, $runs runs): generate, export, time" >&2
if ! (cd "$root" && CHAINMAP_BENCH_COMPARE=1 CHAINMAP_BENCH_SIZE="$size" CHAINMAP_BENCH_EDGES="$edges" \
      CHAINMAP_BENCH_RUNS="$runs" go test -count=1 -timeout 60m -run '^TestCompareExport$' -v ./analysis/rank/) \
      >"$tmp/go.txt" 2>&1 || ! grep -q '^RESULT impl=chainmap op=louvain1 ' "$tmp/go.txt"; then
  cat "$tmp/go.txt" >&2
  echo "run.sh: the chainmap harness failed" >&2
  exit 1
fi

py="${CHAINMAP_BENCH_PYTHON:-/usr/bin/python3}" # override for testing the skip path
igraph_note=""
: >"$tmp/igraph.txt"
if [ ! -x "$py" ]; then
  igraph_note="igraph skipped: $py not found"
elif ! "$py" -c 'import igraph' 2>/dev/null; then
  igraph_note="igraph skipped: python3-igraph is not installed (apt-get install -y python3-igraph)"
else
  echo "== igraph: same edge list" >&2
  if ! "$py" "$root/bench/compare_igraph.py" "$edges" --runs "$runs" \
       --chainmap-pagerank "$edges.chainmap-pagerank.f64" --chainmap-wcc "$edges.chainmap-wcc.i32" \
       >"$tmp/igraph.txt" 2>&1; then
    cat "$tmp/igraph.txt" >&2
    echo "run.sh: bench/compare_igraph.py failed" >&2
    exit 1
  fi
fi

grep -h -E '^(GRAPH|RESULT|CHECK) ' "$tmp/go.txt" "$tmp/igraph.txt" |
awk -v size="$size" -v runs="$runs" -v note="$igraph_note" -v secs="$(( $(date +%s) - start ))" '
function kv(line, prefix,   i, n, f, p) {
  n = split(line, f, " ")
  for (i = 2; i <= n; i++) {
    p = index(f[i], "=")
    if (p > 0) val[prefix, substr(f[i], 1, p - 1)] = substr(f[i], p + 1)
  }
}
{
  impl = ""; op = ""
  n = split($0, f, " ")
  for (i = 2; i <= n; i++) {
    if (f[i] ~ /^impl=/) impl = substr(f[i], 6)
    if (f[i] ~ /^op=/) op = substr(f[i], 4)
  }
  if ($1 == "GRAPH") kv($0, "graph_" impl)
  else if ($1 == "RESULT") { kv($0, impl "_" op); have[impl "_" op] = 1 }
  else if ($1 == "CHECK") kv($0, "check_" op)
}
function secs_of(impl_op) { return sprintf("%.4f s (min %.4f)", val[impl_op, "time_median"], val[impl_op, "time_min"]) }
function row(label, op, goal, qgoal,   c, g, r, st, qc, qg) {
  c = val["chainmap_" op, "time_median"]
  qc = ((("chainmap_" op, "modularity_mean") in val) ? val["chainmap_" op, "modularity_mean"] : "—")
  iop = (op == "louvain1" ? "louvain" : (op == "leiden3" ? "leiden" : op))
  if (!have["igraph_" iop]) {
    printf "| %s | %s | skipped | — | %s | igraph skipped | %s | — |\n", label, secs_of("chainmap_" op), goal == "" ? "—" : "≤ " goal, qc
    return
  }
  g = val["igraph_" iop, "time_median"]
  qg = (((("igraph_" iop, "modularity_mean") in val)) ? val["igraph_" iop, "modularity_mean"] : "—")
  r = (g > 0) ? c / g : 0
  if (goal == "") st = "info"
  else {
    st = (r <= goal + 0) ? "met" : "not met"
    if (qgoal && st == "met" && qc + 0 < qg + 0) st = "not met (modularity)"
    if (qgoal && st == "not met" && qc + 0 < qg + 0) st = "not met (time, modularity)"
  }
  gl = (goal == "" ? "—" : "≤ " goal (qgoal ? ", Q ≥ igraph" : ""))
  printf "| %s | %s | %s | %.2f | %s | %s | %s | %s |\n", label, secs_of("chainmap_" op), secs_of("igraph_" iop), r, gl, st, qc, qg
}
# leiden_row compares the chainmap Leiden (default, best of its trials) with the faster
# of the igraph Leiden and multilevel: goal ≤ 0.5 × that time at a modularity ≥ both.
function leiden_row(   c, g1, g2, g, q1, q2, qg, qc, r, st) {
  c = val["chainmap_leiden", "time_median"]; qc = val["chainmap_leiden", "modularity_mean"]
  if (!have["igraph_leiden"] || !have["igraph_louvain"]) {
    printf "| Leiden (default: %s trial) | %s | skipped | — | ≤ 0.5 × faster igraph, Q ≥ both | igraph skipped | %s | — |\n", val["chainmap_leiden", "trials"], secs_of("chainmap_leiden"), qc
    return
  }
  g1 = val["igraph_leiden", "time_median"]; g2 = val["igraph_louvain", "time_median"]
  g = (g1 < g2) ? g1 : g2
  q1 = val["igraph_leiden", "modularity_mean"]; q2 = val["igraph_louvain", "modularity_mean"]
  qg = (q1 > q2) ? q1 : q2
  r = (g > 0) ? c / g : 0
  st = (r <= 0.5) ? "met" : "not met (time)"
  if (qc + 0 < qg + 0) st = (st == "met") ? "not met (modularity)" : "not met (time, modularity)"
  printf "| Leiden (default: %s trial) vs faster igraph (%s) | %s | %s | %.2f | ≤ 0.5, Q ≥ igraph Leiden and multilevel | %s | %s | %s / %s |\n",
    val["chainmap_leiden", "trials"], (g1 < g2 ? "Leiden" : "multilevel"), secs_of("chainmap_leiden"),
    sprintf("%.4f s", g), r, st, qc, q1, q2
}
END {
  gi = "graph_chainmap"
  printf "\nchainmap vs igraph %s: size=%s, %s nodes, %s directed supply edges (%s undirected pairs for Louvain); times are the median (and fastest) of %s runs, graph loading excluded; ratio of medians; %s s in all\n\n",
    ((("graph_igraph", "version") in val) ? val["graph_igraph", "version"] : "(skipped)"), size,
    val[gi, "nodes"], val[gi, "edges"], val[gi, "undirected_edges"], runs, secs
  print "| operation | chainmap | igraph | chainmap/igraph | goal | status | modularity chainmap | modularity igraph |"
  print "|---|---|---|---|---|---|---|---|"
  row("PageRank (d = 0.85, tol 1e-10)", "pagerank", "1.0", 0)
  row("weakly connected components", "wcc", "1.0", 0)
  leiden_row()
  row("Leiden, best of 3 trials (for reference; igraph Leiden)", "leiden3", "", 0)
  row("Louvain (best of " val["chainmap_louvain", "trials"] " trials; igraph multilevel)", "louvain", "1.5", 1)
  row("Louvain, 1 trial (for reference)", "louvain1", "", 0)
  print ""
  printf "chainmap PageRank: %s power iterations to L1 change < %s%s\n",
    val["chainmap_pagerank", "iterations"], val["chainmap_pagerank", "tol"],
    (have["igraph_pagerank"] ? "; igraph: PRPACK (fixed tolerance 1e-10)" : "")
  if (("check_pagerank", "l1_diff") in val)
    printf "agreement: PageRank L1 distance %s (max per node %s); WCC same partition: %s (%s components chainmap, %s igraph)\n",
      val["check_pagerank", "l1_diff"], val["check_pagerank", "max_abs_diff"], val["check_wcc", "same_partition"],
      val["chainmap_wcc", "components"], val["igraph_wcc", "components"]
  else
    printf "chainmap: %s weak components (largest %s)\n", val["chainmap_wcc", "components"], val["chainmap_wcc", "largest"]
  printf "modularity: mean over the runs (chainmap min–max %s–%s", val["chainmap_louvain", "modularity_min"], val["chainmap_louvain", "modularity_max"]
  if (("igraph_louvain", "modularity_min") in val)
    printf "; igraph %s–%s", val["igraph_louvain", "modularity_min"], val["igraph_louvain", "modularity_max"]
  print ")"
  if (note != "") print note
}'
