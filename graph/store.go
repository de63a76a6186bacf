package graph

import (
	"context"
	"fmt"
	"iter"
	"time"
)

// Reader streams every stored record of one table, in key order. Streams rather than
// slices keep memory flat when a store holds millions of supply ties.
type Reader interface {
	Regions(ctx context.Context) iter.Seq2[Region, error]
	RegionGroups(ctx context.Context) iter.Seq2[RegionGroupMember, error]
	Clusters(ctx context.Context) iter.Seq2[Cluster, error]
	Chains(ctx context.Context) iter.Seq2[Chain, error]
	Links(ctx context.Context) iter.Seq2[Link, error]
	Feeds(ctx context.Context) iter.Seq2[Feed, error]
	Companies(ctx context.Context) iter.Seq2[Company, error]
	CompanyLinks(ctx context.Context) iter.Seq2[CompanyLink, error]
	Leaders(ctx context.Context) iter.Seq2[Leader, error]
	Supplies(ctx context.Context) iter.Seq2[Supply, error]
	Projects(ctx context.Context) iter.Seq2[Project, error]
	ProjectEvents(ctx context.Context) iter.Seq2[ProjectEvent, error]
}

// Lookup is what validation needs from stored data: which referenced ids exist, and
// the small tables whose structure (hierarchy, DAG) a new record could break.
type Lookup interface {
	// Existing returns the subset of ids stored as keys of table t, which is one of
	// regions, clusters, chains, links, companies or projects.
	Existing(ctx context.Context, t Table, ids []string) (map[string]bool, error)
	Regions(ctx context.Context) iter.Seq2[Region, error]
	Links(ctx context.Context) iter.Seq2[Link, error]
	Feeds(ctx context.Context) iter.Seq2[Feed, error]
	// StoredProjects returns the stored record and event count of each of ids that
	// is stored, so imports can tell new, advanced and dropped projects apart.
	StoredProjects(ctx context.Context, ids []string) (map[string]StoredProject, error)
}

// ImportOptions tune an import.
type ImportOptions struct {
	DryRun bool // validate against the store and report, but write nothing
	// Origin, when set, locates problems in the source file and adds the problems
	// found while reading it.
	Origin *Origin
	// Progress, when set, is called with the number of records written so far.
	Progress func(done, total int)
	// Who and Note go into the history event of every project the import creates or
	// moves ("import" and "" by default); Now stamps them (time.Now by default).
	Who, Note string
	Now       time.Time
	// Audit, when set, is the audit entry of this write; a store that implements
	// AuditOutbox keeps it in the import's own transaction (not on a dry run).
	Audit *AuditRecord
}

// TableChange counts what an import did to one table.
type TableChange struct {
	Received int `json:"received"`
	Inserted int `json:"inserted"`
	Updated  int `json:"updated"`
}

// Unchanged is the number of received records that were already stored as given.
func (c TableChange) Unchanged() int { return c.Received - c.Inserted - c.Updated }

// ImportResult says what an import did (or, on a dry run, would do).
type ImportResult struct {
	DryRun  bool                  `json:"dry_run"`
	Changes map[Table]TableChange `json:"changes"`
	// Projects lists the projects created, advanced, dropped, corrected or updated.
	Projects []ProjectChange `json:"projects,omitempty"`
}

// Written is the number of records inserted or updated across all tables.
func (r ImportResult) Written() int {
	n := 0
	for _, c := range r.Changes {
		n += c.Inserted + c.Updated
	}
	return n
}

// Counts holds the number of stored records per table.
type Counts map[Table]int

// Store holds the chain graph. Every backend (embedded SQLite, Neo4j) passes the
// same conformance suite (graph/storetest).
type Store interface {
	Reader
	Lookup
	// Import validates ds against itself and the stored data and, when it is valid,
	// upserts all of it by key in one all-or-nothing transaction. Invalid data
	// returns a *ValidationError listing every problem and leaves the store as it
	// was. Importing records already stored as given changes nothing.
	Import(ctx context.Context, ds *Dataset, opts ImportOptions) (ImportResult, error)
	// Counts returns the number of stored records per table.
	Counts(ctx context.Context) (Counts, error)
	// Ping reports whether the store is reachable.
	Ping(ctx context.Context) error
	Close() error
}

// ReadAll collects every record of r into a Dataset.
func ReadAll(ctx context.Context, r Reader) (*Dataset, error) {
	ds := &Dataset{}
	var err error
	if ds.Regions, err = collect(r.Regions(ctx)); err != nil {
		return nil, err
	}
	if ds.RegionGroups, err = collect(r.RegionGroups(ctx)); err != nil {
		return nil, err
	}
	if ds.Clusters, err = collect(r.Clusters(ctx)); err != nil {
		return nil, err
	}
	if ds.Chains, err = collect(r.Chains(ctx)); err != nil {
		return nil, err
	}
	if ds.Links, err = collect(r.Links(ctx)); err != nil {
		return nil, err
	}
	if ds.Feeds, err = collect(r.Feeds(ctx)); err != nil {
		return nil, err
	}
	if ds.Companies, err = collect(r.Companies(ctx)); err != nil {
		return nil, err
	}
	if ds.CompanyLinks, err = collect(r.CompanyLinks(ctx)); err != nil {
		return nil, err
	}
	if ds.Leaders, err = collect(r.Leaders(ctx)); err != nil {
		return nil, err
	}
	if ds.Supplies, err = collect(r.Supplies(ctx)); err != nil {
		return nil, err
	}
	if ds.Projects, err = collect(r.Projects(ctx)); err != nil {
		return nil, err
	}
	if ds.ProjectEvents, err = collect(r.ProjectEvents(ctx)); err != nil {
		return nil, err
	}
	return ds, nil
}

func collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	var out []T
	for v, err := range seq {
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// Copy copies every record of from into to in one all-or-nothing import, e.g. from
// the embedded store to Neo4j; importing into a store that already holds some of the
// records upserts them.
func Copy(ctx context.Context, from Reader, to Store, opts ImportOptions) (ImportResult, error) {
	ds, err := ReadAll(ctx, from)
	if err != nil {
		return ImportResult{}, fmt.Errorf("reading the source store: %w", err)
	}
	res, err := to.Import(ctx, ds, opts)
	if err != nil {
		return res, fmt.Errorf("writing the target store: %w", err)
	}
	return res, nil
}

// DatasetReader serves an in-memory Dataset as a Reader (records in slice order).
type DatasetReader struct{ Data *Dataset }

var _ Reader = DatasetReader{}

func seqOf[T any](xs []T) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for _, x := range xs {
			if !yield(x, nil) {
				return
			}
		}
	}
}

func (r DatasetReader) Regions(context.Context) iter.Seq2[Region, error] {
	return seqOf(r.Data.Regions)
}
func (r DatasetReader) RegionGroups(context.Context) iter.Seq2[RegionGroupMember, error] {
	return seqOf(r.Data.RegionGroups)
}
func (r DatasetReader) Clusters(context.Context) iter.Seq2[Cluster, error] {
	return seqOf(r.Data.Clusters)
}
func (r DatasetReader) Chains(context.Context) iter.Seq2[Chain, error] { return seqOf(r.Data.Chains) }
func (r DatasetReader) Links(context.Context) iter.Seq2[Link, error]   { return seqOf(r.Data.Links) }
func (r DatasetReader) Feeds(context.Context) iter.Seq2[Feed, error]   { return seqOf(r.Data.Feeds) }
func (r DatasetReader) Companies(context.Context) iter.Seq2[Company, error] {
	return seqOf(r.Data.Companies)
}
func (r DatasetReader) CompanyLinks(context.Context) iter.Seq2[CompanyLink, error] {
	return seqOf(r.Data.CompanyLinks)
}
func (r DatasetReader) Leaders(context.Context) iter.Seq2[Leader, error] {
	return seqOf(r.Data.Leaders)
}
func (r DatasetReader) Supplies(context.Context) iter.Seq2[Supply, error] {
	return seqOf(r.Data.Supplies)
}
func (r DatasetReader) Projects(context.Context) iter.Seq2[Project, error] {
	return seqOf(r.Data.Projects)
}
func (r DatasetReader) ProjectEvents(context.Context) iter.Seq2[ProjectEvent, error] {
	return seqOf(r.Data.ProjectEvents)
}

// PlanImport completes an import inside a backend's transaction, after Check: it
// reads the stored state of the incoming projects, holds the given history to the
// append-only rules (CheckHistory; a *ValidationError when broken) and returns the
// project changes and the history events to append (opts.Who/Note/Now stamp the
// generated ones).
func PlanImport(ctx context.Context, ds *Dataset, lk Lookup, opts ImportOptions) ([]ProjectChange, []ProjectEvent, error) {
	if len(ds.Projects) == 0 && len(ds.ProjectEvents) == 0 {
		return nil, nil, nil
	}
	ids := make([]string, 0, len(ds.Projects)+len(ds.ProjectEvents))
	for _, p := range ds.Projects {
		ids = append(ids, p.ID)
	}
	for _, e := range ds.ProjectEvents {
		ids = append(ids, e.ProjectID)
	}
	stored, err := lk.StoredProjects(ctx, ids)
	if err != nil {
		return nil, nil, fmt.Errorf("reading stored projects: %w", err)
	}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	return planProjects(ctx, ds, lk, stored, opts, now)
}
