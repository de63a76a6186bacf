package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
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

// defaultCheckEvery is how often, at most, reads look for other writers' commits:
// one indexed read of two rows, so a read at most this old can miss one.
const defaultCheckEvery = 100 * time.Millisecond

func newSnapshots(store graph.Store) *snapshots {
	return newSnapshotsPersisted(store, "", nil)
}

// newSnapshotsPersisted is newSnapshots with snapshots persisted at path ("" = not).
func newSnapshotsPersisted(store graph.Store, path string, logger *slog.Logger) *snapshots {
	c := &snapshots{store: store, results: map[string]cached{}, checkEvery: defaultCheckEvery, persistPath: path, logger: logger}
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
// Without a current snapshot it just invalidates, and the next read builds one.
func (c *snapshots) patchProjects(written []graph.Project) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.snap == nil || c.snapVer != c.version || c.building != nil {
		c.version++
		c.results, c.bytes = map[string]cached{}, 0
		return
	}
	projects := make([]graph.Project, len(c.snap.Projects), len(c.snap.Projects)+len(written))
	copy(projects, c.snap.Projects)
	at := make(map[string]int, len(projects))
	for i, p := range projects {
		at[p.ID] = i
	}
	for _, p := range written {
		if i, ok := at[p.ID]; ok {
			projects[i] = p
		} else {
			at[p.ID] = len(projects)
			projects = append(projects, p)
		}
	}
	// Shares every array but the projects and the plants derived from them.
	next := c.snap.WithProjects(projects)
	c.version++
	c.snap, c.snapVer = next, c.version
	c.results, c.bytes = map[string]cached{}, 0
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

// result returns the cached rendering of key for version v, or renders and caches it.
func (c *snapshots) result(key string, v int64, render func() (any, error)) (cached, error) {
	c.mu.Lock()
	if r, ok := c.results[key]; ok && c.version == v {
		c.mu.Unlock()
		return r, nil
	}
	c.mu.Unlock()
	x, err := render()
	if err != nil {
		return cached{}, err
	}
	body, err := json.Marshal(x)
	if err != nil {
		return cached{}, err
	}
	sum := sha256.Sum256(body)
	r := cached{body: body, etag: `"` + hex.EncodeToString(sum[:12]) + `"`}
	c.mu.Lock()
	// Bounded by size: a flood of distinct queries cannot grow it beyond the limit.
	if c.version == v && !c.noResults && c.bytes+len(body) <= maxCacheBytes {
		c.results[key] = r
		c.bytes += len(body)
	}
	c.mu.Unlock()
	return r, nil
}
