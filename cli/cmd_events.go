package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/funnelplan/funnelplan/core"
)

const eventsDoc = `
funnelplan events --steps a,b,c [--window 14d] [--order sequential|strict|any]
                  [--by COLUMN] [--plan-out FILE] [--format F] [-o FILE] [EVENTS.csv]

The observed funnel of an event log: a CSV with a header row holding at
least person, time and event (optional persona, channel, manager, segment;
other columns are ignored), one row per event, in any order:

    person,time,event,channel
    p001,2026-03-01 09:30,visit,ads
    p001,2026-03-04T11:00:00+02:00,lead,ads

time is RFC 3339 or YYYY-MM-DD[ HH:MM[:SS]] (UTC when no zone is given).
--steps names the funnel's events in order. A person counts at a step when
they did it and every step before it:

    sequential  in order, other events may come between (default)
    strict      in order with no other event of theirs between
    any         in any order

--window (14d, 2w, 36h, 90m) only counts steps within that time of the
first. Reported: unique persons per step with step and cumulative rates,
the median time from the previous step, time to convert from the first to
the last step (median, P90, histogram), --by a breakdown, and the observed
moves between steps, backward ones included, as a journey (the last step
is "purchase", leaving the log is "lost"). --plan-out writes the inferred
plan: stages, rates with Beta uncertainty from the counts, and the journey.

The file is streamed; memory grows with the persons and their step events
(8 bytes each), not with the size of the rows. Every bad row is reported
as FILE:LINE:COLUMN.
`

func init() {
	register(command{name: "events", summary: "observed funnel, times and journey from an event log (CSV)", run: runEvents})
}

// eventsResult is the JSON output of events.
type eventsResult struct {
	File  string   `json:"file"`
	Steps []string `json:"step_names"`
	*core.EventFunnel
	PlanOut string `json:"plan_out,omitempty"`
}

func runEvents(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "events", eventsDoc)
	var o outFlags
	o.add(fs)
	steps := fs.String("steps", "", "funnel steps: event names in order, comma separated (required)")
	window := fs.String("window", "", "conversion `WINDOW` from the first step: 14d, 2w, 36h, 90m")
	order := fs.String("order", core.OrderSequential, "step order: sequential, strict or any")
	by := fs.String("by", "", "break down by `COLUMN`: persona, channel, manager or segment")
	planOut := fs.String("plan-out", "", "write the inferred plan to `FILE`")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := o.check(); err != nil {
		return err
	}
	var names []string
	for _, s := range strings.Split(*steps, ",") {
		if s = strings.TrimSpace(s); s != "" {
			names = append(names, s)
		}
	}
	if len(names) < 2 {
		return usagef("events: --steps wants at least 2 event names in order, like --steps visit,lead,customer")
	}
	win, err := parseWindow(*window)
	if err != nil {
		return usagef("--window: %v", err)
	}
	switch *order {
	case core.OrderSequential, core.OrderStrict, core.OrderAny:
	default:
		return usagef("--order %q is not an order (want sequential, strict or any)", *order)
	}
	path, err := oneFile(fs)
	if err != nil {
		return err
	}
	var r io.Reader = e.stdin
	name := "stdin"
	var size int64
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			var pe *os.PathError
			if errors.As(err, &pe) {
				err = fmt.Errorf("%s: %v", path, pe.Err)
			}
			return err
		}
		defer f.Close()
		r, name = f, path
		if st, err := f.Stat(); err == nil {
			size = st.Size()
		}
	}
	bar := e.progress("events", size)
	r = &countingReader{r: r, bar: bar}
	res, err := core.ReadEvents(bufio.NewReaderSize(r, 1<<16), core.EventOptions{Steps: names, Order: *order, Window: win, By: *by})
	bar.Done()
	if err != nil {
		return csvFileError(name, err)
	}
	out := eventsResult{File: name, Steps: names, EventFunnel: res}
	if *planOut != "" {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(res.Plan); err != nil {
			return err
		}
		if _, err := core.DecodeBytes(buf.Bytes()); err != nil {
			return fmt.Errorf("the inferred plan is not valid: %v", strings.ReplaceAll(err.Error(), "\n", "; "))
		}
		if err := writeFileAtomic(*planOut, buf.Bytes()); err != nil {
			return err
		}
		out.PlanOut = *planOut
	}
	stepTable := func(title string, steps []core.EventStep) table {
		t := table{Title: title, Header: []string{"step", "persons", "rate", "cumulative", "median days from previous"}}
		for _, s := range steps {
			t.Rows = append(t.Rows, []string{s.ID, strconv.Itoa(s.Persons), fopt(s.Rate, fpct), fopt(s.Cumulative, fpct), fopt(s.MedianDaysFromPrevious, fdays)})
		}
		return t
	}
	win2 := "no window"
	if res.WindowDays != nil {
		win2 = "window " + fdays(*res.WindowDays) + " days"
	}
	tables := []table{stepTable(fmt.Sprintf("Observed funnel: %s (%d persons, %d rows, %s order, %s)", name, res.Persons, res.Rows, res.Order, win2), res.Steps)}
	ttc := res.TimeToConvert
	tt := table{Title: fmt.Sprintf("Time to convert, %s to %s (%d persons)", names[0], names[len(names)-1], ttc.Persons), Header: []string{"days", "persons"}}
	tt.Rows = append(tt.Rows, []string{"median", fopt(ttc.Median, fdays)}, []string{"p90", fopt(ttc.P90, fdays)})
	for _, b := range ttc.Histogram {
		label := fdays(b.FromDays) + " .. "
		if b.ToDays != nil {
			label += fdays(*b.ToDays)
		}
		tt.Rows = append(tt.Rows, []string{label, strconv.Itoa(b.Persons)})
	}
	tables = append(tables, tt)
	for _, g := range res.Groups {
		tables = append(tables, stepTable(fmt.Sprintf("%s %s (%d persons)", res.By, g.Key, g.Persons), g.Steps))
	}
	tr := table{Title: "Observed moves between steps", Header: []string{"from", "to", "count", "probability", "direction"}}
	for _, t := range res.Transitions {
		dir := ""
		switch {
		case t.Backward:
			dir = "backward"
		case t.From == t.To:
			dir = "repeat"
		}
		tr.Rows = append(tr.Rows, []string{t.From, t.To, strconv.Itoa(t.Count), fpct(t.Probability), dir})
	}
	tables = append(tables, tr)
	if len(res.Warnings) > 0 {
		w := table{Title: "Warnings", Header: []string{"warning"}}
		for _, s := range res.Warnings {
			w.Rows = append(w.Rows, []string{s})
		}
		tables = append(tables, w)
	}
	return e.emit(&o, out, tables...)
}

// fdays formats a number of days with up to 2 decimals.
func fdays(x float64) string { return strconv.FormatFloat(round(x, 2), 'f', -1, 64) }

// parseWindow reads a conversion window: 14d, 2w, 36h, 90m, or a Go
// duration (1h30m); empty means none.
func parseWindow(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	unit := map[byte]time.Duration{'d': 24 * time.Hour, 'w': 7 * 24 * time.Hour}
	if u, ok := unit[s[len(s)-1]]; ok {
		v, err := strconv.ParseFloat(s[:len(s)-1], 64)
		if err != nil || !(v > 0) || v > 1e5 {
			return 0, fmt.Errorf("%q is not a window (want 14d, 2w, 36h or 90m)", s)
		}
		return time.Duration(v * float64(u)), nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%q is not a window (want 14d, 2w, 36h or 90m)", s)
	}
	return d, nil
}

// countingReader reports the bytes read to a progress bar.
type countingReader struct {
	r   io.Reader
	bar *progress
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.bar.Add(int64(n))
	return n, err
}
