package graph

import (
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
