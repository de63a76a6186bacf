package graph

import "strings"

// Tag is a label from the fixed vocabulary officials use to describe firms.
type Tag string

// TagVocabulary lists the allowed tags with their English names.
var TagVocabulary = []struct {
	Tag Tag
	EN  string
}{
	{"专精特新", "specialised SME"},
	{"小巨人", "little giant"},
	{"单项冠军", "single-product champion"},
	{"高新技术企业", "high-tech enterprise"},
	{"上市", "listed"},
	{"500强", "Fortune 500"},
	{"央企", "central SOE"},
	{"国企", "local SOE"},
	{"外资", "foreign-invested"},
	{"瞪羚", "gazelle"},
	{"独角兽", "unicorn"},
	{"规上", "above designated size"},
}

// ParseTag returns the vocabulary tag for s, accepting the Chinese tag or its English
// name in any case.
func ParseTag(s string) (Tag, bool) {
	s = strings.TrimSpace(s)
	for _, v := range TagVocabulary {
		if s == string(v.Tag) || strings.EqualFold(s, v.EN) {
			return v.Tag, true
		}
	}
	return "", false
}

// TagNames returns the Chinese tags joined for messages and dropdowns.
func TagNames(sep string) string {
	names := make([]string, len(TagVocabulary))
	for i, v := range TagVocabulary {
		names[i] = string(v.Tag)
	}
	return strings.Join(names, sep)
}

// SplitTags splits a tags cell on ; or ；(and 、 or , which officials also type).
func SplitTags(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool {
		return r == ';' || r == '；' || r == '、' || r == ',' || r == '，'
	})
	out := f[:0]
	for _, t := range f {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// JoinTags renders tags the way the interchange format writes them.
func JoinTags(tags []Tag) string {
	s := make([]string, len(tags))
	for i, t := range tags {
		s[i] = string(t)
	}
	return strings.Join(s, ";")
}
