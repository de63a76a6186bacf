package snapshot_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/chainmap/chainmap/analysis/diagnose"
	"github.com/chainmap/chainmap/analysis/snapshot"
	"github.com/chainmap/chainmap/analysis/targets"
	"github.com/chainmap/chainmap/graph"
	"github.com/chainmap/chainmap/seed/zhenjiang"
)

func demoSnapshot(t testing.TB) *snapshot.Snapshot {
	t.Helper()
	s, err := snapshot.Build(context.Background(), graph.DatasetReader{Data: zhenjiang.Dataset()})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func diag(t testing.TB, s *snapshot.Snapshot, region, chain string) string {
	t.Helper()
	r, err := diagnose.Diagnose(s, region, chain, diagnose.DefaultParams())
	return jsonOf(t, r, err)
}

func tgt(t testing.TB, s *snapshot.Snapshot, region, link string) string {
	t.Helper()
	r, err := targets.Rank(s, region, link, targets.DefaultParams())
	return jsonOf(t, r, err)
}

func jsonOf(t testing.TB, v any, err error) string {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestSaveLoadRoundTrip: a loaded snapshot answers exactly as the built one.
func TestSaveLoadRoundTrip(t *testing.T) {
	s := demoSnapshot(t)
	path := filepath.Join(t.TempDir(), "snap.bin")
	if err := snapshot.Save(s, path, "v42"); err != nil {
		t.Fatal(err)
	}
	l, err := snapshot.LoadFile(path, "v42")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(l.Companies, s.Companies) || !reflect.DeepEqual(l.Ties, s.Ties) || l.AsOf != s.AsOf ||
		!reflect.DeepEqual(l.Projects, s.Projects) || !reflect.DeepEqual(l.LinkCompanies, s.LinkCompanies) ||
		!reflect.DeepEqual(l.Plants, s.Plants) || !reflect.DeepEqual(l.FeedsOut, s.FeedsOut) {
		t.Fatal("the loaded snapshot differs from the saved one")
	}
	for _, region := range []string{"321100", "321112"} {
		a, b := diag(t, s, region, ""), diag(t, l, region, "")
		if a != b {
			t.Errorf("diagnosis of %s differs after loading", region)
		}
	}
	a, b := tgt(t, s, "321100", "EV_M3"), tgt(t, l, "321100", "EV_M3")
	if a != b {
		t.Error("targets differ after loading")
	}
	// Views work on a loaded snapshot too.
	if x, y := diag(t, s.At("2024-06-30"), "321100", "CH_EV"), diag(t, l.At("2024-06-30"), "321100", "CH_EV"); x != y {
		t.Error("an as-of view differs after loading")
	}
}

// TestLoadRefusesWhatItCannotTrust: another data version, another format, a flipped
// byte anywhere, a truncation and an empty file are all refused.
func TestLoadRefusesWhatItCannotTrust(t *testing.T) {
	s := demoSnapshot(t)
	var buf bytes.Buffer
	if err := snapshot.Write(&buf, s, "v1"); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	if _, err := snapshot.Read(bytes.NewReader(good), "v2"); !errors.Is(err, snapshot.ErrStale) {
		t.Errorf("another data version: %v", err)
	}
	for _, at := range []int{0, 20, len(good) / 3, len(good) / 2, len(good) - 9, len(good) - 1} {
		bad := bytes.Clone(good)
		bad[at] ^= 0x40
		if _, err := snapshot.Read(bytes.NewReader(bad), "v1"); err == nil {
			t.Errorf("a flipped byte at %d was accepted", at)
		}
	}
	for _, n := range []int{0, 7, 100, len(good) / 2, len(good) - 1} {
		if _, err := snapshot.Read(bytes.NewReader(good[:n]), "v1"); err == nil {
			t.Errorf("a file truncated to %d bytes was accepted", n)
		}
	}
	// A future format version is refused even with a valid checksum.
	if _, err := snapshot.Read(bytes.NewReader(reformat(t, good)), "v1"); err == nil || !strings.Contains(err.Error(), "format version") {
		t.Errorf("another format version: %v", err)
	}
	if _, err := snapshot.LoadFile(filepath.Join(t.TempDir(), "missing"), "v1"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a missing file: %v", err)
	}
}

// reformat bumps the format version of a saved snapshot and fixes its checksum.
func reformat(t *testing.T, good []byte) []byte {
	t.Helper()
	b := bytes.Clone(good)
	// The magic is a length byte and the text; the version follows it.
	at := 1 + len("CHAINMAP-SNAPSHOT")
	b[at]++
	return snapshot.Reseal(b)
}

// FuzzRead: no input makes Read panic or accept garbage with a broken checksum.
func FuzzRead(f *testing.F) {
	s := demoSnapshot(f)
	var buf bytes.Buffer
	if err := snapshot.Write(&buf, s, "v"); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add(snapshot.Reseal(buf.Bytes()[:200]))
	f.Add([]byte("CHAINMAP-SNAPSHOT"))
	f.Fuzz(func(t *testing.T, b []byte) {
		// Resealed, so the decoder itself is exercised beyond the checksum.
		if len(b) >= 8 {
			_, _ = snapshot.Read(bytes.NewReader(snapshot.Reseal(b)), "v")
		}
		_, _ = snapshot.Read(bytes.NewReader(b), "v")
	})
}
