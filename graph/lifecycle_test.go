package graph

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

var now = time.Date(2025, 7, 1, 9, 0, 0, 0, time.UTC)

func TestAdvance(t *testing.T) {
	signed := Project{ID: "P", Name: "项目", RegionCode: "1", Stage: Signed, SignedOn: "2025-01-10"}
	producing := Project{ID: "P", Name: "项目", RegionCode: "1", Stage: Producing, SignedOn: "2024-01-10",
		StartedOn: "2024-03-01", ProducingOn: "2025-01-01"}
	tests := []struct {
		name    string
		from    Project
		t       Transition
		wantErr string // a fragment of the message, "" = success
		check   func(Project) bool
	}{
		{"start", signed, Transition{To: Started, On: "2025-02-01"}, "", func(p Project) bool { return p.Stage == Started && p.StartedOn == "2025-02-01" }},
		{"no skipping", signed, Transition{To: Producing, On: "2025-02-01"}, "cannot be skipped", nil},
		{"date needed", signed, Transition{To: Started}, "date the stage was reached", nil},
		{"date before the previous stage", signed, Transition{To: Started, On: "2025-01-01"}, "", nil},
		{"future date", signed, Transition{To: Started, On: "2026-01-01"}, "future", nil},
		{"same stage", signed, Transition{To: Signed, On: "2025-01-10"}, "already", nil},
		{"drop needs a note", signed, Transition{To: Dropped}, "note", nil},
		{"drop", producing, Transition{To: Dropped, Note: "投资方撤资"}, "", func(p Project) bool { return p.Stage == Dropped && p.ProducingOn == "2025-01-01" }},
		{"back needs a correction", producing, Transition{To: Started}, "--correction", nil},
		{"back with a correction clears later dates", producing, Transition{To: Started, Correction: true, Note: "误报投产"}, "",
			func(p Project) bool { return p.Stage == Started && p.ProducingOn == "" && p.StartedOn == "2024-03-01" }},
		{"unknown stage", signed, Transition{To: "done"}, "unknown stage", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ev, err := Advance(tt.from, tt.t, now)
			switch {
			case tt.name == "date before the previous stage":
				if err == nil {
					t.Fatal("a start before signing must be refused")
				}
				return
			case tt.wantErr != "":
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				if ErrorCode(err) != EINVALID {
					t.Errorf("code %s", ErrorCode(err))
				}
				return
			case err != nil:
				t.Fatal(err)
			}
			if !tt.check(got) {
				t.Errorf("project after: %+v", got)
			}
			if ev.From != tt.from.Stage || ev.To != tt.t.To || ev.At != "2025-07-01T09:00:00Z" || ev.Validate() != nil {
				t.Errorf("event %+v (%v)", ev, ev.Validate())
			}
		})
	}
}

func TestPlanProjectEvents(t *testing.T) {
	base := Project{ID: "A", Name: "a", RegionCode: "1", Stage: Signed, SignedOn: "2025-01-10"}
	started := base
	started.Stage, started.StartedOn = Started, "2025-03-01"
	renamed := base
	renamed.Name = "a2"
	dropped := base
	dropped.Stage = Dropped
	stored := map[string]StoredProject{"A": {Project: base, Events: 2}}
	tests := []struct {
		name  string
		in    Project
		given []ProjectEvent
		kind  string
		event string // "seq:from>to" of the generated event, "" = none
	}{
		{"unchanged", base, nil, "", ""},
		{"new", Project{ID: "B", Name: "b", RegionCode: "1", Stage: Negotiating}, nil, "new", "1:>negotiating"},
		{"advanced", started, nil, "advanced", "3:signed>started"},
		{"updated without a stage change", renamed, nil, "updated", ""},
		{"dropped", dropped, nil, "dropped", "3:signed>dropped"},
		{"a given event is used instead", started, []ProjectEvent{{ProjectID: "A", To: Started, Who: "张三", At: "2025-03-01T00:00:00Z"}},
			"advanced", "3:>started"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			changes, events := PlanProjectEvents([]Project{tt.in}, stored, tt.given, "", "", now)
			kind := ""
			if len(changes) == 1 {
				kind = changes[0].Kind
			}
			if kind != tt.kind {
				t.Errorf("kind %q, want %q", kind, tt.kind)
			}
			got := ""
			if len(events) == 1 {
				e := events[0]
				got = strings.Join([]string{itoa(e.Seq), ":", string(e.From), ">", string(e.To)}, "")
			}
			if got != tt.event {
				t.Errorf("event %q, want %q (%+v)", got, tt.event, events)
			}
		})
	}
}

func itoa(i int) string { return string(rune('0' + i)) }

// TestCheckHistory: the append-only rules on their own, with and without a store
// that can tell its stored events.
func TestCheckHistory(t *testing.T) {
	p := Project{ID: "P", Name: "项目", RegionCode: "1", Stage: Started, SignedOn: "2025-01-10", StartedOn: "2025-03-01"}
	recorded := []ProjectEvent{
		{ProjectID: "P", Seq: 1, At: "2025-01-10T09:00:00+08:00", Who: "王", To: Signed, On: "2025-01-10"},
		{ProjectID: "P", Seq: 2, At: "2025-03-01T09:00:00+08:00", Who: "王", From: Signed, To: Started, On: "2025-03-01"},
	}
	stored := map[string]StoredProject{"P": {Project: p, Events: 2}}
	history := map[string][]ProjectEvent{"P": recorded}
	later := "2025-04-01T09:00:00+08:00"
	codes := func(ps []Problem) []string {
		var out []string
		for _, p := range ps {
			out = append(out, fmt.Sprintf("%d:%s:%s", p.Index, p.Column, p.Code))
		}
		return out
	}
	tests := []struct {
		name    string
		ds      *Dataset
		noStore bool // the store cannot tell its history
		want    []string
		planned int
	}{
		{"stored event given back", &Dataset{ProjectEvents: recorded}, false, nil, 2},
		{"stored event changed", &Dataset{ProjectEvents: []ProjectEvent{{ProjectID: "P", Seq: 2, At: recorded[1].At, Who: "市长",
			From: Signed, To: Started, On: "2025-03-02"}}}, false, []string{"0:who:" + PHistoryChanged, "0:on:" + PHistoryChanged}, 1},
		{"stored event changed, store cannot tell: left alone", &Dataset{ProjectEvents: []ProjectEvent{{ProjectID: "P", Seq: 2, At: later, Who: "市长",
			To: Dropped}}}, true, nil, 0},
		{"note event", &Dataset{ProjectEvents: []ProjectEvent{{ProjectID: "P", At: later, Who: "王", From: Started, To: Started, Note: "进展顺利"}}}, false, nil, 1},
		{"backdated", &Dataset{ProjectEvents: []ProjectEvent{{ProjectID: "P", At: "2019-01-01T00:00:00Z", Who: "王", To: Started}}}, false,
			[]string{"0:at:" + PHistoryBackdated}, 1},
		{"backdated, store cannot tell", &Dataset{ProjectEvents: []ProjectEvent{{ProjectID: "P", At: "2019-01-01T00:00:00Z", Who: "王", To: Started}}}, true, nil, 1},
		{"in the future", &Dataset{ProjectEvents: []ProjectEvent{{ProjectID: "P", At: "2030-01-01T00:00:00Z", Who: "王", To: Started}}}, false,
			[]string{"0:at:" + PFutureDate}, 1},
		{"claims a stage", &Dataset{ProjectEvents: []ProjectEvent{{ProjectID: "P", At: later, Who: "市长", From: Started, To: Dropped, Note: "x"}}}, false,
			[]string{"0:to_stage:" + PHistoryTo}, 1},
		{"claims a stage, with the project moved", &Dataset{Projects: []Project{{ID: "P", Stage: Dropped}},
			ProjectEvents: []ProjectEvent{{ProjectID: "P", At: later, Who: "王", From: Started, To: Dropped, Note: "撤资"}}}, false, nil, 1},
		{"two moves in order", &Dataset{Projects: []Project{{ID: "P", Stage: AtCapacity}},
			ProjectEvents: []ProjectEvent{{ProjectID: "P", At: later, Who: "王", From: Started, To: Producing},
				{ProjectID: "P", At: later, Who: "王", From: Producing, To: AtCapacity}}}, false, nil, 2},
		{"from a stage it was not in", &Dataset{ProjectEvents: []ProjectEvent{{ProjectID: "P", At: later, Who: "王", From: Signed, To: Started}}}, false,
			[]string{"0:from_stage:" + PHistoryFrom}, 1},
		{"a seq in a gap of the stored ones", &Dataset{ProjectEvents: []ProjectEvent{{ProjectID: "P", Seq: 1, At: later, Who: "王", From: Started, To: Started}}},
			false, nil, 1}, // seq 1 is stored: compared, and differs
		{"a new project's history is its own", &Dataset{Projects: []Project{{ID: "Q", Stage: Dropped}},
			ProjectEvents: []ProjectEvent{{ProjectID: "Q", Seq: 1, At: "2019-01-01T00:00:00Z", Who: "市长", To: Dropped}}}, false, nil, 1},
	}
	tests[11].want = []string{"0:at:" + PHistoryChanged, "0:from_stage:" + PHistoryChanged, "0:to_stage:" + PHistoryChanged, "0:on:" + PHistoryChanged}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := history
			if tt.noStore {
				h = nil
			}
			problems, planned := CheckHistory(tt.ds, stored, h, !tt.noStore, now)
			if got := codes(problems); fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("problems %v, want %v", got, tt.want)
			}
			if len(planned) != tt.planned {
				t.Errorf("%d events planned, want %d", len(planned), tt.planned)
			}
			for _, p := range problems {
				if m := p.Message("en"); strings.Contains(m, "%!") || m == p.Code {
					t.Errorf("message of %s: %q", p.Code, m)
				}
			}
		})
	}
	// A stored seq missing from the stored events (a gap) cannot be filled later.
	gappy := map[string][]ProjectEvent{"P": {recorded[0], {ProjectID: "P", Seq: 3, At: recorded[1].At, Who: "王", From: Signed, To: Started}}}
	problems, _ := CheckHistory(&Dataset{ProjectEvents: []ProjectEvent{{ProjectID: "P", Seq: 2, At: later, Who: "王", From: Started, To: Started}}},
		map[string]StoredProject{"P": {Project: p, Events: 2}}, gappy, true, now)
	if got := codes(problems); fmt.Sprint(got) != "[0:seq:"+PHistorySeq+"]" {
		t.Errorf("filling a gap: %v", got)
	}
}
