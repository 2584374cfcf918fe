// Command wasmsize measures what the browser build of funnelplan weighs and
// what each heavy dependency adds to it.
//
// Usage (from the repository root; "make size" runs it):
//
//	go run ./tools/wasmsize [-wasm dist/web/app.wasm] [-probes] [-wasm-opt]
//
// It prints, for the built app.wasm, its size raw, after gzip -9 and after
// brotli -q 11 (what a browser downloads from funnelplan serve), and the
// brotli budget of DESIGN.md (2.5 MB, decimal). With -probes it builds
// small programs for GOOS=js GOARCH=wasm with the flags of the real build
// (-trimpath -ldflags='-s -w'), each using one dependency the way the app
// does (encoding/json, gonum mat and distuv, the core, the charts,
// go-app), and prints what each adds to a go-app "hello" page. Probes whose
// module is not required by go.mod are skipped. With -wasm-opt it also runs
// binaryen's wasm-opt -Oz on app.wasm and prints the sizes after it.
//
// Sizes are in bytes; gzip is compress/gzip at BestCompression (as gzip
// -9), brotli is Debian's brotli command at quality 11.
package main

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"text/tabwriter"
)

// budgetBrotli is DESIGN.md's budget for app.wasm over the wire: 2.5 MB.
const budgetBrotli = 2_500_000

// probe is a small wasm program; base names the probe it is compared with.
type probe struct {
	name, base string
	pkgs       []string // import paths that must resolve, else the probe is skipped
	src        string
}

const goappHello = `
type hello struct{ app.Compo }

func (h *hello) Render() app.UI { return app.H1().Text("funnelplan") }

func main() {
	app.Route("/", func() app.Composer { return &hello{} })
	app.RunWhenOnBrowser()
	%s
}
`

func goapp(extraImports, body string) string {
	return "package main\n\nimport (\n\t\"github.com/maxence-charriere/go-app/v10/pkg/app\"\n" + extraImports + ")\n" +
		fmt.Sprintf(goappHello, body)
}

const (
	goappPkg = "github.com/maxence-charriere/go-app/v10/pkg/app"
	matPkg   = "gonum.org/v1/gonum/mat"
	distPkg  = "gonum.org/v1/gonum/stat/distuv"
	corePkg  = "github.com/funnelplan/funnelplan/core"
	chartPkg = "github.com/funnelplan/funnelplan/core/chart"
)

var probes = []probe{
	{name: "bare syscall/js", src: `package main

import "syscall/js"

func main() { js.Global().Get("console").Call("log", "funnelplan") }
`},
	{name: "go-app hello", base: "bare syscall/js", pkgs: []string{goappPkg}, src: goapp("", "")},
	{name: "+ encoding/json", base: "go-app hello", pkgs: []string{goappPkg}, src: goapp("\t\"encoding/json\"\n\t\"os\"\n", `
	var v map[string]any
	json.Unmarshal([]byte(os.Getenv("X")), &v)
	b, _ := json.MarshalIndent(v, "", " ")
	os.Stdout.Write(b)`)},
	{name: "+ gonum mat (LU)", base: "go-app hello", pkgs: []string{goappPkg, matPkg}, src: goapp("\t\"fmt\"\n\t\"gonum.org/v1/gonum/mat\"\n", `
	a := mat.NewDense(3, 3, []float64{4, 1, 0, 1, 4, 1, 0, 1, 4})
	var lu mat.LU
	lu.Factorize(a)
	var x mat.VecDense
	lu.SolveVecTo(&x, false, mat.NewVecDense(3, []float64{1, 2, 3}))
	fmt.Printf("%v", mat.Formatted(&x))`)},
	{name: "+ gonum distuv", base: "go-app hello", pkgs: []string{goappPkg, distPkg}, src: goapp("\t\"fmt\"\n\t\"math/rand/v2\"\n\t\"gonum.org/v1/gonum/stat/distuv\"\n", `
	src := rand.NewPCG(1, 2)
	b := distuv.Beta{Alpha: 2, Beta: 3, Src: src}
	l := distuv.LogNormal{Mu: 0, Sigma: 1, Src: src}
	t := distuv.NewTriangle(0, 1, 0.5, src)
	fmt.Println(b.Rand(), b.Quantile(0.9), l.Rand(), t.Rand())`)},
	{name: "+ core (decode, forward)", base: "go-app hello", pkgs: []string{goappPkg, corePkg}, src: goapp("\t\"fmt\"\n\t\"os\"\n\t\"github.com/funnelplan/funnelplan/core\"\n", `
	p, err := core.DecodeBytes([]byte(os.Getenv("PLAN")))
	if err == nil {
		r, err := core.Forward(p)
		fmt.Println(r, err)
	}`)},
	{name: "+ core + chart (funnel SVG)", base: "go-app hello", pkgs: []string{goappPkg, corePkg, chartPkg}, src: goapp("\t\"os\"\n\t\"github.com/funnelplan/funnelplan/core\"\n\t\"github.com/funnelplan/funnelplan/core/chart\"\n", `
	p, err := core.DecodeBytes([]byte(os.Getenv("PLAN")))
	if err == nil {
		if r, err := core.Forward(p); err == nil {
			chart.Funnel(os.Stdout, r, chart.Options{})
		}
	}`)},
}

type sizes struct{ raw, gz, br int }

func main() {
	log.SetFlags(0)
	log.SetPrefix("wasmsize: ")
	wasm := flag.String("wasm", "dist/web/app.wasm", "the built app `FILE`")
	doProbes := flag.Bool("probes", false, "build the dependency probes and print what each adds")
	doOpt := flag.Bool("wasm-opt", false, "also measure app.wasm after binaryen's wasm-opt -Oz")
	flag.Parse()

	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "wasm\traw\tgzip -9\tbrotli -q 11\tbrotli vs base\tbase\t")
	if *doProbes {
		dir, err := os.MkdirTemp(".", "_sizeprobe")
		if err != nil {
			log.Fatal(err)
		}
		defer os.RemoveAll(dir)
		got := map[string]sizes{}
		for _, p := range probes {
			if missing := unresolved(p.pkgs); missing != "" {
				fmt.Fprintf(tw, "%s\t-\t-\t-\t-\tskipped: %s not available\t\n", p.name, missing)
				continue
			}
			s, err := buildProbe(dir, p)
			if err != nil {
				log.Printf("%s: %v", p.name, err)
				fmt.Fprintf(tw, "%s\t-\t-\t-\t-\tdid not build\t\n", p.name)
				continue
			}
			got[p.name] = s
			delta := ""
			if b, ok := got[p.base]; ok {
				delta = fmt.Sprintf("%+d", s.br-b.br)
			}
			fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\t%s\t\n", p.name, s.raw, s.gz, s.br, delta, p.base)
		}
		tw.Flush()
	}
	b, err := os.ReadFile(*wasm)
	if err != nil {
		tw.Flush()
		log.Fatalf("%v (build the site with make web)", err)
	}
	s, err := measure(b)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t\t\t\n", *wasm, s.raw, s.gz, s.br)
	if *doOpt {
		o, err := wasmOpt(*wasm)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Fprintf(tw, "after wasm-opt -Oz\t%d\t%d\t%d\t%+d\t%s\t\n", o.raw, o.gz, o.br, o.br-s.br, *wasm)
	}
	tw.Flush()
	verdict := "within"
	if s.br > budgetBrotli {
		verdict = "OVER"
	}
	fmt.Printf("app.wasm brotli: %.2f MB of the %.1f MB budget: %s budget\n", float64(s.br)/1e6, budgetBrotli/1e6, verdict)
	if s.br > budgetBrotli {
		os.Exit(1)
	}
}

// unresolved returns the first package that the module cannot build, or "".
func unresolved(pkgs []string) string {
	for _, p := range pkgs {
		cmd := exec.Command("go", append(append([]string{"list"}, browserModfile()...), p)...)
		cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "GOFLAGS=-trimpath", "GOPROXY=off")
		if err := cmd.Run(); err != nil {
			return p
		}
	}
	return ""
}

// browserModfile is the -modfile flag of the browser build (make web):
// probes are built against the same copy of go-app as app.wasm when
// build/browser/go.mod exists (see tools/browsermod).
func browserModfile() []string {
	const f = "build/browser/go.mod"
	if _, err := os.Stat(f); err != nil {
		return nil
	}
	return []string{"-modfile", f}
}

func buildProbe(dir string, p probe) (sizes, error) {
	slug := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, strings.ToLower(p.name))
	pkg := filepath.Join(dir, slug)
	if err := os.MkdirAll(pkg, 0o755); err != nil {
		return sizes{}, err
	}
	if err := os.WriteFile(filepath.Join(pkg, "main.go"), []byte(p.src), 0o644); err != nil {
		return sizes{}, err
	}
	out := filepath.Join(pkg, "probe.wasm")
	cmd := exec.Command("go", append(append([]string{"build"}, browserModfile()...), "-ldflags=-s -w", "-o", out, "./"+filepath.ToSlash(pkg))...)
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "GOFLAGS=-trimpath")
	if msg, err := cmd.CombinedOutput(); err != nil {
		return sizes{}, fmt.Errorf("%v\n%s", err, msg)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		return sizes{}, err
	}
	return measure(b)
}

func measure(b []byte) (sizes, error) {
	var gz bytes.Buffer
	w, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	w.Write(b)
	if err := w.Close(); err != nil {
		return sizes{}, err
	}
	cmd := exec.Command("brotli", "-q", "11", "-c")
	cmd.Stdin = bytes.NewReader(b)
	br, err := cmd.Output()
	if err != nil {
		return sizes{}, fmt.Errorf("brotli: %v (install Debian's brotli)", err)
	}
	return sizes{raw: len(b), gz: gz.Len(), br: len(br)}, nil
}

// wasmOpt runs wasm-opt -Oz with the features Go's wasm uses (without them
// it stops at the first bulk-memory instruction).
func wasmOpt(in string) (sizes, error) {
	tmp, err := os.CreateTemp("", "wasmopt*.wasm")
	if err != nil {
		return sizes{}, err
	}
	tmp.Close()
	defer os.Remove(tmp.Name())
	cmd := exec.Command("wasm-opt", "-Oz", "--enable-bulk-memory", "--enable-sign-ext",
		"--enable-nontrapping-float-to-int", "--enable-mutable-globals", in, "-o", tmp.Name())
	if msg, err := cmd.CombinedOutput(); err != nil {
		return sizes{}, fmt.Errorf("wasm-opt: %v\n%s", err, msg)
	}
	b, err := os.ReadFile(tmp.Name())
	if err != nil {
		return sizes{}, err
	}
	return measure(b)
}
