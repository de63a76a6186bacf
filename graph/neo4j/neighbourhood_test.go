package neo4j

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/chainmap/chainmap/analysis/diagnose"
	"github.com/chainmap/chainmap/analysis/snapshot"
	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/seed/zhenjiang"
)

// TestNeighbourhoodSnapshotDiagnosesLikeTheWhole: on the Zhenjiang demo, the snapshot
// of 镇江's neighbourhood holds only the local firms and their ties' counterparts, and
// diagnoses 镇江 and each of its districts exactly as the snapshot of everything does.
func TestNeighbourhoodSnapshotDiagnosesLikeTheWhole(t *testing.T) {
	s := liveStore(t)
	ctx := context.Background()
	mustImport(t, s, zhenjiang.Dataset())
	whole, err := snapshot.Build(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	part, err := snapshot.Build(ctx, s.Region("321100"))
	if err != nil {
		t.Fatal(err)
	}
	if len(part.Companies) >= len(whole.Companies) || len(part.Ties) >= len(whole.Ties) || len(part.Ties) == 0 {
		t.Errorf("the neighbourhood has %d of %d companies and %d of %d ties: want some, not all",
			len(part.Companies), len(whole.Companies), len(part.Ties), len(whole.Ties))
	}
	// Every local firm and every tie with a local end is there.
	local := map[string]bool{}
	for _, r := range whole.Regions {
		if r.Code == "321100" || r.ParentCode == "321100" {
			local[r.Code] = true
		}
	}
	inPart := map[string]bool{}
	for _, c := range part.Companies {
		inPart[c.ID] = true
	}
	ties := 0
	for _, c := range whole.Companies {
		if local[whole.Regions[c.Region].Code] && !inPart[c.ID] {
			t.Errorf("local firm %s is not in the neighbourhood", c.ID)
		}
	}
	for _, x := range whole.Ties {
		if local[whole.Regions[whole.Companies[x.Supplier].Region].Code] || local[whole.Regions[whole.Companies[x.Customer].Region].Code] {
			ties++
		}
	}
	if ties != len(part.Ties) {
		t.Errorf("the neighbourhood has %d ties, want the %d with a local end", len(part.Ties), ties)
	}
	for _, region := range []string{"321100", "321181", "321112", "321102"} {
		want, err := diagnose.Diagnose(whole, region, "", diagnose.DefaultParams())
		if err != nil {
			t.Fatal(err)
		}
		got, err := diagnose.Diagnose(part, region, "", diagnose.DefaultParams())
		if err != nil {
			t.Fatal(err)
		}
		w, _ := json.Marshal(want)
		g, _ := json.Marshal(got)
		if string(w) != string(g) {
			t.Errorf("diagnosis of %s differs between the neighbourhood's snapshot and the whole", region)
		}
	}
	if _, err := snapshot.Build(ctx, s.Region("999999")); graph.ErrorCode(err) != "not_found" {
		t.Errorf("an unknown region: %v", err)
	}
	_ = errors.New
}
