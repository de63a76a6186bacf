package pinyin

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/width"
)

var rankNames = []string{
	0: "江苏鱼跃医疗设备股份有限公司", // jsyyylsbgfyxgs
	1: "鱼跃",             // yy
	2: "鱼跃医疗",           // yyyl
	3: "上海鱼跃贸易有限公司",     // shyymyyxgs
	4: "云阳医院",           // yyyy
	5: "鱼跃科技有限公司",       // yykjyxgs
	6: "YY直播",           // yyzb, name contains "yy"
	7: "ABB（中国）有限公司",    // abbzgyxgs
	8: "北汽蓝谷麦格纳",        // bqlgmgn
}

func TestSearch(t *testing.T) {
	ix := NewIndex(rankNames)
	odd := func(i int) bool { return i%2 == 1 }
	tests := []struct {
		name  string
		query string
		limit int
		keep  func(int) bool
		want  []int
	}{
		{"chinese ranking", "鱼跃", 0, nil, []int{1, 2, 5, 3, 0}},
		{"initials ranking", "yy", 0, nil, []int{6, 1, 2, 4, 5, 3, 0}},
		{"upper-case query", "YY", 0, nil, []int{6, 1, 2, 4, 5, 3, 0}},
		{"full-width query", "ＹＹ", 0, nil, []int{6, 1, 2, 4, 5, 3, 0}},
		{"initials exact", "jsyy", 0, nil, []int{0}},
		{"initials substring", "lgm", 0, nil, []int{8}},
		{"initials with spaces", " jsyy ", 0, nil, []int{0}},
		{"keep filter", "yy", 0, odd, []int{1, 5, 3}},
		{"limit", "yy", 2, nil, []int{6, 1}},
		{"limit with keep", "yy", 2, odd, []int{1, 5}},
		{"case-insensitive name", "abb", 0, nil, []int{7}},
		{"name with full-width paren", "abb(中国", 0, nil, []int{7}},
		{"exact beats prefix", "鱼跃医疗", 0, nil, []int{2, 0}},
		{"substring", "有限公司", 0, nil, []int{5, 3, 7, 0}},
		{"no match", "zzzz", 0, nil, nil},
		{"chinese no initials", "麦格纳", 0, nil, []int{8}},
		{"empty query", "", 0, nil, nil},
		{"blank query", "  　", 0, nil, nil},
		{"symbols only", "（）", 0, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ix.Search(tt.query, tt.limit, tt.keep)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Search(%q, %d) = %v, want %v", tt.query, tt.limit, got, tt.want)
			}
		})
	}
}

func TestSearchKeepCalledOnce(t *testing.T) {
	ix := NewIndex(rankNames)
	calls := map[int]int{}
	ix.Search("yy", 0, func(i int) bool { calls[i]++; return true })
	for i, n := range calls {
		if n != 1 {
			t.Errorf("keep(%d) called %d times", i, n)
		}
	}
	if calls[6] != 1 {
		t.Errorf("keep(6) not called")
	}
}

func TestSearchDefaultLimit(t *testing.T) {
	names := make([]string, 80)
	for i := range names {
		names[i] = fmt.Sprintf("测试%d公司", i)
	}
	ix := NewIndex(names)
	for _, limit := range []int{0, -1} {
		if got := ix.Search("公司", limit, nil); len(got) != DefaultLimit {
			t.Errorf("limit %d: %d results, want %d", limit, len(got), DefaultLimit)
		}
	}
	if got := ix.Search("公司", 100, nil); len(got) != 80 {
		t.Errorf("limit 100: %d results, want 80", len(got))
	}
	// Same length: lower index first.
	got := ix.Search("测试", 3, nil)
	if !slices.Equal(got, []int{0, 1, 2}) {
		t.Errorf("tie order %v", got)
	}
}

func TestSearchEmptyIndex(t *testing.T) {
	for _, names := range [][]string{nil, {""}, {"", "鱼跃", ""}} {
		ix := NewIndex(names)
		got := ix.Search("鱼", 0, nil)
		want := []int(nil)
		if len(names) == 3 {
			want = []int{1}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%q: got %v, want %v", names, got, want)
		}
	}
}

// TestSearchMatchesBruteForce compares Search with a direct implementation
// of its specification on random names.
func TestSearchMatchesBruteForce(t *testing.T) {
	names := synthNames(3000, 7)
	ix := NewIndex(names)
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 300; trial++ {
		name := names[rng.IntN(len(names))]
		var q string
		if trial%2 == 0 {
			rs := []rune(name)
			a := rng.IntN(len(rs))
			b := a + 1 + rng.IntN(min(3, len(rs)-a))
			q = string(rs[a:b])
		} else {
			in := Initials(name)
			a := rng.IntN(len(in))
			b := a + 1 + rng.IntN(min(4, len(in)-a))
			q = in[a:b]
		}
		limit := 1 + rng.IntN(30)
		keep := func(i int) bool { return i%3 != 0 }
		got := ix.Search(q, limit, keep)
		want := bruteSearch(names, q, limit, keep)
		if !slices.Equal(got, want) {
			t.Fatalf("Search(%q, %d) = %v, want %v", q, limit, got, want)
		}
	}
}

func bruteSearch(names []string, q string, limit int, keep func(int) bool) []int {
	type hit struct{ rank, n, i int }
	var hits []hit
	fold := func(s string) string { return strings.ToLower(width.Fold.String(s)) }
	q = fold(q)
	ascii := true
	for _, r := range q {
		if r >= 0x80 {
			ascii = false
		}
	}
	for i, name := range names {
		if !keep(i) {
			continue
		}
		ln := fold(name)
		in := Initials(name)
		rank := -1
		switch {
		case ln == q:
			rank = 0
		case strings.HasPrefix(ln, q):
			rank = 1
		case strings.Contains(ln, q):
			rank = 2
		case ascii && strings.HasPrefix(in, q):
			rank = 3
		case ascii && strings.Contains(in, q):
			rank = 4
		}
		if rank >= 0 {
			hits = append(hits, hit{rank, len([]rune(name)), i})
		}
	}
	slices.SortFunc(hits, func(a, b hit) int {
		if a.rank != b.rank {
			return a.rank - b.rank
		}
		if a.n != b.n {
			return a.n - b.n
		}
		return a.i - b.i
	})
	var out []int
	for _, h := range hits {
		if len(out) == limit {
			break
		}
		out = append(out, h.i)
	}
	return out
}

func TestSearchConcurrent(t *testing.T) {
	ix := NewIndex(synthNames(20000, 3))
	want := ix.Search("kj", 20, nil)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; k < 20; k++ {
				if got := ix.Search("kj", 20, nil); !slices.Equal(got, want) {
					t.Errorf("concurrent result differs")
					return
				}
			}
		}()
	}
	wg.Wait()
}

// synthNames generates n company-like names from common name parts.
func synthNames(n int, seed uint64) []string {
	regions := []string{"江苏", "上海", "北京", "深圳", "镇江", "扬中", "丹阳", "句容", "苏州", "无锡", "常州", "杭州", "宁波", "合肥", "重庆", "成都", "西安", "武汉", "广州", "厦门", "青岛", "天津", "南京", "泸州", "衢州", ""}
	cores := []rune("鱼跃天奈孚能宁德时代隆基绿能华为中兴恒瑞鑫淼垚昊晟璞琪锂钴钛氢旻翔烨禾坤曦汇泓澜渤骏骐芯苒蔚硕金银泰安康盛达通信电子光伏新材料国际创远")
	industries := []string{"科技", "医疗", "新能源", "电子", "材料", "机械", "化工", "汽车", "动力", "信息", "投资", "贸易", "物流", "建设", "智能", "生物", "半导体", "环保"}
	suffixes := []string{"有限公司", "股份有限公司", "集团有限公司", "有限责任公司", "（集团）股份有限公司", "研究院", "分公司"}
	rng := rand.New(rand.NewPCG(seed, seed^0x9E3779B97F4A7C15))
	names := make([]string, n)
	var b strings.Builder
	for i := range names {
		b.Reset()
		b.WriteString(regions[rng.IntN(len(regions))])
		for k := 2 + rng.IntN(3); k > 0; k-- {
			b.WriteRune(cores[rng.IntN(len(cores))])
		}
		b.WriteString(industries[rng.IntN(len(industries))])
		if rng.IntN(10) == 0 {
			b.WriteString("(ABC)")
		}
		b.WriteString(suffixes[rng.IntN(len(suffixes))])
		names[i] = b.String()
	}
	return names
}

var (
	benchOnce  sync.Once
	benchNames []string
	benchIndex *Index
)

func benchSetup(b *testing.B) {
	benchOnce.Do(func() {
		benchNames = synthNames(1_000_000, 42)
		start := time.Now()
		benchIndex = NewIndex(benchNames)
		b.Logf("NewIndex(1M names): %v", time.Since(start))
	})
}

func BenchmarkInitials(b *testing.B) {
	s := "江苏鱼跃医疗设备股份有限公司"
	for b.Loop() {
		_ = Initials(s)
	}
}

func BenchmarkNewIndex1M(b *testing.B) {
	names := synthNames(1_000_000, 42)
	b.ReportAllocs()
	for b.Loop() {
		_ = NewIndex(names)
	}
}

func BenchmarkSearch1M(b *testing.B) {
	benchSetup(b)
	for _, q := range []string{"鱼跃", "鑫淼", "有限公司", "jsyy", "yy", "gs", "zzzzqq"} {
		b.Run(q, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = benchIndex.Search(q, 50, nil)
			}
		})
	}
	b.Run("keep-odd/yy", func(b *testing.B) {
		keep := func(i int) bool { return i%2 == 1 }
		for b.Loop() {
			_ = benchIndex.Search("yy", 50, keep)
		}
	})
}
