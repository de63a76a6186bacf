package io

import (
	"errors"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// Two countries with two industries each, aggregated by hand:
//
//	A_c1 → A_c2 2, A_c1 → B_c1 3, A_c2 → B_c2 4, B_c1 → A_c1 1, B_c2 → B_c2 5;
//	Y = (10, 20, 15, 30), N = (1, 0, 0, 2), F = Y − Z·1 = (5, 16, 14, 25),
//
// give Z' = [[2, 7], [1, 5]], Y' = (30, 45), N' = (1, 2), F' = (21, 39). Then
// Δ' = [[2/29, 7/29], [1/43, 5/43]] and (I − Δ')U = 1 is 27U_A − 7U_B = 29,
// −U_A + 38U_B = 43: U = (1403/1019, 1190/1019). F/GO = (20/29, 37/43).
func TestAggregateByHand(t *testing.T) {
	tb := &Table{
		Sectors: []Sector{{"A", "c1"}, {"A", "c2"}, {"B", "c1"}, {"B", "c2"}},
		Z: mat.NewDense(4, 4, []float64{
			0, 2, 3, 0,
			0, 0, 0, 4,
			1, 0, 0, 0,
			0, 0, 0, 5,
		}),
		Y:         []float64{10, 20, 15, 30},
		Final:     []float64{5, 16, 14, 25},
		Inventory: []float64{1, 0, 0, 2},
	}
	ct, err := Aggregate(tb, Country)
	if err != nil {
		t.Fatal(err)
	}
	if len(ct.Sectors) != 2 || ct.Sectors[0] != (Sector{Country: "A"}) || ct.Sectors[1].Code() != "B" {
		t.Fatalf("sectors %+v", ct.Sectors)
	}
	near(t, "Z'", ct.Z.RawMatrix().Data, []float64{2, 7, 1, 5})
	near(t, "Y'", ct.Y, []float64{30, 45})
	near(t, "F'", ct.Final, []float64{21, 39})
	near(t, "N'", ct.Inventory, []float64{1, 2})
	u, err := Upstreamness(ct)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "U", u, []float64{1403.0 / 1019, 1190.0 / 1019})
	f, err := FinalUseShare(ct)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "F/GO", f, []float64{20.0 / 29, 37.0 / 43})
	// VA/GO_A = 1 − (2·30/29 + 1·45/43)/30, VA/GO_B = 1 − (7·30/29 + 5·45/43)/45.
	v, err := ValueAddedShare(ct)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "VA/GO", v, []float64{1 - (60.0/29+45.0/43)/30, 1 - (210.0/29+225.0/43)/45})

	// Aggregating is not averaging: the output-weighted mean of the sector U differs
	// (1.3777 against 1.3768 here).
	us, err := Upstreamness(tb)
	if err != nil {
		t.Fatal(err)
	}
	if mean := Collapse(tb, us, func(s Sector) string { return s.Country })["A"]; mean-u[0] > -1e-4 && mean-u[0] < 1e-4 {
		t.Errorf("country A: mean of sector U %.4f equals the aggregated U %.4f", mean, u[0])
	}
	// Grouping by the sector itself gives the same table back.
	same, err := Aggregate(tb, func(s Sector) Sector { return s })
	if err != nil {
		t.Fatal(err)
	}
	near(t, "identity Z", same.Z.RawMatrix().Data, tb.Z.RawMatrix().Data)

	for _, bad := range []*Table{nil, {Sectors: tb.Sectors, Z: tb.Z, Y: tb.Y, Inventory: tb.Inventory}} {
		if _, err := Aggregate(bad, Country); !errors.Is(err, ErrInvalidTable) {
			t.Errorf("Aggregate(%v): error %v, want ErrInvalidTable", bad, err)
		}
	}
}
