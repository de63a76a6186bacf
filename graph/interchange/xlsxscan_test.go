package interchange

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/chainmap/chainmap/graph"
	"github.com/xuri/excelize/v2"
)

// withDeclaredSize copies a workbook, storing part uncompressed under method and
// declaring comp(its real size) and size(its real size) as its compressed and
// uncompressed sizes.
func withDeclaredSize(t *testing.T, body []byte, part string, comp, size func(uint64) uint64, method uint16) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		h := f.FileHeader
		var r io.Reader
		if f.Name == part {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			data, _ := io.ReadAll(rc)
			rc.Close()
			// Raw, so the header can lie: stored data, any declared size.
			n := uint64(len(data))
			h.Method, h.CompressedSize64, h.UncompressedSize64 = method, comp(n), size(n)
			r = bytes.NewReader(data)
		} else if r, err = f.OpenRaw(); err != nil {
			t.Fatal(err)
		}
		w, err := zw.CreateRaw(&h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(w, r); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// TestReadXLSXDeclaredSizes: excelize allocates a part's declared size up front, so
// a small file declaring gigabytes is refused before excelize sees it.
func TestReadXLSXDeclaredSizes(t *testing.T) {
	x := excelize.NewFile()
	x.SetSheetName("Sheet1", "companies")
	x.SetSheetRow("companies", "A1", &[]any{"id", "name", "region_code"})
	buf, err := x.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	same := func(real uint64) uint64 { return real }
	gb := func(uint64) uint64 { return 3 << 30 }
	for _, tc := range []struct {
		name       string
		comp, size func(real uint64) uint64
		method     uint16
		ok         bool
	}{
		{"stored, true size", same, same, zip.Store, true},
		{"stored, one byte more", same, func(real uint64) uint64 { return real + 1 }, zip.Store, false},
		{"stored, declared 3 GB", same, gb, zip.Store, false},
		{"deflate, declared 3 GB", same, gb, zip.Deflate, false},
		{"deflate, 3 GB declared compressed", gb, gb, zip.Deflate, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := withDeclaredSize(t, buf.Bytes(), "docProps/app.xml", tc.comp, tc.size, tc.method)
			path := filepath.Join(t.TempDir(), "in.xlsx")
			if err := os.WriteFile(path, body, 0o644); err != nil {
				t.Fatal(err)
			}
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, _, err := ReadXLSX(context.Background(), path)
			runtime.ReadMemStats(&after)
			if n := after.TotalAlloc - before.TotalAlloc; n > 64<<20 {
				t.Errorf("allocated %d MiB", n>>20)
			}
			if tc.ok && err != nil || !tc.ok && graph.ErrorCode(err) != graph.EINVALID {
				t.Errorf("ReadXLSX: %v", err)
			}
		})
	}
}
