package api

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
)

// metrics counts requests and durations in memory and renders them in the
// Prometheus text format; a few counters do not justify a client library.
type metrics struct {
	mu        sync.Mutex
	requests  map[[3]string]int64 // method, route, status
	latencies map[[2]string]*histogram
	analyses  map[string]*histogram
}

// buckets are the histogram bounds in seconds.
var buckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

type histogram struct {
	counts []int64 // per bucket, cumulative on render
	sum    float64
	n      int64
}

func (h *histogram) observe(d time.Duration) {
	sec := d.Seconds()
	for i, b := range buckets {
		if sec <= b {
			h.counts[i]++
			break
		}
	}
	h.sum += sec
	h.n++
}

func newMetrics() *metrics {
	return &metrics{requests: map[[3]string]int64{}, latencies: map[[2]string]*histogram{}, analyses: map[string]*histogram{}}
}

func (m *metrics) request(method, route string, status int, d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[[3]string{method, route, fmt.Sprint(status)}]++
	k := [2]string{method, route}
	if m.latencies[k] == nil {
		m.latencies[k] = &histogram{counts: make([]int64, len(buckets))}
	}
	m.latencies[k].observe(d)
}

func (m *metrics) analysis(name string, d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.analyses[name] == nil {
		m.analyses[name] = &histogram{counts: make([]int64, len(buckets))}
	}
	m.analyses[name].observe(d)
}

func writeHistogram(b *strings.Builder, name, labels string, h *histogram) {
	var cum int64
	for i, le := range buckets {
		cum += h.counts[i]
		fmt.Fprintf(b, "%s_bucket{%sle=\"%g\"} %d\n", name, labels, le, cum)
	}
	fmt.Fprintf(b, "%s_bucket{%sle=\"+Inf\"} %d\n%s_sum{%s} %g\n%s_count{%s} %d\n", name, labels, h.n,
		name, strings.TrimSuffix(labels, ","), h.sum, name, strings.TrimSuffix(labels, ","), h.n)
}

func sortedKeys[K comparable, V any](m map[K]V, less func(a, b K) bool) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return less(keys[i], keys[j]) })
	return keys
}

func (s *Server) serveMetrics(c *gin.Context) {
	m := s.metrics
	var b strings.Builder
	m.mu.Lock()
	b.WriteString("# HELP chainmap_http_requests_total HTTP requests by method, route and status.\n# TYPE chainmap_http_requests_total counter\n")
	for _, k := range sortedKeys(m.requests, func(a, b [3]string) bool { return strings.Join(a[:], " ") < strings.Join(b[:], " ") }) {
		fmt.Fprintf(&b, "chainmap_http_requests_total{method=%q,route=%q,status=%q} %d\n", k[0], k[1], k[2], m.requests[k])
	}
	b.WriteString("# HELP chainmap_http_request_duration_seconds HTTP request latency.\n# TYPE chainmap_http_request_duration_seconds histogram\n")
	for _, k := range sortedKeys(m.latencies, func(a, b [2]string) bool { return a[0]+a[1] < b[0]+b[1] }) {
		writeHistogram(&b, "chainmap_http_request_duration_seconds", fmt.Sprintf("method=%q,route=%q,", k[0], k[1]), m.latencies[k])
	}
	b.WriteString("# HELP chainmap_analysis_duration_seconds Time to compute an analysis (cache misses only).\n# TYPE chainmap_analysis_duration_seconds histogram\n")
	for _, k := range sortedKeys(m.analyses, func(a, b string) bool { return a < b }) {
		writeHistogram(&b, "chainmap_analysis_duration_seconds", fmt.Sprintf("analysis=%q,", k), m.analyses[k])
	}
	m.mu.Unlock()
	fmt.Fprintf(&b, "# HELP chainmap_snapshot_age_seconds Age of the analysis snapshot.\n# TYPE chainmap_snapshot_age_seconds gauge\nchainmap_snapshot_age_seconds %g\n",
		s.snaps.Age().Seconds())
	fmt.Fprintf(&b, "# HELP chainmap_data_version Data version; increases with every write.\n# TYPE chainmap_data_version gauge\nchainmap_data_version %d\n",
		s.snaps.Version())
	c.Data(http.StatusOK, "text/plain; version=0.0.4; charset=utf-8", []byte(b.String()))
}
