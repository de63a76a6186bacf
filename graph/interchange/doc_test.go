package interchange

import (
	"flag"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite docs/format.md's generated section")

const (
	beginMark = "<!-- BEGIN GENERATED: go test ./graph/interchange -run TestFormatDoc -update -->\n"
	endMark   = "<!-- END GENERATED -->"
)

// TestFormatDoc keeps docs/format.md's table reference equal to the definitions.
func TestFormatDoc(t *testing.T) {
	const path = "../../docs/format.md"
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	i, j := strings.Index(doc, beginMark), strings.Index(doc, endMark)
	if i < 0 || j < i {
		t.Fatalf("%s lacks the generated-section markers", path)
	}
	want := doc[:i+len(beginMark)] + Markdown() + doc[j:]
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if want != doc {
		t.Errorf("%s is out of date: run go test ./graph/interchange -run TestFormatDoc -update", path)
	}
}
