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
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/funnelplan/funnelplan/core"
)

const batchDoc = `
funnelplan batch [--jobs N] [--command NAME] [--allow-errors] [-o FILE] [FILE]

Reads JSON Lines, computes every line and writes JSON Lines: the map step
for anything that pipes lines (xargs, GNU parallel, Spark's pipe). Each
input line is a plan, or an object naming the command and its options:

	{"funnelplan": 1, "name": "...", "top": 10000, "stages": [...]}
	{"id": "a-17", "command": "reverse", "options": {"revenue": 500000},
	 "plan": {"funnelplan": 1, ...}}

A plan alone runs --command (run by default). "command" is any command
that prints JSON (run, compare, reverse, sensitivity, journey, forecast,
simulate, sweep, ...); "options" are its flags by name ({"scenario": "x"}
is --scenario=x, true is a bare flag, a list repeats the flag); "id" is
copied to the output line.

Each output line is {"line": N, "result": {...}} with the command's JSON
output, or {"line": N, "error": "..."}, where N is the 1-based input line
and the error names the JSON path of the problem; an invalid plan also
gets "problems": [{"path", "message"}], every problem of the plan. Outputs keep the input
order; blank input lines are skipped. Lines are computed on every core
(--jobs) with a bounded number in flight, so memory stays flat on any
number of lines, and each result is written as soon as the lines before
it are, so a producer may wait for its answers.

Exit status 1 when some line failed (after writing every line), unless
--allow-errors: then errors are data and the exit status is 0.
`

func init() {
	register(command{name: "batch", summary: "JSON Lines of plans in, JSON Lines of results out", run: runBatch})
}

// batchChunkLines and batchChunkBytes bound one unit of work; batchWindow
// chunks per job may be in flight (read, computing or waiting to be
// written), which bounds memory.
const (
	batchChunkLines  = 256
	batchChunkBytes  = 1 << 20
	batchWindow      = 4
	batchMaxLine     = 64 << 20
	batchGCPercent   = 400
	batchMemoryLimit = 64 << 20
)

// batchChunk is a run of consecutive input lines and their output.
type batchChunk struct {
	first int      // line number of lines[0]
	lines [][]byte // nil entries are blank lines
	long  []bool   // lines longer than batchMaxLine
	out   []byte   // JSON Lines output
	errs  int      // lines that failed
	err1  string   // the first failure, "line N: message"
	done  chan struct{}
}

// noBatch are commands that print no JSON of one plan.
var noBatch = map[string]bool{"batch": true, "serve": true, "example": true, "chart": true}

func runBatch(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "batch", batchDoc)
	jobs := fs.IntP("jobs", "j", runtime.GOMAXPROCS(0), "compute `N` lines at once")
	cmdName := fs.String("command", "run", "the command for lines that are a plan alone")
	allow := fs.Bool("allow-errors", false, "exit 0 even when some lines failed")
	out := fs.StringP("output", "o", "", "write to `FILE` (atomically) instead of standard output")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *jobs < 1 {
		return usagef("batch: --jobs %d: want at least 1", *jobs)
	}
	if _, ok := commands[*cmdName]; !ok || noBatch[*cmdName] {
		return usagef("batch: --command %q is not a command that prints JSON (want run, compare, reverse, ...)", *cmdName)
	}
	path, err := oneFile(fs)
	if err != nil {
		return err
	}
	in, name := e.stdin, "stdin"
	if path == "-" {
		if f, ok := e.stdin.(*os.File); ok && isTerminal(f) {
			return usagef("batch: no input file given and standard input is a terminal (want a file name, or JSON Lines piped in)")
		}
	} else {
		f, err := os.Open(path)
		if err != nil {
			var pe *os.PathError
			if errors.As(err, &pe) {
				err = fmt.Errorf("%s: %v", path, pe.Err)
			}
			return err
		}
		defer f.Close()
		in, name = f, path
	}
	var w io.Writer = e.stdout
	var af *atomicFile
	if *out != "" && *out != "-" {
		if af, err = createAtomic(*out); err != nil {
			return err
		}
		defer af.Abort() // after a Commit this finds nothing to remove
		w = af
	}
	// Batch allocates many short-lived values per line and keeps few: a
	// less eager collector spends far less CPU on garbage, and a soft
	// memory limit keeps the heap flat. GOGC and GOMEMLIMIT in the
	// environment still decide.
	if _, ok := os.LookupEnv("GOGC"); !ok {
		defer debug.SetGCPercent(debug.SetGCPercent(batchGCPercent))
	}
	if _, ok := os.LookupEnv("GOMEMLIMIT"); !ok {
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(batchMemoryLimit))
	}
	b := &batcher{e: e, cmd: *cmdName}
	n, errs, first, err := b.do(ctx, in, w, *jobs)
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("%s: interrupted after %s lines, whose results are written", name, fcount(float64(n)))
	}
	if err != nil {
		return fmt.Errorf("%s: %v", name, err)
	}
	if af != nil {
		if err := af.Commit(); err != nil {
			return err
		}
	}
	if errs > 0 && !*allow {
		return fmt.Errorf("%s: %d of %d lines failed; the first: %s", name, errs, n, first)
	}
	return nil
}

// batcher computes JSON Lines.
type batcher struct {
	e   *env
	cmd string
}

// do reads lines from r, computes them on jobs workers and writes the
// results to w in input order. It returns the number of lines computed,
// how many failed and the first failure.
func (b *batcher) do(ctx context.Context, r io.Reader, w io.Writer, jobs int) (n, errs int, first string, err error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	order := make(chan *batchChunk, batchWindow*jobs)
	work := make(chan *batchChunk, jobs)
	var wg sync.WaitGroup
	for range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var scratch bytes.Buffer
			for c := range work {
				b.chunk(ctx, c, &scratch)
				close(c.done)
			}
		}()
	}
	readErr := make(chan error, 1)
	go func() {
		defer close(order)
		defer close(work)
		readErr <- b.read(ctx, r, order, work)
	}()

	p := b.e.progress("batch", 0)
	bw := bufio.NewWriterSize(w, 256<<10)
	var werr error
	for {
		var c *batchChunk
		var ok bool
		select {
		case c, ok = <-order:
		default:
			// Nothing read yet: show what is written before waiting.
			if werr == nil {
				werr = bw.Flush()
			}
			c, ok = <-order
		}
		if !ok {
			break
		}
		select {
		case <-c.done:
		default:
			// Let the reader of our output see what is ready before we
			// wait: a producer may be waiting for its answers.
			if werr == nil {
				werr = bw.Flush()
			}
			<-c.done
		}
		if werr == nil {
			_, werr = bw.Write(c.out)
		}
		if werr != nil {
			cancel() // stop reading; keep draining so the reader can exit
		}
		for _, l := range c.lines {
			if l != nil {
				n++
			}
		}
		if c.errs > 0 && errs == 0 {
			first = c.err1
		}
		errs += c.errs
		p.Add(int64(len(c.lines)))
		c.out, c.lines = nil, nil
	}
	wg.Wait()
	p.Done()
	if werr == nil {
		werr = bw.Flush()
	}
	if werr != nil {
		return n, errs, first, werr
	}
	if err := <-readErr; err != nil {
		return n, errs, first, err
	}
	return n, errs, first, ctx.Err()
}

// read splits r into chunks of lines and sends each to order (to keep the
// order) and to work. A chunk is sent when it is full or when no more
// input is buffered, so lines arriving one by one are answered at once.
func (b *batcher) read(ctx context.Context, r io.Reader, order, work chan<- *batchChunk) error {
	br := bufio.NewReaderSize(r, 1<<20)
	lineNo := 0
	var c *batchChunk
	size := 0
	send := func() bool {
		if c == nil {
			return true
		}
		select {
		case order <- c:
		case <-ctx.Done():
			return false
		}
		select {
		case work <- c:
		case <-ctx.Done():
			c.lines = nil // not computed: not counted, nothing written
			close(c.done)
			return false
		}
		c, size = nil, 0
		return true
	}
	var long []byte
	for {
		if c != nil && br.Buffered() == 0 && !send() {
			return nil
		}
		frag, err := br.ReadSlice('\n')
		tooLong := false
		line := frag
		if errors.Is(err, bufio.ErrBufferFull) || long != nil {
			// A line longer than the buffer: gather it, up to the limit.
			if len(long) <= batchMaxLine {
				long = append(long, frag...)
			}
			if errors.Is(err, bufio.ErrBufferFull) {
				continue
			}
			line, tooLong = long, len(long) > batchMaxLine
			long = nil
		}
		if len(line) > 0 {
			lineNo++
			if c == nil {
				c = &batchChunk{first: lineNo, done: make(chan struct{})}
			}
			t := bytes.TrimSpace(line)
			var keep []byte
			if len(t) > 0 || tooLong {
				keep = append(make([]byte, 0, len(t)), t...)
			}
			c.lines = append(c.lines, keep)
			c.long = append(c.long, tooLong)
			size += len(t)
			if len(c.lines) >= batchChunkLines || size >= batchChunkBytes {
				if !send() {
					return nil
				}
			}
		}
		if err == io.EOF {
			send()
			return nil
		}
		if err != nil {
			send()
			return err
		}
	}
}

// chunk computes every line of c.
func (b *batcher) chunk(ctx context.Context, c *batchChunk, scratch *bytes.Buffer) {
	for i, l := range c.lines {
		if l == nil {
			continue
		}
		n := c.first + i
		var msg string
		if c.long[i] {
			msg = fmt.Sprintf("line longer than %d MiB", batchMaxLine>>20)
			c.out = appendBatchError(c.out, n, nil, msg)
		} else {
			c.out, msg = b.line(ctx, n, l, c.out, scratch)
		}
		if msg != "" {
			if c.errs == 0 {
				c.err1 = fmt.Sprintf("line %d: %s", n, msg)
			}
			c.errs++
		}
	}
}

// batchEnvelope is an input line naming its command.
type batchEnvelope struct {
	ID      json.RawMessage            `json:"id"`
	Command string                     `json:"command"`
	Options map[string]json.RawMessage `json:"options"`
	Plan    json.RawMessage            `json:"plan"`
}

var planKey = []byte(`"plan"`)

// line computes one input line, appends its output line to out and
// returns the error message ("" on success).
func (b *batcher) line(ctx context.Context, n int, l []byte, out []byte, scratch *bytes.Buffer) ([]byte, string) {
	cmd, plan, name := b.cmd, l, "-"
	var id json.RawMessage
	var opts map[string]json.RawMessage
	if l[0] != '{' {
		msg := "want a JSON object (a plan, or {\"plan\": ..., \"command\": ..., \"options\": ...})"
		return appendBatchError(out, n, nil, msg), msg
	}
	if bytes.Contains(l, planKey) {
		var env batchEnvelope
		if json.Unmarshal(l, &env) == nil && env.Plan != nil {
			d := json.NewDecoder(bytes.NewReader(l))
			d.DisallowUnknownFields()
			if err := d.Decode(new(batchEnvelope)); err != nil {
				msg := strings.TrimPrefix(err.Error(), "json: ") + " (want id, command, options, plan)"
				return appendBatchError(out, n, env.ID, msg), msg
			}
			id, opts, plan, name = env.ID, env.Options, env.Plan, "plan"
			if env.Command != "" {
				cmd = env.Command
			}
		}
	}
	args, msg := batchArgs(cmd, opts)
	if msg != "" {
		return appendBatchError(out, n, id, msg), msg
	}
	scratch.Reset()
	sub := &env{stdin: bytes.NewReader(plan), stdout: scratch, stderr: io.Discard, stdinName: "-", compactJSON: true}
	err := runGuarded(ctx, commands[cmd], sub, args)
	if err != nil {
		// Problems of the plan keep their JSON paths, under "plan." when
		// the plan is a member of the line.
		var ps core.Problems
		if errors.As(err, &ps) && err.Error() == ps.Error() {
			ps = slices.Clone(ps)
			if name == "plan" {
				for i := range ps {
					ps[i].Path = strings.TrimSuffix("plan."+ps[i].Path, ".")
				}
			}
			msg := strings.ReplaceAll(ps.Error(), "\n", "; ")
			return appendBatchProblems(out, n, id, msg, ps), msg
		}
		msg := strings.ReplaceAll(err.Error(), "\n", "; ")
		var ue *usageError
		if errors.As(err, &ue) {
			msg = "options: " + msg
		} else if name == "plan" {
			msg = "plan: " + msg
		}
		return appendBatchError(out, n, id, msg), msg
	}
	res := oneLineJSON(scratch.Bytes())
	if res == nil {
		msg := fmt.Sprintf("command %q printed no JSON result", cmd)
		return appendBatchError(out, n, id, msg), msg
	}
	out = appendBatchHead(out, n, id)
	out = append(out, `"result":`...)
	out = append(out, res...)
	return append(out, "}\n"...), ""
}

// oneLineJSON returns b as one line of JSON: as it is when it is one
// object or array on one line (emit with compactJSON), else compacted;
// nil when b is not JSON.
func oneLineJSON(b []byte) []byte {
	b = bytes.TrimSpace(b)
	if len(b) >= 2 && (b[0] == '{' && b[len(b)-1] == '}' || b[0] == '[' && b[len(b)-1] == ']') && bytes.IndexByte(b, '\n') < 0 {
		return b
	}
	var buf bytes.Buffer
	if json.Compact(&buf, b) != nil || buf.Len() == 0 {
		return nil
	}
	return buf.Bytes()
}

// appendBatchHead starts an output line: {"line":N, and the id.
func appendBatchHead(out []byte, n int, id json.RawMessage) []byte {
	out = append(out, `{"line":`...)
	out = strconv.AppendInt(out, int64(n), 10)
	out = append(out, ',')
	if id != nil {
		out = append(out, `"id":`...)
		out = append(out, compactJSON(id)...)
		out = append(out, ',')
	}
	return out
}

func compactJSON(b []byte) []byte {
	var buf bytes.Buffer
	if json.Compact(&buf, b) != nil {
		return []byte("null")
	}
	return buf.Bytes()
}

// runGuarded runs a command and turns a panic into an error, so one line
// cannot stop a run of millions.
func runGuarded(ctx context.Context, c command, e *env, args []string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error in %s: %v", c.name, r)
		}
	}()
	return c.run(ctx, e, args)
}

// batchArgs turns a line's command and options into command-line
// arguments: the options as flags, JSON output, the plan on stdin.
func batchArgs(cmd string, opts map[string]json.RawMessage) ([]string, string) {
	if _, ok := commands[cmd]; !ok || noBatch[cmd] {
		return nil, fmt.Sprintf("command: %q is not a command that prints JSON (want run, compare, reverse, ...)", cmd)
	}
	args := make([]string, 0, 2*len(opts)+2)
	keys := make([]string, 0, len(opts))
	for k := range opts {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		flag := strings.ReplaceAll(k, "_", "-")
		switch flag {
		case "format", "output", "o", "help", "h":
			return nil, fmt.Sprintf("options.%s: not an option in batch (every result is a JSON line)", k)
		}
		var v any
		d := json.NewDecoder(bytes.NewReader(opts[k]))
		d.UseNumber()
		if err := d.Decode(&v); err != nil {
			return nil, fmt.Sprintf("options.%s: %v", k, err)
		}
		vals, isList := v.([]any)
		if !isList {
			vals = []any{v}
		}
		for i, x := range vals {
			switch x := x.(type) {
			case bool:
				args = append(args, fmt.Sprintf("--%s=%t", flag, x))
			case json.Number:
				args = append(args, "--"+flag+"="+x.String())
			case string:
				args = append(args, "--"+flag+"="+x)
			default:
				path := "options." + k
				if isList {
					path = fmt.Sprintf("%s[%d]", path, i)
				}
				return nil, fmt.Sprintf("%s: want a string, number, boolean or a list of them, got %s", path, jsonKindOf(x))
			}
		}
	}
	return append(args, "--format=json", "-"), ""
}

func jsonKindOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// appendBatchProblems appends an error line with the plan's problems,
// each with its JSON path.
func appendBatchProblems(out []byte, n int, id json.RawMessage, msg string, ps core.Problems) []byte {
	out = appendBatchError(out, n, id, msg)
	out = out[:len(out)-2] // reopen the object: drop "}\n"
	p, _ := json.Marshal(ps)
	out = append(out, `,"problems":`...)
	out = append(out, p...)
	return append(out, "}\n"...)
}

// appendBatchError appends an error line.
func appendBatchError(out []byte, n int, id json.RawMessage, msg string) []byte {
	out = appendBatchHead(out, n, id)
	var m bytes.Buffer
	enc := json.NewEncoder(&m)
	enc.SetEscapeHTML(false)
	enc.Encode(msg)
	out = append(out, `"error":`...)
	out = append(out, bytes.TrimSpace(m.Bytes())...)
	return append(out, "}\n"...)
}
