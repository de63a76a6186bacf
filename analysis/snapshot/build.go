package snapshot

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/chainmap/chainmap/graph"
)

// Build reads every table of r into a new snapshot.
//
// The big tables (companies, supplies) are read in a goroutine of their own and
// handed over in batches, so the Reader's work (SQLite's row decoding, the
// generator) and the indexing run on two cores. Strings the snapshot keeps per tie
// (evidence, dates) are interned, so ten million ties share a few thousand strings.
func Build(ctx context.Context, r graph.Reader) (*Snapshot, error) {
	b := builder{s: &Snapshot{Built: time.Now()}}
	if err := b.read(ctx, r); err != nil {
		return nil, err
	}
	return b.s, nil
}

type builder struct {
	s    *Snapshot
	asOf graph.Date
	// strs interns repetitive strings of companies (founding dates, provenance).
	strs map[string]string
}

func (b *builder) intern(s string) string {
	if v, ok := b.strs[s]; ok {
		return v
	}
	if len(b.strs) >= 1<<16 {
		return s // not repetitive after all
	}
	v := strings.Clone(s)
	b.strs[v] = v
	return v
}

func evidence(e graph.Evidence) graph.Evidence {
	switch e {
	case graph.Observed:
		return graph.Observed
	case graph.Inferred:
		return graph.Inferred
	}
	return graph.Evidence(strings.Clone(string(e)))
}

const pipeBatch = 1024

// pipe iterates seq in a goroutine and hands its records to fn in batches, in
// order. It returns the first error of seq after fn has seen every record before it.
func pipe[T any](seq iter.Seq2[T, error], fn func([]T)) error {
	full := make(chan []T, 8)
	free := make(chan []T, 10)
	var rerr error
	go func() {
		defer close(full)
		batch := make([]T, 0, pipeBatch)
		for x, err := range seq {
			if err != nil {
				rerr = err
				break
			}
			batch = append(batch, x)
			if len(batch) == pipeBatch {
				full <- batch
				select {
				case batch = <-free:
					batch = batch[:0]
				default:
					batch = make([]T, 0, pipeBatch)
				}
			}
		}
		if len(batch) > 0 {
			full <- batch
		}
	}()
	for batch := range full {
		fn(batch)
		clear(batch) // drop references to the reader's strings
		select {
		case free <- batch:
		default:
		}
	}
	return rerr
}

func (b *builder) read(ctx context.Context, r graph.Reader) error {
	s := b.s
	s.regionIdx, s.chainIdx, s.linkIdx = map[string]int32{}, map[string]int32{}, map[string]int32{}
	s.clusterIdx = map[string]int32{}
	b.strs = map[string]string{"": ""}
	for x, err := range r.Regions(ctx) {
		if err != nil {
			return fmt.Errorf("snapshot: %w", err)
		}
		s.regionIdx[x.Code] = int32(len(s.Regions))
		s.Regions = append(s.Regions, x)
	}
	s.Parent = make([]int32, len(s.Regions))
	for i, x := range s.Regions {
		s.Parent[i] = lookup(s.regionIdx, x.ParentCode)
	}
	groupIdx := map[string]int{}
	for x, err := range r.RegionGroups(ctx) {
		if err != nil {
			return fmt.Errorf("snapshot: %w", err)
		}
		g, ok := groupIdx[x.GroupCode]
		if !ok {
			g = len(s.Groups)
			groupIdx[x.GroupCode] = g
			s.Groups = append(s.Groups, Group{Code: x.GroupCode, Name: x.GroupName})
		}
		if ri := lookup(s.regionIdx, x.RegionCode); ri != None {
			s.Groups[g].Members = append(s.Groups[g].Members, ri)
		}
	}
	for x, err := range r.Clusters(ctx) {
		if err != nil {
			return fmt.Errorf("snapshot: %w", err)
		}
		s.clusterIdx[x.ID] = int32(len(s.Clusters))
		s.Clusters = append(s.Clusters, x)
	}
	for x, err := range r.Chains(ctx) {
		if err != nil {
			return fmt.Errorf("snapshot: %w", err)
		}
		s.chainIdx[x.ID] = int32(len(s.Chains))
		s.Chains = append(s.Chains, x)
		s.ChainCluster = append(s.ChainCluster, lookup(s.clusterIdx, x.ClusterID))
	}
	s.ChainLinks = make([][]int32, len(s.Chains))
	for x, err := range r.Links(ctx) {
		if err != nil {
			return fmt.Errorf("snapshot: %w", err)
		}
		li := int32(len(s.Links))
		s.linkIdx[x.ID] = li
		s.Links = append(s.Links, x)
		ch := lookup(s.chainIdx, x.ChainID)
		s.LinkChain = append(s.LinkChain, ch)
		if ch != None {
			s.ChainLinks[ch] = append(s.ChainLinks[ch], li)
		}
	}
	s.FeedsOut, s.FeedsIn = make([][]int32, len(s.Links)), make([][]int32, len(s.Links))
	for x, err := range r.Feeds(ctx) {
		if err != nil {
			return fmt.Errorf("snapshot: %w", err)
		}
		a, c := lookup(s.linkIdx, x.From), lookup(s.linkIdx, x.To)
		if a != None && c != None {
			s.FeedsOut[a] = append(s.FeedsOut[a], c)
			s.FeedsIn[c] = append(s.FeedsIn[c], a)
		}
	}

	if err := b.readCompanies(ctx, r); err != nil {
		return err
	}
	if err := b.readCompanyLinks(ctx, r); err != nil {
		return err
	}
	s.ChainLeaders = make([][]int32, len(s.Chains))
	for x, err := range r.Leaders(ctx) {
		if err != nil {
			return fmt.Errorf("snapshot: %w", err)
		}
		c, ch := lookup(s.companyIdx, x.CompanyID), lookup(s.chainIdx, x.ChainID)
		if c != None && ch != None {
			s.ChainLeaders[ch] = append(s.ChainLeaders[ch], c)
		}
	}
	if err := b.readSupplies(ctx, r); err != nil {
		return err
	}
	// Index the ties while the projects are read: the two are independent.
	var wg sync.WaitGroup
	wg.Go(b.finish)
	var perr error
	for x, err := range r.Projects(ctx) {
		if err != nil {
			perr = fmt.Errorf("snapshot: %w", err)
			break
		}
		s.Projects = append(s.Projects, x)
	}
	wg.Wait()
	s.indexProjects()
	s.noteLatest()
	return perr
}

func (b *builder) readCompanies(ctx context.Context, r graph.Reader) error {
	s := b.s
	s.companyIdx = map[string]int32{}
	// Collected in chunks and copied once: growing one slice of a million companies
	// re-copied it (with the collector running) for seconds at 1M/10M.
	var chunks [][]Company
	n := 0
	lastRegion, lastRegionIdx := "", int32(None)
	err := pipe(r.Companies(ctx), func(batch []graph.Company) {
		for i := range batch {
			x := &batch[i]
			if x.RegionCode != lastRegion {
				lastRegion, lastRegionIdx = x.RegionCode, lookup(s.regionIdx, x.RegionCode)
			}
			if len(chunks) == 0 || len(chunks[len(chunks)-1]) == companyChunk {
				chunks = append(chunks, make([]Company, 0, companyChunk))
			}
			c := &chunks[len(chunks)-1]
			s.companyIdx[x.ID] = int32(n)
			n++
			*c = append(*c, Company{ID: x.ID, Name: x.Name, Region: lastRegionIdx,
				RevenueWan: x.RevenueWan, Employees: int32(x.Employees), FoundedOn: graph.Date(b.intern(string(x.FoundedOn))),
				Tags: tagSet(x.Tags), Provenance: b.intern(x.Provenance)})
		}
	})
	if err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	s.Companies = make([]Company, 0, n)
	for _, c := range chunks {
		s.Companies = append(s.Companies, c...)
	}
	return nil
}

// readCompanyLinks fills CompanyLinks and LinkCompanies as sorted sub-slices of two
// flat arrays: two allocations instead of one per company.
func (b *builder) readCompanyLinks(ctx context.Context, r graph.Reader) error {
	s := b.s
	var cs, ls []int32
	lastCo, lastCoIdx := "", int32(None)
	err := pipe(r.CompanyLinks(ctx), func(batch []graph.CompanyLink) {
		for i := range batch {
			x := &batch[i]
			if x.CompanyID != lastCo {
				lastCo, lastCoIdx = x.CompanyID, lookup(s.companyIdx, x.CompanyID)
			}
			if l := lookup(s.linkIdx, x.LinkID); lastCoIdx != None && l != None {
				cs = append(cs, lastCoIdx)
				ls = append(ls, l)
			}
		}
	})
	if err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	s.CompanyLinks = group(len(s.Companies), cs, ls)
	s.LinkCompanies = group(len(s.Links), ls, cs)
	return nil
}

// group returns, for each key k < n, the sorted values v[i] with key[i] == k, as
// capacity-limited sub-slices of one array (nil where there are none).
func group(n int, key, v []int32) [][]int32 {
	start := make([]int, n+1)
	for _, k := range key {
		start[k+1]++
	}
	for i := range n {
		start[i+1] += start[i]
	}
	flat := make([]int32, len(v))
	fill := slices.Clone(start[:n])
	for i, k := range key {
		flat[fill[k]] = v[i]
		fill[k]++
	}
	out := make([][]int32, n)
	for k := range n {
		if a, z := start[k], start[k+1]; z > a {
			l := flat[a:z:z]
			if !slices.IsSorted(l) {
				slices.Sort(l)
			}
			out[k] = l
		}
	}
	return out
}

// supplyRanger is implemented by stores that can stream the supplies of a range of
// supplier ids (≥ from, < to unless to is ""), so that ranges are read in parallel.
type supplyRanger interface {
	SuppliesBetween(ctx context.Context, from, to string) iter.Seq2[graph.Supply, error]
}

// readSupplies reads the ties, in parallel ranges of suppliers where the Reader
// allows it, into compact pointer-free form (which the garbage collector need not
// scan), then writes them out as Ties, each range into its own segment.
func (b *builder) readSupplies(ctx context.Context, r graph.Reader) error {
	s := b.s
	seqs := []iter.Seq2[graph.Supply, error]{r.Supplies(ctx)}
	if sr, ok := r.(supplyRanger); ok && len(s.Companies) >= 20000 {
		parts := min(runtime.GOMAXPROCS(0), 8)
		bounds := []string{""}
		for k := 1; k < parts; k++ {
			bounds = append(bounds, s.Companies[k*len(s.Companies)/parts].ID)
		}
		bounds = append(bounds, "")
		if parts > 1 && slices.IsSorted(bounds[1:len(bounds)-1]) && bounds[1] > "" {
			seqs = seqs[:0]
			for k := range parts {
				seqs = append(seqs, sr.SuppliesBetween(ctx, bounds[k], bounds[k+1]))
			}
		}
	}
	trs := make([]*tieReader, len(seqs))
	errs := make([]error, len(seqs))
	var wg sync.WaitGroup
	for k, seq := range seqs {
		trs[k] = &tieReader{s: s, dates: map[string]int32{}, evs: map[string]int32{}}
		wg.Go(func() { errs[k] = pipe(seq, trs[k].add) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	total := 0
	for _, tr := range trs {
		total += tr.n
		if tr.asOf > b.asOf {
			b.asOf = tr.asOf
		}
		s.latestTie = max(s.latestTie, tr.latestSince)
	}
	s.Ties = make([]Tie, total)
	off := 0
	for _, tr := range trs {
		seg := s.Ties[off : off+tr.n]
		off += tr.n
		wg.Go(func() { tr.writeTo(seg) })
	}
	wg.Wait()
	return nil
}

// compactTie is a Tie with its strings as indices into its tieReader's tables.
type compactTie struct {
	supplier, customer, link int32
	amount, confidence       float32
	evidence, since, until   int32
}

const (
	tieChunk     = 1 << 16
	companyChunk = 1 << 14
)

// tieReader turns one stream of supplies into compact ties.
type tieReader struct {
	s        *Snapshot // only read
	dates    map[string]int32
	dateList []graph.Date
	evs      map[string]int32
	evList   []graph.Evidence
	asOf     graph.Date
	// latestSince is the latest first observation of a tie.
	latestSince graph.Date

	chunks  [][]compactTie
	n       int
	lastSup string
	lastU   int32
	lastL   string
	lastLI  int32
}

func (t *tieReader) date(d graph.Date) int32 {
	if i, ok := t.dates[string(d)]; ok {
		return i
	}
	v := graph.Date(strings.Clone(string(d)))
	i := int32(len(t.dateList))
	t.dates[string(v)] = i
	t.dateList = append(t.dateList, v)
	if v > t.asOf {
		t.asOf = v
	}
	return i
}

func (t *tieReader) evidence(e graph.Evidence) int32 {
	if i, ok := t.evs[string(e)]; ok {
		return i
	}
	i := int32(len(t.evList))
	t.evs[string(e)] = i
	t.evList = append(t.evList, evidence(e))
	return i
}

func (t *tieReader) add(batch []graph.Supply) {
	s := t.s
	if t.chunks == nil {
		t.lastU, t.lastLI = None, None
	}
	for i := range batch {
		x := &batch[i]
		// The stream is sorted by supplier: consecutive rows share it.
		if x.SupplierID != t.lastSup || t.chunks == nil {
			t.lastSup, t.lastU = x.SupplierID, lookup(s.companyIdx, x.SupplierID)
		}
		if t.lastU == None {
			continue
		}
		v := lookup(s.companyIdx, x.CustomerID)
		if v == None {
			continue
		}
		if x.LinkID != t.lastL || t.chunks == nil {
			t.lastL, t.lastLI = x.LinkID, lookup(s.linkIdx, x.LinkID)
		}
		if len(t.chunks) == 0 || len(t.chunks[len(t.chunks)-1]) == tieChunk {
			t.chunks = append(t.chunks, make([]compactTie, 0, tieChunk))
		}
		c := &t.chunks[len(t.chunks)-1]
		*c = append(*c, compactTie{supplier: t.lastU, customer: v, link: t.lastLI,
			amount: float32(x.AmountWan), confidence: float32(x.Confidence), evidence: t.evidence(x.Evidence),
			since: t.date(x.Since), until: t.date(x.Until)})
		t.latestSince = max(t.latestSince, x.Since)
		t.n++
	}
}

// writeTo writes the ties out, len(dst) == t.n, freeing the chunks as it goes.
func (t *tieReader) writeTo(dst []Tie) {
	k := 0
	for ci, c := range t.chunks {
		for _, x := range c {
			dst[k] = Tie{Supplier: x.supplier, Customer: x.customer, Link: x.link, AmountWan: x.amount,
				Confidence: x.confidence, Evidence: t.evList[x.evidence], Since: t.dateList[x.since],
				Until: t.dateList[x.until]}
			k++
		}
		t.chunks[ci] = nil
	}
	t.chunks = nil
}

func compareTies(a, c Tie) int {
	if a.Supplier != c.Supplier {
		return int(a.Supplier - c.Supplier)
	}
	return int(a.Customer - c.Customer)
}

// finish builds the CSR indexes: the out side and the in side in parallel.
func (b *builder) finish() {
	s := b.s
	s.AsOf = b.asOf
	if s.AsOf == "" {
		s.AsOf = graph.DateOf(s.Built)
	}
	s.activeFrom = graph.DateOf(s.AsOf.Time().AddDate(0, 0, -ActiveWindowDays))

	// Stores return ties in (supplier id, customer id) order and company indices
	// follow id order, so Ties is usually grouped by supplier already; sort (stably,
	// keeping the links' order) only if not.
	if !slices.IsSortedFunc(s.Ties, compareTies) {
		slices.SortStableFunc(s.Ties, compareTies)
	}
	n := len(s.Companies)
	var wg sync.WaitGroup
	wg.Go(func() { s.OutStart, s.outAdjStart, s.outAdj = outIndex(s.Ties, n) })
	wg.Go(func() { s.InStart, s.InTie, s.inAdjStart, s.inAdj = inIndex(s.Ties, n) })
	wg.Wait()
}

// outIndex returns the supplier CSR offsets of the sorted ties and the distinct
// customers of each supplier (consecutive ties with the same customer collapse).
func outIndex(ties []Tie, n int) (start, adjStart []int64, adj []int32) {
	start = make([]int64, n+1)
	adjStart = make([]int64, n+1)
	prevU, prevV := int32(None), int32(None)
	distinct := 0
	for _, t := range ties {
		start[t.Supplier+1]++
		if t.Supplier != prevU || t.Customer != prevV {
			adjStart[t.Supplier+1]++
			prevU, prevV = t.Supplier, t.Customer
			distinct++
		}
	}
	for i := range n {
		start[i+1] += start[i]
		adjStart[i+1] += adjStart[i]
	}
	adj = make([]int32, 0, distinct)
	prevU, prevV = None, None
	for _, t := range ties {
		if t.Supplier != prevU || t.Customer != prevV {
			adj = append(adj, t.Customer)
			prevU, prevV = t.Supplier, t.Customer
		}
	}
	return start, adjStart, adj
}

// inIndex returns the customer CSR of the sorted ties (tie indices grouped by
// customer, in tie order) and the distinct suppliers of each customer, sorted: a
// customer's ties come in supplier order, so equal suppliers are consecutive.
func inIndex(ties []Tie, n int) (start []int64, inTie []int32, adjStart []int64, adj []int32) {
	start = make([]int64, n+1)
	for _, t := range ties {
		start[t.Customer+1]++
	}
	for i := range n {
		start[i+1] += start[i]
	}
	inTie = make([]int32, len(ties))
	sup := make([]int32, len(ties)) // the supplier of each inTie entry, read in order below
	fill := slices.Clone(start[:n])
	for i, t := range ties {
		k := fill[t.Customer]
		inTie[k] = int32(i)
		sup[k] = t.Supplier
		fill[t.Customer]++
	}
	adjStart = make([]int64, n+1)
	distinct := 0
	for v := range n {
		prev := int32(None)
		for _, u := range sup[start[v]:start[v+1]] {
			if u != prev {
				distinct++
				prev = u
			}
		}
		adjStart[v+1] = int64(distinct)
	}
	adj = make([]int32, 0, distinct)
	for v := range n {
		prev := int32(None)
		for _, u := range sup[start[v]:start[v+1]] {
			if u != prev {
				adj = append(adj, u)
				prev = u
			}
		}
	}
	return start, inTie, adjStart, adj
}
