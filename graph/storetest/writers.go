package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/chainmap/chainmap/graph"
)

// SharedOpener returns two stores opened on one new, empty database, as two
// processes (a server and a CLI import) would; both are closed by the suite.
type SharedOpener func(t *testing.T) (a, b graph.Store)

// externalWrites is what a server reads to see other writers' commits.
type externalWrites interface {
	ExternalWrites(ctx context.Context) (int64, error)
}

// RunShared runs the conformance tests that need two writers on one database: each
// sees the other's commits and never mistakes its own for them, and the audit outbox
// keeps an entry exactly when its write commits. Every backend implements both.
func RunShared(t *testing.T, open SharedOpener) {
	tests := []struct {
		name string
		fn   func(t *testing.T, a, b graph.Store)
	}{
		{"OtherWritersAreSeen", testOtherWriters},
		{"AuditOutboxKeepsCommittedWritesOnly", testAuditOutbox},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := open(t)
			defer a.Close()
			defer b.Close()
			tt.fn(t, a, b)
		})
	}
}

func writesOf(t *testing.T, s graph.Store) int64 {
	t.Helper()
	ew, ok := s.(externalWrites)
	if !ok {
		t.Fatalf("%T does not report other writers' commits (ExternalWrites)", s)
	}
	n, err := ew.ExternalWrites(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// testOtherWriters: a's count moves with b's data-changing commits only — not with
// a's own, not with b's imports that change nothing, dry runs or refused imports.
func testOtherWriters(t *testing.T, a, b graph.Store) {
	ctx := context.Background()
	a0, b0 := writesOf(t, a), writesOf(t, b)
	mustImport(t, a, Fixture())
	if got := writesOf(t, a); got != a0 {
		t.Errorf("a's own import moved a's count of others' writes: %d → %d", a0, got)
	}
	if got := writesOf(t, b); got == b0 {
		t.Error("b did not see a's import")
	}
	seen := writesOf(t, a)
	c := graph.Company{ID: "OW-1", Name: "另一写入方企业", RegionCode: "321181"}
	mustImport(t, b, &graph.Dataset{Companies: []graph.Company{c}})
	if got := writesOf(t, a); got == seen {
		t.Error("a did not see b's import")
	}
	seen = writesOf(t, a)
	mustImport(t, b, &graph.Dataset{Companies: []graph.Company{c}}) // changes nothing
	if _, err := b.Import(ctx, &graph.Dataset{Companies: []graph.Company{{ID: "OW-2", Name: "试运行", RegionCode: "321181"}}},
		graph.ImportOptions{DryRun: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Import(ctx, &graph.Dataset{Companies: []graph.Company{{ID: "OW-3", Name: "无地区", RegionCode: "000000"}}},
		graph.ImportOptions{}); err == nil {
		t.Fatal("an import with a dangling region was accepted")
	}
	if got := writesOf(t, a); got != seen {
		t.Errorf("b's imports that wrote nothing moved a's count: %d → %d", seen, got)
	}
}

// testAuditOutbox: an import's audit record is kept with it when it commits — and
// not when it is a dry run or refused — readable by every store on the database, in
// commit order, until acknowledged.
func testAuditOutbox(t *testing.T, a, b graph.Store) {
	ctx := context.Background()
	outbox := func(s graph.Store) graph.AuditOutbox {
		o, ok := s.(graph.AuditOutbox)
		if !ok {
			t.Fatalf("%T keeps no audit outbox", s)
		}
		return o
	}
	rec := func(i int) *graph.AuditRecord {
		return &graph.AuditRecord{Ref: fmt.Sprintf("ref-%d", i), Entry: fmt.Appendf(nil, `{"action":"import","n":%d}`, i)}
	}
	refs := func(recs []graph.AuditRecord) []string {
		out := []string{}
		for _, r := range recs {
			out = append(out, r.Ref)
		}
		return out
	}
	if _, err := a.Import(ctx, Fixture(), graph.ImportOptions{Audit: rec(1)}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Import(ctx, &graph.Dataset{Companies: []graph.Company{{ID: "AO-1", Name: "试运行", RegionCode: "321181"}}},
		graph.ImportOptions{DryRun: true, Audit: rec(2)}); err != nil {
		t.Fatal(err)
	}
	var ve *graph.ValidationError
	if _, err := a.Import(ctx, &graph.Dataset{Companies: []graph.Company{{ID: "AO-2", Name: "无地区", RegionCode: "000000"}}},
		graph.ImportOptions{Audit: rec(3)}); !errors.As(err, &ve) {
		t.Fatalf("an import with a dangling region: %v, want a validation error", err)
	}
	if _, err := b.Import(ctx, &graph.Dataset{Companies: []graph.Company{{ID: "AO-3", Name: "乙写入", RegionCode: "321181"}}},
		graph.ImportOptions{Audit: rec(4)}); err != nil {
		t.Fatal(err)
	}
	for _, s := range []graph.Store{a, b} {
		pending, err := outbox(s).PendingAudit(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(refs(pending)); got != "[ref-1 ref-4]" {
			t.Errorf("pending %s, want [ref-1 ref-4] (committed writes only, in commit order)", got)
		}
		for _, p := range pending {
			if p.Ref == "ref-4" && string(p.Entry) != `{"action":"import","n":4}` {
				t.Errorf("entry kept as %s", p.Entry)
			}
		}
	}
	if done, err := outbox(a).AckAudit(ctx, []string{"ref-1"}); err != nil || !done {
		t.Fatalf("ack: %v %v", done, err)
	}
	pending, err := outbox(b).PendingAudit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(refs(pending)); got != "[ref-4]" {
		t.Errorf("after the ack: %s, want [ref-4]", got)
	}
}
