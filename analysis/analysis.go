// Package analysis holds what every chainmap analysis shares: the reasons that make a
// result defensible to an official's leader. The analyses themselves live in
// sub-packages (snapshot, diagnose, targets, leaders, choke), all reading an immutable
// snapshot.Snapshot and never a store.
package analysis

import "fmt"

// Reason is one fact behind a verdict, in Chinese and English, with a stable code
// for programs and the numbers it rests on.
type Reason struct {
	Code  string             `json:"code"`
	ZH    string             `json:"zh"`
	EN    string             `json:"en"`
	Facts map[string]float64 `json:"facts,omitempty"`
}

// Because builds a Reason from a code, both texts (fmt formats) and shared args.
func Because(code, zh, en string, args ...any) Reason {
	return Reason{Code: code, ZH: fmt.Sprintf(zh, args...), EN: fmt.Sprintf(en, args...)}
}

// With returns r carrying the named number.
func (r Reason) With(name string, v float64) Reason {
	if r.Facts == nil {
		r.Facts = map[string]float64{}
	}
	r.Facts[name] = v
	return r
}

// Lang is the language of a rendered table: ZH (the default) heads each column in
// Chinese and English and writes values in Chinese; EN writes everything in English.
type Lang string

const (
	ZH Lang = "zh"
	EN Lang = "en"
)

// ParseLang reads a --lang / ?lang value; "" means ZH.
func ParseLang(s string) (Lang, error) {
	switch s {
	case "", "zh", "zh-CN", "cn":
		return ZH, nil
	case "en", "en-US", "en-GB":
		return EN, nil
	}
	return ZH, fmt.Errorf("未知语言 %q（zh|en）/ unknown language %q (zh|en)", s, s)
}

// Pick returns the text in language l.
func (l Lang) Pick(zh, en string) string {
	if l == EN {
		return en
	}
	return zh
}

// Head returns a column heading: "中文 English" in ZH, the English alone in EN.
func (l Lang) Head(zh, en string) string {
	if l == EN {
		return en
	}
	return zh + " " + en
}

// In returns the reason's text in language l.
func (r Reason) In(l Lang) string { return l.Pick(r.ZH, r.EN) }

// Join returns the reasons' texts in language l, joined as a sentence list.
func Join(rs []Reason, l Lang) string {
	sep := "；"
	if l == EN {
		sep = "; "
	}
	out := ""
	for i, r := range rs {
		if i > 0 {
			out += sep
		}
		out += r.In(l)
	}
	return out
}

// TierName names a link tier in language l.
func TierName(t string, l Lang) string {
	zh := map[string]string{"upstream": "上游", "midstream": "中游", "downstream": "下游"}[t]
	if l == EN || zh == "" {
		return t
	}
	return zh
}
