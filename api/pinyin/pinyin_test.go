package pinyin

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func TestInitials(t *testing.T) {
	tests := []struct{ in, want string }{
		{"江苏鱼跃医疗设备股份有限公司", "jsyyylsbgfyxgs"},
		{"鱼跃", "yy"},
		{"北汽蓝谷麦格纳", "bqlgmgn"},
		{"中船动力", "zcdl"},
		{"孚能科技（赣州）股份有限公司", "fnkjgzgfyxgs"},
		{"江苏天奈科技股份有限公司", "jstnkjgfyxgs"},
		{"宁德时代新能源科技股份有限公司", "ndsdxnykjgfyxgs"},
		{"隆基绿能", "ljln"},
		{"比亚迪", "byd"},
		// Places around Zhenjiang.
		{"镇江", "zj"},
		{"扬中", "yz"},
		{"丹阳", "dy"},
		{"句容", "jr"},
		{"京口", "jk"},
		{"润州", "rz"},
		{"丹徒", "dt"},
		{"苏州", "sz"},
		// Mixed ASCII, full-width and symbols.
		{"ABB（中国）", "abbzg"},
		{"3M中国有限公司", "3mzgyxgs"},
		{"ＡＢＣ１２３科技", "abc123kj"},
		{"a-b_c.d 中 国!", "abcdzg"},
		{"", ""},
		{"（）·、", ""},
		// Level-2 / GBK-only characters from the hand-written table.
		{"鑫淼垚", "xmy"},
		{"昊晟璞琪", "hspq"},
		{"锂钴钛", "lgt"},
		{"喆堃玥", "zky"},
		{"骐苒芃", "qrp"},
		// Unknown hanzi (CJK extension A, no table entry) are dropped.
		{"鱼\u3400跃", "yy"},
		// Polyphones.
		{"中国工商银行", "zggsyh"},
		{"重庆长安汽车", "cqcaqc"},
		{"重型机械", "zxjx"},
		{"长城汽车", "ccqc"},
		{"长江电力", "cjdl"},
		{"西藏矿业", "xzky"},
		{"冷藏物流", "lcwl"},
		{"会计师事务所", "kjssws"},
		{"商会", "sh"},
		{"国际旅行社", "gjlxs"},
		{"厦门大厦", "xmds"},
		{"音乐文化", "yywh"},
		{"格力空调", "glkt"},
		{"给排水设备", "jpssb"},
		{"弹簧制造", "thzz"},
		{"自行车", "zxc"},
		{"乐清", "yq"},
	}
	for _, tt := range tests {
		if got := Initials(tt.in); got != tt.want {
			t.Errorf("Initials(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestBoundaries checks gb2312Bounds: for each change of initial, the last
// character before it and the first character after it (read off the
// GB2312 table with the decoder) must get the initials of their known
// readings.
func TestBoundaries(t *testing.T) {
	tests := []struct {
		before, after string // 2 hanzi: last of one initial, first of the next
		want          string
	}{
		{"", "啊", "a"},
		{"澳", "芭", "ab"},
		{"怖", "擦", "bc"},
		{"错", "搭", "cd"},
		{"堕", "蛾", "de"},
		{"贰", "发", "ef"},
		{"咐", "噶", "fg"},
		{"过", "哈", "gh"},
		{"祸", "击", "hj"},
		{"骏", "喀", "jk"},
		{"阔", "垃", "kl"},
		{"络", "妈", "lm"},
		{"穆", "拿", "mn"},
		{"诺", "哦", "no"},
		{"沤", "啪", "op"},
		{"瀑", "期", "pq"},
		{"群", "然", "qr"},
		{"弱", "撒", "rs"},
		{"所", "塌", "st"},
		{"唾", "挖", "tw"},
		{"误", "昔", "wx"},
		{"迅", "压", "xy"},
		{"孕", "匝", "yz"},
		{"座", "", "z"},
	}
	dec := simplifiedchinese.GBK.NewDecoder()
	decode := func(code uint16) string {
		s, err := dec.String(string([]byte{byte(code >> 8), byte(code)}))
		if err != nil {
			t.Fatalf("decode %04X: %v", code, err)
		}
		return s
	}
	prevCode := func(c uint16) uint16 {
		if c&0xFF == 0xA1 {
			return c - 0x100 + 0x5D // previous row, trail 0xFE
		}
		return c - 1
	}
	if len(gb2312Bounds) != len(gb2312Letters) {
		t.Fatalf("%d bounds for %d letters", len(gb2312Bounds), len(gb2312Letters))
	}
	for i, tt := range tests {
		if got := Initials(tt.before + tt.after); got != tt.want {
			t.Errorf("Initials(%q) = %q, want %q", tt.before+tt.after, got, tt.want)
		}
		// The pair must sit exactly on the boundary code.
		if i < len(gb2312Bounds) {
			b := gb2312Bounds[i]
			if got := decode(b); got != tt.after {
				t.Errorf("code %04X decodes to %q, want %q", b, got, tt.after)
			}
			if i > 0 {
				if got := decode(prevCode(b)); got != tt.before {
					t.Errorf("code before %04X decodes to %q, want %q", b, got, tt.before)
				}
			}
		}
	}
	if got := decode(0xD7F9); got != "座" {
		t.Errorf("last level-1 code decodes to %q, want 座", got)
	}
}

// gbkCode returns the GBK code of r, or 0 if r is not in GBK.
func gbkCode(t *testing.T, r rune) uint16 {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(string(r)))
	if err != nil || len(b) != 2 {
		return 0
	}
	return uint16(b[0])<<8 | uint16(b[1])
}

func isLevel1(code uint16) bool {
	return code >= 0xB0A1 && code <= 0xD7F9 && code&0xFF >= 0xA1 && code&0xFF <= 0xFE
}

// TestLevel1Coverage checks that every GB2312 level-1 hanzi has an initial.
func TestLevel1Coverage(t *testing.T) {
	dec := simplifiedchinese.GBK.NewDecoder()
	n := 0
	for hi := 0xB0; hi <= 0xD7; hi++ {
		for lo := 0xA1; lo <= 0xFE; lo++ {
			if hi == 0xD7 && lo > 0xF9 {
				break
			}
			s, err := dec.String(string([]byte{byte(hi), byte(lo)}))
			if err != nil || utf8.RuneCountInString(s) != 1 {
				t.Fatalf("decode %02X%02X: %q %v", hi, lo, s, err)
			}
			n++
			if Initials(s) == "" {
				t.Errorf("%s (%02X%02X) has no initial", s, hi, lo)
			}
		}
	}
	if n != 3755 {
		t.Errorf("level-1 has %d characters, want 3755", n)
	}
}

// TestExtraNotLevel1 checks that each hand-written entry is a GBK hanzi
// outside GB2312 level-1 (whose initial would follow from its code), is
// listed once and gets the listed initial.
func TestExtraNotLevel1(t *testing.T) {
	seen := map[rune]byte{}
	total := 0
	for c, s := range extraChars {
		if !strings.ContainsRune(gb2312Letters, rune(c)) {
			t.Errorf("bad initial %q", c)
		}
		for _, r := range s {
			total++
			if d, ok := seen[r]; ok {
				t.Errorf("%c listed under %c and %c", r, d, c)
			}
			seen[r] = c
			code := gbkCode(t, r)
			switch {
			case code == 0:
				t.Errorf("%c (under %c) is not in GBK", r, c)
			case isLevel1(code):
				t.Errorf("%c (under %c) is level-1 %04X, derived %c", r, c, code, level1Initial(code))
			}
			if got := Initials(string(r)); got != string(c) {
				t.Errorf("Initials(%c) = %q, want %c", r, got, c)
			}
		}
	}
	t.Logf("%d extra characters", total)
}

func TestCharOverrides(t *testing.T) {
	for r, c := range charOverrides {
		code := gbkCode(t, r)
		if !isLevel1(code) {
			t.Errorf("override %c is not level-1; put it in extraChars", r)
			continue
		}
		if level1Initial(code) == c {
			t.Errorf("override %c → %c is redundant", r, c)
		}
		if got := Initials(string(r)); got != string(c) {
			t.Errorf("Initials(%c) = %q, want %c", r, got, c)
		}
	}
}

func TestPhraseOverrides(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range phraseOverrides {
		rs := []rune(p.word)
		if len(rs) != 2 || p.pos < 0 || p.pos > 1 {
			t.Errorf("bad phrase %+v", p)
			continue
		}
		if seen[p.word] {
			t.Errorf("duplicate phrase %s", p.word)
		}
		seen[p.word] = true
		a, b := Initials(string(rs[0])), Initials(string(rs[1]))
		if len(a) != 1 || len(b) != 1 {
			t.Errorf("%s: characters without initial", p.word)
			continue
		}
		want := []byte(a + b)
		if want[p.pos] == p.c {
			t.Errorf("%s: override %c is redundant", p.word, p.c)
		}
		want[p.pos] = p.c
		if got := Initials(p.word); got != string(want) {
			t.Errorf("Initials(%s) = %q, want %q", p.word, got, want)
		}
		// Separated by a non-hanzi, the phrase does not apply.
		if got := Initials(string(rs[0]) + " " + string(rs[1])); got != a+b {
			t.Errorf("Initials(%s split) = %q, want %q", p.word, got, a+b)
		}
	}
}
