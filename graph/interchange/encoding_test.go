package interchange

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/chainmap/chainmap/graph"
)

// TestTextReaderChecksEveryByte: characters cut by reads of any size pass, and the
// first broken byte is an *encodingError on its line, after the text before it
// (issue 15 #4: only the first megabyte used to be looked at).
func TestTextReaderChecksEveryByte(t *testing.T) {
	text := strings.Repeat("镇江𠮷野家,ascii\n", 5000)
	for name, r := range map[string]io.Reader{
		"one byte at a time": iotest.OneByteReader(strings.NewReader(text)),
		"half reads":         iotest.HalfReader(strings.NewReader(text)),
		"whole":              strings.NewReader(text),
	} {
		got, err := io.ReadAll(&textReader{r: r, encoding: "UTF-8"})
		if err != nil || string(got) != text {
			t.Errorf("%s: %d bytes, %v", name, len(got), err)
		}
	}
	broken := text + "坏\xe9\x95\n"
	got, err := io.ReadAll(&textReader{r: iotest.OneByteReader(strings.NewReader(broken)), encoding: "UTF-8"})
	var ee *encodingError
	if !errors.As(err, &ee) || ee.line != 5001 || string(got) != text+"坏" {
		t.Errorf("broken byte: %v (line %v), %d bytes delivered", err, ee, len(got))
	}
	// A decoder's U+FFFD is an error in decoded text, a literal one is fine in UTF-8.
	if _, err := io.ReadAll(&textReader{r: strings.NewReader("a\n\uFFFD\n"), strict: true}); !errors.As(err, &ee) || ee.line != 2 {
		t.Errorf("strict U+FFFD: %v", err)
	}
	if _, err := io.ReadAll(&textReader{r: strings.NewReader("a\n\uFFFD\n")}); err != nil {
		t.Errorf("literal U+FFFD in UTF-8: %v", err)
	}
}

// TestReadCSVStreamIsCheckedToTheEnd: through ReadCSV (a stream, not scanned first)
// a file that is UTF-8 for its first megabyte and GBK after it is a located
// bad_encoding, not invalid UTF-8 in the records (issue 15 #4).
func TestReadCSVStreamIsCheckedToTheEnd(t *testing.T) {
	body := "id,name,region_code\n" + strings.Repeat("A-1,甲,321181\n", 80_000) + gbk(t, "A-2,镇江乙公司,321181\n")
	if len(body) <= 1<<20 {
		t.Fatal("the UTF-8 part must be longer than the 1 MiB that is sniffed")
	}
	ds, origin := &graph.Dataset{}, newOrigin()
	if err := ReadCSV(context.Background(), bytes.NewReader([]byte(body)), "companies.csv", graph.TCompanies, ds, origin); err != nil {
		t.Fatal(err)
	}
	if len(origin.Problems) != 1 || origin.Problems[0].Code != graph.PBadEncoding || origin.Problems[0].Row != 80_002 {
		t.Fatalf("problems = %v", origin.Problems)
	}
	for _, c := range ds.Companies {
		if !strings.Contains(c.Name, "甲") {
			t.Fatalf("a record holds %q", c.Name)
		}
	}
}
