package pinyin

import (
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Index is a search index over a fixed list of names. It is immutable after
// NewIndex and safe for concurrent use.
//
// All folded (lower-cased) names are stored in one string, each followed by
// a NUL byte, with one offset per name; the initials are stored the same
// way. For 1M names this is a handful of large allocations, so the index
// costs little GC work and memory beyond the text itself.
type Index struct {
	names    string   // folded names, each followed by 0x00
	nameOff  []uint32 // name i is names[nameOff[i] : nameOff[i+1]-1]
	inits    string   // initials, each followed by 0x00
	initOff  []uint32
	runeLens []uint16 // rune count of the original name, capped at 65535
}

// DefaultLimit is the number of results Search returns when limit ≤ 0.
const DefaultLimit = 50

// Match ranks, best first.
const (
	rankExact = iota
	rankPrefix
	rankSubstring
	rankInitialsPrefix
	rankInitialsSubstring
)

// NewIndex builds an index over names. Result indices of Search refer to
// positions in names. It panics if the folded text exceeds 4 GiB.
func NewIndex(names []string) *Index {
	total := 0
	for _, s := range names {
		total += len(s) + 1
	}
	if total > math.MaxUint32 {
		panic("pinyin: names too large for index")
	}
	ix := &Index{
		nameOff:  make([]uint32, len(names)+1),
		initOff:  make([]uint32, len(names)+1),
		runeLens: make([]uint16, len(names)),
	}
	nb := make([]byte, 0, total)
	ib := make([]byte, 0, total/3+len(names))
	for i, s := range names {
		ix.nameOff[i] = uint32(len(nb))
		ix.initOff[i] = uint32(len(ib))
		nb = appendFolded(nb, s)
		nb = append(nb, 0)
		ib = appendInitials(ib, s)
		ib = append(ib, 0)
		n := utf8.RuneCountInString(s)
		if n > math.MaxUint16 {
			n = math.MaxUint16
		}
		ix.runeLens[i] = uint16(n)
	}
	if len(nb) > math.MaxUint32 {
		panic("pinyin: names too large for index")
	}
	ix.nameOff[len(names)] = uint32(len(nb))
	ix.initOff[len(names)] = uint32(len(ib))
	ix.names = string(nb)
	ix.inits = string(ib)
	return ix
}

// Len returns the number of indexed names.
func (ix *Index) Len() int { return len(ix.runeLens) }

// appendFolded appends the case-folded form of s used for substring search:
// full-width ASCII becomes ASCII, letters are lower-cased, NUL is dropped.
func appendFolded(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			if b >= 'A' && b <= 'Z' {
				b += 'a' - 'A'
			}
			if b != 0 {
				dst = append(dst, b)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r >= cjkLo && r <= cjkHi {
			dst = append(dst, s[i:i+size]...)
		} else {
			r = foldRune(r)
			if r >= utf8.RuneSelf {
				r = unicode.ToLower(r)
			}
			if r != 0 {
				dst = utf8.AppendRune(dst, r)
			}
		}
		i += size
	}
	return dst
}

// Search returns the indices of the names matching query, best first, at
// most limit of them (DefaultLimit if limit ≤ 0).
//
// A name matches if the query, case-folded like the names (ASCII and
// full-width letters lower-cased, full-width ASCII mapped to ASCII, leading
// and trailing spaces trimmed), is a substring of the name, or — when the
// query is ASCII — if the query's letters and digits are a substring of the
// name's Initials. Results are ranked: exact name match, name prefix, name
// substring, initials prefix, initials substring; then shorter names (in
// runes) first; then lower index.
//
// keep, if not nil, filters candidates: a name is returned only if
// keep(i) is true. keep is called only for names that would otherwise make
// the result list, at most once per name, from the calling goroutine; it
// should be a pure function of i. An empty query returns nil.
func (ix *Index) Search(query string, limit int, keep func(i int) bool) []int {
	if limit <= 0 {
		limit = DefaultLimit
	}
	q := string(appendFolded(nil, strings.TrimSpace(query)))
	q = strings.TrimSpace(q) // trailing full-width spaces
	if q == "" {
		return nil
	}
	top := topK{limit: limit}
	ix.scan(ix.names, ix.nameOff, q, rankExact, &top, keep, "")

	ascii := true
	for i := 0; i < len(q); i++ {
		if q[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		iq := make([]byte, 0, len(q))
		for i := 0; i < len(q); i++ {
			if b := q[i]; b >= 'a' && b <= 'z' || b >= '0' && b <= '9' {
				iq = append(iq, b)
			}
		}
		if len(iq) > 0 {
			ix.scan(ix.inits, ix.initOff, string(iq), rankInitialsPrefix, &top, keep, q)
		}
	}
	return top.result()
}

// scan finds all entries of text (laid out as described on Index) that
// contain q and offers them to top. base is rankExact for names and
// rankInitialsPrefix for initials. For the initials pass, nameQuery is the
// folded query: names containing it were already offered by the name pass
// and are skipped.
func (ix *Index) scan(text string, off []uint32, q string, base int, top *topK, keep func(int) bool, nameQuery string) {
	n := len(off) - 1
	cur := 0
	pos := 0
	for pos < len(text) {
		j := strings.Index(text[pos:], q)
		if j < 0 {
			return
		}
		p := pos + j
		cur = locate(off, uint32(p), cur)
		start, end := int(off[cur]), int(off[cur+1])-1
		rank := base + 2
		if p == start {
			rank = base + 1
			if base == rankExact && p+len(q) == end {
				rank = rankExact
			}
		}
		key := uint64(rank)<<48 | uint64(ix.runeLens[cur])<<32 | uint64(cur)
		if top.wants(key) &&
			(nameQuery == "" || !strings.Contains(ix.names[ix.nameOff[cur]:ix.nameOff[cur+1]-1], nameQuery)) &&
			(keep == nil || keep(cur)) {
			top.push(key)
		}
		// Later occurrences in the same entry cannot rank better.
		pos = end + 1
		cur++
		if cur >= n {
			return
		}
	}
}

// locate returns the entry i ≥ lo with off[i] ≤ p < off[i+1], galloping
// from lo since matches arrive in increasing order.
func locate(off []uint32, p uint32, lo int) int {
	last := len(off) - 1 // off[last] > p
	hi := lo + 1
	for step := 1; hi < last && off[hi] <= p; step <<= 1 {
		lo = hi
		hi += step
	}
	if hi > last {
		hi = last
	}
	// off[lo] ≤ p < off[hi]
	for hi-lo > 1 {
		m := int(uint(lo+hi) >> 1)
		if off[m] <= p {
			lo = m
		} else {
			hi = m
		}
	}
	return lo
}

// topK keeps the limit smallest keys in a max-heap. A key packs
// rank<<48 | runeLen<<32 | index, so smaller is better.
type topK struct {
	limit int
	h     []uint64
}

func (t *topK) wants(key uint64) bool {
	return len(t.h) < t.limit || key < t.h[0]
}

func (t *topK) push(key uint64) {
	h := t.h
	if len(h) < t.limit {
		h = append(h, key)
		for i := len(h) - 1; i > 0; {
			p := (i - 1) / 2
			if h[p] >= h[i] {
				break
			}
			h[p], h[i] = h[i], h[p]
			i = p
		}
		t.h = h
		return
	}
	h[0] = key
	for i := 0; ; {
		l, m := 2*i+1, i
		if l < len(h) && h[l] > h[m] {
			m = l
		}
		if r := l + 1; r < len(h) && h[r] > h[m] {
			m = r
		}
		if m == i {
			break
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
}

func (t *topK) result() []int {
	if len(t.h) == 0 {
		return nil
	}
	slices.Sort(t.h)
	out := make([]int, len(t.h))
	for i, k := range t.h {
		out[i] = int(uint32(k))
	}
	return out
}
