package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// goldenCase is one command line whose stdout, stderr and exit status are
// kept in testdata/golden/<name>.golden.
type goldenCase struct {
	name  string
	args  []string
	stdin string // file whose content is standard input; "" for none
}

// formats are the output formats every printing command has.
var formats = []string{"table", "csv", "json", "md"}

// inFormats expands a command line into one case per format, named
// name-<format>.
func inFormats(name string, args ...string) []goldenCase {
	var cs []goldenCase
	for _, f := range formats {
		a := append([]string{args[0], "--format", f}, args[1:]...)
		cs = append(cs, goldenCase{name: name + "-" + f, args: a})
	}
	return cs
}

// goldenCases is every command in every format, and the bad inputs; a
// command joins this table when it lands.
var goldenCases = concat(
	inFormats("run", "run", "testdata/small.json"),
	inFormats("run-scenario", "run", "--scenario", "better-signup", "testdata/small.json"),
	inFormats("run-b2b", "run", "testdata/b2b.json"),
	inFormats("run-formula", "run", "testdata/formula.json"),
	inFormats("example-list", "example", "--list"),
	inFormats("sweep", "sweep", "--vary", "top=10000:30000:10000", "--vary", "stages.signup.rate=0.06:0.1:0.02", "--metrics", "conversion,rpm_revenue,stages.signup.count", "testdata/small.json"),
	inFormats("sweep-errors", "sweep", "--vary", "stages.lead.rate=0.05,0.5,1.5", "--metrics", "roas,cac", "testdata/b2b.json"),
	inFormats("reverse", "reverse", "--revenue", "500000", "testdata/b2b.json"),
	inFormats("journey", "journey", "testdata/journey.json"),
	inFormats("simulate", "simulate", "--trials", "2000", "--seed", "7", "testdata/uncertain.json"),
	inFormats("forecast", "forecast", "--periods", "4", "testdata/b2b.json"),
	inFormats("fit", "fit", "--by", "manager", "testdata/counts.csv"),
	inFormats("compare", "compare", "testdata/b2b.json"),
	inFormats("sensitivity", "sensitivity", "testdata/b2b.json"),
	inFormats("sensitivity-relative", "sensitivity", "--relative", "0.1", "testdata/b2b.json"),
	inFormats("events", "events", "--steps", "visit,lead,demo,proposal,customer", "--window", "30d", "testdata/events.csv"),
	[]goldenCase{
		{name: "bad-events-row", args: []string{"events", "--steps", "visit,lead", "testdata/bad-events.csv"}},
		{name: "bad-csv-row", args: []string{"fit", "testdata/bad-counts.csv"}},
		{name: "chart-funnel", args: []string{"chart", "--kind", "funnel", "testdata/small.json"}},
		{name: "help-serve", args: []string{"help", "serve"}},
		{name: "help-sweep", args: []string{"help", "sweep"}},
		{name: "validate-invalid", args: []string{"validate", "testdata/invalid.json"}},
		{name: "validate-invalid-json", args: []string{"validate", "--format", "json", "testdata/invalid.json"}},
		{name: "help-compare", args: []string{"help", "compare"}},
		{name: "help-sensitivity", args: []string{"help", "sensitivity"}},
		{name: "help-validate", args: []string{"help", "validate"}},
		{name: "bad-sweep-vary", args: []string{"sweep", "--vary", "top=1:10", "testdata/small.json"}},
		{name: "bad-sweep-target", args: []string{"sweep", "--vary", "stages.nope.rate=0:1:0.5", "testdata/small.json"}},
		{name: "bad-sweep-metric", args: []string{"sweep", "--vary", "top=1,2", "--metrics", "roas2", "testdata/small.json"}},
		{name: "bad-reverse-goal", args: []string{"reverse", "testdata/small.json"}},
		{name: "run-stdin", args: []string{"run"}, stdin: "testdata/small.json"},
		{name: "run-dash", args: []string{"run", "--format", "json", "-"}, stdin: "testdata/small.json"},
		{name: "example", args: []string{"example"}},
		{name: "example-b2b", args: []string{"example", "b2b"}},
		{name: "validate", args: []string{"validate", "testdata/small.json"}},
		{name: "batch", args: []string{"batch", "--allow-errors", "testdata/batch.jsonl"}},
		{name: "batch-errors", args: []string{"batch", "testdata/batch.jsonl"}},
		{name: "help-run", args: []string{"help", "run"}},
		{name: "help-batch", args: []string{"batch", "--help"}},
		// Bad input: exit status and the message.
		{name: "bad-unknown-flag", args: []string{"run", "--scenaro", "x", "testdata/small.json"}},
		{name: "bad-format", args: []string{"run", "--format", "xml", "testdata/small.json"}},
		{name: "bad-two-files", args: []string{"run", "a.json", "b.json"}},
		{name: "bad-missing-file", args: []string{"run", "testdata/no-such-plan.json"}},
		{name: "bad-invalid-plan", args: []string{"run", "testdata/invalid.json"}},
		{name: "bad-syntax", args: []string{"run", "testdata/syntax.json"}},
		{name: "bad-syntax-stdin", args: []string{"run"}, stdin: "testdata/syntax.json"},
		{name: "bad-scenario", args: []string{"run", "--scenario", "nope", "testdata/small.json"}},
		{name: "bad-flag-first", args: []string{"--formt", "json"}},
	},
)

func concat(lists ...[]goldenCase) []goldenCase {
	var all []goldenCase
	for _, l := range lists {
		all = append(all, l...)
	}
	return all
}

// runCase runs one command line through run with buffers and returns the
// transcript: the command line, stdout, stderr and the exit status.
func runCase(t *testing.T, c goldenCase) string {
	t.Helper()
	var stdin []byte
	if c.stdin != "" {
		var err error
		if stdin, err = os.ReadFile(c.stdin); err != nil {
			t.Fatal(err)
		}
	}
	var out, errb bytes.Buffer
	err := run(context.Background(), c.args, bytes.NewReader(stdin), &out, &errb)
	code := exitCode(err, &errb)
	var b strings.Builder
	b.WriteString("$ funnelplan " + strings.Join(c.args, " "))
	if c.stdin != "" {
		b.WriteString(" < " + c.stdin)
	}
	b.WriteString("\n" + out.String())
	if errb.Len() > 0 {
		b.WriteString("--- stderr\n" + errb.String())
	}
	b.WriteString("--- exit " + string(rune('0'+code)) + "\n")
	return roundFloats(b.String())
}

// longFloat is a number printed with more than 12 significant digits.
var longFloat = regexp.MustCompile(`-?[0-9]+\.[0-9]{6,}(e[+-]?[0-9]+)?`)

// roundFloats rounds every long number of a transcript to 12 significant
// digits: JSON prints floats in full, and their last bits may differ
// between platforms and between equivalent orders of operations (STYLE.md,
// pitfalls), which no reader can see.
func roundFloats(s string) string {
	return longFloat.ReplaceAllStringFunc(s, func(m string) string {
		f, err := strconv.ParseFloat(m, 64)
		if err != nil || len(strings.TrimLeft(strings.Replace(m, ".", "", 1), "-0")) <= 12 {
			return m
		}
		return strconv.FormatFloat(f, 'g', 12, 64)
	})
}

func TestGolden(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range goldenCases {
		if seen[c.name] {
			t.Fatalf("two golden cases are called %q", c.name)
		}
		seen[c.name] = true
		t.Run(c.name, func(t *testing.T) {
			got := runCase(t, c)
			path := filepath.Join("testdata", "golden", c.name+".golden")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("output differs from %s (go test -update rewrites it)\ngot:\n%s\nwant:\n%s", path, got, want)
			}
		})
	}
}

// TestExitCodes checks the exit status and the first words of the message
// for each kind of failure (DESIGN.md: 0 ok, 1 invalid input, 2 usage).
func TestExitCodes(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		msg  string // a regexp the stderr must match
	}{
		{"ok", []string{"run", "testdata/small.json"}, 0, `^$`},
		{"help", []string{"--help"}, 0, `^$`},
		{"help command", []string{"help", "run"}, 0, `^$`},
		{"command help", []string{"run", "-h"}, 0, `^$`},
		{"version", []string{"--version"}, 0, `^$`},
		{"no command", nil, 2, `^funnelplan: missing command \(want one of .*run.*\)\n$`},
		{"unknown command", []string{"frobnicate"}, 2, `^funnelplan: unknown command "frobnicate" \(want one of .*run`},
		{"mistyped command", []string{"sweeep"}, 2, `^funnelplan: unknown command "sweeep" \(did you mean sweep\?\)\n$`},
		{"mistyped flag", []string{"run", "--scenaro", "x"}, 2, `^funnelplan: run: unknown flag: --scenaro \(did you mean --scenario\?\)\n$`},
		{"unknown flag", []string{"run", "--bogus", "testdata/small.json"}, 2, `^funnelplan: run: unknown flag: --bogus`},
		{"bad format", []string{"run", "--format", "xls", "testdata/small.json"}, 2, `^funnelplan: --format "xls" is not a format \(want table, csv, json or md\)`},
		{"two files", []string{"run", "a", "b"}, 2, `^funnelplan: run: want one file, got 2`},
		{"help unknown", []string{"help", "nope"}, 2, `^funnelplan: help: unknown command "nope"`},
		{"missing file", []string{"run", "testdata/nope.json"}, 1, `^funnelplan: testdata/nope.json: no such file or directory\n$`},
		{"invalid plan", []string{"run", "testdata/invalid.json"}, 1, `^funnelplan: testdata/invalid.json: stages\[2\]\.colour: unknown field`},
		{"syntax", []string{"run", "testdata/syntax.json"}, 1, `^funnelplan: testdata/syntax.json: 5:1: `},
		{"unknown scenario", []string{"run", "--scenario", "x", "testdata/small.json"}, 1, `^funnelplan: testdata/small.json: no scenario has id "x"`},
		{"output directory missing", []string{"run", "-o", "testdata/no-such-dir/r.json", "testdata/small.json"}, 1, `^funnelplan: testdata/no-such-dir/r.json: cannot write: no such file or directory\n$`},
		{"bad CSV row", []string{"fit", "testdata/bad-counts.csv"}, 1, `^funnelplan: testdata/bad-counts.csv:3:4: "12x" is not a whole count\n`},
		{"batch line errors", []string{"batch", "testdata/batch.jsonl"}, 1, `^funnelplan: testdata/batch.jsonl: \d+ of \d+ lines failed; the first: line \d+: `},
		{"batch allow errors", []string{"batch", "--allow-errors", "testdata/batch.jsonl"}, 0, `^$`},
		{"batch jobs", []string{"batch", "--jobs", "0"}, 2, `^funnelplan: batch: --jobs 0: want at least 1`},
		{"batch missing", []string{"batch", "testdata/nope.jsonl"}, 1, `^funnelplan: testdata/nope.jsonl: no such file or directory`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			err := run(context.Background(), tt.args, strings.NewReader(""), &out, &errb)
			code := exitCode(err, &errb)
			if code != tt.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.code, errb.String())
			}
			if !regexp.MustCompile(tt.msg).MatchString(errb.String()) {
				t.Errorf("stderr %q does not match %q", errb.String(), tt.msg)
			}
			for _, l := range strings.Split(strings.TrimSuffix(errb.String(), "\n"), "\n") {
				if l != "" && !strings.HasPrefix(l, "funnelplan: ") {
					t.Errorf("message line %q does not start with \"funnelplan: \"", l)
				}
			}
		})
	}
}

func TestVersion(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"--version"}, nil, &out, &out); err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^funnelplan \S+ \(.*go1\.[0-9]+.*\)\n$`).MatchString(out.String()) {
		t.Errorf("--version printed %q", out.String())
	}
}

// TestHelpIsDoc checks that every command's --help starts with its doc
// (the usage line) and lists its flags.
func TestHelpIsDoc(t *testing.T) {
	for _, name := range commandNames() {
		var out bytes.Buffer
		err := run(context.Background(), []string{"help", name}, nil, &out, &out)
		if err != nil {
			t.Errorf("help %s: %v", name, err)
			continue
		}
		if !strings.HasPrefix(out.String(), "funnelplan "+name) {
			t.Errorf("help %s does not start with its usage line: %q", name, firstLine(out.String()))
		}
		if !strings.Contains(out.String(), "\nFlags:\n") {
			t.Errorf("help %s lists no flags", name)
		}
	}
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

// TestOutputFile checks -o: the file is written whole, its format follows
// the extension unless --format says otherwise, and no temporary file is
// left behind.
func TestOutputFile(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		file, format string
		prefix       string
	}{
		{"r.json", "", "{\n  \"plan\": \"Newsletter shop\""},
		{"r.csv", "", "# Funnel: Newsletter shop\nstage,count,"},
		{"r.md", "", "### Funnel: Newsletter shop\n\n| stage |"},
		{"r.txt", "", "Funnel: Newsletter shop\nstage "},
		{"forced.json", "csv", "# Funnel"},
	}
	for _, tt := range tests {
		args := []string{"run", "-o", filepath.Join(dir, tt.file), "testdata/small.json"}
		if tt.format != "" {
			args = append(args, "--format", tt.format)
		}
		var out, errb bytes.Buffer
		if err := run(context.Background(), args, nil, &out, &errb); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		if out.Len() != 0 {
			t.Errorf("%s: stdout not empty: %q", tt.file, out.String())
		}
		b, err := os.ReadFile(filepath.Join(dir, tt.file))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(b), tt.prefix) {
			t.Errorf("%s starts %q, want %q", tt.file, firstLine(string(b)), tt.prefix)
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
	// Replacing a file keeps its permissions.
	target := filepath.Join(dir, "r.json")
	if err := os.Chmod(target, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), []string{"run", "-o", target, "testdata/small.json"}, nil, new(bytes.Buffer), new(bytes.Buffer)); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(target); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("replaced file mode %v, %v; want 0600", fi.Mode(), err)
	}
	// A failed run leaves an existing file as it was.
	before, _ := os.ReadFile(target)
	err := run(context.Background(), []string{"run", "-o", target, "testdata/invalid.json"}, nil, new(bytes.Buffer), new(bytes.Buffer))
	if err == nil {
		t.Fatal("invalid plan: no error")
	}
	after, _ := os.ReadFile(target)
	if !bytes.Equal(before, after) {
		t.Error("a failed run changed the output file")
	}
}

// TestManualListsEveryCommand checks that the command's manual (doc.go,
// go doc) lists every registered command, and only those.
func TestManualListsEveryCommand(t *testing.T) {
	b, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^//\t([a-z]+) {2,}`).FindAllStringSubmatch(string(b), -1) {
		listed[m[1]] = true
	}
	for _, n := range commandNames() {
		if !listed[n] {
			t.Errorf("doc.go does not list the command %q", n)
		}
		delete(listed, n)
	}
	for n := range listed {
		t.Errorf("doc.go lists %q, which is not a command", n)
	}
}
