package graph

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Date is a calendar date in ISO form "2006-01-02"; the empty Date means unknown.
// ISO strings order like the dates they name, so Dates compare with < and >.
type Date string

// Time returns the date at midnight UTC; the zero time for the empty Date.
func (d Date) Time() time.Time {
	t, _ := time.Parse(time.DateOnly, string(d))
	return t
}

// DateOf returns the Date of t's calendar day.
func DateOf(t time.Time) Date { return Date(t.Format(time.DateOnly)) }

var dateForms = regexp.MustCompile(`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$`)

// excelEpoch is day 0 of Excel's 1900 date system (which counts a fictitious
// 1900-02-29, hence the 30th rather than the 31st of December).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// ParseDate reads the date forms officials' spreadsheets contain: 2024-01-31,
// 2024/1/31, 2024.1.31, 2024年1月31日, 20240131, an Excel serial day number (as left by
// a cell that lost its date format), and an ISO timestamp whose time part is dropped.
// Empty input gives the empty Date.
func ParseDate(s string) (Date, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", true
	}
	if len(s) == 10 && s[4] == '-' && s[7] == '-' && allDigits(s[:4]) && allDigits(s[5:7]) && allDigits(s[8:]) {
		return civil(s[:4], s[5:7], s[8:]) // the common ISO case, without the regexp
	}
	if m := dateForms.FindStringSubmatch(s); m != nil {
		return civil(m[1], m[2], m[3])
	}
	if len(s) == 8 && allDigits(s) {
		return civil(s[:4], s[4:6], s[6:])
	}
	if allDigits(s) || isDecimal(s) {
		f, err := strconv.ParseFloat(s, 64)
		// Serial 1 is 1900-01-01, 2958465 is 9999-12-31; before 1900-03-01 the serials
		// are skewed by Excel's leap-year bug, so those are refused.
		if err != nil || f < 61 || f > 2958465 {
			return "", false
		}
		return DateOf(excelEpoch.AddDate(0, 0, int(f))), true
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return DateOf(t), true
	}
	if len(s) > 10 && (s[10] == 'T' || s[10] == ' ') {
		if d, ok := ParseDate(s[:10]); ok && d != "" {
			return d, true
		}
	}
	return "", false
}

func civil(ys, ms, ds string) (Date, bool) {
	y, _ := strconv.Atoi(ys)
	m, _ := strconv.Atoi(ms)
	d, _ := strconv.Atoi(ds)
	if y < 1800 || m < 1 || m > 12 || d < 1 || d > 31 {
		return "", false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d { // 2023-02-30 rolls over; refuse it
		return "", false
	}
	return DateOf(t), true
}

// allDigits reports whether s is non-empty and only ASCII digits.
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// isDecimal reports whether s is digits with one interior dot, e.g. "45292.5".
func isDecimal(s string) bool {
	i := strings.IndexByte(s, '.')
	return i > 0 && allDigits(s[:i]) && allDigits(s[i+1:])
}
