package web_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/chainmap/chainmap/graph"
)

// TestTagVocabularyMatchesGraph keeps the UI's tag list (src/util.js TAG_VOCABULARY,
// which names the tags in English) the same as graph.TagVocabulary, in order, and
// checks the built bundle carries it.
func TestTagVocabularyMatchesGraph(t *testing.T) {
	src, err := os.ReadFile("src/util.js")
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile(`(?s)TAG_VOCABULARY = \[(.*?)\];`).FindSubmatch(src)
	if block == nil {
		t.Fatal("src/util.js has no TAG_VOCABULARY")
	}
	pairs := regexp.MustCompile(`\['([^']+)', '([^']+)'\]`).FindAllSubmatch(block[1], -1)
	if len(pairs) != len(graph.TagVocabulary) {
		t.Fatalf("the UI lists %d tags, graph.TagVocabulary %d", len(pairs), len(graph.TagVocabulary))
	}
	dist, err := os.ReadFile("dist/app.js")
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range graph.TagVocabulary {
		if zh, en := string(pairs[i][1]), string(pairs[i][2]); zh != string(v.Tag) || en != v.EN {
			t.Errorf("tag %d: the UI says %s/%s, graph.TagVocabulary %s/%s", i, zh, en, v.Tag, v.EN)
		}
		if !strings.Contains(string(dist), v.EN) {
			t.Errorf("dist/app.js lacks the English name %q: rebuild (npm --prefix api/web run build)", v.EN)
		}
	}
}
