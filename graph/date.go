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
// a cell that lost its date format), and a timestamp (RFC 3339, or a date and a clock
// time such as 2024-01-31 08:30:00) whose time part is dropped. Empty input gives the
// empty Date. Anything else is refused rather than guessed at: a range
// (2024-01-31 至 2024-12-31), a date followed by other text, and six or seven digits
// (202401, 2024013), which are truncated dates, not serials.
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
	if whole, _, _ := strings.Cut(s, "."); allDigits(s) || isDecimal(s) {
		// Serial 61 is 1900-03-01 (before it, serials are skewed by Excel's leap-year
		// bug), and at most five digits: 99999 is 2173-10-13, and 6–7 digits are
		// dates missing a digit, not serials.
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || len(whole) > maxSerialDigits || f < 61 {
			return "", false
		}
		return DateOf(excelEpoch.AddDate(0, 0, int(f))), true
	}
	for _, layout := range timestampLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return civilOf(t)
		}
	}
	return "", false
}

// maxSerialDigits bounds the integer part of an Excel serial date.
const maxSerialDigits = 5

// timestampLayouts are the timestamps ParseDate accepts, the time part dropped;
// time.Parse insists on the whole string, so nothing may follow.
var timestampLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04",
	"2006-01-02 15:04:05.999999999", "2006-01-02 15:04", "2006-01-02 15:04:05Z07:00"}

// civilOf is DateOf for a parsed timestamp, refusing years civil refuses.
func civilOf(t time.Time) (Date, bool) {
	if t.Year() < minYear {
		return "", false
	}
	return DateOf(t), true
}

// minYear is the earliest year a date may have; earlier ones are typing mistakes.
const minYear = 1800

// Valid reports whether d is empty or a real calendar day written the way Dates
// are stored: "2006-01-02", year 1800 or later. Dates from a spreadsheet come from
// ParseDate and are always valid; one from a JSON body may be anything.
func (d Date) Valid() bool {
	if d == "" {
		return true
	}
	t, err := time.Parse(time.DateOnly, string(d))
	return err == nil && t.Year() >= minYear && DateOf(t) == d
}

// AddYears returns the date n years after d (Feb 29 rolls to Mar 1).
func (d Date) AddYears(n int) Date { return DateOf(d.Time().AddDate(n, 0, 0)) }

func civil(ys, ms, ds string) (Date, bool) {
	y, _ := strconv.Atoi(ys)
	m, _ := strconv.Atoi(ms)
	d, _ := strconv.Atoi(ds)
	if y < minYear || m < 1 || m > 12 || d < 1 || d > 31 {
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
