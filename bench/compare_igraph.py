#!/usr/bin/python3
"""Time igraph's PageRank, weakly connected components and Louvain on the edge list
written by chainmap's TestCompareExport (analysis/rank), the igraph half of
bench/run.sh.

The file holds "n m" on its first line, then one directed edge "supplier customer"
(0-based, distinct pairs) per line. Run with Debian's python3 and python3-igraph:

    /usr/bin/python3 bench/compare_igraph.py EDGES.txt [--runs 5] \
        [--chainmap-pagerank EDGES.txt.chainmap-pagerank.f64] \
        [--chainmap-wcc EDGES.txt.chainmap-wcc.i32]

Graph loading is excluded from every timing. Operations, each timed --runs times
(min and median wall time reported):

  pagerank  Graph.pagerank(directed=True, damping=0.85), igraph's default PRPACK
            solver (Gauss-Seidel, tolerance fixed at 1e-10 inside igraph; dangling
            vertices spread their rank uniformly, as in chainmap).
  wcc       Graph.connected_components(mode="weak").
  louvain   Graph.community_multilevel() on the undirected view (as_undirected with
            both directions of a pair collapsed, loops removed: the graph chainmap's
            Louvain runs on); igraph's RNG (Python's random) seeded 0..runs-1;
            Newman-Girvan modularity of the final level.
  leiden    Graph.community_leiden(objective_function="modularity", n_iterations=-1)
            on the same undirected view (iterate until stable), seeded the same way.

Prints one "RESULT impl=igraph op=... key=value ..." line per operation and, when
chainmap's vectors are given, "CHECK ..." lines comparing them with igraph's.
"""
import argparse
import array
import random
import statistics
import sys
import time

import igraph


def timed(fn, runs):
    times, out = [], None
    for i in range(runs):
        start = time.perf_counter()
        out = fn(i)
        times.append(time.perf_counter() - start)
    return times, out


def tfields(times):
    return "time_min=%.4f time_median=%.4f" % (min(times), statistics.median(times))


def load(path):
    with open(path, "rb") as f:
        data = f.read().split()
    n, m = int(data[0]), int(data[1])
    ints = list(map(int, data[2:]))
    del data
    assert len(ints) == 2 * m, (len(ints), 2 * m)
    it = iter(ints)
    edges = list(zip(it, it))
    return n, m, edges


def read_array(path, code):
    a = array.array(code)
    with open(path, "rb") as f:
        a.frombytes(f.read())
    if sys.byteorder != "little":
        a.byteswap()
    return a


def canonical(membership):
    """Renumbers communities in order of first appearance (smallest member first)."""
    ids = {}
    return [ids.setdefault(c, len(ids)) for c in membership]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("edges")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--damping", type=float, default=0.85)
    ap.add_argument("--chainmap-pagerank", help="chainmap's PageRank vector (float64, little endian)")
    ap.add_argument("--chainmap-wcc", help="chainmap's WCC membership (int32, little endian)")
    args = ap.parse_args()

    start = time.perf_counter()
    n, m, edges = load(args.edges)
    g = igraph.Graph(n=n, edges=edges, directed=True)
    del edges
    ug = g.as_undirected(mode="collapse")
    ug.simplify(multiple=True, loops=True)
    print("GRAPH impl=igraph version=%s nodes=%d edges=%d undirected_edges=%d load_s=%.2f"
          % (igraph.__version__, g.vcount(), g.ecount(), ug.ecount(), time.perf_counter() - start))
    sys.stdout.flush()

    runs = args.runs
    times, pr = timed(lambda i: g.pagerank(directed=True, damping=args.damping), runs)
    top = max(range(n), key=pr.__getitem__) if n else -1
    print("RESULT impl=igraph op=pagerank runs=%d %s damping=%g solver=prpack top_node=%d top_rank=%.6g"
          % (runs, tfields(times), args.damping, top, pr[top] if n else 0))
    sys.stdout.flush()

    components = getattr(g, "connected_components", None) or g.clusters
    times, cc = timed(lambda i: components(mode="weak"), runs)
    memb = cc.membership
    print("RESULT impl=igraph op=wcc runs=%d %s components=%d largest=%d"
          % (runs, tfields(times), len(cc), max(cc.sizes()) if n else 0))
    sys.stdout.flush()

    qs, ks = [], []

    def louvain(i):
        random.seed(i)  # igraph uses Python's random module as its RNG
        return ug.community_multilevel()

    times = []
    for i in range(runs):
        start = time.perf_counter()
        cl = louvain(i)
        times.append(time.perf_counter() - start)
        qs.append(ug.modularity(cl.membership))
        ks.append(len(cl))
    print("RESULT impl=igraph op=louvain runs=%d %s communities=%d modularity_mean=%.5f "
          "modularity_min=%.5f modularity_max=%.5f"
          % (runs, tfields(times), statistics.median(ks), statistics.mean(qs), min(qs), max(qs)))
    sys.stdout.flush()

    qs, ks, times = [], [], []
    for i in range(runs):
        random.seed(i)
        start = time.perf_counter()
        cl = ug.community_leiden(objective_function="modularity", n_iterations=-1)
        times.append(time.perf_counter() - start)
        qs.append(ug.modularity(cl.membership))
        ks.append(len(cl))
    print("RESULT impl=igraph op=leiden runs=%d %s communities=%d modularity_mean=%.5f "
          "modularity_min=%.5f modularity_max=%.5f"
          % (runs, tfields(times), statistics.median(ks), statistics.mean(qs), min(qs), max(qs)))

    if args.chainmap_pagerank:
        mine = read_array(args.chainmap_pagerank, "d")
        assert len(mine) == n, (len(mine), n)
        l1 = sum(abs(a - b) for a, b in zip(mine, pr))
        mx = max((abs(a - b) for a, b in zip(mine, pr)), default=0)
        print("CHECK op=pagerank l1_diff=%.3g max_abs_diff=%.3g" % (l1, mx))
    if args.chainmap_wcc:
        mine = read_array(args.chainmap_wcc, "i")
        assert len(mine) == n, (len(mine), n)
        same = canonical(mine) == canonical(memb)
        print("CHECK op=wcc same_partition=%s" % ("yes" if same else "no"))


if __name__ == "__main__":
    main()
