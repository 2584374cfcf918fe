package main

import (
	"context"
	"strconv"

	"github.com/funnelplan/funnelplan/core"
)

const sensitivityDoc = `
funnelplan sensitivity [--step 0.01 | --relative 0.1] [--scenario ID] [--format F] [-o FILE] [PLAN]

Shows which input moves revenue most (MATH.md §e). The tornado moves one
input at a time down and up, everything else at the baseline: every stage
rate by --step points (a fraction: 0.01 is one point; the default) or, with
--relative, every input by that fraction (0.1 is 10 %); rates are clipped
to 0..1. The top volume and the order value always move by the relative
step (10 % unless --relative says otherwise). A stage rate change applies
to the stage rate and to every persona's rate at that stage. Bars are
sorted widest first, ties in stage order. Without an order value the
metric is customers instead of revenue.

The key level is the stage where adding one person directly pays most:
value per person v·D_i (D_i: the share of people entering the stage who
end as customers) over the stage's unit_cost, recommended when that ratio
beats 1/margin. The bottlenecks are the three rules: the lowest ratio of
rate to benchmark, the stage whose +1 point adds most, and stages at or
over capacity.

JSON fields: plan, scenario, metric, base, mode, step, relative,
effects[] {target, label, stage, value, low_value, high_value, low, high,
low_change, high_change}, key_level {stage, recommended, rule, levels[]
{stage, unit_cost, downstream, value_per_person, mroas, mprofit,
recommended}, note}, bottlenecks {benchmark {stage, below, rule, gaps[]},
marginal {stage, rule, gains[]}, capacity {stage, rule, stages[], lost}},
warnings[].
`

func init() {
	register(command{name: "sensitivity", summary: "tornado, key level and bottlenecks", run: runSensitivity})
}

type sensitivityResult struct {
	Plan     string `json:"plan"`
	Scenario string `json:"scenario,omitempty"`
	*core.SensitivityResult
}

func runSensitivity(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "sensitivity", sensitivityDoc)
	var o outFlags
	o.add(fs)
	step := fs.Float64("step", core.DefaultStep, "move every rate by `F` points as a fraction (0.01 = 1 point)")
	relative := fs.Float64("relative", 0, "move every input by the fraction `F` instead (0.1 = 10 %)")
	scenario := fs.String("scenario", "", "analyse the scenario with this `ID` instead of the baseline")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := o.check(); err != nil {
		return err
	}
	if fs.Changed("step") && fs.Changed("relative") {
		return usagef("sensitivity: --step and --relative exclude each other")
	}
	for _, f := range []struct {
		name string
		x    float64
	}{{"step", *step}, {"relative", *relative}} {
		if !(f.x >= 0 && f.x <= 1) || (fs.Changed(f.name) && f.x == 0) {
			return usagef("sensitivity: --%s %s is not a fraction (want 0 < F <= 1; 0.01 is one point, 0.1 is 10 %%)", f.name, strconv.FormatFloat(f.x, 'g', -1, 64))
		}
	}
	q, name, warns, err := e.loadScenarioPlan(fs, *scenario)
	if err != nil {
		return err
	}
	r, err := core.Sensitivity(q, core.SensitivityOptions{Step: *step, Relative: *relative})
	if err != nil {
		return fileError(name, err)
	}
	r.Warnings = append(append([]string{}, warns...), r.Warnings...)
	return e.emit(&o, sensitivityResult{Plan: q.Name, Scenario: *scenario, SensitivityResult: r}, sensitivityTables(q.Name, r)...)
}

func sensitivityTables(plan string, r *core.SensitivityResult) []table {
	val := fmoney
	if r.Metric == "customers" {
		val = fcount
	}
	tornado := table{Title: "Tornado: " + plan + " (" + r.Metric + " " + val(r.Base) + ")",
		Header: []string{"input", "low", "high", r.Metric + " low", r.Metric + " high", "change low", "change high"}}
	for _, e := range r.Effects {
		in := fcount
		if e.Stage != "" {
			in = fpct
		} else if e.Target == "order_value" {
			in = fmoney
		}
		tornado.Rows = append(tornado.Rows, []string{e.Label, in(e.LowValue), in(e.HighValue), val(e.Low), val(e.High), signed(val)(e.LowChange), signed(val)(e.HighChange)})
	}
	kl := r.KeyLevel
	key := table{Title: "Key level: " + orNone(kl.Stage), Header: []string{"stage", "unit cost", "downstream", "value/person", "mROAS", "mProfit", "recommended"}}
	for _, l := range kl.Levels {
		key.Rows = append(key.Rows, []string{l.Stage, fmoney(l.UnitCost), fpct(l.Downstream), fmoney(l.ValuePerPerson), fopt(l.MROAS, fratio), fopt(l.MProfit, signed(fmoney)), yesNo(l.Recommended)})
	}
	if kl.Note != "" {
		key.Rows = append(key.Rows, []string{"note: " + kl.Note, "", "", "", "", "", ""})
	}
	b := r.Bottlenecks
	bench := "no benchmarks"
	if b.Benchmark.Stage != "" {
		g := benchmarkGap(b.Benchmark)
		bench = "rate " + fpct(g.Rate) + " vs benchmark " + fpct(g.Benchmark) + " (ratio " + fopt(g.Ratio, fratio) + ")"
		if !b.Benchmark.Below {
			bench += "; every stage meets its benchmark"
		}
	}
	marginal := "no stages"
	for _, g := range b.Marginal.Gains {
		if g.Stage == b.Marginal.Stage {
			marginal = "adds " + val(g.Gain) + " " + r.Metric
		}
	}
	capacity := "no capacities"
	if len(b.Capacity.Stages) > 0 {
		capacity = "no stage at capacity"
	}
	for _, c := range b.Capacity.Stages {
		if c.Stage == b.Capacity.Stage {
			capacity = "demand " + fcount(c.Demand) + " of capacity " + fcount(c.Capacity) + " (utilisation " + fopt(c.Utilisation, fpct) + "); lost " + val(b.Capacity.Lost)
		}
	}
	bottlenecks := table{Title: "Bottlenecks", Header: []string{"rule", "stage", "detail"}, Rows: [][]string{
		{"benchmark gap", orNone(b.Benchmark.Stage), bench},
		{"marginal gain of " + strconv.FormatFloat(100*r.Step, 'f', -1, 64) + " point", orNone(b.Marginal.Stage), marginal},
		{"capacity", orNone(b.Capacity.Stage), capacity},
	}}
	tables := []table{tornado, key, bottlenecks}
	if len(r.Warnings) > 0 {
		w := table{Title: "Warnings", Header: []string{"warning"}}
		for _, s := range r.Warnings {
			w.Rows = append(w.Rows, []string{s})
		}
		tables = append(tables, w)
	}
	return tables
}

func benchmarkGap(b core.BenchmarkRule) core.BenchmarkGap {
	for _, g := range b.Gaps {
		if g.Stage == b.Stage {
			return g
		}
	}
	return core.BenchmarkGap{}
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
