package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/funnelplan/funnelplan/core"
)

const sweepDoc = `
funnelplan sweep --vary TARGET=FROM:TO:STEP [--vary ...] [--metrics LIST]
                 [--scenario ID] [--format F] [-o FILE] [PLAN]

Computes the plan at every point of a grid: each --vary sets one target
(a dotted path as in scenario changes: top, order_value, margin,
stages.<id>.rate, personas.<id>.share, channels.<id>.budget, ...) to the
values FROM, FROM+STEP, ... up to TO (inclusive), or to a list of values
(TARGET=V1,V2,V3). Several --vary make the full grid, the first varying
slowest. Each point is one row: the values, customers, revenue and the
--metrics, which name fields of run's JSON output, by a dotted path
(stages are found by id): conversion, one_in, aov, stages.<id>.count,
economics.roas, economics.cac, ... A name that is not a top-level field
is looked up in economics, so roas means economics.roas.

Targets are the plan's own inputs: where a persona overrides a stage
rate, vary personas.<id>.rates.<stage> (the stage rate does not reach
that persona).

A point that makes the plan invalid (a rate above 1, shares that no
longer sum to 1) is still a row, with its error in the error column.

	funnelplan sweep --vary top=5000:20000:5000 \
	                 --vary stages.lead.rate=0.03:0.07:0.01 --metrics roas,cac plan.json

JSON fields: plan, scenario, vary[], metrics[], points[] {values {TARGET:
value}, customers, revenue, metrics {NAME: value}, error}. Undefined
values are null.
`

func init() {
	register(command{name: "sweep", summary: "grid of what-ifs: one row per point", run: runSweep})
}

// sweepMaxPoints bounds the grid (every row is kept for the output; larger
// grids are a job for batch).
const sweepMaxPoints = 100_000

// sweepAxis is one --vary: a target and its values.
type sweepAxis struct {
	Target string
	Values []float64
}

// sweepPoint is one row of the sweep's JSON output.
type sweepPoint struct {
	Values    map[string]float64 `json:"values"`
	Customers *float64           `json:"customers"`
	Revenue   *float64           `json:"revenue"`
	Metrics   map[string]any     `json:"metrics,omitempty"`
	Error     string             `json:"error,omitempty"`
}

// sweepResult is the JSON output of sweep.
type sweepResult struct {
	Plan     string       `json:"plan"`
	Scenario string       `json:"scenario,omitempty"`
	Vary     []string     `json:"vary"`
	Metrics  []string     `json:"metrics"`
	Points   []sweepPoint `json:"points"`
}

func runSweep(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "sweep", sweepDoc)
	var o outFlags
	o.add(fs)
	vary := fs.StringArray("vary", nil, "vary `TARGET=FROM:TO:STEP` or TARGET=V1,V2,... (repeatable)")
	metrics := fs.StringSlice("metrics", nil, "also report these fields of run's JSON output (comma-separated `LIST`)")
	scenario := fs.String("scenario", "", "start from the scenario with this `ID`")
	jobs := fs.IntP("jobs", "j", runtime.GOMAXPROCS(0), "compute `N` points at once")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := o.check(); err != nil {
		return err
	}
	if len(*vary) == 0 {
		return usagef("sweep: want at least one --vary TARGET=FROM:TO:STEP")
	}
	if *jobs < 1 {
		return usagef("sweep: --jobs %d: want at least 1", *jobs)
	}
	axes := make([]sweepAxis, len(*vary))
	total := 1
	seen := map[string]bool{}
	for i, v := range *vary {
		a, err := parseVary(v)
		if err != nil {
			return err
		}
		if seen[a.Target] {
			return usagef("sweep: --vary %s: %s is varied twice", v, a.Target)
		}
		seen[a.Target] = true
		axes[i] = a
		total *= len(a.Values)
		if total > sweepMaxPoints {
			return usagef("sweep: the grid has more than %s points (want at most that; use larger steps)", fcount(sweepMaxPoints))
		}
	}
	path, err := oneFile(fs)
	if err != nil {
		return err
	}
	p, name, err := e.loadPlan(path)
	if err != nil {
		return err
	}
	base, _, err := p.WithScenario(*scenario)
	if err != nil {
		return fileError(name, err)
	}
	for _, a := range axes {
		if _, err := base.Clone().ApplyChange(core.Change{Target: a.Target, Op: "set", Value: a.Values[0]}, true); err != nil {
			return fileError(name, fmt.Errorf("--vary %s: %v", a.Target, err))
		}
	}
	// The baseline checks the metric names once, before the grid.
	var mnames []string
	for _, m := range *metrics {
		if m = strings.TrimSpace(m); m != "" {
			mnames = append(mnames, m)
		}
	}
	if len(mnames) > 0 {
		out, err := runPlanJSON(ctx, base)
		if err != nil {
			return fileError(name, err)
		}
		for _, m := range mnames {
			if _, ok := lookupMetric(out, m); !ok {
				return usagef("sweep: --metrics %s: not a field of run's JSON output (want e.g. conversion, one_in, aov, stages.<id>.count, economics.roas)", m)
			}
		}
	}

	points := make([]sweepPoint, total)
	pr := e.progress("sweep", int64(total))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(*jobs, total) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range next {
				points[k] = sweepAt(ctx, base, axes, k, mnames)
				pr.Add(1)
			}
		}()
	}
	for k := 0; k < total && ctx.Err() == nil; k++ {
		next <- k
	}
	close(next)
	wg.Wait()
	pr.Done()
	if err := ctx.Err(); err != nil {
		return err
	}

	res := sweepResult{Plan: p.Name, Scenario: *scenario, Metrics: mnames, Points: points}
	if res.Metrics == nil {
		res.Metrics = []string{}
	}
	t := table{Title: "Sweep: " + p.Name}
	if *scenario != "" {
		t.Title += " (scenario " + *scenario + ")"
	}
	for _, a := range axes {
		res.Vary = append(res.Vary, a.Target)
		t.Header = append(t.Header, a.Target)
	}
	t.Header = append(t.Header, "customers", "revenue")
	t.Header = append(t.Header, mnames...)
	anyErr := false
	for _, pt := range points {
		anyErr = anyErr || pt.Error != ""
	}
	if anyErr {
		t.Header = append(t.Header, "error")
	}
	for _, pt := range points {
		var row []string
		for _, a := range axes {
			row = append(row, fplain(pt.Values[a.Target]))
		}
		row = append(row, fopt(pt.Customers, fcount), fopt(pt.Revenue, fmoney))
		for _, m := range mnames {
			row = append(row, metricCell(pt.Metrics[m]))
		}
		if anyErr {
			row = append(row, pt.Error)
		}
		t.Rows = append(t.Rows, row)
	}
	return e.emit(&o, res, t)
}

// sweepAt computes point k of the grid (row-major, the first axis
// slowest).
func sweepAt(ctx context.Context, base *core.Plan, axes []sweepAxis, k int, metrics []string) sweepPoint {
	pt := sweepPoint{Values: make(map[string]float64, len(axes))}
	idx := make([]int, len(axes))
	for i := len(axes) - 1; i >= 0; i-- {
		n := len(axes[i].Values)
		idx[i] = k % n
		k /= n
	}
	q := base.Clone()
	for i, a := range axes {
		v := a.Values[idx[i]]
		pt.Values[a.Target] = v
		if pt.Error == "" {
			if _, err := q.ApplyChange(core.Change{Target: a.Target, Op: "set", Value: v}, false); err != nil {
				// The hint about scenario clamping does not apply here.
				pt.Error = strings.Replace(err.Error(), `; set "clamp": true to clamp`, "", 1)
			}
		}
	}
	if pt.Error != "" {
		return pt
	}
	if err := q.Validate(); err != nil {
		pt.Error = strings.ReplaceAll(err.Error(), "\n", "; ")
		return pt
	}
	out, err := runPlanJSON(ctx, q)
	if err != nil {
		pt.Error = strings.ReplaceAll(err.Error(), "\n", "; ")
		return pt
	}
	if v, ok := lookupMetric(out, "customers"); ok {
		pt.Customers = number(v)
	}
	if v, ok := lookupMetric(out, "revenue"); ok {
		pt.Revenue = number(v)
	}
	if len(metrics) > 0 {
		pt.Metrics = make(map[string]any, len(metrics))
		for _, m := range metrics {
			v, _ := lookupMetric(out, m)
			pt.Metrics[m] = v
		}
	}
	return pt
}

// runPlanJSON runs the run command on a plan in process and returns its
// JSON output decoded, so a sweep reports exactly what run reports.
func runPlanJSON(ctx context.Context, q *core.Plan) (map[string]any, error) {
	b, err := core.Encode(q)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	sub := &env{stdin: bytes.NewReader(b), stdout: &buf, stderr: io.Discard, stdinName: "-", compactJSON: true}
	if err := runGuarded(ctx, commands["run"], sub, []string{"--format=json", "-"}); err != nil {
		return nil, err
	}
	var out map[string]any
	d := json.NewDecoder(&buf)
	d.UseNumber()
	if err := d.Decode(&out); err != nil {
		return nil, fmt.Errorf("run printed no JSON result: %v", err)
	}
	return out, nil
}

// lookupMetric finds a dotted path in run's JSON output; arrays are
// indexed by the id of their elements (or a number). A path that is not a
// top-level field is looked up under economics.
func lookupMetric(out map[string]any, path string) (any, bool) {
	if v, ok := lookupPath(out, strings.Split(path, ".")); ok {
		return v, true
	}
	return lookupPath(out, append([]string{"economics"}, strings.Split(path, ".")...))
}

func lookupPath(v any, parts []string) (any, bool) {
	for _, p := range parts {
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[p]; !ok {
				return nil, false
			}
		case []any:
			found := false
			for _, el := range x {
				if m, ok := el.(map[string]any); ok && m["id"] == p {
					v, found = el, true
					break
				}
			}
			if !found {
				i, err := strconv.Atoi(p)
				if err != nil || i < 0 || i >= len(x) {
					return nil, false
				}
				v = x[i]
			}
		default:
			return nil, false
		}
	}
	return v, true
}

// number returns a JSON number as a float64, nil for anything else.
func number(v any) *float64 {
	if n, ok := v.(json.Number); ok {
		if f, err := n.Float64(); err == nil {
			return &f
		}
	}
	return nil
}

// metricCell formats a metric for a table: numbers plainly, null as n/a,
// anything else as compact JSON.
func metricCell(v any) string {
	switch x := v.(type) {
	case nil:
		return "n/a"
	case json.Number:
		return fopt(number(x), fplain)
	case string:
		return x
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// parseVary parses TARGET=FROM:TO:STEP or TARGET=V1,V2,...
func parseVary(s string) (sweepAxis, error) {
	target, spec, ok := strings.Cut(s, "=")
	target = strings.TrimSpace(target)
	if !ok || target == "" || spec == "" {
		return sweepAxis{}, usagef("sweep: --vary %q: want TARGET=FROM:TO:STEP or TARGET=V1,V2,...", s)
	}
	bad := func(format string, args ...any) (sweepAxis, error) {
		return sweepAxis{}, usagef("sweep: --vary %s: %s", s, fmt.Sprintf(format, args...))
	}
	num := func(t string) (float64, error) {
		f, err := strconv.ParseFloat(strings.TrimSpace(t), 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return 0, fmt.Errorf("%q is not a number", strings.TrimSpace(t))
		}
		return f, nil
	}
	a := sweepAxis{Target: target}
	if parts := strings.Split(spec, ":"); len(parts) > 1 {
		if len(parts) != 3 {
			return bad("want FROM:TO:STEP, got %d parts", len(parts))
		}
		var v [3]float64
		for i, t := range parts {
			f, err := num(t)
			if err != nil {
				return bad("%v", err)
			}
			v[i] = f
		}
		from, to, step := v[0], v[1], v[2]
		if step == 0 || (to-from)*step < 0 {
			return bad("step %s does not lead from %s to %s", fplain(step), fplain(from), fplain(to))
		}
		n := int(math.Floor((to-from)/step+1e-9)) + 1
		if n > sweepMaxPoints {
			return bad("%d values (want at most %s)", n, fcount(sweepMaxPoints))
		}
		d := max(decimals(parts[0]), decimals(parts[2]))
		for i := range n {
			x := from + float64(i)*step
			if d >= 0 {
				x = round(x, d)
			}
			a.Values = append(a.Values, x)
		}
		return a, nil
	}
	for _, t := range strings.Split(spec, ",") {
		f, err := num(t)
		if err != nil {
			return bad("%v", err)
		}
		a.Values = append(a.Values, f)
	}
	return a, nil
}

// decimals is the number of decimals written in a plain number, -1 for
// exponent notation.
func decimals(s string) int {
	s = strings.TrimSpace(s)
	if strings.ContainsAny(s, "eE") {
		return -1
	}
	if _, frac, ok := strings.Cut(s, "."); ok {
		return len(frac)
	}
	return 0
}
