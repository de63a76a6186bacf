package io

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	stdio "io"
	"math"
	"os"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// Sector is one row (and column) of an input–output table: a country-industry such as
// {Country: "CHN", Industry: "c14"} for the WIOD code "CHN_c14", or a whole country
// {Country: "CHN"} in a country-level table (see Aggregate).
type Sector struct {
	Country  string `json:"country"`
	Industry string `json:"industry"`
}

// Code is the WIOD spelling of the sector, Country + "_" + Industry, or Country
// alone for a whole country (Industry "", as in a table aggregated by Country).
func (s Sector) Code() string {
	if s.Industry == "" {
		return s.Country
	}
	return s.Country + "_" + s.Industry
}

// Table is an input–output table with n sectors, all flows in the same unit (WIOD:
// millions of current USD).
//
//   - Sectors: the n sectors, in the order of the gross-output file.
//   - Z: n×n intermediate use; Z[i][j] is what sector j buys from sector i.
//   - Y: gross output of each sector.
//   - Final: total final use of each sector's output, summed over every final-use
//     column of every country, inventory change included.
//   - Inventory: N_i, the change in inventories of sector i's output, the row sum of the
//     INVEN final-use columns of every country (it may be negative).
//
// A Table is only read by the functions of this package, never modified.
type Table struct {
	Sectors   []Sector
	Z         *mat.Dense
	Y         []float64
	Final     []float64
	Inventory []float64
}

// ReadWIOD reads a WIOD world input–output table split into three CSV files, each
// either gzip-compressed (detected by its magic bytes, whatever its name) or plain:
//
//   - outputPath: header then "code,gross output" rows (e.g. "AUS_c1,27341.0"); it fixes
//     the sectors and their order.
//   - interPath: header then "from,to,value" rows of intermediate use; pairs absent
//     from the file are zero, a pair listed twice is an error.
//   - finalPath: a header whose first cell is ignored and whose other cells are
//     "COUNTRY_CATEGORY" (e.g. "CHN_CONS_h", "RoW_INVEN"), then one row per sector
//     (the sector code, then the values). Columns whose category is INVEN make up
//     Table.Inventory; all columns make up Table.Final. Every sector must have a row.
//
// Sector codes are split at their last underscore into country and industry. Errors
// name the file, and where it applies the line and column.
func ReadWIOD(interPath, finalPath, outputPath string) (*Table, error) {
	t := &Table{}
	index := map[string]int{}
	err := readCSV(outputPath, func(header bool, line int, rec []string) error {
		if header {
			return nil
		}
		if len(rec) < 2 {
			return fmt.Errorf("line %d: want 2 columns (code,output), got %d", line, len(rec))
		}
		code := strings.TrimSpace(rec[0])
		s, err := parseSector(code)
		if err != nil {
			return fmt.Errorf("line %d, column 1: %w", line, err)
		}
		if _, dup := index[code]; dup {
			return fmt.Errorf("line %d, column 1: sector %q listed twice", line, code)
		}
		y, err := parseNum(rec[1])
		if err != nil {
			return fmt.Errorf("line %d, column 2 (output): %w", line, err)
		}
		index[code] = len(t.Sectors)
		t.Sectors = append(t.Sectors, s)
		t.Y = append(t.Y, y)
		return nil
	})
	if err != nil {
		return nil, err
	}
	n := len(t.Sectors)
	if n == 0 {
		return nil, fmt.Errorf("%s: no sectors", outputPath)
	}

	z := make([]float64, n*n)
	seen := make([]bool, n*n)
	err = readCSV(interPath, func(header bool, line int, rec []string) error {
		if header {
			return nil
		}
		if len(rec) < 3 {
			return fmt.Errorf("line %d: want 3 columns (from,to,value), got %d", line, len(rec))
		}
		var ij [2]int
		for c := 0; c < 2; c++ {
			k, ok := index[strings.TrimSpace(rec[c])]
			if !ok {
				return fmt.Errorf("line %d, column %d: sector %q is not in %s", line, c+1, rec[c], outputPath)
			}
			ij[c] = k
		}
		v, err := parseNum(rec[2])
		if err != nil {
			return fmt.Errorf("line %d, column 3 (value): %w", line, err)
		}
		p := ij[0]*n + ij[1]
		if seen[p] {
			return fmt.Errorf("line %d: pair %s→%s listed twice", line, rec[0], rec[1])
		}
		seen[p] = true
		z[p] = v
		return nil
	})
	if err != nil {
		return nil, err
	}
	t.Z = mat.NewDense(n, n, z)

	t.Final = make([]float64, n)
	t.Inventory = make([]float64, n)
	var inven []bool
	got := make([]bool, n)
	err = readCSV(finalPath, func(header bool, line int, rec []string) error {
		if header {
			inven = make([]bool, len(rec))
			for c := 1; c < len(rec); c++ {
				h := strings.TrimSpace(rec[c])
				k := strings.IndexByte(h, '_')
				if k <= 0 || k == len(h)-1 {
					return fmt.Errorf("line 1, column %d: header %q is not COUNTRY_CATEGORY", c+1, h)
				}
				inven[c] = strings.EqualFold(h[k+1:], "INVEN")
			}
			return nil
		}
		if len(rec) != len(inven) {
			return fmt.Errorf("line %d: %d columns, header has %d", line, len(rec), len(inven))
		}
		code := strings.TrimSpace(rec[0])
		i, ok := index[code]
		if !ok {
			return fmt.Errorf("line %d, column 1: sector %q is not in %s", line, code, outputPath)
		}
		if got[i] {
			return fmt.Errorf("line %d, column 1: sector %q listed twice", line, code)
		}
		got[i] = true
		for c := 1; c < len(rec); c++ {
			v, err := parseNum(rec[c])
			if err != nil {
				return fmt.Errorf("line %d, column %d: %w", line, c+1, err)
			}
			t.Final[i] += v
			if inven[c] {
				t.Inventory[i] += v
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i, ok := range got {
		if !ok {
			return nil, fmt.Errorf("%s: no row for sector %s", finalPath, t.Sectors[i].Code())
		}
	}
	return t, nil
}

func parseSector(code string) (Sector, error) {
	k := strings.LastIndexByte(code, '_')
	if k <= 0 || k == len(code)-1 {
		return Sector{}, fmt.Errorf("sector code %q is not COUNTRY_INDUSTRY", code)
	}
	return Sector{Country: code[:k], Industry: code[k+1:]}, nil
}

func parseNum(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "NA" {
		return 0, fmt.Errorf("missing value %q", s)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("not a number: %q", s)
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("not a finite number: %q", s)
	}
	return v, nil
}

// readCSV calls fn with each record of path, the first flagged as the header, with the
// line it starts on (numbered from 1),
// gunzipping when the file starts with the gzip magic bytes. Errors are prefixed with
// the path.
func readCSV(path string, fn func(header bool, line int, rec []string) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<16)
	var r stdio.Reader = br
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		defer gz.Close()
		r = gz
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	for k := 0; ; k++ {
		rec, err := cr.Read()
		if errors.Is(err, stdio.EOF) {
			if k == 0 {
				return fmt.Errorf("%s: empty file", path)
			}
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		line, _ := cr.FieldPos(0)
		if err := fn(k == 0, line, rec); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
}
