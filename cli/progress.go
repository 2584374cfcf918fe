package main

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// progress draws a progress bar for a long run on stderr, only when stderr
// is a terminal: piped or redirected, a run prints nothing extra. The bar
// is plain text when NO_COLOR is set or TERM is dumb. A nil *progress is
// valid and silent, so commands call its methods unconditionally:
//
//	p := e.progress("simulate", int64(trials))
//	defer p.Done()
//	for ... { p.Add(1) }
//
// Add is safe from many goroutines.
type progress struct {
	label   string
	total   int64 // 0: unknown (count and rate only)
	n       atomic.Int64
	e       *env
	start   time.Time
	stop    chan struct{}
	stopped sync.WaitGroup
	once    sync.Once
}

// progressInterval is how often the bar is redrawn.
const progressInterval = 100 * time.Millisecond

// progress starts a bar counting to total (0 when the total is unknown);
// nil when stderr is not a terminal.
func (e *env) progress(label string, total int64) *progress {
	if !e.stderrTTY {
		return nil
	}
	p := &progress{label: label, total: total, e: e, start: time.Now(), stop: make(chan struct{})}
	p.stopped.Add(1)
	go func() {
		defer p.stopped.Done()
		t := time.NewTicker(progressInterval)
		defer t.Stop()
		for {
			select {
			case <-p.stop:
				fmt.Fprint(e.stderr, "\r\033[K")
				return
			case <-t.C:
				fmt.Fprint(e.stderr, "\r"+p.line()+"\033[K")
			}
		}
	}()
	return p
}

// Add counts n more units done.
func (p *progress) Add(n int64) {
	if p != nil {
		p.n.Add(n)
	}
}

// Done stops the bar and clears its line; later calls do nothing.
func (p *progress) Done() {
	if p == nil {
		return
	}
	p.once.Do(func() {
		close(p.stop)
		p.stopped.Wait()
	})
}

// line renders the bar: label, bar and percentage when the total is known,
// count, rate per second and elapsed time.
func (p *progress) line() string {
	n := p.n.Load()
	el := time.Since(p.start)
	rate := 0.0
	if s := el.Seconds(); s > 0 {
		rate = float64(n) / s
	}
	var b strings.Builder
	b.WriteString(p.label + " ")
	if p.total > 0 {
		const width = 30
		f := min(1, float64(n)/float64(p.total))
		full := int(f * width)
		bar := strings.Repeat("#", full)
		if !p.e.noColor {
			bar = "\033[32m" + strings.Repeat("█", full) + "\033[0m"
		}
		fmt.Fprintf(&b, "[%s%s] %3.0f%% %s/%s", bar, strings.Repeat(".", width-full), 100*f, fcount(float64(n)), fcount(float64(p.total)))
	} else {
		b.WriteString(fcount(float64(n)))
	}
	fmt.Fprintf(&b, "  %s/s  %s", fcount(float64(int64(rate))), el.Round(time.Second))
	return b.String()
}
