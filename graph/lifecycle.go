package graph

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// ProjectEvent is one entry of a project's history: who moved it from one stage to
// another, when, and why. Events are only ever appended, so nothing an official
// entered is lost.
type ProjectEvent struct {
	ProjectID string `json:"project_id"`
	// Seq numbers a project's events 1, 2, …; 0 on input means "append".
	Seq  int    `json:"seq"`
	At   string `json:"at"`                   // when it was recorded, RFC 3339
	Who  string `json:"who"`                  // user name, or "import"
	From Stage  `json:"from_stage,omitempty"` // "" when the project was created
	To   Stage  `json:"to_stage"`
	On   Date   `json:"on,omitempty"` // the day the stage was reached
	Note string `json:"note,omitempty"`
	// Correction marks a move backwards (or a changed date), which needs a note.
	Correction bool   `json:"correction,omitempty"`
	Provenance string `json:"provenance,omitempty"`
}

// Validate checks an event on its own.
func (x ProjectEvent) Validate() error {
	var r recordCheck
	r.id("project_id", x.ProjectID)
	if x.Seq < 0 {
		r.add("seq", strconv.Itoa(x.Seq), PNegative)
	}
	if _, err := time.Parse(time.RFC3339, x.At); err != nil {
		r.add("at", x.At, PBadTimestamp)
	}
	r.name("who", x.Who, true)
	if x.From != "" {
		r.enum("from_stage", string(x.From), Stages)
	}
	r.enum("to_stage", string(x.To), Stages)
	r.text("note", x.Note)
	if x.Correction && x.Note == "" {
		r.add("note", "", PCorrectionNote)
	}
	r.text("provenance", x.Provenance)
	return r.err()
}

// Transition is a requested stage change.
type Transition struct {
	To         Stage
	On         Date // the day the stage was reached; required except for dropped
	Who, Note  string
	Correction bool // allow moving backwards, with a note saying why
}

// Advance applies the lifecycle rules (negotiating → signed → started → producing →
// at_capacity, or dropped from any stage) and returns the moved project and the event
// to record. A stage is entered only from the one before it, with a date not before
// the previous stage's; moving backwards, or reviving a dropped project, needs
// Correction and a note, and clears the dates of the stages undone.
func Advance(p Project, t Transition, now time.Time) (Project, ProjectEvent, error) {
	ev := ProjectEvent{ProjectID: p.ID, At: now.UTC().Format(time.RFC3339), Who: t.Who, From: p.Stage, To: t.To,
		On: t.On, Note: t.Note, Correction: t.Correction}
	if ev.Who == "" {
		ev.Who = "cli"
	}
	fail := func(zh, en string) (Project, ProjectEvent, error) {
		return p, ev, &Error{Code: EINVALID, Message: zh + " / " + en}
	}
	if StageRank(t.To) < 0 && t.To != Dropped {
		return fail("未知阶段 "+string(t.To), "unknown stage "+string(t.To))
	}
	if t.To == p.Stage {
		return fail("项目已处于该阶段", "the project is already at stage "+string(t.To))
	}
	if t.On != "" && t.On.Time().After(now.Add(24*time.Hour)) {
		return fail("日期不能晚于今天", "the date must not be in the future")
	}
	next := p
	from, to := StageRank(p.Stage), StageRank(t.To)
	switch {
	case t.To == Dropped:
		if t.Note == "" {
			return fail("终止项目需要说明原因（--note）", "dropping a project needs a note saying why (--note)")
		}
		next.Stage = Dropped
	case p.Stage == Dropped || to < from:
		if !t.Correction || t.Note == "" {
			return fail("回退阶段需要 --correction 并说明原因（--note）", "moving a project back needs --correction and a note (--note)")
		}
		next.Stage = t.To
		next.clearDatesFrom(to)
		if to > 0 && t.On != "" {
			*next.stageDate(to) = t.On
		}
	case to != from+1:
		return fail("不能跳过阶段："+string(p.Stage)+" 之后应为 "+Stages[from+1],
			"stages cannot be skipped: after "+string(p.Stage)+" comes "+Stages[from+1])
	default:
		if t.On == "" {
			return fail("需要到达该阶段的日期（--on）", "the date the stage was reached is required (--on)")
		}
		next.Stage = t.To
		*next.stageDate(to) = t.On
	}
	if err := next.Validate(); err != nil {
		return p, ev, err
	}
	return next, ev, nil
}

// stageDate returns the date field of the stage with rank r (1 = signed … 4).
func (p *Project) stageDate(r int) *Date {
	return [...]*Date{nil, &p.SignedOn, &p.StartedOn, &p.ProducingOn, &p.AtCapacityOn}[r]
}

// clearDatesFrom empties the dates of stages of rank above r.
func (p *Project) clearDatesFrom(r int) {
	for k := r + 1; k <= 4; k++ {
		*p.stageDate(k) = ""
	}
}

// ProjectChange says what an import did to one project.
type ProjectChange struct {
	ProjectID string `json:"project_id"`
	Name      string `json:"name"`
	// Kind is new, advanced, dropped, corrected (moved back or revived) or updated
	// (same stage, other fields changed).
	Kind string `json:"kind"`
	From Stage  `json:"from,omitempty"`
	To   Stage  `json:"to"`
}

// StoredProject is what the store holds of a project: its record and how many
// history events it has.
type StoredProject struct {
	Project Project
	Events  int
}

// PlanProjectEvents compares incoming projects with the stored ones, returns what
// changed, and completes the events to append: the given events (numbered after
// the stored ones when their Seq is 0) plus one event, by who, for every created or
// moved project that the given events do not already cover.
func PlanProjectEvents(incoming []Project, stored map[string]StoredProject, given []ProjectEvent, who, note string, now time.Time) ([]ProjectChange, []ProjectEvent) {
	covered := map[string]bool{}
	next := map[string]int{}
	for id, sp := range stored {
		next[id] = sp.Events
	}
	var events []ProjectEvent
	for _, ev := range given {
		covered[ev.ProjectID] = true
		if ev.Seq == 0 {
			next[ev.ProjectID]++
			ev.Seq = next[ev.ProjectID]
		} else if ev.Seq > next[ev.ProjectID] {
			next[ev.ProjectID] = ev.Seq
		}
		events = append(events, ev)
	}
	at := now.UTC().Format(time.RFC3339)
	if who == "" {
		who = "import"
	}
	var changes []ProjectChange
	for _, p := range incoming {
		sp, had := stored[p.ID]
		ch := ProjectChange{ProjectID: p.ID, Name: p.Name, To: p.Stage}
		switch {
		case !had:
			ch.Kind = "new"
		case sp.Project == p:
			continue
		case sp.Project.Stage == p.Stage:
			ch.Kind, ch.From = "updated", sp.Project.Stage
		case p.Stage == Dropped:
			ch.Kind, ch.From = "dropped", sp.Project.Stage
		case sp.Project.Stage == Dropped || StageRank(p.Stage) < StageRank(sp.Project.Stage):
			ch.Kind, ch.From = "corrected", sp.Project.Stage
		default:
			ch.Kind, ch.From = "advanced", sp.Project.Stage
		}
		changes = append(changes, ch)
		if covered[p.ID] || ch.Kind == "updated" {
			continue
		}
		next[p.ID]++
		ev := ProjectEvent{ProjectID: p.ID, Seq: next[p.ID], At: at, Who: who, From: ch.From, To: p.Stage,
			Note: note, Correction: ch.Kind == "corrected"}
		if r := StageRank(p.Stage); r > 0 {
			ev.On = *p.stageDate(r)
		}
		if ev.Correction && ev.Note == "" {
			ev.Note = "导入时回退 / moved back by an import"
		}
		events = append(events, ev)
	}
	return changes, events
}

// HistoryLookup is implemented by a store's Lookup when it can return the stored
// history of projects. PlanImport needs it to hold project_history append-only in
// full: an event already stored must be given back exactly as stored, and a new one
// must not be dated before the project's latest stored event. Without it, stored
// events given again are left as they are (never overwritten) but not compared, and
// new events are not checked against stored dates.
type HistoryLookup interface {
	// StoredHistory returns the stored events of each of ids that has any, in
	// sequence order.
	StoredHistory(ctx context.Context, ids []string) (map[string][]ProjectEvent, error)
}

// Problem codes of the history rules, with their catalogue texts.
const (
	PHistoryChanged   = "history_changed"
	PHistoryBackdated = "history_backdated"
	PHistorySeq       = "history_seq"
	PHistoryFrom      = "history_from_stage"
	PHistoryTo        = "history_to_stage"
)

func init() {
	// Registered into the one message catalogue (message.go).
	catalogue[PHistoryChanged] = [2]string{"进展记录只能追加，不能修改：已记录为“%s”；更正请追加一条新记录",
		"project history is append-only: this event is recorded as %q; add a new event to correct it"}
	catalogue[PHistoryBackdated] = [2]string{"早于该项目已记录的最后一条进展（%s）；新记录不能补在过去",
		"is before the project's latest recorded event (%s); a new event cannot be dated in the past"}
	catalogue[PHistorySeq] = [2]string{"新记录须排在已记录的最后一条（第 %s 条）之后，或留空由系统编号",
		"a new event must come after the last recorded one (seq %s), or be left empty to be numbered"}
	catalogue[PHistoryFrom] = [2]string{"与项目当时的阶段不符：项目此时处于“%s”",
		"does not match the project: it is at stage %s at that point"}
	catalogue[PHistoryTo] = [2]string{"与项目阶段不符：项目导入后处于“%s”",
		"does not match the project: its stage after the import is %s"}
}

// planProjects is PlanImport's work once the stored projects are read: it holds the
// given history to the append-only rules (CheckHistory), then plans the changes and
// events (PlanProjectEvents).
func planProjects(ctx context.Context, ds *Dataset, lk Lookup, stored map[string]StoredProject, opts ImportOptions, now time.Time) ([]ProjectChange, []ProjectEvent, error) {
	var history map[string][]ProjectEvent
	hl, haveHistory := lk.(HistoryLookup)
	if haveHistory && len(ds.ProjectEvents) > 0 {
		var ids []string
		for _, e := range ds.ProjectEvents {
			if stored[e.ProjectID].Events > 0 {
				ids = append(ids, e.ProjectID)
			}
		}
		var err error
		if history, err = hl.StoredHistory(ctx, ids); err != nil {
			return nil, nil, fmt.Errorf("reading stored history: %w", err)
		}
	}
	problems, given := CheckHistory(ds, stored, history, haveHistory, now)
	if len(problems) > 0 {
		for i := range problems {
			opts.Origin.Locate(&problems[i])
		}
		return nil, nil, &ValidationError{Problems: problems}
	}
	changes, events := PlanProjectEvents(ds.Projects, stored, given, opts.Who, opts.Note, now)
	return changes, events, nil
}

// CheckHistory holds the given events of ds (project_history) to the append-only
// rules for the projects already stored; events of projects the import creates are
// their first history and pass as given. For a stored project:
//   - an event with a stored (project_id, seq) must equal the stored one in every
//     field (then it is a no-op); a difference is a history_changed problem on that
//     field, naming the stored value. Corrections are new events.
//   - a new event (seq empty, or after the last stored seq) must not be dated before
//     the project's latest stored event, nor more than a day after now; its
//     from_stage, when given, must be the stage the project is in at that point, and
//     the last new event must reach the stage the project has after the import.
//
// history holds the stored events of the stored projects (haveHistory false: the
// store cannot tell them; then given events at stored seqs are dropped, never
// written, and dates are not compared). It returns every problem, located by table
// and record, and the events to plan, each existing event counting as no new
// history of its project.
func CheckHistory(ds *Dataset, stored map[string]StoredProject, history map[string][]ProjectEvent, haveHistory bool, now time.Time) ([]Problem, []ProjectEvent) {
	var problems []Problem
	add := func(i int, col, val, code string, args ...string) {
		problems = append(problems, Problem{Table: TProjectLog, Index: i, Column: col, Value: val, Code: code, Args: args})
	}
	final := map[string]Stage{}
	for id, sp := range stored {
		final[id] = sp.Project.Stage
	}
	for _, p := range ds.Projects {
		final[p.ID] = p.Stage
	}
	type pending struct {
		cur  Stage // the project's stage after the new events so far
		last int   // index of the last new event, -1 if none
	}
	state := map[string]*pending{}
	var out []ProjectEvent
	for i, ev := range ds.ProjectEvents {
		sp, isStored := stored[ev.ProjectID]
		if !isStored {
			out = append(out, ev)
			continue
		}
		recorded := history[ev.ProjectID]
		maxSeq := sp.Events
		var latest string
		if len(recorded) > 0 {
			maxSeq, latest = recorded[len(recorded)-1].Seq, recorded[len(recorded)-1].At
			for _, r := range recorded {
				if laterThan(r.At, latest) {
					latest = r.At
				}
			}
		}
		if ev.Seq > 0 && ev.Seq <= maxSeq {
			if !haveHistory {
				continue // cannot compare: leave the stored event as it is
			}
			k := slices.IndexFunc(recorded, func(r ProjectEvent) bool { return r.Seq == ev.Seq })
			if k < 0 {
				add(i, "seq", strconv.Itoa(ev.Seq), PHistorySeq, strconv.Itoa(maxSeq))
				continue
			}
			for _, d := range eventDiff(recorded[k], ev) {
				add(i, d[0], d[1], PHistoryChanged, d[2])
			}
			out = append(out, ev) // identical: written as a no-op
			continue
		}
		st := state[ev.ProjectID]
		if st == nil {
			st = &pending{cur: sp.Project.Stage, last: -1}
			state[ev.ProjectID] = st
		}
		if latest != "" && laterThan(latest, ev.At) {
			add(i, "at", ev.At, PHistoryBackdated, latest)
		}
		if t, err := time.Parse(time.RFC3339, ev.At); err == nil && t.After(now.Add(24*time.Hour)) {
			add(i, "at", ev.At, PFutureDate)
		}
		if ev.From != "" && ev.From != st.cur {
			add(i, "from_stage", string(ev.From), PHistoryFrom, string(st.cur))
		}
		st.cur, st.last = ev.To, i
		out = append(out, ev)
	}
	for id, st := range state {
		if st.cur != final[id] {
			add(st.last, "to_stage", string(ds.ProjectEvents[st.last].To), PHistoryTo, string(final[id]))
		}
	}
	slices.SortStableFunc(problems, func(a, b Problem) int { return a.Index - b.Index })
	return problems, out
}

// laterThan reports whether RFC 3339 time a is after b; unparsable times (refused
// by validation) compare as text.
func laterThan(a, b string) bool {
	ta, ea := time.Parse(time.RFC3339, a)
	tb, eb := time.Parse(time.RFC3339, b)
	if ea != nil || eb != nil {
		return a > b
	}
	return ta.After(tb)
}

// eventDiff lists the fields in which given differs from the stored event, as
// (column, given value, stored value).
func eventDiff(stored, given ProjectEvent) [][3]string {
	var out [][3]string
	cmp := func(col, s, g string) {
		if s != g {
			out = append(out, [3]string{col, g, s})
		}
	}
	cmp("at", stored.At, given.At)
	cmp("who", stored.Who, given.Who)
	cmp("from_stage", string(stored.From), string(given.From))
	cmp("to_stage", string(stored.To), string(given.To))
	cmp("on", string(stored.On), string(given.On))
	cmp("note", stored.Note, given.Note)
	cmp("correction", strconv.FormatBool(stored.Correction), strconv.FormatBool(given.Correction))
	cmp("provenance", stored.Provenance, given.Provenance)
	return out
}
