package graph

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// usccAlphabet is the 31-character set of GB 32100-2015 (digits and capitals without
// I, O, Z, S, V); a character's index is its numeric value.
const usccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// usccWeights are the position weights 3^i mod 31 of GB 32100-2015 §5.
var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// CheckUSCC reports whether code is a well-formed 18-character unified social credit
// code (统一社会信用代码) whose last character is the GB 32100-2015 check character.
// Characters are counted as characters, not bytes: six Chinese characters are not an
// 18-character code. When it is not, the returned problem code and arguments say why
// (for the catalogue); a character named in them is always a whole character.
func CheckUSCC(code string) (ok bool, problem string, args []string) {
	if !IsUSCCLength(code) {
		return false, PUSCCLength, nil
	}
	sum, i := 0, 0
	for _, r := range code {
		if i == 17 {
			break
		}
		v := -1
		if r < utf8.RuneSelf {
			v = strings.IndexByte(usccAlphabet, byte(r))
		}
		if v < 0 {
			return false, PUSCCChar, []string{strconv.Itoa(i + 1), string(r)}
		}
		sum += v * usccWeights[i]
		i++
	}
	want := usccAlphabet[(31-sum%31)%31]
	if code[17] != want { // the first 17 are ASCII, so byte 17 is the 18th character
		return false, PUSCCCheck, []string{string(want)}
	}
	return true, "", nil
}

// IsUSCCLength reports whether s has the 18 characters (not bytes) of a unified
// social credit code, the length at which company ids are checked as one.
func IsUSCCLength(s string) bool { return utf8.RuneCountInString(s) == 18 }

// USCCCheckChar returns the check character for the first 17 characters of a code,
// or 0 when one of them is outside the alphabet. Generators use it to mint valid ids.
func USCCCheckChar(first17 string) byte {
	if len(first17) != 17 {
		return 0
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(usccAlphabet, first17[i])
		if v < 0 {
			return 0
		}
		sum += v * usccWeights[i]
	}
	return usccAlphabet[(31-sum%31)%31]
}
