package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/seed/synthetic"
)

// batchSource splits one generated ecosystem into a base (regions, chains, links…)
// and numbered batches: copies of its companies, company links and supply ties under
// ids prefixed by the batch number, with provenance batchMarker(k), so that which
// batches landed can be counted per table.
type batchSource struct {
	base *graph.Dataset
	eco  *graph.Dataset
}

var (
	batchOnce sync.Once
	batchSrc  *batchSource
	batchErr  error
)

func batches(t testing.TB) *batchSource {
	t.Helper()
	batchOnce.Do(func() {
		eco, err := synthetic.New(synthetic.Config{Companies: 300, Supplies: 1500, Regions: 6, Chains: 2, Projects: -1, Seed: 7})
		if err != nil {
			batchErr = err
			return
		}
		ds, err := graph.ReadAll(context.Background(), eco)
		if err != nil {
			batchErr = err
			return
		}
		batchSrc = &batchSource{
			base: &graph.Dataset{Regions: ds.Regions, RegionGroups: ds.RegionGroups, Clusters: ds.Clusters,
				Chains: ds.Chains, Links: ds.Links, Feeds: ds.Feeds},
			eco: ds,
		}
	})
	if batchErr != nil {
		t.Fatal(batchErr)
	}
	return batchSrc
}

func batchMarker(k int) string { return fmt.Sprintf("batch-%05d", k) }

// batch returns batch k: every id prefixed, every record marked.
func (b *batchSource) batch(k int) *graph.Dataset {
	pre := fmt.Sprintf("B%05d-", k)
	mark := batchMarker(k)
	ds := &graph.Dataset{}
	for _, c := range b.eco.Companies {
		c.ID, c.Provenance = pre+c.ID, mark
		ds.Companies = append(ds.Companies, c)
	}
	for _, cl := range b.eco.CompanyLinks {
		cl.CompanyID, cl.Provenance = pre+cl.CompanyID, mark
		ds.CompanyLinks = append(ds.CompanyLinks, cl)
	}
	for _, s := range b.eco.Supplies {
		s.SupplierID, s.CustomerID, s.Provenance = pre+s.SupplierID, pre+s.CustomerID, mark
		ds.Supplies = append(ds.Supplies, s)
	}
	return ds
}

// batchSizes is the number of rows of one batch in companies, supplies, company_links.
func (b *batchSource) sizes() [3]int {
	return [3]int{len(b.eco.Companies), len(b.eco.Supplies), len(b.eco.CompanyLinks)}
}

// batchCounts counts the rows of each batch marker in companies, supplies and
// company_links.
func batchCounts(ctx context.Context, db *sql.DB) (map[string][3]int, error) {
	out := map[string][3]int{}
	for i, table := range []string{"companies", "supplies", "company_links"} {
		rows, err := db.QueryContext(ctx, "SELECT provenance, count(*) FROM "+table+" GROUP BY provenance")
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var mark string
			var n int
			if err := rows.Scan(&mark, &n); err != nil {
				rows.Close()
				return nil, err
			}
			c := out[mark]
			c[i] = n
			out[mark] = c
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// checkBatches checks that every batch in the store is complete and returns how many
// landed.
func checkBatches(ctx context.Context, db *sql.DB, b *batchSource) (int, error) {
	counts, err := batchCounts(ctx, db)
	if err != nil {
		return 0, err
	}
	want := b.sizes()
	landed := 0
	for mark, got := range counts {
		if !strings.HasPrefix(mark, "batch-") {
			return 0, fmt.Errorf("unexpected provenance %q", mark)
		}
		if got != want {
			return 0, fmt.Errorf("%s is partly present: companies/supplies/company_links = %v, want %v", mark, got, want)
		}
		landed++
	}
	return landed, nil
}
