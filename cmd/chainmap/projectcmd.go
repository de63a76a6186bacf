package main

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"os"
	"strconv"
	"time"

	"github.com/chainmap/chainmap/analysis/kpi"
	"github.com/chainmap/chainmap/graph"
	"github.com/spf13/cobra"
)

func newProjects(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "projects", Short: "招商项目：登记、推进、终止、历史 / investment projects: add, advance, drop, history"}
	cmd.AddCommand(newProjectList(g), newProjectAdd(g), newProjectAdvance(g), newProjectDrop(g), newProjectHistory(g))
	return cmd
}

// projectRows lists projects for the table and xlsx formats.
type projectRows []graph.Project

func (ps projectRows) Table() ([]string, [][]string) {
	head := []string{"项目编号 id", "项目名称 name", "落地板块 district", "环节 link", "投资 (亿元)", "阶段 stage", "签约 signed", "开工 started", "投产 producing", "来源 source"}
	var rows [][]string
	for _, p := range ps {
		rows = append(rows, []string{p.ID, p.Name, p.RegionCode, p.LinkID, graph.FormatYi(p.InvestmentWan), string(p.Stage),
			string(p.SignedOn), string(p.StartedOn), string(p.ProducingOn), p.SourceRegionCode})
	}
	return head, rows
}

type eventRows []graph.ProjectEvent

func (es eventRows) Table() ([]string, [][]string) {
	head := []string{"序号 seq", "记录时间 at", "记录人 who", "原阶段 from", "新阶段 to", "到达日期 on", "更正 correction", "说明 note"}
	var rows [][]string
	for _, e := range es {
		corr := ""
		if e.Correction {
			corr = "是 yes"
		}
		rows = append(rows, []string{strconv.Itoa(e.Seq), e.At, e.Who, string(e.From), string(e.To), string(e.On), corr, e.Note})
	}
	return head, rows
}

func newProjectList(g *globals) *cobra.Command {
	var o outputFlags
	var district, stage string
	cmd := &cobra.Command{
		Use:   "list [--district CODE] [--stage STAGE]",
		Short: "列出项目 / list projects",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.validate(); err != nil {
				return err
			}
			out, err := storedWhere(cmd, g, graph.Store.Projects, func(p graph.Project) bool {
				return (district == "" || p.RegionCode == district) && (stage == "" || string(p.Stage) == stage)
			})
			if err != nil {
				return err
			}
			return o.render(cmd.OutOrStdout(), projectRows(out))
		},
	}
	o.register(cmd)
	cmd.Flags().StringVar(&district, "district", "", "落地板块 / district code")
	cmd.Flags().StringVar(&stage, "stage", "", "阶段 / stage")
	return cmd
}

// transitionFlags are shared by add, advance and drop.
type transitionFlags struct {
	who, note string
}

func (t *transitionFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&t.who, "who", currentUser(), "记录人 / who records the change")
	cmd.Flags().StringVar(&t.note, "note", "", "说明 / note")
}

// saveProjects imports projects (with their events) all-or-nothing and prints what
// changed, or every problem.
func (g *globals) saveProjects(cmd *cobra.Command, ds *graph.Dataset, t transitionFlags) error {
	store, err := g.open(cmd.Context())
	if err != nil {
		return err
	}
	defer store.Close()
	res, err := store.Import(cmd.Context(), ds, graph.ImportOptions{Who: t.who, Note: t.note})
	var verr *graph.ValidationError
	if errors.As(err, &verr) {
		printProblems(cmd.ErrOrStderr(), g.lang, verr.Problems)
		return errReported
	}
	if err != nil {
		return err
	}
	for _, c := range res.Projects {
		fmt.Fprintf(cmd.OutOrStdout(), "%s %s: %s %s → %s\n", c.ProjectID, c.Name, c.Kind, c.From, c.To)
	}
	return nil
}

func newProjectAdd(g *globals) *cobra.Command {
	var p graph.Project
	var inv string
	var t transitionFlags
	cmd := &cobra.Command{
		Use:   "add --id ID --name NAME --district CODE --investment 亿 [--link ID] [--stage signed --signed-on DATE]",
		Short: "登记新项目 / record a new project",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			wan, ok := graph.ParseYi(inv)
			if !ok {
				return usageError{fmt.Sprintf("--investment %q 不是有效的亿元金额 / is not an amount in 亿元", inv)}
			}
			p.InvestmentWan = wan
			p.Stage = graph.Stage(string(p.Stage))
			return g.saveProjects(cmd, &graph.Dataset{Projects: []graph.Project{p}}, t)
		},
	}
	f := cmd.Flags()
	f.StringVar(&p.ID, "id", "", "项目编号 / project id")
	f.StringVar(&p.Name, "name", "", "项目名称 / name")
	f.StringVar(&p.RegionCode, "district", "", "落地板块 / district it lands in")
	f.StringVar(&inv, "investment", "", "协议投资（亿元）/ agreed investment in 亿元")
	f.StringVar(&p.LinkID, "link", "", "环节编号（空 = 不在产业链上）/ link id (empty: not on a chain)")
	f.StringVar(&p.CompanyID, "company", "", "投资企业编号 / investing company")
	f.StringVar(&p.SourceRegionCode, "source", "", "来源地区编码 / source region")
	f.BoolVar(&p.Foreign, "foreign", false, "外资项目 / foreign investment")
	f.StringVar((*string)(&p.Stage), "stage", string(graph.Negotiating), "阶段 negotiating|signed / stage")
	f.StringVar((*string)(&p.SignedOn), "signed-on", "", "签约日期 / signing date")
	f.StringVar((*string)(&p.PlannedStartOn), "planned-start", "", "计划开工日期 / planned start")
	f.StringVar((*string)(&p.PlannedProduceOn), "planned-producing", "", "计划投产日期 / planned production")
	f.StringVar(&p.Provenance, "provenance", "", "来源 / provenance")
	t.register(cmd)
	return cmd
}

// move applies a transition to a stored project and saves it with its event.
func (g *globals) move(cmd *cobra.Command, id string, tr graph.Transition, t transitionFlags) error {
	store, err := g.open(cmd.Context())
	if err != nil {
		return err
	}
	stored, err := store.StoredProjects(cmd.Context(), []string{id})
	store.Close()
	if err != nil {
		return err
	}
	sp, ok := stored[id]
	if !ok {
		return graph.Errorf(graph.EINVALID, "项目 %q 不存在 / project %q not found", id, id)
	}
	tr.Who, tr.Note = t.who, t.note
	next, ev, err := graph.Advance(sp.Project, tr, time.Now())
	if err != nil {
		return err
	}
	return g.saveProjects(cmd, &graph.Dataset{Projects: []graph.Project{next}, ProjectEvents: []graph.ProjectEvent{ev}}, t)
}

func newProjectAdvance(g *globals) *cobra.Command {
	var tr graph.Transition
	var on string
	var t transitionFlags
	cmd := &cobra.Command{
		Use:   "advance ID --to STAGE --on DATE [--correction --note WHY]",
		Short: "推进项目阶段（回退需 --correction 与说明）/ move a project to a stage (back only with --correction and a note)",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			d, ok := graph.ParseDate(on)
			if !ok {
				return usageError{fmt.Sprintf("--on %q 不是有效日期 / is not a valid date", on)}
			}
			tr.On = d
			return g.move(cmd, args[0], tr, t)
		},
	}
	cmd.Flags().StringVar((*string)(&tr.To), "to", "", "新阶段 signed|started|producing|at_capacity")
	cmd.Flags().StringVar(&on, "on", "", "到达日期 / the day the stage was reached")
	cmd.Flags().BoolVar(&tr.Correction, "correction", false, "更正：允许回退 / a correction: allows moving back")
	t.register(cmd)
	return cmd
}

func newProjectDrop(g *globals) *cobra.Command {
	var t transitionFlags
	cmd := &cobra.Command{
		Use:   "drop ID --note WHY",
		Short: "终止项目（需说明原因）/ drop a project (a note is required)",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.move(cmd, args[0], graph.Transition{To: graph.Dropped}, t)
		},
	}
	t.register(cmd)
	return cmd
}

func newProjectHistory(g *globals) *cobra.Command {
	var o outputFlags
	cmd := &cobra.Command{
		Use:   "history ID",
		Short: "项目进展记录 / a project's stage history",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := o.validate(); err != nil {
				return err
			}
			out, err := storedWhere(cmd, g, graph.Store.ProjectEvents, func(e graph.ProjectEvent) bool { return e.ProjectID == args[0] })
			if err != nil {
				return err
			}
			return o.render(cmd.OutOrStdout(), eventRows(out))
		},
	}
	o.register(cmd)
	return cmd
}

func newKPI(g *globals) *cobra.Command {
	var o outputFlags
	f := kpi.DefaultFilter()
	p := kpi.DefaultParams()
	var from, to string
	var minYi float64 = 1
	cmd := &cobra.Command{
		Use:   "kpi --from DATE --to DATE [--district CODE] [--chain ID] [--source CODE] [--min-investment 亿]",
		Short: "招商指标：签约数、投资额、链上项目占比、同比、来源地、滞后项目 / the KPIs officials report",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.validate(); err != nil {
				return err
			}
			var ok bool
			if f.From, ok = graph.ParseDate(from); !ok || f.From == "" {
				return usageError{"--from 需要有效日期 / --from needs a valid date"}
			}
			if f.To, ok = graph.ParseDate(to); !ok || f.To == "" {
				return usageError{"--to 需要有效日期 / --to needs a valid date"}
			}
			f.MinInvestmentWan = int64(minYi * 10000)
			if o.asOf != "" {
				p.AsOf, _ = graph.ParseDate(o.asOf) // validated by g.snapshot below
			}
			s, err := g.snapshot(cmd, o.asOf)
			if err != nil {
				return err
			}
			res, err := kpi.Compute(s, f, p)
			if err != nil {
				return err
			}
			return o.render(cmd.OutOrStdout(), res)
		},
	}
	o.register(cmd)
	fl := cmd.Flags()
	fl.StringVar(&from, "from", "", "起始日期（签约日）/ period start (signing date)")
	fl.StringVar(&to, "to", "", "截止日期 / period end")
	fl.StringVar(&f.District, "district", "", "落地板块 / district")
	fl.StringVar(&f.Chain, "chain", "", "产业链 / chain")
	fl.StringVar(&f.Cluster, "cluster", "", "产业集群 / cluster")
	fl.StringVar(&f.Source, "source", "", "来源地区或分组（如 GBA）/ source region or group")
	fl.StringVar(&f.Foreign, "foreign", "", "foreign|domestic")
	fl.Float64Var(&minYi, "min-investment", 1, "最低投资额（亿元）/ minimum investment (亿元)")
	fl.Float64Var(&p.OnChainTarget, "target", p.OnChainTarget, "链上项目占比目标 / on-chain share target")
	fl.Float64Var(&p.PlanYi, "plan", 0, "年度计划（亿元），用于序时进度 / annual plan (亿元) for 序时进度")
	return cmd
}

// currentUser names who runs the CLI, for history entries.
func currentUser() string {
	for _, k := range []string{"CHAINMAP_USER", "USER", "USERNAME"} {
		if v := os.Getenv(k); v != "" {
			return v
		}
	}
	return "cli"
}

// storedWhere streams one table of the selected store and keeps the records keep
// accepts.
func storedWhere[T any](cmd *cobra.Command, g *globals, table func(graph.Store, context.Context) iter.Seq2[T, error], keep func(T) bool) ([]T, error) {
	store, err := g.open(cmd.Context())
	if err != nil {
		return nil, err
	}
	defer store.Close()
	var out []T
	for x, err := range table(store, cmd.Context()) {
		if err != nil {
			return nil, err
		}
		if keep(x) {
			out = append(out, x)
		}
	}
	return out, nil
}
