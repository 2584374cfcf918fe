package core

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Observed funnels from event logs: who did which step when.

// Step order modes of an event funnel.
const (
	// OrderSequential: the steps in funnel order; other events may come
	// between them.
	OrderSequential = "sequential"
	// OrderStrict: the steps in funnel order with no other event of the
	// person between them.
	OrderStrict = "strict"
	// OrderAny: the steps in any order.
	OrderAny = "any"
)

// EventOptions control ReadEvents.
type EventOptions struct {
	// Steps are the event names of the funnel steps, in order (>= 2).
	Steps []string
	// Order is sequential (default), strict or any.
	Order string
	// Window, when > 0, is the conversion window: every step counted for
	// a person happens within Window of the first step (for any order:
	// within one span of length Window).
	Window time.Duration
	// By, when set, breaks the funnel down by persona, channel, manager or
	// segment: a person belongs to the value on their earliest row that
	// has one.
	By string
}

// EventStep is one step of an observed funnel.
type EventStep struct {
	ID string `json:"id"`
	// Persons is the number of unique persons who reached the step (and
	// every step before it, in the order mode).
	Persons int `json:"persons"`
	// Rate is Persons over the previous step's (null for the first step
	// or when the previous step has nobody); Cumulative over the first
	// step's.
	Rate       *float64 `json:"rate"`
	Cumulative *float64 `json:"cumulative"`
	// MedianDaysFromPrevious is the median time from the previous step, in
	// days, of the persons who reached this one (sequential and strict).
	MedianDaysFromPrevious *float64 `json:"median_days_from_previous"`
}

// TimeToConvert summarises the time from the first to the last step of the
// persons who completed the funnel, in days.
type TimeToConvert struct {
	Persons   int            `json:"persons"`
	Median    *float64       `json:"median_days"`
	P90       *float64       `json:"p90_days"`
	Mean      *float64       `json:"mean_days"`
	Histogram []HistogramBin `json:"histogram"`
}

// HistogramBin counts the persons whose time to convert lies in
// [FromDays, ToDays) (ToDays null: no upper bound).
type HistogramBin struct {
	FromDays float64  `json:"from_days"`
	ToDays   *float64 `json:"to_days"`
	Persons  int      `json:"persons"`
}

// histogramEdges are the bin edges of time-to-convert histograms, in days.
var histogramEdges = [...]float64{0, 1, 2, 3, 7, 14, 30, 60, 90, 180, 365}

// EventGroup is the funnel of the persons with one value of the By column.
type EventGroup struct {
	Key           string        `json:"key"`
	Persons       int           `json:"persons"`
	Steps         []EventStep   `json:"steps"`
	TimeToConvert TimeToConvert `json:"time_to_convert"`
}

// TransitionCount is an observed move between consecutive step events of
// one person (a backward move has To before From in the funnel; To =
// From is a repeat). To is "lost" after a person's last event when it is
// not the final step.
type TransitionCount struct {
	From        string  `json:"from"`
	To          string  `json:"to"`
	Count       int     `json:"count"`
	Probability float64 `json:"probability"`
	Backward    bool    `json:"backward,omitempty"`
}

// EventFunnel is the observed funnel of an event log.
type EventFunnel struct {
	Order      string   `json:"order"`
	WindowDays *float64 `json:"window_days"`
	// Rows read, distinct persons in the log (with or without a step
	// event), and rows whose event is not a step.
	Rows        int `json:"rows"`
	Persons     int `json:"persons"`
	OtherEvents int `json:"other_events"`
	// First and Last are the earliest and latest event times (RFC 3339).
	First string      `json:"first"`
	Last  string      `json:"last"`
	Steps []EventStep `json:"steps"`
	// TimeToConvert is from the first to the last step.
	TimeToConvert TimeToConvert `json:"time_to_convert"`
	By            string        `json:"by,omitempty"`
	Groups        []EventGroup  `json:"groups,omitempty"`
	// Transitions are the observed moves between steps, backward moves and
	// repeats included; the final step absorbs ("purchase").
	Transitions []TransitionCount `json:"transitions"`
	// Journey is the transition matrix as the plan's journey section: the
	// final step is "purchase", leaving the log is "lost".
	Journey *Journey `json:"journey"`
	// Plan is a plan inferred from the log: its stages are the steps, top
	// the persons at the first step, rates the observed ones with Beta
	// uncertainty from the counts, and the observed journey.
	Plan     *Plan    `json:"plan"`
	Warnings []string `json:"warnings"`
}

// Packed event: person index (24 bits) | seconds since 1970 (32 bits) |
// event code (8 bits). Sorting the packed values orders events by person,
// then time, then funnel order: 8 bytes per stored row and no per-person
// allocation.
const (
	maxEventPersons = 1 << 24
	otherEvent      = 0xFF // a non-step event (kept for strict order only)
)

// eventPerson is what is kept per person besides the events.
type eventPerson struct {
	group     uint16 // index+1 into the group values; 0 none
	groupTime uint32 // time of the row that gave the group
}

// ReadEvents reads an event log CSV and computes the observed funnel. The
// file has a header row with at least person, time and event (optional
// persona, channel, manager, segment; other columns are ignored), one row
// per event, in any order. time is RFC 3339 or YYYY-MM-DD[ HH:MM[:SS]]
// (UTC when no zone is given), between 1970 and 2106.
//
// The file is streamed: what is kept is a map of person ids and 8 bytes
// per step event (non-step events only in strict order), so memory grows
// with the persons and the step events, never with the text of the rows.
// Every bad row is reported (missing person, bad time, missing event) as
// CSVErrors with line and column.
func ReadEvents(r io.Reader, opt EventOptions) (*EventFunnel, error) {
	return readEvents(r, opt, eventChunk)
}

// readEvents is ReadEvents with a chosen storage chunk size.
func readEvents(r io.Reader, opt EventOptions, chunk int) (*EventFunnel, error) {
	n := len(opt.Steps)
	if n < 2 {
		return nil, fmt.Errorf("steps: %d steps (want at least 2 event names in funnel order)", n)
	}
	if n >= otherEvent {
		return nil, fmt.Errorf("steps: %d steps (want at most %d)", n, otherEvent-1)
	}
	stepIdx := make(map[string]uint8, n)
	for i, s := range opt.Steps {
		s = strings.TrimSpace(s)
		if s == "" {
			return nil, fmt.Errorf("steps[%d]: empty event name", i)
		}
		if _, dup := stepIdx[s]; dup {
			return nil, fmt.Errorf("steps[%d]: %q is listed twice", i, s)
		}
		stepIdx[s] = uint8(i)
	}
	order := opt.Order
	if order == "" {
		order = OrderSequential
	}
	if order != OrderSequential && order != OrderStrict && order != OrderAny {
		return nil, fmt.Errorf("order %q is not known (want sequential, strict or any)", opt.Order)
	}
	if opt.Window < 0 {
		return nil, fmt.Errorf("window %v is negative", opt.Window)
	}
	if opt.By != "" && !isGroupColumn(opt.By) {
		return nil, fmt.Errorf("cannot break down by %q (want persona, channel, manager or segment)", opt.By)
	}

	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	var ps csvProblems
	header, err := cr.Read()
	if err == io.EOF {
		return nil, CSVErrors{{Line: 1, Err: errors.New("empty file (want a header row with person, time and event)")}}
	}
	if err != nil {
		return nil, csvReadError(err)
	}
	cols := map[string]int{}
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if _, dup := cols[name]; dup && name != "" {
			ps.add(1, i+1, "duplicate column %q", name)
		}
		cols[name] = i
	}
	for _, need := range []string{"person", "time", "event"} {
		if _, ok := cols[need]; !ok {
			ps.add(1, 0, "no %s column (want a header with person, time and event)", need)
		}
	}
	byCol := -1
	if opt.By != "" {
		c, ok := cols[opt.By]
		if !ok {
			ps.add(1, 0, "no %s column to break down by", opt.By)
		}
		byCol = c
	}
	if len(ps.list) > 0 {
		return nil, ps.err()
	}
	pc, tc, ec := cols["person"], cols["time"], cols["event"]
	width := len(header)

	res := &EventFunnel{Order: order, By: opt.By, Warnings: []string{}}
	if opt.Window > 0 {
		res.WindowDays = F(opt.Window.Hours() / 24)
	}
	persons := map[string]uint32{}
	var info []eventPerson
	events := eventStore{chunk: chunk}
	groupIdx := map[string]uint16{}
	var groupKeys []string
	minT, maxT := uint32(math.MaxUint32), uint32(0)
	conflicts := 0
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
		res.Rows++
		id := strings.TrimSpace(rec[pc])
		ev := strings.TrimSpace(rec[ec])
		ok := true
		if id == "" {
			ps.add(line, pc+1, "missing person id")
			ok = false
		}
		t, terr := parseEventTime(rec[tc])
		if terr != "" {
			ps.add(line, tc+1, "%s", terr)
			ok = false
		}
		if ev == "" {
			ps.add(line, ec+1, "missing event")
			ok = false
		}
		if !ok || len(ps.list) > 0 {
			continue // after a problem only the problems are collected
		}
		pi, seen := persons[id]
		if !seen {
			if len(info) >= maxEventPersons {
				return nil, CSVErrors{{Line: line, Column: pc + 1, Err: fmt.Errorf("more than %d persons", maxEventPersons)}}
			}
			pi = uint32(len(info))
			persons[strings.Clone(id)] = pi
			info = append(info, eventPerson{})
		}
		if byCol >= 0 {
			if g := strings.TrimSpace(rec[byCol]); g != "" {
				gi, ok := groupIdx[g]
				if !ok {
					if len(groupKeys) >= math.MaxUint16-1 {
						return nil, CSVErrors{{Line: line, Column: byCol + 1, Err: fmt.Errorf("more than %d %s values", math.MaxUint16-1, opt.By)}}
					}
					groupKeys = append(groupKeys, strings.Clone(g))
					gi = uint16(len(groupKeys))
					groupIdx[groupKeys[gi-1]] = gi
				}
				p := &info[pi]
				switch {
				case p.group == 0 || t < p.groupTime:
					if p.group != 0 && p.group != gi {
						conflicts++
					}
					p.group, p.groupTime = gi, t
				case p.group != gi:
					conflicts++
				}
			}
		}
		minT, maxT = min(minT, t), max(maxT, t)
		code, isStep := stepIdx[ev]
		if !isStep {
			res.OtherEvents++
			if order != OrderStrict {
				continue
			}
			code = otherEvent
		}
		events.add(uint64(pi)<<40 | uint64(t)<<8 | uint64(code))
	}
	if err := ps.err(); err != nil {
		return nil, err
	}
	res.Persons = len(info)
	if res.Persons == 0 {
		return nil, CSVErrors{{Line: 1, Err: errors.New("no events after the header")}}
	}
	res.First = time.Unix(int64(minT), 0).UTC().Format(time.RFC3339)
	res.Last = time.Unix(int64(maxT), 0).UTC().Format(time.RFC3339)
	if conflicts > 0 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("%d rows give a person another %s than their earliest row; the earliest counts", conflicts, opt.By))
	}
	analyseEvents(res, events.sorted(), info, groupKeys, opt, order)
	return res, nil
}

// parseEventTime parses RFC 3339 or YYYY-MM-DD[ HH:MM[:SS]] (also with T)
// into seconds since 1970; msg explains a bad value. The plain layouts are
// read digit by digit (no allocation): a million rows parse in well under
// a second.
func parseEventTime(s string) (uint32, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, "missing time"
	}
	var u int64
	ok := false
	switch len(s) {
	case 10, 16, 19:
		u, ok = parsePlainTime(s)
	}
	if !ok {
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return 0, fmt.Sprintf("%q is not a time (want RFC 3339 or YYYY-MM-DD[ HH:MM[:SS]])", s)
		}
		u = t.Unix()
	}
	if u < 0 || u > math.MaxUint32 {
		return 0, fmt.Sprintf("%q is outside 1970..2106", s)
	}
	return uint32(u), ""
}

// parsePlainTime reads YYYY-MM-DD, YYYY-MM-DD HH:MM or YYYY-MM-DD
// HH:MM:SS (space or T) as UTC seconds since 1970.
func parsePlainTime(s string) (int64, bool) {
	num := func(a, b int) (int, bool) {
		v := 0
		for i := a; i < b; i++ {
			c := s[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			v = 10*v + int(c-'0')
		}
		return v, true
	}
	if s[4] != '-' || s[7] != '-' {
		return 0, false
	}
	y, ok1 := num(0, 4)
	mo, ok2 := num(5, 7)
	d, ok3 := num(8, 10)
	if !ok1 || !ok2 || !ok3 || mo < 1 || mo > 12 || d < 1 {
		return 0, false
	}
	h, mi, sec := 0, 0, 0
	if len(s) > 10 {
		if (s[10] != ' ' && s[10] != 'T') || s[13] != ':' {
			return 0, false
		}
		var ok4, ok5 bool
		h, ok4 = num(11, 13)
		mi, ok5 = num(14, 16)
		if !ok4 || !ok5 || h > 23 || mi > 59 {
			return 0, false
		}
		if len(s) == 19 {
			var ok6 bool
			sec, ok6 = num(17, 19)
			if s[16] != ':' || !ok6 || sec > 59 {
				return 0, false
			}
		}
	}
	t := time.Date(y, time.Month(mo), d, h, mi, sec, 0, time.UTC)
	if t.Day() != d { // 2026-02-30 rolls over: not a date
		return 0, false
	}
	return t.Unix(), true
}

// personTrace is the analysis of one person's events.
type personTrace struct {
	reached int      // steps reached (0..n)
	at      []uint32 // times of the chain's steps (sequential, strict)
	done    int64    // seconds from first to last step when complete
}

// analyseEvents walks the sorted events person by person.
func analyseEvents(res *EventFunnel, events *eventMerge, info []eventPerson, groupKeys []string, opt EventOptions, order string) {
	n := len(opt.Steps)
	W := int64(opt.Window / time.Second)
	counts := make([]int, n+1) // counts[k]: persons who reached exactly k steps
	gapDays := make([][]float64, n)
	var ttc []float64
	groups := make([]struct {
		persons int
		counts  []int
		gaps    [][]float64
		ttc     []float64
	}, len(groupKeys))
	for g := range groups {
		groups[g].counts = make([]int, n+1)
		groups[g].gaps = make([][]float64, n)
	}
	for _, x := range info {
		if x.group > 0 {
			groups[x.group-1].persons++
		}
	}
	trans := make([]int, n*(n+1)) // trans[from*(n+1)+to], to = n is lost
	var gapSum float64
	gapN := 0
	var times []uint32
	var codes []uint8
	tr := personTrace{at: make([]uint32, n)}
	for {
		e, ok := events.peek()
		if !ok {
			break
		}
		pi := e >> 40
		times, codes = times[:0], codes[:0]
		for ok && e>>40 == pi {
			times = append(times, uint32(e>>8))
			codes = append(codes, uint8(e))
			events.pop()
			e, ok = events.peek()
		}
		traceFunnel(&tr, times, codes, n, W, order)
		counts[tr.reached]++
		if tr.reached == n {
			ttc = append(ttc, float64(tr.done)/86400)
		}
		g := -1
		if gi := info[pi].group; gi > 0 {
			g = int(gi) - 1
			groups[g].counts[tr.reached]++
			if tr.reached == n {
				groups[g].ttc = append(groups[g].ttc, float64(tr.done)/86400)
			}
		}
		if order != OrderAny {
			for k := 1; k < tr.reached; k++ {
				d := float64(tr.at[k]-tr.at[k-1]) / 86400
				gapDays[k] = append(gapDays[k], d)
				if g >= 0 {
					groups[g].gaps[k] = append(groups[g].gaps[k], d)
				}
			}
		}
		// Transitions between consecutive step events; the final step
		// absorbs.
		prev := -1
		var prevT uint32
		absorbed := false
		for k, c := range codes {
			if c == otherEvent {
				continue
			}
			if prev >= 0 {
				trans[prev*(n+1)+int(c)]++
				gapSum += float64(times[k]-prevT) / 86400
				gapN++
			}
			if int(c) == n-1 {
				absorbed = true
				break
			}
			prev, prevT = int(c), times[k]
		}
		if !absorbed && prev >= 0 {
			trans[prev*(n+1)+n]++
		}
	}
	res.Steps = eventSteps(opt.Steps, counts, gapDays, order)
	res.TimeToConvert = timeToConvert(ttc)
	if none := res.Persons - sumInts(counts[1:]); none > 0 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("%d of %d persons never did the first step %q", none, res.Persons, opt.Steps[0]))
	}
	for g, k := range groupKeys {
		res.Groups = append(res.Groups, EventGroup{Key: k, Persons: groups[g].persons, Steps: eventSteps(opt.Steps, groups[g].counts, groups[g].gaps, order), TimeToConvert: timeToConvert(groups[g].ttc)})
	}
	// Transition probabilities per from-state and the journey.
	j := &Journey{Transitions: map[string]map[string]float64{}, Entry: ""}
	for from := 0; from < n-1; from++ {
		total := 0
		for to := 0; to <= n; to++ {
			total += trans[from*(n+1)+to]
		}
		if total == 0 {
			continue
		}
		row := map[string]float64{}
		for to := 0; to <= n; to++ {
			c := trans[from*(n+1)+to]
			if c == 0 {
				continue
			}
			name := StateLost
			if to < n {
				name = opt.Steps[to]
			}
			p := float64(c) / float64(total)
			res.Transitions = append(res.Transitions, TransitionCount{From: opt.Steps[from], To: name, Count: c, Probability: p, Backward: to < from})
			if to == n-1 {
				name = StatePurchase
			}
			row[name] += p
		}
		j.Transitions[opt.Steps[from]] = row
		j.States = append(j.States, opt.Steps[from])
	}
	if res.Transitions == nil {
		res.Transitions = []TransitionCount{}
	}
	// Every row must point at states with rows: a move to a step that was
	// never left (no events after it) cannot happen, since every last
	// event leads to lost; the entry is the first step when it has a row.
	if len(j.Transitions) > 0 {
		if _, ok := j.Transitions[opt.Steps[0]]; ok {
			j.Entry = opt.Steps[0]
		} else {
			j.Entry = j.States[0]
		}
		// A journey step lasts the mean time between consecutive step
		// events (7 days when there is none).
		j.StepDays = 7
		if gapN > 0 && gapSum > 0 {
			j.StepDays = gapSum / float64(gapN)
		}
		res.Journey = j
	}
	res.Plan = eventPlan(res, opt.Steps)
}

// traceFunnel finds how far one person got (MATH.md: unique persons per
// step). times and codes are sorted by time; codes are step indexes or
// otherEvent.
func traceFunnel(tr *personTrace, times []uint32, codes []uint8, n int, W int64, order string) {
	tr.reached, tr.done = 0, 0
	inWindow := func(start, t uint32) bool { return W <= 0 || int64(t)-int64(start) <= W }
	switch order {
	case OrderAny:
		// The longest prefix of steps all present within one window
		// starting at an event; completion time is when the last of them
		// first appears.
		first := make([]int64, n)
		for l := range times {
			if codes[l] == otherEvent {
				continue
			}
			for k := range first {
				first[k] = -1
			}
			for r := l; r < len(times) && inWindow(times[l], times[r]); r++ {
				if c := codes[r]; c != otherEvent && first[c] < 0 {
					first[c] = int64(times[r])
				}
			}
			k, last := 0, int64(times[l])
			for k < n && first[k] >= 0 {
				last = max(last, first[k])
				k++
			}
			if k > tr.reached || (k == n && last-int64(times[l]) < tr.done) {
				tr.reached = k
				if k == n {
					tr.done = last - int64(times[l])
				}
			}
			if W <= 0 {
				break // without a window the first event sees everything
			}
		}
	default:
		strict := order == OrderStrict
		for s := range times {
			if codes[s] != 0 {
				continue
			}
			k := 1
			at := tr.at[:0]
			at = append(at, times[s])
			for r := s + 1; r < len(times) && k < n; r++ {
				if !inWindow(times[s], times[r]) {
					break
				}
				if int(codes[r]) == k {
					at = append(at, times[r])
					k++
				} else if strict {
					break
				}
			}
			if k > tr.reached {
				tr.reached = k
				copy(tr.at[:k], at)
				if k == n {
					tr.done = int64(at[n-1]) - int64(at[0])
				}
			}
			if tr.reached == n || (W <= 0 && !strict) {
				break // greedy from the earliest start is best
			}
		}
	}
}

// eventSteps turns "reached exactly k" counts into unique persons per step.
func eventSteps(ids []string, exact []int, gaps [][]float64, order string) []EventStep {
	n := len(ids)
	steps := make([]EventStep, n)
	atLeast := 0
	for k := n; k >= 1; k-- {
		atLeast += exact[k]
		steps[k-1] = EventStep{ID: ids[k-1], Persons: atLeast}
	}
	for k := range steps {
		if steps[0].Persons > 0 {
			steps[k].Cumulative = F(float64(steps[k].Persons) / float64(steps[0].Persons))
		}
		if k > 0 && steps[k-1].Persons > 0 {
			steps[k].Rate = F(float64(steps[k].Persons) / float64(steps[k-1].Persons))
		}
		if k > 0 && order != OrderAny && len(gaps[k]) > 0 {
			slices.Sort(gaps[k])
			steps[k].MedianDaysFromPrevious = F(quantile7(gaps[k], 0.5))
		}
	}
	return steps
}

// timeToConvert summarises conversion times in days: median and P90 (type
// 7 quantiles), mean and the histogram.
func timeToConvert(days []float64) TimeToConvert {
	t := TimeToConvert{Persons: len(days), Histogram: make([]HistogramBin, len(histogramEdges))}
	for i, e := range histogramEdges {
		t.Histogram[i].FromDays = e
		if i+1 < len(histogramEdges) {
			t.Histogram[i].ToDays = F(histogramEdges[i+1])
		}
	}
	if len(days) == 0 {
		return t
	}
	slices.Sort(days)
	t.Median = F(quantile7(days, 0.5))
	t.P90 = F(quantile7(days, 0.9))
	sum := 0.0
	for _, d := range days {
		sum += d
		b := len(histogramEdges) - 1
		for b > 0 && d < histogramEdges[b] {
			b--
		}
		t.Histogram[b].Persons++
	}
	t.Mean = F(sum / float64(len(days)))
	return t
}

// eventPlan infers a plan from an observed funnel.
func eventPlan(res *EventFunnel, ids []string) *Plan {
	first, _ := time.Parse(time.RFC3339, res.First)
	last, _ := time.Parse(time.RFC3339, res.Last)
	span := last.Sub(first).Hours() / 24
	p := &Plan{Version: Version, Name: fmt.Sprintf("Observed funnel (%d persons over %s days)", res.Persons, strconv.FormatFloat(math.Round(span*10)/10, 'f', -1, 64)), Uncertainty: map[string]Dist{}}
	p.Top = float64(res.Steps[0].Persons)
	for k, s := range res.Steps {
		st := Stage{ID: ids[k]}
		if k > 0 {
			prev := float64(res.Steps[k-1].Persons)
			st.Rate = F(0)
			if s.Rate != nil {
				st.Rate = F(*s.Rate)
			}
			if prev > 0 {
				p.Uncertainty["stages."+ids[k]+".rate"] = Dist{Beta: &BetaDist{Successes: F(float64(s.Persons)), Trials: F(prev)}}
			}
		}
		p.Stages = append(p.Stages, st)
	}
	if len(p.Uncertainty) == 0 {
		p.Uncertainty = nil
	}
	if res.Journey != nil {
		j := res.Journey.clone()
		p.Journey = &j
	}
	return p
}

func sumInts(xs []int) int {
	s := 0
	for _, x := range xs {
		s += x
	}
	return s
}

// eventChunk is the number of packed events per storage chunk.
const eventChunk = 1 << 16

// eventStore keeps packed events in fixed-size chunks: growing never
// copies, so memory is 8 bytes per stored event plus one partly filled
// chunk.
type eventStore struct {
	chunk  int
	chunks [][]uint64
}

func (s *eventStore) add(e uint64) {
	k := len(s.chunks) - 1
	if k < 0 || len(s.chunks[k]) == s.chunk {
		s.chunks = append(s.chunks, make([]uint64, 0, s.chunk))
		k++
	}
	s.chunks[k] = append(s.chunks[k], e)
}

// sorted sorts every chunk and returns their merge, in ascending order.
func (s *eventStore) sorted() *eventMerge {
	m := &eventMerge{}
	for _, c := range s.chunks {
		if len(c) > 0 {
			slices.Sort(c)
			m.heads = append(m.heads, c)
		}
	}
	for i := len(m.heads)/2 - 1; i >= 0; i-- {
		m.down(i)
	}
	return m
}

// eventMerge merges sorted chunks with a min-heap on their first element.
type eventMerge struct{ heads [][]uint64 }

func (m *eventMerge) peek() (uint64, bool) {
	if len(m.heads) == 0 {
		return 0, false
	}
	return m.heads[0][0], true
}

func (m *eventMerge) pop() {
	h := m.heads
	h[0] = h[0][1:]
	if len(h[0]) == 0 {
		h[0] = h[len(h)-1]
		h[len(h)-1] = nil
		m.heads = h[:len(h)-1]
	}
	if len(m.heads) > 0 {
		m.down(0)
	}
}

func (m *eventMerge) down(i int) {
	h := m.heads
	for {
		l, r, small := 2*i+1, 2*i+2, i
		if l < len(h) && h[l][0] < h[small][0] {
			small = l
		}
		if r < len(h) && h[r][0] < h[small][0] {
			small = r
		}
		if small == i {
			return
		}
		h[i], h[small] = h[small], h[i]
		i = small
	}
}
