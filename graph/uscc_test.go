package graph

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCheckUSCC(t *testing.T) {
	tests := []struct {
		code string
		ok   bool
		prob string
	}{
		// Published codes of well-known firms (from their business licences).
		{"91110108551385082Q", true, ""}, // 小米科技有限责任公司
		{"91330100716105852F", true, ""}, // 阿里巴巴（中国）有限公司
		{"9144030071526726XG", true, ""}, // 深圳市腾讯计算机系统有限公司
		{"914403001922038216", true, ""}, // 华为技术有限公司
		{"91110108551385082A", false, PUSCCCheck},
		{"9144030071526726XH", false, PUSCCCheck},
		{"91110108551385O82Q", false, PUSCCChar}, // letter O is not in the alphabet
		{"9111010855138508", false, PUSCCLength},
		{"9111010855138508aQ", false, PUSCCChar}, // lower case must be upper-cased first
	}
	for _, tt := range tests {
		ok, prob, _ := CheckUSCC(tt.code)
		if ok != tt.ok || prob != tt.prob {
			t.Errorf("CheckUSCC(%q) = %v, %q; want %v, %q", tt.code, ok, prob, tt.ok, tt.prob)
		}
	}
}

func TestUSCCCheckCharMintsValidCodes(t *testing.T) {
	for _, first := range []string{"91110108551385082", "91321100MA1XYW123", "12100000400000000"} {
		c := USCCCheckChar(first)
		if c == 0 {
			t.Fatalf("USCCCheckChar(%q) = 0", first)
		}
		if ok, prob, _ := CheckUSCC(first + string(c)); !ok {
			t.Errorf("minted %s%c fails: %s", first, c, prob)
		}
	}
	if USCCCheckChar("9111010855138508I") != 0 {
		t.Error("a character outside the alphabet must give 0")
	}
}

// TestUSCCCountsCharacters: six Chinese characters are 18 bytes but not an
// 18-character code, and a non-ASCII character in a code is named whole (issue 15 #9).
func TestUSCCCountsCharacters(t *testing.T) {
	if ok, prob, _ := CheckUSCC("镇江鱼跃医疗"); ok || prob != PUSCCLength {
		t.Errorf("CheckUSCC(6 Chinese characters) = %v, %q; want a length problem", ok, prob)
	}
	if err := (Company{ID: "镇江鱼跃医疗", Name: "鱼跃", RegionCode: "321181"}).Validate(); err != nil {
		t.Errorf("a 6-character Chinese id is refused: %v", err)
	}
	ok, prob, args := CheckUSCC("91甲10108551385082Q") // 18 characters, one of them Chinese
	if ok || prob != PUSCCChar || len(args) != 2 || args[0] != "3" || args[1] != "甲" {
		t.Errorf("CheckUSCC(Chinese in position 3) = %v, %q, %q; want uscc_char 3 甲", ok, prob, args)
	}
	for _, a := range args {
		if !utf8.ValidString(a) {
			t.Errorf("argument %q is not valid UTF-8", a)
		}
	}
	msg := Text("zh", prob, args...)
	if !utf8.ValidString(msg) || !strings.Contains(msg, "甲") {
		t.Errorf("message %q lacks the whole character", msg)
	}
}
