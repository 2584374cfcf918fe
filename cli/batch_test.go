package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// smallPlan is a small plan line as batch sees them in bulk: three stages,
// no personas; i varies the top so lines differ.
func smallPlan(i int) string {
	return fmt.Sprintf(`{"funnelplan":1,"name":"p%d","top":%d,"stages":[{"id":"visit"},{"id":"lead","rate":0.05},{"id":"customer","rate":0.2}],"order_value":100}`, i, 1000+i)
}

// BenchmarkBatch measures batch throughput on small plans end to end
// (funnelplan batch, all cores), in plans per second and plans per second
// per core, and plans per CPU second (DESIGN.md budget: >= 20,000 plans/s
// per core).
func BenchmarkBatch(b *testing.B) {
	const lines = 10000
	var in strings.Builder
	for i := range lines {
		in.WriteString(smallPlan(i) + "\n")
	}
	data := in.String()
	cpu0 := cpuTime()
	for b.Loop() {
		if err := run(context.Background(), []string{"batch"}, strings.NewReader(data), io.Discard, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
	plans := float64(b.N) * lines
	s := b.Elapsed().Seconds()
	b.ReportMetric(plans/s, "plans/s")
	b.ReportMetric(plans/s/float64(runtime.GOMAXPROCS(0)), "plans/s/core")
	if cpu := (cpuTime() - cpu0).Seconds(); cpu > 0 {
		// Plans per second of CPU time: the per-core throughput when
		// other processes share the machine.
		b.ReportMetric(plans/cpu, "plans/cpu-s")
	}
}

// BenchmarkBatchLine measures one line on one core, without the pool.
func BenchmarkBatchLine(b *testing.B) {
	e := &env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard}
	bt := &batcher{e: e, cmd: "run"}
	l := []byte(smallPlan(1))
	var scratch bytes.Buffer
	var out []byte
	for b.Loop() {
		var msg string
		out, msg = bt.line(context.Background(), 1, l, out[:0], &scratch)
		if msg != "" {
			b.Fatal(msg)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "plans/s")
}

// TestBatchOrder runs many lines, some invalid, on several workers and
// checks that output line k answers input line k, in order.
func TestBatchOrder(t *testing.T) {
	const lines = 3000
	var in strings.Builder
	for i := 1; i <= lines; i++ {
		switch {
		case i%7 == 0:
			in.WriteString(`{"funnelplan":1,"name":"bad","top":-1,"stages":[{"id":"a"},{"id":"b","rate":0.5}]}` + "\n")
		case i%11 == 0:
			in.WriteString("\n") // blank: skipped
		default:
			in.WriteString(smallPlan(i) + "\n")
		}
	}
	var out, errb bytes.Buffer
	err := run(context.Background(), []string{"batch", "--jobs", "3", "--allow-errors"}, strings.NewReader(in.String()), &out, &errb)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(&out)
	want := 1
	for {
		var r struct {
			Line   int
			Error  string
			Result *struct{ Plan string }
		}
		if err := dec.Decode(&r); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		for want%11 == 0 && want%7 != 0 {
			want++
		}
		if r.Line != want {
			t.Fatalf("output line for input %d, want %d", r.Line, want)
		}
		switch {
		case want%7 == 0:
			if !strings.Contains(r.Error, "top: -1 is negative") {
				t.Errorf("line %d: error %q, want the negative top", want, r.Error)
			}
		case r.Result == nil || r.Result.Plan != fmt.Sprintf("p%d", want):
			t.Errorf("line %d: result %+v, error %q", want, r.Result, r.Error)
		}
		want++
	}
	if want != lines+1 {
		t.Errorf("%d output lines, want every line up to %d", want-1, lines)
	}
}

// TestBatchStreams checks that each answer is written as soon as its line
// is read: a producer that waits for every answer before sending the next
// line must not wait forever.
func TestBatchStreams(t *testing.T) {
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := run(context.Background(), []string{"batch"}, inR, outW, io.Discard)
		outW.CloseWithError(err)
		done <- err
	}()
	br := bufio.NewReader(outR)
	for i := 1; i <= 3; i++ {
		if _, err := io.WriteString(inW, smallPlan(i)+"\n"); err != nil {
			t.Fatal(err)
		}
		l, err := br.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(l, fmt.Sprintf(`{"line":%d,"result":{"plan":"p%d"`, i, i)) {
			t.Errorf("answer %d: %.60s", i, l)
		}
	}
	inW.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestBatchLongLineAndOutputFile(t *testing.T) {
	long := `{"funnelplan":1,"name":"` + strings.Repeat("x", batchMaxLine+10) + `"}`
	in := smallPlan(1) + "\n" + long + "\n" + smallPlan(3) + "\r\n"
	path := filepath.Join(t.TempDir(), "out.jsonl")
	var errb bytes.Buffer
	err := run(context.Background(), []string{"batch", "-o", path}, strings.NewReader(in), io.Discard, &errb)
	if err == nil || !strings.Contains(err.Error(), "1 of 3 lines failed; the first: line 2: line longer than 64 MiB") {
		t.Fatalf("err = %v", err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	if len(got) != 3 || !strings.HasPrefix(got[0], `{"line":1,"result":`) || got[1] != `{"line":2,"error":"line longer than 64 MiB"}` || !strings.HasPrefix(got[2], `{"line":3,"result":{"plan":"p3"`) {
		t.Errorf("output:\n%.300s", b)
	}
}

// TestBatchSameAsRun checks that a batch result is exactly what run
// --format json prints for the same plan.
func TestBatchSameAsRun(t *testing.T) {
	plan, err := os.ReadFile("testdata/small.json")
	if err != nil {
		t.Fatal(err)
	}
	var runOut, batchOut bytes.Buffer
	if err := run(context.Background(), []string{"run", "--format", "json", "--scenario", "better-signup"}, bytes.NewReader(plan), &runOut, io.Discard); err != nil {
		t.Fatal(err)
	}
	var compact bytes.Buffer
	json.Compact(&compact, plan)
	line := `{"plan":` + compact.String() + `,"options":{"scenario":"better-signup"}}` + "\n"
	if err := run(context.Background(), []string{"batch"}, strings.NewReader(line), &batchOut, io.Discard); err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	json.Compact(&want, runOut.Bytes())
	if got := batchOut.String(); got != `{"line":1,"result":`+want.String()+"}\n" {
		t.Errorf("batch:\n%s\nrun:\n%s", got, want.String())
	}
}

// TestBatchInterrupted checks that an interrupted batch stops reading,
// writes whole lines only, and says how many.
func TestBatchInterrupted(t *testing.T) {
	inR, inW := io.Pipe()
	go func() {
		for i := 1; ; i++ {
			if _, err := io.WriteString(inW, smallPlan(i)+"\n"); err != nil {
				return
			}
		}
	}()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	outR, outW := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := run(ctx, []string{"batch", "--jobs", "2"}, inR, outW, io.Discard)
		outW.Close()
		inR.Close()
		done <- err
	}()
	br := bufio.NewReader(outR)
	lines := 0
	for {
		l, err := br.ReadString('\n')
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if !json.Valid([]byte(l)) {
			t.Fatalf("line %d is not JSON: %.80s", lines+1, l)
		}
		lines++
		if lines == 1000 {
			cancel()
		}
	}
	err := <-done
	want := fmt.Sprintf("stdin: interrupted after %s lines, whose results are written", fcount(float64(lines)))
	if err == nil || err.Error() != want {
		t.Errorf("err = %v, want %q", err, want)
	}
}
