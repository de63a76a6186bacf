package graph

import (
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
