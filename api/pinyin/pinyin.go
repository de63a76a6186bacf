// Package pinyin derives pinyin initials from Chinese company names and
// searches large name lists by Chinese substring or by initials ("jsyy" for
// 江苏鱼跃).
//
// # Method
//
// The 3,755 GB2312 level-1 hanzi (GBK codes 0xB0A1–0xD7F9) are sorted by
// pinyin, so the initial of such a character follows from its code and the
// 23 codes where the initial changes (gb2312Bounds). At start-up every
// level-1 code is decoded once with golang.org/x/text's GBK decoder to build
// a rune → initial table for U+4E00–U+9FFF. Level-2 hanzi (sorted by radical)
// and GBK-only hanzi have no derivable reading; a hand-written table
// (extraChars, ~320 characters common in company and place names) covers the
// frequent ones. Any other hanzi contributes no initial.
//
// Polyphonic characters use the reading GB2312 files them under, except 行
// (h, as in 银行) and a few two-character words listed in phraseOverrides
// (重庆 → cq, 会计 → kj, 西藏 → xz, 音乐 → yy, 旅行 → lx, 空调 → kt …).
package pinyin

import (
	"sort"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

const (
	cjkLo = 0x4E00
	cjkHi = 0x9FFF

	// phraseFlag marks, in cjkTable, runes that occur in phraseOverrides.
	phraseFlag = 0x80
)

var (
	// cjkTable[r-cjkLo] is the initial of r (0: unknown), possibly or-ed
	// with phraseFlag.
	cjkTable [cjkHi - cjkLo + 1]byte
	// otherTable holds initials for hanzi outside U+4E00–U+9FFF.
	otherTable = map[rune]byte{}
	// phrases maps a pair of runes to (position<<7 | initial).
	phrases = map[[2]rune]byte{}
)

func init() {
	dec := simplifiedchinese.GBK.NewDecoder()
	var buf [2]byte
	out := make([]byte, 8)
	for hi := 0xB0; hi <= 0xD7; hi++ {
		for lo := 0xA1; lo <= 0xFE; lo++ {
			code := uint16(hi)<<8 | uint16(lo)
			if code > 0xD7F9 {
				break
			}
			buf[0], buf[1] = byte(hi), byte(lo)
			n, _, err := dec.Transform(out, buf[:], true)
			dec.Reset()
			if err != nil {
				continue
			}
			r, _ := utf8.DecodeRune(out[:n])
			if r < cjkLo || r > cjkHi {
				continue
			}
			cjkTable[r-cjkLo] = level1Initial(code)
		}
	}
	for c, s := range extraChars {
		for _, r := range s {
			setInitial(r, c)
		}
	}
	for r, c := range charOverrides {
		setInitial(r, c)
	}
	for _, p := range phraseOverrides {
		var pair [2]rune
		i := 0
		for _, r := range p.word {
			pair[i] = r
			i++
			if r >= cjkLo && r <= cjkHi {
				cjkTable[r-cjkLo] |= phraseFlag
			}
		}
		phrases[pair] = byte(p.pos)<<7 | p.c
	}
}

func setInitial(r rune, c byte) {
	if r >= cjkLo && r <= cjkHi {
		cjkTable[r-cjkLo] = cjkTable[r-cjkLo]&phraseFlag | c
	} else {
		otherTable[r] = c
	}
}

// level1Initial returns the initial of a GB2312 level-1 code.
func level1Initial(code uint16) byte {
	i := sort.Search(len(gb2312Bounds), func(i int) bool { return gb2312Bounds[i] > code })
	if i == 0 {
		return 0
	}
	return gb2312Letters[i-1]
}

// lookup returns the initial of hanzi r (0 if unknown) and whether r takes
// part in a phrase override.
func lookup(r rune) (byte, bool) {
	if r >= cjkLo && r <= cjkHi {
		v := cjkTable[r-cjkLo]
		return v &^ phraseFlag, v&phraseFlag != 0
	}
	if r < 0x3400 {
		return 0, false
	}
	return otherTable[r], false
}

// foldRune maps full-width ASCII (U+FF01–U+FF5E) and the ideographic space
// to ASCII and upper-case ASCII to lower case. Other runes are returned
// unchanged.
func foldRune(r rune) rune {
	switch {
	case r >= 'A' && r <= 'Z':
		return r + ('a' - 'A')
	case r >= 0xFF01 && r <= 0xFF5E:
		r -= 0xFF01 - 0x21
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
		return r
	case r == 0x3000:
		return ' '
	}
	return r
}

// Initials returns the pinyin initials of s: one lower-case letter per
// hanzi with a known reading, ASCII (and full-width) letters and digits kept
// and lower-cased, everything else dropped.
//
//	Initials("江苏鱼跃医疗设备股份有限公司") == "jsyyylsbgfyxgs"
//	Initials("ABB（中国）") == "abbzg"
func Initials(s string) string {
	return string(appendInitials(nil, s))
}

// appendInitials appends the initials of s to dst.
func appendInitials(dst []byte, s string) []byte {
	var prev rune // previous rune if it takes part in a phrase
	prevAt := -1  // index in dst of prev's initial, -1 if none
	for _, r := range s {
		if r < utf8.RuneSelf || (r >= 0xFF01 && r <= 0xFF5E) {
			r = foldRune(r)
			if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
				dst = append(dst, byte(r))
			}
			prev = 0
			continue
		}
		c, flagged := lookup(r)
		if flagged && prev != 0 {
			if v, ok := phrases[[2]rune{prev, r}]; ok {
				if v>>7 == 0 {
					if prevAt >= 0 {
						dst[prevAt] = v & 0x7F
					}
				} else {
					c = v & 0x7F
				}
			}
		}
		if flagged {
			prev = r
		} else {
			prev = 0
		}
		prevAt = -1
		if c != 0 {
			prevAt = len(dst)
			dst = append(dst, c)
		}
	}
	return dst
}
