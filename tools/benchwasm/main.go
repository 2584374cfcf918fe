// Command benchwasm runs the core's benchmarks natively and compiled to
// WebAssembly under Node, and prints both with their ratio against the
// budget of DESIGN.md (wasm <= 3x native).
//
// Usage (from the repository root; "make bench" runs it):
//
//	go run ./tools/benchwasm [-pkgs ./core/...] [-bench .] [-benchtime 1s] [-count 3]
//
// The wasm run is "GOOS=js GOARCH=wasm go test -bench" with
// $(go env GOROOT)/lib/wasm on PATH, so go_js_wasm_exec runs the test
// binary with Node. Each figure is the median ns/op of -count runs; both
// builds run with GOMAXPROCS=1 semantics for the ratio (wasm has one
// thread; native benchmarks run with -cpu 1). Native budgets of DESIGN.md
// are shown for the benchmarks they name. The exit status is 0 even when a
// budget is missed: figures are reported, not asserted.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
)

// ratioBudget is DESIGN.md's budget: the core compiled to wasm (Node)
// takes at most 3 times as long as natively.
const ratioBudget = 3.0

// nativeBudgets are DESIGN.md's native budgets in ns/op, keyed by a pattern
// of the benchmark name.
var nativeBudgets = []struct {
	pattern *regexp.Regexp
	what    string
	ns      float64
}{
	{regexp.MustCompile(`(?i)^Benchmark(Forward|Economics).*8x10`), "forward + economics 8x10 <= 2 us", 2e3},
	{regexp.MustCompile(`(?i)^BenchmarkSensitivity`), "tornado <= 50 us", 50e3},
	{regexp.MustCompile(`(?i)^BenchmarkJourney.*50`), "Markov journey 50 states <= 200 us", 200e3},
	{regexp.MustCompile(`(?i)^Benchmark(Simulate|MonteCarlo).*10000`), "Monte Carlo 10,000 trials <= 100 ms", 100e6},
}

type key struct{ pkg, name string }

func main() {
	log.SetFlags(0)
	log.SetPrefix("benchwasm: ")
	pkgs := flag.String("pkgs", "./core/...", "the `packages` whose benchmarks run")
	bench := flag.String("bench", ".", "run only the benchmarks matching `regexp`")
	benchtime := flag.String("benchtime", "1s", "go test -benchtime `d`")
	count := flag.Int("count", 3, "runs of each benchmark; the median is shown")
	flag.Parse()

	args := []string{"test", "-run", "^$", "-bench", *bench, "-benchtime", *benchtime,
		"-count", strconv.Itoa(*count), "-cpu", "1"}
	args = append(args, strings.Fields(*pkgs)...)

	fmt.Fprintln(os.Stderr, "benchwasm: native:", "go", strings.Join(args, " "))
	native, err := runBench(nil, args)
	if err != nil {
		log.Fatal(err)
	}
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		log.Fatal(err)
	}
	wasmExec := filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm")
	env := []string{"GOOS=js", "GOARCH=wasm", "PATH=" + os.Getenv("PATH") + string(os.PathListSeparator) + wasmExec}
	fmt.Fprintln(os.Stderr, "benchwasm: wasm:  ", "GOOS=js GOARCH=wasm go", strings.Join(args, " "))
	wasm, err := runBench(env, args)
	if err != nil {
		log.Fatal(err)
	}

	keys := make([]key, 0, len(native))
	for k := range native {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b key) int {
		if c := strings.Compare(a.pkg, b.pkg); c != 0 {
			return c
		}
		return strings.Compare(a.name, b.name)
	})
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "benchmark\tnative\twasm (node)\twasm/native\t<= 3x\tnative budget\t")
	worst := 0.0
	for _, k := range keys {
		n := median(native[k])
		w, ok := wasm[k]
		wcol, ratio, verdict := "-", "-", "no wasm figure"
		if ok {
			r := median(w) / n
			worst = max(worst, r)
			wcol, ratio, verdict = human(median(w)), fmt.Sprintf("%.2fx", r), "ok"
			if r > ratioBudget {
				verdict = "OVER"
			}
		}
		budget := ""
		for _, b := range nativeBudgets {
			if b.pattern.MatchString(k.name) {
				budget = b.what + ": ok"
				if n > b.ns {
					budget = b.what + ": OVER"
				}
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t\n", shortPkg(k.pkg)+"."+strings.TrimPrefix(k.name, "Benchmark"),
			human(n), wcol, ratio, verdict, budget)
	}
	tw.Flush()
	if len(keys) == 0 {
		fmt.Println("no benchmarks matched")
		return
	}
	fmt.Printf("worst wasm/native ratio: %.2fx (budget %.0fx)\n", worst, ratioBudget)
}

var benchLine = regexp.MustCompile(`^(Benchmark\S+?)(-\d+)?\s+\d+\s+([0-9.]+) ns/op`)

// runBench runs go with args (and extra environment) and returns the ns/op
// of every benchmark run, by package and name.
func runBench(env, args []string) (map[key][]float64, error) {
	cmd := exec.Command("go", args...)
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		os.Stderr.Write(out.Bytes())
		return nil, fmt.Errorf("go %s: %v", strings.Join(args, " "), err)
	}
	res := map[key][]float64{}
	pkg := ""
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		line := sc.Text()
		if p, ok := strings.CutPrefix(line, "pkg: "); ok {
			pkg = strings.TrimSpace(p)
			continue
		}
		m := benchLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		ns, err := strconv.ParseFloat(m[3], 64)
		if err != nil {
			continue
		}
		k := key{pkg, m[1]}
		res[k] = append(res[k], ns)
	}
	return res, sc.Err()
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// human prints a duration in ns with a unit that keeps 3 significant digits.
func human(ns float64) string {
	switch {
	case ns >= 1e9:
		return fmt.Sprintf("%.3g s", ns/1e9)
	case ns >= 1e6:
		return fmt.Sprintf("%.3g ms", ns/1e6)
	case ns >= 1e3:
		return fmt.Sprintf("%.3g us", ns/1e3)
	}
	return fmt.Sprintf("%.3g ns", ns)
}

func shortPkg(p string) string {
	return strings.TrimPrefix(p, "github.com/funnelplan/funnelplan/")
}
