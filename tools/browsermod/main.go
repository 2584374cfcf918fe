// Command browsermod writes the module files the browser build of funnelplan
// (web/app.wasm) is compiled with: funnelplan's go.mod and go.sum with
// go-app replaced by a copy in which the server half is left out.
//
// Usage (from the repository root; "make web" runs it):
//
//	go run ./tools/browsermod [-out build/browser]
//	GOOS=js GOARCH=wasm go build -modfile build/browser/go.mod ./wasm
//
// Why: go-app's package app holds both the browser side and the HTTP
// handler that serves the pages. The handler imports net/http, and a
// program that imports net/http links its transport: crypto/tls with every
// cipher, x509, math/big, mime and compress/gzip, and runs their package
// initialisation at start. In the browser none of that is ever called, yet
// it made a third of the code V8 compiles before the first render. Its
// router also stores its pattern routes as *regexp.Regexp, which links
// regexp and unicode's tables (built at start) even in a program that
// routes by plain paths. The copy differs from go-app in six files:
//
//   - pkg/app/http.go is replaced by an empty Handler type: the browser build
//     never serves pages (funnelplan's generator and server are native
//     programs built against go-app unchanged);
//   - pkg/app/resource.go's LocalDir resolver no longer embeds a
//     http.FileServer, which only the handler used;
//   - pkg/app/route.go keeps a pattern route behind an interface with
//     regexp's MatchString, so regexp is linked only by a program that calls
//     RouteWithRegexp; routing behaves as before;
//   - pkg/app/engine.go reads its list of internal URLs only when the page
//     sets one: it decoded the "null" of an empty list with encoding/json at
//     each navigation, the first of them before the first render. Its event
//     loop draws the first dispatch after a quiet spell at once instead of
//     one frame period (8.3 ms) later: go-app armed its frame ticker on that
//     dispatch and drew the changed components on the tick, so every slider
//     move waited 8.3 ms before anything was drawn. Dispatches that follow
//     within a frame period are still drawn together on the tick, so the
//     page is drawn at most at go-app's frame rate, as before.
//   - pkg/app/js_wasm.go and pkg/app/node.go make fewer JavaScript values
//     while mounting: the document is looked up once instead of once per
//     element and text; a child is added with append, swapped with
//     replaceWith and taken out with remove, which return nothing, where
//     appendChild, replaceChild and removeChild return the node; raw HTML
//     is parsed in one reused element instead of a new one each time. Each
//     JavaScript object handed to Go gets a finalizer (syscall/js), and
//     these were most of them: the first render of the planner made about
//     350 fewer.
//   - pkg/app/node.go also draws a block of raw HTML again in place: the
//     page's funnelplanMorph (wasm/server.go) changes the live node to match
//     the new HTML, so a slider move no longer replaces the funnel chart,
//     the funnel table and the key figures whole, and the browser restyles
//     and lays out only what changed. Where the page cannot (another root),
//     the block is replaced as before.
//
// Each edit must match go-app's source exactly once, or the command fails
// and names the file: an upgraded go-app is checked, never patched blindly.
// The copy is written to a temporary directory and renamed into place.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// goApp is the module path of go-app.
const goApp = "github.com/maxence-charriere/go-app/v10"

// edit replaces old by new in a file of go-app; old must occur exactly
// once. A whole-file edit (whole set) replaces the file's content and
// checks only that old occurs in it.
type edit struct {
	file     string
	old, new string
	whole    bool
}

// edits are the changes of the browser copy (see the package comment).
var edits = []edit{
	{file: "pkg/app/http.go", whole: true, old: "func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {", new: `package app

// Handler is go-app's HTTP handler. The browser build of funnelplan never
// serves pages, so its copy of go-app leaves the handler out and, with it,
// net/http and everything that package links.
type Handler struct{}
`},
	{file: "pkg/app/resource.go", old: "import (\n\t\"net/http\"\n\t\"strings\"\n)\n", new: "import (\n\t\"strings\"\n)\n"},
	{file: "pkg/app/resource.go", old: "\t\tHandler:   http.FileServer(http.Dir(directory)),\n", new: ""},
	{file: "pkg/app/resource.go", old: "type localResourceResolver struct {\n\thttp.Handler\n\tdirectory string\n}\n", new: "type localResourceResolver struct {\n\tdirectory string\n}\n"},
	{file: "pkg/app/route.go", old: "\tregexp       *regexp.Regexp\n", new: "\tregexp       interface{ MatchString(string) bool }\n"},
	{file: "pkg/app/engine.go", old: "\t\tjson.Unmarshal([]byte(Getenv(\"GOAPP_INTERNAL_URLS\")), &e.internalURLs)\n", new: "\t\tif v := Getenv(\"GOAPP_INTERNAL_URLS\"); v != \"\" && v != \"null\" {\n\t\t\tjson.Unmarshal([]byte(v), &e.internalURLs)\n\t\t}\n"},
	{file: "pkg/app/engine.go", old: engineLoopOld, new: engineLoopNew},
	{file: "pkg/app/js_wasm.go", old: "func (v value) appendChild(c Wrapper) {\n\tv.Call(\"appendChild\", c)\n}\n",
		new: "func (v value) appendChild(c Wrapper) {\n\tv.jsValue.Call(\"append\", syscalJSValueOf(c))\n}\n"},
	{file: "pkg/app/js_wasm.go", old: "func (v value) replaceChild(new, old Wrapper) {\n\tv.Call(\"replaceChild\", new, old)\n}\n",
		new: "func (v value) replaceChild(new, old Wrapper) {\n\tsyscalJSValueOf(old).Call(\"replaceWith\", syscalJSValueOf(new))\n}\n"},
	{file: "pkg/app/js_wasm.go", old: "func (v value) removeChild(c Wrapper) {\n\tv.Call(\"removeChild\", c)\n}\n",
		new: "func (v value) removeChild(c Wrapper) {\n\tsyscalJSValueOf(c).Call(\"remove\")\n}\n"},
	{file: "pkg/app/js_wasm.go", old: "\tbody    UI\n\tcursorX int\n\tcursorY int\n}\n",
		new: "\tbody    UI\n\tcursorX int\n\tcursorY int\n\tdoc     Value // the document, looked up once (document)\n}\n\n" +
			"func (w *browserWindow) document() Value {\n\tif w.doc == nil {\n\t\tw.doc = w.Get(\"document\")\n\t}\n\treturn w.doc\n}\n"},
	{file: "pkg/app/js_wasm.go", old: "\t\telement = w.Get(\"document\").Call(\"createElement\", tag)\n\t} else {\n\t\telement = w.Get(\"document\").Call(\"createElementNS\", xmlns, tag)\n",
		new: "\t\telement = w.document().Call(\"createElement\", tag)\n\t} else {\n\t\telement = w.document().Call(\"createElementNS\", xmlns, tag)\n"},
	{file: "pkg/app/js_wasm.go", old: "\treturn w.Get(\"document\").Call(\"createTextNode\", v)\n", new: "\treturn w.document().Call(\"createTextNode\", v)\n"},
	{file: "pkg/app/node.go", old: "\twrapper, _ := Window().createElement(\"div\", \"\")\n\twrapper.setInnerHTML(v.value)\n\tv.jsElement = wrapper.firstChild()\n\twrapper.removeChild(v.jsElement)\n\treturn v, nil\n}\n",
		new: "\tif rawParser == nil {\n\t\trawParser, _ = Window().createElement(\"div\", \"\")\n\t}\n\trawParser.setInnerHTML(v.value)\n\tv.jsElement = rawParser.firstChild()\n\trawParser.removeChild(v.jsElement)\n\treturn v, nil\n}\n\n" +
			"// rawParser is the element raw HTML is parsed in (mountRawHTML).\nvar rawParser Value\n\n" + morphRaw},
	{file: "pkg/app/node.go", old: "\tif v.value == new.value {\n\t\treturn v, nil\n\t}\n\n\tnewMount, err := m.Mount(ctx, v.depth(), new)\n",
		new: "\tif v.value == new.value {\n\t\treturn v, nil\n\t}\n\tif v.tag == new.tag && morphRaw(v.jsElement, new.value) {\n\t\tv.value = new.value\n\t\treturn v, nil\n\t}\n\n\tnewMount, err := m.Mount(ctx, v.depth(), new)\n"},
}

// engineLoopOld is the dispatch case of go-app's event loop (engineX.Start):
// after a dispatch from an idle state it arms the frame ticker, so the
// components the dispatch changed are drawn one frame period later (8.3 ms
// at go-app's 120 frames a second), however quiet the page was.
const engineLoopOld = "\t\tcase dispatch := <-e.dispatches:\n" +
	"\t\t\tif currentFrameDuration != activeFrameDuration {\n" +
	"\t\t\t\tframes.Reset(activeFrameDuration)\n" +
	"\t\t\t\tcurrentFrameDuration = activeFrameDuration\n" +
	"\t\t\t}\n" +
	"\t\t\tdispatch()\n"

// engineLoopNew draws the first dispatch after a quiet spell at once (the
// leading edge of the frame) and arms the ticker after it, so dispatches
// that follow within a frame period are still drawn together on the tick,
// at most go-app's frame rate.
const engineLoopNew = "\t\tcase dispatch := <-e.dispatches:\n" +
	"\t\t\tif currentFrameDuration == iddleFrameDuration {\n" +
	"\t\t\t\tdispatch()\n" +
	"\t\t\t\te.processFrame()\n" +
	"\t\t\t\tframes.Reset(activeFrameDuration)\n" +
	"\t\t\t\tcurrentFrameDuration = activeFrameDuration\n" +
	"\t\t\t\tcontinue\n" +
	"\t\t\t}\n" +
	"\t\t\tif currentFrameDuration != activeFrameDuration {\n" +
	"\t\t\t\tframes.Reset(activeFrameDuration)\n" +
	"\t\t\t\tcurrentFrameDuration = activeFrameDuration\n" +
	"\t\t\t}\n" +
	"\t\t\tdispatch()\n"

// morphRaw is the function the browser copy's updateRawHTML calls to change
// a block of raw HTML in place (the page's funnelplanMorph, wasm/server.go)
// before it falls back on mounting the new HTML and replacing the node.
const morphRaw = `// morphRaw changes node in place to match html with the page's
// funnelplanMorph; false when the page has none or html cannot be
// matched in place (then the caller replaces the node).
func morphRaw(node Value, html string) bool {
	if node == nil {
		return false
	}
	if morphFunc == nil {
		morphFunc = Window().Get("funnelplanMorph")
	}
	if !morphFunc.Truthy() {
		return false
	}
	return morphFunc.Invoke(node, html).Bool()
}

// morphFunc is the page's funnelplanMorph, looked up once.
var morphFunc Value
`

// apply returns src with e applied, or an error naming the file when go-app's
// source is not what the edit expects.
func (e edit) apply(src string) (string, error) {
	n := strings.Count(src, e.old)
	switch {
	case e.whole && n > 0:
		return e.new, nil
	case e.whole:
		return "", fmt.Errorf("%s: %q not found: go-app changed; check the browser build's edits", e.file, e.old)
	case n != 1:
		return "", fmt.Errorf("%s: %q found %d times (want once): go-app changed; check the browser build's edits", e.file, e.old, n)
	}
	return strings.Replace(src, e.old, e.new, 1), nil
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("browsermod: ")
	out := flag.String("out", filepath.Join("build", "browser"), "the directory to write go.mod, go.sum and go-app/ to")
	flag.Parse()
	dir, err := goAppDir()
	if err != nil {
		log.Fatal(err)
	}
	if err := write(*out, ".", dir); err != nil {
		log.Fatal(err)
	}
}

// goAppDir downloads go-app at the version go.mod requires (a no-op when
// the module cache has it) and returns its directory.
func goAppDir() (string, error) {
	cmd := exec.Command("go", "mod", "download", "-json", goApp)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	b, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go mod download %s: %v\n%s%s", goApp, err, b, stderr.Bytes())
	}
	var m struct{ Dir, Error string }
	if err := json.Unmarshal(b, &m); err != nil {
		return "", fmt.Errorf("go mod download %s: %v", goApp, err)
	}
	if m.Error != "" || m.Dir == "" {
		return "", fmt.Errorf("go mod download %s: %s", goApp, m.Error)
	}
	return m.Dir, nil
}

// write writes out/go.mod and out/go.sum (those of the module in root, with
// go-app replaced by out/go-app) and out/go-app, the edited copy of the
// go-app module in src (its go.mod, LICENSE and pkg/). The new directory is
// built beside out and renamed over it.
func write(out, root, src string) error {
	abs, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return err
	}
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(abs), "."+filepath.Base(abs)+"-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if err := copyModule(filepath.Join(tmp, "go-app"), src); err != nil {
		return err
	}
	for _, e := range edits {
		p := filepath.Join(tmp, "go-app", filepath.FromSlash(e.file))
		b, err := os.ReadFile(p)
		if err != nil {
			return fmt.Errorf("%s: %v", e.file, err)
		}
		s, err := e.apply(string(b))
		if err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			return err
		}
	}
	// The replacement is absolute: a -modfile's relative paths are
	// resolved from the main module's directory, not from the file.
	mod = fmt.Appendf(bytes.TrimRight(mod, "\n"), "\n\n// The browser build's copy of go-app, written by tools/browsermod.\nreplace %s => %s\n", goApp, filepath.Join(abs, "go-app"))
	if err := os.WriteFile(filepath.Join(tmp, "go.mod"), mod, 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(tmp, "go.sum"), sum, 0o644); err != nil {
		return err
	}
	if err := os.RemoveAll(abs); err != nil {
		return err
	}
	return os.Rename(tmp, abs)
}

// copyModule copies the files a build needs from the module in src to dst:
// go.mod, LICENSE and the Go packages under pkg/ (the module cache's files
// are read-only; the copies are writable).
func copyModule(dst, src string) error {
	for _, f := range []string{"go.mod", "LICENSE"} {
		if err := copyFile(filepath.Join(dst, f), filepath.Join(src, f)); err != nil {
			return err
		}
	}
	pkg := filepath.Join(src, "pkg")
	return filepath.WalkDir(pkg, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		return copyFile(filepath.Join(dst, rel), p)
	})
}

func copyFile(dst, src string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o644)
}
