package sqlite

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/graph/storetest"
)

func TestUnpack(t *testing.T) {
	f := make([]string, 3)
	hdr := func(l int) string { return string(rune(1+l>>15)) + string(rune(1+l&32767)) }
	long := strings.Repeat("长", 20000) // 60,000 bytes: a length past one header character
	for _, c := range []struct {
		row  string
		want []string
	}{
		{hdr(0) + hdr(0), []string{"", "", ""}},
		{hdr(3) + hdr(2) + "abc12,9,", []string{"abc", "12", ",9,"}},
		{hdr(6) + hdr(0) + "镇江x", []string{"镇江", "", "x"}},
		{hdr(len(long)) + hdr(1) + long + "ab", []string{long, "a", "b"}},
	} {
		if err := unpack(c.row, f); err != nil || !slices.Equal(f, c.want) {
			t.Errorf("unpack(%.20q) = %.20q, %v", c.row, f, err)
		}
	}
	for _, bad := range []string{"", hdr(3), hdr(3) + hdr(1) + "ab", "\x00\x01" + hdr(1) + "abc"} {
		if err := unpack(bad, f); err == nil {
			t.Errorf("unpack(%q) accepted", bad)
		}
	}
}

// TestPackedRead: text with separators, digits and multi-byte characters survives
// the packed read of the big tables.
func TestPackedRead(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ds := storetest.Fixture()
	ds.Companies[0].Name = "3,2,名字,,12"
	ds.Companies[0].Provenance = ""
	ds.Supplies[0].Product = "9,9,产品"
	ds.Supplies[0].Provenance = "1,x"
	ds.CompanyLinks[0].Products = ",," + strings.Repeat("长", 1500)
	if _, err := s.Import(ctx, ds, graph.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	got, err := graph.ReadAll(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if ok, table := storetest.Equal(got, ds); !ok {
		t.Errorf("%s differs after a packed read", table)
	}
	// Ranges of suppliers concatenate to the whole table.
	var whole, parts []graph.Supply
	for x, err := range s.Supplies(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		whole = append(whole, x)
	}
	mid := whole[len(whole)/2].SupplierID
	for _, r := range [][2]string{{"", mid}, {mid, ""}} {
		for x, err := range s.SuppliesBetween(ctx, r[0], r[1]) {
			if err != nil {
				t.Fatal(err)
			}
			parts = append(parts, x)
		}
	}
	if !slices.Equal(whole, parts) || len(whole) < 2 {
		t.Errorf("ranges give %d ties, the table %d", len(parts), len(whole))
	}
}
