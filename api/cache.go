package api

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"hash/maphash"
	"log/slog"
	"os"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/chainmap/chainmap/analysis/snapshot"
	"github.com/chainmap/chainmap/graph"
)

// snapshots holds the current analysis snapshot and a cache of rendered results for
// it. A write bumps the version: the next read rebuilds the snapshot once (callers
// waiting meanwhile share that build) and the result cache starts empty. Writes made
// by other processes (a CLI import, a second server) bump it too: when the store can
// tell them (externalWrites), get looks at most every checkEvery.
type snapshots struct {
	store graph.Store
	// external is the store when it counts other writers' commits.
	external   externalWrites
	checkEvery time.Duration
	lastCheck  time.Time // under mu
	checking   bool      // a check is under way (under mu)
	seen       int64     // the count of other writers' commits last seen (under mu)
	seenOK     bool

	mu       sync.Mutex
	patchMu  sync.Mutex // one patchProjects at a time
	version  int64
	snap     *snapshot.Snapshot
	snapVer  int64
	building chan struct{} // closed when the build under way finishes
	buildErr error
	results  map[string]cached
	bytes    int // total size of results
	// noResults turns the result cache off (snapshots are still shared).
	noResults bool
	builds    int // full snapshot builds so far, for tests and metrics
	// persistPath is where the built snapshot is saved for the next start ("" =
	// nowhere); loaded counts the starts that used it; saving tracks saves under way.
	persistPath string
	loaded      int
	saving      sync.WaitGroup
	logger      *slog.Logger
	// slots admits renderings (Options.AnalysisWorkers at once), first come first
	// served. Without it 64 concurrent renderings share the CPUs, so each takes 32
	// times its own cost on two and the slowest kind (a whole-city diagnosis, ~2 ms)
	// sets a p99 of hundreds of ms; in line, every request waits about the same and
	// the p99 is close to the mean. Cache hits and writing the answer to the client
	// need no slot.
	slots chan struct{}
}

// maxCacheBytes bounds the rendered results kept per data version.
const maxCacheBytes = 64 << 20

// cached is a rendered JSON result with its ETag.
type cached struct {
	body []byte
	etag string
}

// externalWrites is implemented by stores that can tell writes made by others (the
// embedded store's ExternalWrites): a number that changes with every commit of
// another writer and never with this process's own.
type externalWrites interface {
	ExternalWrites(ctx context.Context) (int64, error)
}

// DefaultAnalysisWorkers is one fewer than the CPUs Go uses, at least one: the CPU
// left over keeps writes, the network and the garbage collector from queueing
// behind analyses (measured in docs/benchmarks.md: on 2 vCPU under a 5 % write load,
// write p99 7 ms with one worker against 43–160 ms with two).
func DefaultAnalysisWorkers() int { return max(1, runtime.GOMAXPROCS(0)-1) }

// defaultCheckEvery is how often, at most, reads look for other writers' commits:
// one indexed read of two rows, so a read at most this old can miss one.
const defaultCheckEvery = 100 * time.Millisecond

func newSnapshots(store graph.Store) *snapshots {
	return newSnapshotsPersisted(store, "", nil)
}

// newSnapshotsPersisted is newSnapshots with snapshots persisted at path ("" = not).
func newSnapshotsPersisted(store graph.Store, path string, logger *slog.Logger) *snapshots {
	c := &snapshots{store: store, results: map[string]cached{}, checkEvery: defaultCheckEvery, persistPath: path, logger: logger,
		slots: make(chan struct{}, DefaultAnalysisWorkers())}
	if ew, ok := store.(externalWrites); ok {
		c.external = ew
		// The baseline is taken before any snapshot is built, so that a write landing
		// between the two is seen as new.
		if n, err := ew.ExternalWrites(context.Background()); err == nil {
			c.seen, c.seenOK = n, true
		}
		c.lastCheck = time.Now()
	}
	return c
}

// checkExternal bumps the version when another writer committed since the last
// look, looking at most every checkEvery and one caller at a time (the others go on
// with the snapshot they have).
func (c *snapshots) checkExternal(ctx context.Context) {
	if c.external == nil {
		return
	}
	c.mu.Lock()
	if c.checking || time.Since(c.lastCheck) < c.checkEvery {
		c.mu.Unlock()
		return
	}
	c.checking = true
	c.mu.Unlock()
	n, err := c.external.ExternalWrites(context.WithoutCancel(ctx))
	c.mu.Lock()
	defer c.mu.Unlock()
	c.checking, c.lastCheck = false, time.Now()
	if err != nil {
		return // looked at again on a later read
	}
	if !c.seenOK || n != c.seen {
		c.version++
		c.results, c.bytes = map[string]cached{}, 0
	}
	c.seen, c.seenOK = n, true
}

// invalidate marks the data changed.
func (c *snapshots) invalidate() {
	c.mu.Lock()
	c.version++
	c.results, c.bytes = map[string]cached{}, 0
	c.mu.Unlock()
}

// patchProjects records a write that changed only projects (and their history) by
// patching the current snapshot instead of rebuilding it: a shallow copy sharing
// everything but a new project list with the written projects replaced or added.
// The copy is made outside mu, which every read takes, one patch at a time; if the
// snapshot changed meanwhile (a build, an invalidation), or there is none, it just
// invalidates, and the next read builds one.
func (c *snapshots) patchProjects(written []graph.Project) {
	c.patchMu.Lock()
	defer c.patchMu.Unlock()
	c.mu.Lock()
	base, ver := c.snap, c.version
	usable := base != nil && c.snapVer == ver && c.building == nil
	c.mu.Unlock()
	var next *snapshot.Snapshot
	if usable {
		next = withWritten(base, written)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.version++
	c.results, c.bytes = map[string]cached{}, 0
	if next != nil && c.snap == base && c.snapVer == ver && c.building == nil {
		c.snap, c.snapVer = next, c.version
	}
}

// withWritten returns base with the written projects replaced or added.
func withWritten(base *snapshot.Snapshot, written []graph.Project) *snapshot.Snapshot {
	projects := make([]graph.Project, len(base.Projects), len(base.Projects)+len(written))
	copy(projects, base.Projects)
	at := make(map[string]int, len(written))
	for _, p := range written {
		at[p.ID] = -1
	}
	for i := range projects {
		if _, ok := at[projects[i].ID]; ok {
			at[projects[i].ID] = i
		}
	}
	for _, p := range written {
		if i := at[p.ID]; i >= 0 {
			projects[i] = p
		} else {
			at[p.ID] = len(projects)
			projects = append(projects, p)
		}
	}
	// Shares every array but the projects and the plants derived from them.
	return base.WithProjects(projects)
}

// Version is the current data version, part of every ETag.
func (c *snapshots) Version() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.version
}

// get returns a snapshot of the current version, building it if needed; it first
// looks for other writers' commits (checkExternal).
func (c *snapshots) get(ctx context.Context) (*snapshot.Snapshot, int64, error) {
	c.checkExternal(ctx)
	for {
		c.mu.Lock()
		if c.snap != nil && c.snapVer == c.version {
			s, v := c.snap, c.version
			c.mu.Unlock()
			return s, v, nil
		}
		if c.building == nil {
			done := make(chan struct{})
			c.building = done
			want := c.version
			c.mu.Unlock()
			// The build is not tied to one request's context: others wait for it.
			s, err := c.build(context.WithoutCancel(ctx))
			c.mu.Lock()
			c.builds++
			if err == nil {
				c.snap, c.snapVer = s, want
			}
			c.buildErr = err
			c.building = nil
			close(done)
			c.mu.Unlock()
			if err != nil {
				return nil, 0, err
			}
			continue
		}
		wait := c.building
		c.mu.Unlock()
		select {
		case <-wait:
			c.mu.Lock()
			err := c.buildErr
			c.mu.Unlock()
			if err != nil {
				return nil, 0, err
			}
		case <-ctx.Done():
			return nil, 0, ctx.Err()
		}
	}
}

// dataVersioned is implemented by stores that number their data changes (the
// embedded store's DataVersion), which a persisted snapshot is tied to.
type dataVersioned interface {
	DataVersion(ctx context.Context) (int64, error)
}

// build returns the snapshot of the store: the persisted one when it was saved for
// the store's current data version, else a fresh build, which is then saved in the
// background for the next start. A stale, corrupted or unreadable file is rebuilt,
// never trusted.
func (c *snapshots) build(ctx context.Context) (*snapshot.Snapshot, error) {
	dv, ok := c.store.(dataVersioned)
	if c.persistPath == "" || !ok {
		return snapshot.Build(ctx, c.store)
	}
	n, err := dv.DataVersion(ctx)
	if err != nil {
		return snapshot.Build(ctx, c.store)
	}
	version := strconv.FormatInt(n, 10)
	if s, err := snapshot.LoadFile(c.persistPath, version); err == nil {
		c.loaded++
		return s, nil
	} else if !errors.Is(err, os.ErrNotExist) && c.logger != nil {
		c.logger.Info("persisted snapshot not used; rebuilding", "reason", err.Error())
	}
	s, err := snapshot.Build(ctx, c.store)
	if err != nil {
		return nil, err
	}
	c.saving.Add(1)
	go func() {
		defer c.saving.Done()
		// Saved only if nothing changed while building: else it is stale already.
		if m, err := dv.DataVersion(context.Background()); err == nil && m == n {
			if err := snapshot.Save(s, c.persistPath, version); err != nil && c.logger != nil {
				c.logger.Warn("saving the snapshot failed", "err", err.Error())
			}
		}
	}()
	return s, nil
}

// Age is how old the current snapshot is, for the metrics.
func (c *snapshots) Age() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.snap == nil {
		return 0
	}
	return time.Since(c.snap.Built)
}

// result returns the cached rendering of key for version v, or renders and caches it
// once a slot is free (ctx ends the wait).
func (c *snapshots) result(ctx context.Context, key string, v int64, render func() (any, error)) (cached, error) {
	c.mu.Lock()
	if r, ok := c.results[key]; ok && c.version == v {
		c.mu.Unlock()
		return r, nil
	}
	c.mu.Unlock()
	// Blocked senders on a channel are woken in arrival order: a fair queue.
	select {
	case c.slots <- struct{}{}:
	case <-ctx.Done():
		return cached{}, ctx.Err()
	}
	// The same question is often asked many times at once: whoever waited behind
	// the first asker takes its answer instead of computing it again.
	c.mu.Lock()
	if r, ok := c.results[key]; ok && c.version == v {
		c.mu.Unlock()
		<-c.slots
		return r, nil
	}
	c.mu.Unlock()
	r, err := c.render(render)
	if err != nil {
		return cached{}, err
	}
	c.mu.Lock()
	// Bounded by size: a flood of distinct queries cannot grow it beyond the limit.
	if c.version == v && !c.noResults && c.bytes+len(r.body) <= maxCacheBytes {
		c.results[key] = r
		c.bytes += len(r.body)
	}
	c.mu.Unlock()
	return r, nil
}

// etagSeeds key the ETags' hash for this process. An ETag only has to change
// when the content does: a keyed 128-bit hash is as good as SHA-256 for that, about
// ten times cheaper on these 10–250 KB answers, and a restart changing every ETag
// costs a client one full answer.
var etagSeeds = [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}

func etagOf(body []byte) string {
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:8], maphash.Bytes(etagSeeds[0], body))
	binary.LittleEndian.PutUint64(b[8:], maphash.Bytes(etagSeeds[1], body))
	return `"` + hex.EncodeToString(b[:12]) + `"`
}

// render runs an analysis and encodes its answer with the answer's ETag, in the slot
// the caller took, which it gives back even if the analysis panics.
func (c *snapshots) render(render func() (any, error)) (cached, error) {
	defer func() { <-c.slots }()
	x, err := render()
	if err != nil {
		return cached{}, err
	}
	body, err := json.Marshal(x)
	if err != nil {
		return cached{}, err
	}
	return cached{body: body, etag: etagOf(body)}, nil
}
