package neo4j

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/chainmap/chainmap/graph"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// Staged imports: an import too large for one transaction (more than
// Config.MaxTxRecords records) is still all or nothing. The records it adds are written
// in batched transactions under staging labels (cypher/staging.cypher), invisible to
// every chainmap read and to any pattern naming a label; one final transaction swaps
// the labels and writes, with the ordinary upserts, what touches records already
// stored. A failed import deletes its staging; one whose process died is found by its
// stale heartbeat and deleted by the next Open or Import. docs/neo4j.md has the design.

// Defaults of the staged-import timings (Config.staleAfter, Config.beatEvery).
const (
	defaultStaleAfter = 20 * time.Second
	defaultBeatEvery  = 2 * time.Second
	// publishBatch is how many staged nodes one statement of the final transaction
	// relabels, bounding the statement's own memory.
	publishBatch = 10_000
)

// errBusy says that a staged import holds the store; the caller waits and retries.
var errBusy = errors.New("a staged import is in progress")

// errGivenUp says that an import's registration was given up (by another process,
// after its heartbeat went stale) or removed while it ran.
var errGivenUp = errors.New("the staged import was given up: its heartbeat stopped for longer than allowed and another process deleted its staged records")

// newImportID returns a random id for a staged import.
func newImportID() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// staged is the split of one import: what is staged (records whose key is not stored,
// and the operations and ties of new companies and links) and what the final
// transaction writes with the ordinary upserts (everything else).
type staged struct {
	add, rest graph.Dataset
}

// storedKeys are the keys of the staged tables that are already stored.
type storedKeys map[graph.Table]map[string]bool

// split divides ds by what is stored.
func split(ds *graph.Dataset, stored storedKeys) staged {
	var sp staged
	a, r := &sp.add, &sp.rest
	for _, x := range ds.Regions {
		if stored[graph.TRegions][x.Code] {
			r.Regions = append(r.Regions, x)
		} else {
			a.Regions = append(a.Regions, x)
		}
	}
	for _, x := range ds.Clusters {
		if stored[graph.TClusters][x.ID] {
			r.Clusters = append(r.Clusters, x)
		} else {
			a.Clusters = append(a.Clusters, x)
		}
	}
	for _, x := range ds.Chains {
		if stored[graph.TChains][x.ID] {
			r.Chains = append(r.Chains, x)
		} else {
			a.Chains = append(a.Chains, x)
		}
	}
	for _, x := range ds.Links {
		if stored[graph.TLinks][x.ID] {
			r.Links = append(r.Links, x)
		} else {
			a.Links = append(a.Links, x)
		}
	}
	for _, x := range ds.Companies {
		if stored[graph.TCompanies][x.ID] {
			r.Companies = append(r.Companies, x)
		} else {
			a.Companies = append(a.Companies, x)
		}
	}
	company, link := stored[graph.TCompanies], stored[graph.TLinks]
	for _, x := range ds.CompanyLinks {
		if company[x.CompanyID] && link[x.LinkID] {
			r.CompanyLinks = append(r.CompanyLinks, x)
		} else {
			a.CompanyLinks = append(a.CompanyLinks, x)
		}
	}
	for _, x := range ds.Supplies {
		if company[x.SupplierID] && company[x.CustomerID] {
			r.Supplies = append(r.Supplies, x)
		} else {
			a.Supplies = append(a.Supplies, x)
		}
	}
	// Small tables, and ones nothing staged refers to, are written at the end.
	r.RegionGroups, r.Feeds, r.Leaders, r.Projects = ds.RegionGroups, ds.Feeds, ds.Leaders, ds.Projects
	return sp
}

// stagedKeys reads which keys of the staged tables that ds mentions are stored.
func stagedKeys(ctx context.Context, r runner, ds *graph.Dataset) (storedKeys, error) {
	ids := map[graph.Table][]string{}
	for _, x := range ds.Regions {
		ids[graph.TRegions] = append(ids[graph.TRegions], x.Code)
	}
	for _, x := range ds.Clusters {
		ids[graph.TClusters] = append(ids[graph.TClusters], x.ID)
	}
	for _, x := range ds.Chains {
		ids[graph.TChains] = append(ids[graph.TChains], x.ID)
	}
	for _, x := range ds.Links {
		ids[graph.TLinks] = append(ids[graph.TLinks], x.ID)
	}
	for _, x := range ds.CompanyLinks {
		ids[graph.TLinks] = append(ids[graph.TLinks], x.LinkID)
	}
	seen := map[string]bool{}
	addCompany := func(id string) {
		if !seen[id] {
			seen[id] = true
			ids[graph.TCompanies] = append(ids[graph.TCompanies], id)
		}
	}
	for _, x := range ds.Companies {
		addCompany(x.ID)
	}
	for _, x := range ds.CompanyLinks {
		addCompany(x.CompanyID)
	}
	for _, x := range ds.Supplies {
		addCompany(x.SupplierID)
		addCompany(x.CustomerID)
	}
	out := storedKeys{}
	for _, t := range []graph.Table{graph.TRegions, graph.TClusters, graph.TChains, graph.TLinks, graph.TCompanies} {
		m, err := existingIn(ctx, r, t, ids[t])
		if err != nil {
			return nil, err
		}
		out[t] = m
	}
	return out, nil
}

// importStaged imports ds through staging (see the top of this file).
func (s *Store) importStaged(ctx context.Context, ds *graph.Dataset, opts graph.ImportOptions) (res graph.ImportResult, err error) {
	id := newImportID()
	if err := s.register(ctx, id); err != nil {
		return graph.ImportResult{}, fmt.Errorf("neo4j import: %w", err)
	}
	// From here on, whatever happens, a failed import leaves nothing: its staging is
	// deleted even if ctx was cancelled.
	ctx, stop := context.WithCancelCause(ctx)
	// The heartbeat runs while the import stages; the final transaction holds the
	// registration's lock itself, and its commit deletes the registration, which a
	// beat waiting for that lock would take for the import being given up.
	beatCtx, endBeat := context.WithCancel(ctx)
	beating := s.heartbeat(beatCtx, stop, id)
	stopBeating := func() { endBeat(); <-beating }
	defer func() {
		stopBeating()
		stop(nil)
		if err != nil || opts.DryRun {
			if derr := s.discard(context.WithoutCancel(ctx), id); derr != nil {
				err = errors.Join(err, fmt.Errorf("deleting the staged records of import %s: %w (the next Open or Import deletes them)", id, derr))
			}
		}
		if c := context.Cause(ctx); err != nil && c != nil && !errors.Is(c, context.Canceled) {
			err = fmt.Errorf("%w (%v)", err, c)
		}
	}()

	// Validate and plan against the stored data, and find what is stored already.
	sess := s.session(ctx, neo4j.AccessModeRead)
	var changes []graph.ProjectChange
	var events []graph.ProjectEvent
	var stored storedKeys
	_, err = sess.ExecuteRead(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		problems, err := graph.Check(ctx, ds, txLookup{tx}, opts.Origin)
		if err != nil {
			return nil, txErr(err)
		}
		if len(problems) > 0 {
			return nil, &graph.ValidationError{Problems: problems}
		}
		if changes, events, err = graph.PlanImport(ctx, ds, txLookup{tx}, opts); err != nil {
			return nil, txErr(err)
		}
		stored, err = stagedKeys(ctx, tx, ds)
		return nil, txErr(err)
	})
	sess.Close(ctx)
	if err != nil {
		return graph.ImportResult{}, fmt.Errorf("neo4j import: %w", err)
	}
	sp := split(ds, stored)

	res = graph.ImportResult{DryRun: opts.DryRun, Changes: map[graph.Table]graph.TableChange{}, Projects: changes}
	w := &batchWriter{ctx: ctx, res: &res, total: ds.Total() + len(events) - len(ds.ProjectEvents), progress: opts.Progress,
		batch: s.cfg.batchRows}
	if err := s.stage(w, id, &sp.add); err != nil {
		return res, fmt.Errorf("neo4j import (staging): %w", err)
	}
	added := res.Changes
	staged := w.done
	stopBeating()
	if err := context.Cause(ctx); err != nil {
		return res, fmt.Errorf("neo4j import (staging): %w", err)
	}
	sess = s.session(ctx, neo4j.AccessModeWrite)
	defer sess.Close(ctx)
	_, err = sess.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		res.Changes = map[graph.Table]graph.TableChange{}
		w.tx, w.done = tx, staged
		if err := s.publish(ctx, tx, id); err != nil {
			return nil, txErr(err)
		}
		if err := writeAll(w, &sp.rest, events); err != nil {
			return nil, txErr(err)
		}
		if err := s.at("publish"); err != nil {
			return nil, err
		}
		if opts.DryRun {
			return nil, errDryRun
		}
		written := res.Written()
		for _, a := range added {
			written += a.Inserted + a.Updated
		}
		if err := s.recordWrite(ctx, tx, written, opts.Audit); err != nil {
			return nil, txErr(err)
		}
		return nil, txErr(run(ctx, tx, "staging.unregister", map[string]any{"import": id}))
	})
	for t, a := range added {
		c := res.Changes[t]
		c.Inserted += a.Inserted
		c.Updated += a.Updated
		res.Changes[t] = c
	}
	for _, t := range graph.Tables {
		if n := ds.Len(t); n > 0 && t != graph.TProjectLog {
			c := res.Changes[t]
			c.Received = n
			res.Changes[t] = c
		}
	}
	if errors.Is(err, errDryRun) {
		return res, nil
	}
	if err != nil {
		return res, fmt.Errorf("neo4j import (publishing): %w", err)
	}
	return res, nil
}

// stage writes the records of add under staging labels, in batches of their own
// transactions, tallying them as inserted in w.res.
func (s *Store) stage(w *batchWriter, id string, add *graph.Dataset) error {
	steps := []struct {
		t   graph.Table
		key string
		n   int
		row func(i int) map[string]any
	}{
		{graph.TRegions, "staging.regions", len(add.Regions), func(i int) map[string]any { return regionRow(add.Regions[i]) }},
		{"", "staging.region_parents", len(add.Regions), func(i int) map[string]any { return regionRow(add.Regions[i]) }},
		{graph.TClusters, "staging.clusters", len(add.Clusters), func(i int) map[string]any { return clusterRow(add.Clusters[i]) }},
		{graph.TChains, "staging.chains", len(add.Chains), func(i int) map[string]any { return chainRow(add.Chains[i]) }},
		{graph.TLinks, "staging.links", len(add.Links), func(i int) map[string]any { return linkRow(add.Links[i]) }},
		{graph.TCompanies, "staging.companies", len(add.Companies), func(i int) map[string]any { return companyRow(add.Companies[i]) }},
		{graph.TCompanyLinks, "staging.company_links", len(add.CompanyLinks), func(i int) map[string]any {
			return companyLinkRow(add.CompanyLinks[i])
		}},
		{graph.TSupplies, "staging.supplies", len(add.Supplies), func(i int) map[string]any { return supplyRow(add.Supplies[i]) }},
	}
	sess := s.session(w.ctx, neo4j.AccessModeWrite)
	defer sess.Close(w.ctx)
	size := w.size()
	for _, st := range steps {
		for start := 0; start < st.n; start += size {
			rows := make([]map[string]any, 0, min(size, st.n-start))
			for i := start; i < min(start+size, st.n); i++ {
				rows = append(rows, st.row(i))
			}
			out, err := sess.ExecuteWrite(w.ctx, func(tx neo4j.ManagedTransaction) (any, error) {
				if err := beat(w.ctx, tx, id); err != nil {
					return nil, err
				}
				res, err := tx.Run(w.ctx, cypher(st.key), map[string]any{"rows": rows, "import": id})
				if err != nil {
					return nil, txErr(err)
				}
				r, err := res.Single(w.ctx)
				if err != nil {
					return nil, txErr(err)
				}
				return r, nil
			})
			if err != nil {
				return fmt.Errorf("%s: %w", st.key, err)
			}
			r := out.(*neo4j.Record)
			if err := allMatched(st.t, r, len(rows)); err != nil {
				return err
			}
			if st.t == "" { // parents: no records of their own
				continue
			}
			c := w.res.Changes[st.t]
			c.Inserted += int(rec{r}.int("inserted"))
			w.res.Changes[st.t] = c
			w.done += len(rows)
			if w.progress != nil {
				w.progress(w.done, w.total)
			}
			if err := s.at("batch"); err != nil {
				return err
			}
		}
	}
	return nil
}

// publishKeys are the statements that relabel an import's staged nodes.
var publishKeys = []string{"staging.publish_regions", "staging.publish_clusters", "staging.publish_chains",
	"staging.publish_links", "staging.publish_companies"}

// publish takes the import lock, checks that import id still holds its registration
// and relabels all of its staged nodes, inside tx.
func (s *Store) publish(ctx context.Context, tx runner, id string) error {
	if err := run(ctx, tx, "staging.lock", nil); err != nil {
		return err
	}
	if err := beat(ctx, tx, id); err != nil {
		return err
	}
	for _, key := range publishKeys {
		for {
			n, err := single(ctx, tx, key, map[string]any{"import": id, "limit": int64(publishBatch)})
			if err != nil {
				return err
			}
			if n < publishBatch {
				break
			}
		}
	}
	return nil
}

// beat renews import id's heartbeat inside tx, taking a write lock on its
// registration; errGivenUp if it is no longer registered.
func beat(ctx context.Context, tx runner, id string) error {
	n, err := single(ctx, tx, "staging.beat", map[string]any{"import": id})
	if err != nil {
		return err
	}
	if n != 1 {
		return errGivenUp
	}
	return nil
}

// heartbeat renews import id's heartbeat every beatEvery until ctx ends; when the
// registration is lost it cancels ctx through stop. The returned channel is closed
// when it has stopped.
func (s *Store) heartbeat(ctx context.Context, stop context.CancelCauseFunc, id string) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(s.cfg.beatEvery)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			s.at("beat")
			sess := s.session(ctx, neo4j.AccessModeWrite)
			_, err := sess.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
				return nil, beat(ctx, tx, id)
			})
			sess.Close(ctx)
			s.at("beaten")
			if errors.Is(err, errGivenUp) {
				stop(errGivenUp)
				return
			}
			// Other errors (a server restarting) are left to the import's own
			// transactions to report; the next tick tries again.
		}
	}()
	return done
}

// register records a new staged import once no other import is running, first
// deleting the staging of imports whose process died.
func (s *Store) register(ctx context.Context, id string) error {
	return s.whenIdle(ctx, func(tx neo4j.ManagedTransaction) error {
		return run(ctx, tx, "staging.register", map[string]any{"import": id,
			"started": time.Now().UTC().Format(time.RFC3339)})
	})
}

// whenIdle runs fn in a write transaction holding the import lock with no staged
// import registered, waiting (and clearing away dead imports) while there is one.
func (s *Store) whenIdle(ctx context.Context, fn func(tx neo4j.ManagedTransaction) error) error {
	sess := s.session(ctx, neo4j.AccessModeWrite)
	defer sess.Close(ctx)
	waiting := func(err error) error {
		return fmt.Errorf("waiting for a staged import to finish: %w", errors.Join(context.Cause(ctx), err))
	}
	for waited := false; ; waited = true {
		_, err := sess.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
			if err := idle(ctx, tx); err != nil {
				return nil, err
			}
			return nil, fn(tx)
		})
		if waited && ctx.Err() != nil {
			return waiting(err)
		}
		if !errors.Is(err, errBusy) {
			return err
		}
		if err := s.recover(ctx); err != nil {
			if ctx.Err() != nil {
				return waiting(err)
			}
			return err
		}
		select {
		case <-ctx.Done():
			return waiting(nil)
		case <-time.After(s.cfg.beatEvery / 4):
		}
	}
}

// idle takes the import lock in tx and returns errBusy if a staged import is registered.
func idle(ctx context.Context, tx runner) error {
	if err := run(ctx, tx, "staging.lock", nil); err != nil {
		return err
	}
	res, err := tx.Run(ctx, cypher("staging.imports"), map[string]any{"stale_ms": int64(0)})
	if err != nil {
		return txErr(err)
	}
	if res.Next(ctx) {
		return errBusy
	}
	return txErr(res.Err())
}

// recover deletes the staging of every registered import whose heartbeat is older
// than staleAfter (its process died or lost the server), and its registration.
func (s *Store) recover(ctx context.Context) error {
	sess := s.session(ctx, neo4j.AccessModeRead)
	var dead []string
	_, err := sess.ExecuteRead(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		dead = dead[:0]
		res, err := tx.Run(ctx, cypher("staging.imports"), map[string]any{"stale_ms": s.cfg.staleAfter.Milliseconds()})
		if err != nil {
			return nil, txErr(err)
		}
		for res.Next(ctx) {
			r := rec{res.Record()}
			if !r.bool("alive") {
				dead = append(dead, r.str("id"))
			}
		}
		return nil, txErr(res.Err())
	})
	sess.Close(ctx)
	if err != nil {
		return fmt.Errorf("neo4j: reading the staged imports: %w", err)
	}
	for _, id := range dead {
		if err := s.giveUp(ctx, id, s.cfg.staleAfter); err != nil {
			return err
		}
	}
	return nil
}

// discard deletes the staging and registration of this process's own import id.
func (s *Store) discard(ctx context.Context, id string) error {
	return s.giveUp(ctx, id, -1)
}

// giveUp claims import id if its heartbeat is older than stale (any, if negative),
// then deletes its staged records in batches and its registration. The claim waits
// for the import's transaction in flight, and after it the import can stage nothing.
func (s *Store) giveUp(ctx context.Context, id string, stale time.Duration) error {
	sess := s.session(ctx, neo4j.AccessModeWrite)
	defer sess.Close(ctx)
	claimed, err := sess.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		return single(ctx, tx, "staging.claim", map[string]any{"import": id, "stale_ms": stale.Milliseconds()})
	})
	if err != nil {
		return fmt.Errorf("neo4j: giving up staged import %s: %w", id, err)
	}
	if claimed.(int64) == 0 {
		return nil // alive after all, or already gone
	}
	for {
		n, err := sess.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
			return single(ctx, tx, "staging.drop", map[string]any{"import": id, "limit": int64(publishBatch)})
		})
		if err != nil {
			return fmt.Errorf("neo4j: deleting staged import %s: %w", id, err)
		}
		if n.(int64) == 0 {
			break
		}
	}
	_, err = sess.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		return nil, run(ctx, tx, "staging.unregister", map[string]any{"import": id})
	})
	if err != nil {
		return fmt.Errorf("neo4j: deleting staged import %s: %w", id, err)
	}
	return nil
}

// at calls the test hook at a named point of a staged import.
func (s *Store) at(point string) error {
	if s.hook == nil {
		return nil
	}
	return s.hook(point)
}

// run runs a statement in r and consumes its result.
func run(ctx context.Context, r runner, key string, params map[string]any) error {
	res, err := r.Run(ctx, cypher(key), params)
	if err == nil {
		_, err = res.Consume(ctx)
	}
	if err != nil {
		return txErr(fmt.Errorf("neo4j %s: %w", key, err))
	}
	return nil
}

// single runs a statement returning one integer, its first column.
func single(ctx context.Context, r runner, key string, params map[string]any) (int64, error) {
	res, err := r.Run(ctx, cypher(key), params)
	if err != nil {
		return 0, txErr(fmt.Errorf("neo4j %s: %w", key, err))
	}
	x, err := res.Single(ctx)
	if err != nil {
		return 0, txErr(fmt.Errorf("neo4j %s: %w", key, err))
	}
	n, _ := x.Values[0].(int64)
	return n, nil
}
