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
		{"1e3", 0, false, ""},
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
