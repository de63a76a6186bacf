package graph

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/text/unicode/norm"
)

func TestNormalizeText(t *testing.T) {
	for in, want := range map[string]string{
		"":                                    "",
		"plain":                               "plain",
		"  a b  ":                             "a b",
		"\t制表\t":                              "制表",
		"a\r\nb\rc\u2028d\u0085e":             "a\nb\nc\nd\ne",
		"\u00a0nbsp\u00a0in\u00a0":            "nbsp in",
		"全角\u3000空格":                          "全角\u3000空格",
		"\u3000前后\u3000":                      "前后",
		"z\u200bw\ufeffs\u202eb\u2066i\u2069": "zwsbi",
		"Cafe\u0301":                          "Café",
		"NUL\x00BEL\x07DEL\x7f":               "NULBELDEL",
		"👩\u200d💻":                            "👩\u200d💻",
		" =1+1":                               "=1+1",
	} {
		if got := NormalizeText(in); got != want {
			t.Errorf("NormalizeText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestBadIDRune(t *testing.T) {
	for id, want := range map[string]rune{"ZJ-001": 0, "P 2024 001": 0, "镇江鱼跃": 0, "ZJ-001\u200b": 0x200B,
		"\ufeffZJ": 0xFEFF, "A\u202eB": 0x202E, "A\u00a0B": 0xA0, "A\u3000B": 0x3000, " A": ' ', "A ": ' ', "A\tB": '\t'} {
		got, bad := BadIDRune(id)
		if bad != (want != 0) || got != want {
			t.Errorf("BadIDRune(%q) = %U, %v; want %U", id, got, bad, want)
		}
	}
}

// FuzzNormalizeText: normal text is valid UTF-8 in NFC, trimmed, without control or
// format characters but newlines and joiners, and normalising it again changes
// nothing; NormalizeID is idempotent too.
func FuzzNormalizeText(f *testing.F) {
	for _, s := range []string{" a ", "\r\n", "x\u200by", "e\u0301", "\xff", "\u00a0=1", "ZJ-001\ufeff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := NormalizeText(s)
		if NormalizeText(n) != n || !utf8.ValidString(n) || !norm.NFC.IsNormalString(n) || strings.TrimSpace(n) != n {
			t.Fatalf("NormalizeText(%q) = %q is not stable", s, n)
		}
		for _, r := range n {
			if r != '\n' && r != '\u200c' && r != '\u200d' && (unicode.IsControl(r) || unicode.Is(unicode.Cf, r)) {
				t.Fatalf("NormalizeText(%q) = %q keeps %U", s, n, r)
			}
		}
		if id := NormalizeID(s); NormalizeID(id) != id {
			t.Fatalf("NormalizeID(%q) = %q is not stable", s, id)
		}
	})
}

// TestNormalTextIsNotCopied: text already in stored form is returned as it is, not
// rebuilt, which is what a reader or a second Normalize mostly meets.
func TestNormalTextIsNotCopied(t *testing.T) {
	for _, s := range []string{"江苏鱼跃医疗设备股份有限公司\n第二行 全角\u3000空格", "Café 👩\u200d💻"} {
		if unsafe.StringData(NormalizeText(s)) != unsafe.StringData(s) || unsafe.StringData(NormalizeID(s)) != unsafe.StringData(s) {
			t.Errorf("%q was copied", s)
		}
	}
}
