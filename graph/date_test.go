package graph

import "testing"

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want Date
		ok   bool
	}{
		{"", "", true},
		{"2024-01-31", "2024-01-31", true},
		{"2024/1/5", "2024-01-05", true},
		{"2024.1.5", "2024-01-05", true},
		{"2024年1月5日", "2024-01-05", true},
		{"2024年01月05", "2024-01-05", true},
		{"20240105", "2024-01-05", true},
		{"45296", "2024-01-05", true}, // Excel serial
		{"45296.75", "2024-01-05", true},
		{"2024-01-05T08:30:00+08:00", "2024-01-05", true},
		{"2024-01-05 08:30:00", "2024-01-05", true},
		{"2023-02-30", "", false},
		{"2024-13-01", "", false},
		{"yesterday", "", false},
		{"12", "", false}, // too small to be a plausible serial
		{"-45296", "", false},
		// Issue 15 #8: truncated dates, ranges and trailing text were read as dates.
		{"2024013", "", false},                 // was serial → 7441-07-22
		{"202401", "", false},                  // was serial → 2454-02-24
		{"2024-01-31 至 2024-12-31", "", false}, // was 2024-01-31
		{"2024-01-31 garbage", "", false},      // was 2024-01-31
		{"2024-01-31T08:30:00 garbage", "", false},
		{"2024-01-31 08:30", "2024-01-31", true},
		{"2024-01-31T08:30:00", "2024-01-31", true},
		{"2024-01-31 08:30:00.123", "2024-01-31", true},
		{"2024-01-31 08:30:00+08:00", "2024-01-31", true},
		{"2024-01-31T25:00:00", "", false},
		{"99999", "2173-10-13", true}, // the largest serial
		{"100000", "", false},
		{"0001-01-01T00:00:00Z", "", false},
		{"1799-12-31", "", false},
		{"45296e0", "", false},
	}
	for _, tt := range tests {
		got, ok := ParseDate(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseDate(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestYi(t *testing.T) {
	tests := []struct {
		in   string
		wan  int64
		ok   bool
		back string
	}{
		{"12.5", 125000, true, "12.5"},
		{"1094.6", 10946000, true, "1094.6"},
		{"0.0001", 1, true, "0.0001"},
		{"3", 30000, true, "3"},
		{"3.10", 31000, true, "3.1"},
		{"0.00001", 0, false, ""},
		{"1e3", 10000000, true, "1000"}, // Excel stores 0.0001 as 1E-4
		{"1E-4", 1, true, "0.0001"},
		{"", 0, false, ""},
		{"abc", 0, false, ""},
	}
	for _, tt := range tests {
		wan, ok := ParseYi(tt.in)
		if wan != tt.wan || ok != tt.ok {
			t.Errorf("ParseYi(%q) = %d, %v; want %d, %v", tt.in, wan, ok, tt.wan, tt.ok)
		}
		if ok && FormatYi(wan) != tt.back {
			t.Errorf("FormatYi(%d) = %q; want %q", wan, FormatYi(wan), tt.back)
		}
	}
}

func TestDateValid(t *testing.T) {
	for d, want := range map[Date]bool{"": true, "2024-01-31": true, "2024-02-29": true, "2023-02-29": false,
		"2024-1-31": false, "2024/01/31": false, "20240131": false, "2024-01-31 garbage": false, "1799-12-31": false,
		"9999-12-31": true, " 2024-01-31": false} {
		if got := d.Valid(); got != want {
			t.Errorf("Date(%q).Valid() = %v, want %v", d, got, want)
		}
	}
}
