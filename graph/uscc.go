package graph

import (
	"strconv"
	"strings"
)

// usccAlphabet is the 31-character set of GB 32100-2015 (digits and capitals without
// I, O, Z, S, V); a character's index is its numeric value.
const usccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// usccWeights are the position weights 3^i mod 31 of GB 32100-2015 §5.
var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// CheckUSCC reports whether code is a well-formed 18-character unified social credit
// code (统一社会信用代码) whose last character is the GB 32100-2015 check character.
// When it is not, the returned problem code and arguments say why (for the catalogue).
func CheckUSCC(code string) (ok bool, problem string, args []string) {
	if len(code) != 18 {
		return false, PUSCCLength, nil
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(usccAlphabet, code[i])
		if v < 0 {
			return false, PUSCCChar, []string{strconv.Itoa(i + 1), code[i : i+1]}
		}
		sum += v * usccWeights[i]
	}
	want := usccAlphabet[(31-sum%31)%31]
	if code[17] != want {
		return false, PUSCCCheck, []string{string(want)}
	}
	return true, "", nil
}

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
