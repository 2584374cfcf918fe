package core

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// CSVError is a problem at a place in a CSV file: 1-based line and column
// (the column is the field number, as a spreadsheet counts it; 0 when the
// problem is the whole line).
type CSVError struct {
	Line, Column int
	Err          error
}

func (e *CSVError) Error() string {
	if e.Column == 0 {
		return fmt.Sprintf("%d: %v", e.Line, e.Err)
	}
	return fmt.Sprintf("%d:%d: %v", e.Line, e.Column, e.Err)
}

func (e *CSVError) Unwrap() error { return e.Err }

// CSVErrors is every problem found in a CSV file, in file order; Error
// joins them one per line. A reader stops collecting after
// maxCSVErrors and says how many more lines were bad.
type CSVErrors []*CSVError

func (es CSVErrors) Error() string {
	s := make([]string, len(es))
	for i, e := range es {
		s[i] = e.Error()
	}
	return strings.Join(s, "\n")
}

// maxCSVErrors bounds the problems a reader reports one by one.
const maxCSVErrors = 100

// csvProblems collects CSV errors.
type csvProblems struct {
	list  CSVErrors
	extra int
}

func (c *csvProblems) add(line, col int, format string, args ...any) {
	if len(c.list) >= maxCSVErrors {
		c.extra++
		return
	}
	c.list = append(c.list, &CSVError{Line: line, Column: col, Err: fmt.Errorf(format, args...)})
}

func (c *csvProblems) err() error {
	if len(c.list) == 0 {
		return nil
	}
	if c.extra > 0 {
		last := c.list[len(c.list)-1]
		c.list = append(c.list, &CSVError{Line: last.Line, Err: fmt.Errorf("%d more problems not shown", c.extra)})
	}
	return c.list
}

// GroupColumns are the optional group columns of counts and event files.
var GroupColumns = []string{"manager", "persona", "channel", "segment"}

func isGroupColumn(name string) bool {
	for _, g := range GroupColumns {
		if g == name {
			return true
		}
	}
	return false
}

// CountsTable is a counts file: per row a period, its group values and one
// whole count per stage, stages in funnel order.
type CountsTable struct {
	// Stages are the stage columns in funnel order.
	Stages []string `json:"stages"`
	// Groups are the group columns present (manager, persona, channel,
	// segment), in file order.
	Groups []string    `json:"groups"`
	Rows   []CountsRow `json:"rows"`
}

// CountsRow is one row of a counts file.
type CountsRow struct {
	// Line is the row's line in the file (1-based).
	Line   int    `json:"line"`
	Period string `json:"period"`
	// Groups holds the value of each group column (CountsTable.Groups).
	Groups []string `json:"groups"`
	// Counts are whole counts >= 0, one per stage.
	Counts []float64 `json:"counts"`
}

// ReadCounts reads a wide counts CSV (docs/plan-format.md): a header row,
// a period column (a date 2026-01-31, a month 2026-01, a week 2026-W05, a
// quarter 2026-Q1, a year or any label), optional group columns manager,
// persona, channel and segment, and then one column per stage in funnel
// order holding whole counts:
//
//	period,manager,visit,lead,mql,proposal,customer
//	2026-01,anna,10000,520,210,98,24
//
// Header names are matched without regard to case and surrounding space;
// lines starting with # are comments. Every bad cell is reported, as a
// CSVErrors list of line:column problems.
func ReadCounts(r io.Reader) (*CountsTable, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.Comment = '#'
	cr.ReuseRecord = true
	var ps csvProblems
	header, err := cr.Read()
	if err == io.EOF {
		return nil, CSVErrors{{Line: 1, Err: errors.New("empty file (want a header row: period, optional group columns, then one column per stage)")}}
	}
	if err != nil {
		return nil, csvReadError(err)
	}
	line, _ := cr.FieldPos(0)
	t := &CountsTable{}
	periodCol := -1
	var groupCols, stageCols []int
	seen := map[string]int{}
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		switch {
		case name == "":
			ps.add(line, i+1, "empty column name")
			continue
		case seen[name] > 0:
			ps.add(line, i+1, "duplicate column %q (also column %d)", name, seen[name])
			continue
		}
		seen[name] = i + 1
		switch {
		case name == "period":
			periodCol = i
		case isGroupColumn(name):
			groupCols = append(groupCols, i)
			t.Groups = append(t.Groups, name)
		default:
			stageCols = append(stageCols, i)
			t.Stages = append(t.Stages, strings.TrimSpace(h))
		}
	}
	if periodCol < 0 {
		ps.add(line, 0, "no period column (want a header like period,manager,visit,lead,...)")
	}
	if len(stageCols) < 2 {
		ps.add(line, 0, "%d stage columns (want at least 2, in funnel order)", len(stageCols))
	}
	if len(ps.list) > 0 {
		return nil, ps.err()
	}
	width := len(header)
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) && !errors.Is(err, csv.ErrFieldCount) {
				ps.add(pe.Line, 0, "%v", pe.Err)
				continue
			}
			return nil, csvReadError(err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != width {
			ps.add(line, 0, "%d fields (want %d, as in the header)", len(rec), width)
			continue
		}
		row := CountsRow{Line: line, Period: strings.TrimSpace(rec[periodCol]), Groups: make([]string, len(groupCols)), Counts: make([]float64, len(stageCols))}
		if row.Period == "" {
			ps.add(line, periodCol+1, "missing period")
		}
		for k, c := range groupCols {
			row.Groups[k] = strings.TrimSpace(rec[c])
		}
		ok := true
		for k, c := range stageCols {
			v, msg := parseWholeCount(rec[c])
			if msg != "" {
				ps.add(line, c+1, "%s", msg)
				ok = false
			}
			row.Counts[k] = v
		}
		if ok && row.Period != "" {
			t.Rows = append(t.Rows, row)
		}
	}
	if len(ps.list) == 0 && len(t.Rows) == 0 {
		ps.add(line, 0, "no data rows after the header")
	}
	if err := ps.err(); err != nil {
		return nil, err
	}
	return t, nil
}

// csvReadError turns an error of encoding/csv into a CSVError.
func csvReadError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return CSVErrors{{Line: pe.Line, Err: pe.Err}}
	}
	return err
}

// parseWholeCount reads a whole count >= 0; msg explains a bad cell.
func parseWholeCount(s string) (float64, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, "missing count (want a whole number >= 0)"
	}
	v, err := strconv.ParseFloat(s, 64)
	switch {
	case err != nil || math.IsNaN(v) || math.IsInf(v, 0):
		return 0, fmt.Sprintf("%q is not a whole count", s)
	case v < 0:
		return 0, fmt.Sprintf("%q is negative (want a whole count >= 0)", s)
	case v != math.Trunc(v):
		return 0, fmt.Sprintf("%q is not a whole count", s)
	case v > 1<<53:
		return 0, fmt.Sprintf("%q is too large for a count", s)
	}
	return v, ""
}

// Period units, finest first.
var periodUnits = []string{"day", "week", "month", "quarter", "year"}

func unitRank(u string) int {
	for i, x := range periodUnits {
		if x == u {
			return i
		}
	}
	return -1
}

// periodOf parses a period label: 2026-01-31 (day), 2026-W05 (ISO week),
// 2026-01 (month), 2026-Q1 (quarter) or 2026 (year). ok is false for any
// other label.
func periodOf(label string) (start time.Time, unit string, ok bool) {
	s := strings.TrimSpace(label)
	if d, err := time.Parse("2006-01-02", s); err == nil {
		return d, "day", true
	}
	if d, err := time.Parse("2006-01", s); err == nil {
		return d, "month", true
	}
	if len(s) == 4 {
		if y, err := strconv.Atoi(s); err == nil && y >= 1000 {
			return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), "year", true
		}
	}
	if len(s) == 7 && (s[4] == '-') && (s[5] == 'Q' || s[5] == 'q') {
		y, err1 := strconv.Atoi(s[:4])
		q, err2 := strconv.Atoi(s[6:])
		if err1 == nil && err2 == nil && q >= 1 && q <= 4 {
			return time.Date(y, time.Month(3*q-2), 1, 0, 0, 0, 0, time.UTC), "quarter", true
		}
	}
	if len(s) == 8 && s[4] == '-' && (s[5] == 'W' || s[5] == 'w') {
		y, err1 := strconv.Atoi(s[:4])
		w, err2 := strconv.Atoi(s[6:])
		if err1 == nil && err2 == nil && w >= 1 && w <= 53 {
			// ISO week 1 holds January 4th; weeks start on Monday.
			jan4 := time.Date(y, 1, 4, 0, 0, 0, 0, time.UTC)
			mon := jan4.AddDate(0, 0, -((int(jan4.Weekday()) + 6) % 7))
			d := mon.AddDate(0, 0, 7*(w-1))
			if yy, ww := d.ISOWeek(); yy == y && ww == w {
				return d, "week", true
			}
		}
	}
	return time.Time{}, "", false
}

// periodLabel is the label of the period of the given unit holding d.
func periodLabel(d time.Time, unit string) string {
	switch unit {
	case "day":
		return d.Format("2006-01-02")
	case "week":
		y, w := d.ISOWeek()
		return fmt.Sprintf("%04d-W%02d", y, w)
	case "month":
		return d.Format("2006-01")
	case "quarter":
		return fmt.Sprintf("%04d-Q%d", d.Year(), (int(d.Month())+2)/3)
	}
	return fmt.Sprintf("%04d", d.Year())
}

// Unit returns the period unit shared by every row (day, week, month,
// quarter or year), or "" when the periods are labels or mixed.
func (t *CountsTable) Unit() string {
	unit := ""
	for i, r := range t.Rows {
		_, u, ok := periodOf(r.Period)
		if !ok || (i > 0 && u != unit) {
			return ""
		}
		unit = u
	}
	return unit
}

// Aggregate sums the counts into coarser periods (MATH.md §k.1): days into
// weeks, months, quarters or years; weeks into years only when whole (a
// week may straddle two months, so weeks go no further than themselves);
// months into quarters or years; quarters into years. Rows with the same
// new period and group values become one row, in order of first
// appearance. Rates are then Σx/Σn, never a mean of rates.
func (t *CountsTable) Aggregate(unit string) (*CountsTable, error) {
	target := unitRank(unit)
	if target < 0 {
		return nil, fmt.Errorf("%q is not a period unit (want day, week, month, quarter or year)", unit)
	}
	out := &CountsTable{Stages: t.Stages, Groups: t.Groups}
	index := map[string]int{}
	var ps csvProblems
	for _, r := range t.Rows {
		d, u, ok := periodOf(r.Period)
		if !ok {
			ps.add(r.Line, 0, "period %q is not a date, week, month, quarter or year, so it cannot be summed into %ss", r.Period, unit)
			continue
		}
		if unitRank(u) > target {
			ps.add(r.Line, 0, "period %q is a %s, coarser than a %s", r.Period, u, unit)
			continue
		}
		if u == "week" && unit != "week" {
			ps.add(r.Line, 0, "week %q may straddle two %ss; sum days instead", r.Period, unit)
			continue
		}
		label := periodLabel(d, unit)
		key := label + "\x00" + strings.Join(r.Groups, "\x00")
		i, ok := index[key]
		if !ok {
			i = len(out.Rows)
			index[key] = i
			out.Rows = append(out.Rows, CountsRow{Line: r.Line, Period: label, Groups: r.Groups, Counts: make([]float64, len(r.Counts))})
		}
		for k, c := range r.Counts {
			out.Rows[i].Counts[k] += c
		}
	}
	if err := ps.err(); err != nil {
		return nil, err
	}
	return out, nil
}
