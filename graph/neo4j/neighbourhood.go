package neo4j

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"sync"

	"github.com/chainmap/chainmap/graph"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// Neighbourhood is a graph.Reader of one region's neighbourhood (docs/scaling.md,
// step 3): every region, cluster, chain, link and feed; the companies located in the
// region or below it, the companies at the other end of their supply ties and the
// companies investing in the region's projects; the operations and leaderships of
// those companies; the supply ties with a local end; and the projects landing in the
// region with their history. A snapshot built from it
// (snapshot.Build) holds what a diagnosis of the region or of any district in it reads,
// in memory that grows with the region rather than the country. The local companies
// and their counterparts are found once, on the first read that needs them.
type Neighbourhood struct {
	s      *Store
	region string

	once  sync.Once
	err   error
	codes []string // the region and every region below it
	ids   []string // local companies and counterparts, sorted
}

var _ graph.Reader = (*Neighbourhood)(nil)

// Region returns the Neighbourhood of the region with the given code.
func (s *Store) Region(code string) *Neighbourhood { return &Neighbourhood{s: s, region: code} }

// neighbourhoodBatch is how many company ids one neighbourhood statement is given.
const neighbourhoodBatch = 10_000

// find collects the region's codes and its companies' ids (local and counterparts).
func (n *Neighbourhood) find(ctx context.Context) error {
	n.once.Do(func() {
		sess := n.s.session(ctx, neo4j.AccessModeRead)
		defer sess.Close(ctx)
		_, n.err = sess.ExecuteRead(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
			codes, err := column(ctx, tx, "neighbourhood.codes", map[string]any{"region": n.region})
			if err != nil {
				return nil, err
			}
			if len(codes) == 0 {
				return nil, graph.Errorf(graph.ENOTFOUND, "region %s not found", n.region)
			}
			local, err := column(ctx, tx, "neighbourhood.local", map[string]any{"codes": codes})
			if err != nil {
				return nil, err
			}
			ids := slices.Clone(local)
			for start := 0; start < len(local); start += neighbourhoodBatch {
				more, err := column(ctx, tx, "neighbourhood.counterparts", map[string]any{"codes": codes,
					"ids": local[start:min(start+neighbourhoodBatch, len(local))]})
				if err != nil {
					return nil, err
				}
				ids = append(ids, more...)
			}
			investors, err := column(ctx, tx, "neighbourhood.investors", map[string]any{"codes": codes})
			if err != nil {
				return nil, err
			}
			ids = append(ids, investors...)
			slices.Sort(ids)
			n.codes, n.ids = codes, slices.Compact(ids)
			return nil, nil
		})
	})
	return n.err
}

// column runs a statement and returns its first column as strings.
func column(ctx context.Context, r runner, key string, params map[string]any) ([]string, error) {
	res, err := r.Run(ctx, cypher(key), params)
	if err != nil {
		return nil, txErr(fmt.Errorf("neo4j %s: %w", key, err))
	}
	var out []string
	for res.Next(ctx) {
		v, _ := res.Record().Values[0].(string)
		out = append(out, v)
	}
	if err := res.Err(); err != nil {
		return nil, txErr(fmt.Errorf("neo4j %s: %w", key, err))
	}
	return out, nil
}

// perCompany streams a statement run over the neighbourhood's companies in batches,
// in one read transaction; with codes set, the region's codes are passed too.
func perCompany[T any](ctx context.Context, n *Neighbourhood, key string, codes bool, conv func(*neo4j.Record) (T, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		if err := n.find(ctx); err != nil {
			yield(zero, err)
			return
		}
		sess := n.s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: n.s.cfg.Database, AccessMode: neo4j.AccessModeRead,
			FetchSize: neo4j.FetchAll})
		defer sess.Close(ctx)
		tx, err := sess.BeginTransaction(ctx)
		if err != nil {
			yield(zero, fmt.Errorf("neo4j %s: %w", key, err))
			return
		}
		defer tx.Close(ctx)
		for start := 0; start < len(n.ids); start += neighbourhoodBatch {
			params := map[string]any{"ids": n.ids[start:min(start+neighbourhoodBatch, len(n.ids))]}
			if codes {
				params["codes"] = n.codes
			}
			for x, err := range streamWith(ctx, tx, key, params, conv) {
				if !yield(x, err) || err != nil {
					return
				}
			}
		}
	}
}

// inRegion streams a statement given the region's codes, in its own read transaction.
func inRegion[T any](ctx context.Context, n *Neighbourhood, key string, conv func(*neo4j.Record) (T, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		if err := n.find(ctx); err != nil {
			yield(zero, err)
			return
		}
		sess := n.s.session(ctx, neo4j.AccessModeRead)
		defer sess.Close(ctx)
		tx, err := sess.BeginTransaction(ctx)
		if err != nil {
			yield(zero, fmt.Errorf("neo4j %s: %w", key, err))
			return
		}
		defer tx.Close(ctx)
		streamWith(ctx, tx, key, map[string]any{"codes": n.codes}, conv)(yield)
	}
}

func (n *Neighbourhood) Regions(ctx context.Context) iter.Seq2[graph.Region, error] {
	return n.s.Regions(ctx)
}
func (n *Neighbourhood) RegionGroups(ctx context.Context) iter.Seq2[graph.RegionGroupMember, error] {
	return n.s.RegionGroups(ctx)
}
func (n *Neighbourhood) Clusters(ctx context.Context) iter.Seq2[graph.Cluster, error] {
	return n.s.Clusters(ctx)
}
func (n *Neighbourhood) Chains(ctx context.Context) iter.Seq2[graph.Chain, error] {
	return n.s.Chains(ctx)
}
func (n *Neighbourhood) Links(ctx context.Context) iter.Seq2[graph.Link, error] {
	return n.s.Links(ctx)
}
func (n *Neighbourhood) Feeds(ctx context.Context) iter.Seq2[graph.Feed, error] {
	return n.s.Feeds(ctx)
}
func (n *Neighbourhood) Companies(ctx context.Context) iter.Seq2[graph.Company, error] {
	return flatten(perCompany(ctx, n, "neighbourhood.companies", false, companyRows))
}
func (n *Neighbourhood) CompanyLinks(ctx context.Context) iter.Seq2[graph.CompanyLink, error] {
	return flatten(perCompany(ctx, n, "neighbourhood.company_links", false, companyLinkRows))
}
func (n *Neighbourhood) Leaders(ctx context.Context) iter.Seq2[graph.Leader, error] {
	return perCompany(ctx, n, "neighbourhood.leaders", false, toLeader)
}
func (n *Neighbourhood) Supplies(ctx context.Context) iter.Seq2[graph.Supply, error] {
	return flatten(perCompany(ctx, n, "neighbourhood.supplies", true, supplyRows))
}
func (n *Neighbourhood) Projects(ctx context.Context) iter.Seq2[graph.Project, error] {
	return inRegion(ctx, n, "neighbourhood.projects", toProject)
}
func (n *Neighbourhood) ProjectEvents(ctx context.Context) iter.Seq2[graph.ProjectEvent, error] {
	return inRegion(ctx, n, "neighbourhood.events", toProjectEvent)
}
