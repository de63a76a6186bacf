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
