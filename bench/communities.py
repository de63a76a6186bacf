#!/usr/bin/python3
"""Time igraph's Louvain (community_multilevel) on an edge list written by chainmap's
TestExportBenchGraph (analysis/community), for comparison with analysis/community.

The file holds "n m" on its first line, then one undirected edge "u v" (0-based,
u < v, no repeats) per line. Run with Debian's python3 and python3-igraph:

    /usr/bin/python3 bench/communities.py GRAPH.txt [--runs 5]

Prints one line: nodes, edges, min and median wall time of community_multilevel
(graph loading excluded) and the mean/min/max modularity (Newman-Girvan, resolution 1)
of the final level over the runs (igraph's RNG seeded 0..runs-1).
"""
import argparse
import random
import statistics
import time

import igraph


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("graph")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    with open(args.graph) as f:
        n, m = map(int, f.readline().split())
        edges = [tuple(map(int, line.split())) for line in f]
    assert len(edges) == m, (len(edges), m)
    g = igraph.Graph(n=n, edges=edges, directed=False)
    times, qs, ks = [], [], []
    for seed in range(args.runs):
        random.seed(seed)  # igraph uses Python's random module as its RNG
        start = time.perf_counter()
        cl = g.community_multilevel()
        times.append(time.perf_counter() - start)
        qs.append(g.modularity(cl.membership))
        ks.append(len(cl))
    print(
        "igraph community_multilevel (igraph %s): nodes=%d edges=%d communities=%d "
        "time_min=%.4fs time_median=%.4fs modularity_mean=%.5f min=%.5f max=%.5f"
        % (igraph.__version__, n, m, statistics.median(ks), min(times),
           statistics.median(times), statistics.mean(qs), min(qs), max(qs))
    )


if __name__ == "__main__":
    main()
