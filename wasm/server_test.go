//go:build !wasm

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	planner "github.com/funnelplan/funnelplan/app"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// The generated page starts app.wasm from its head, app.js streams it
// straight to the compiler and registers the service worker only after the
// app has started.
func TestGeneratePatchesLoader(t *testing.T) {
	app.Route("/", func() app.Composer { return planner.New() }) // as main does
	web, out := t.TempDir(), filepath.Join(t.TempDir(), "dist")
	if err := os.WriteFile(filepath.Join(web, "app.wasm"), []byte("\x00asm\x01\x00\x00\x00"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := generate(out, web); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(out, "app.js"))
	if err != nil {
		t.Fatal(err)
	}
	js := string(b)
	if !strings.Contains(js, `fetch("/web/app.wasm")`) || strings.Contains(js, `fetchWithProgress("/web/app.wasm"`) {
		t.Error("app.wasm is not fetched straight into the compiler")
	}
	run := strings.Index(js, "go.run(wasm.instance);")
	reg := strings.Index(js, "goappInitServiceWorker();")
	if run < 0 || reg < run || strings.Count(js, "goappInitServiceWorker();") != 1 {
		t.Error("the service worker must be registered once, after go.run")
	}
	if !strings.Contains(js, "window.funnelplanWasm") {
		t.Error("app.js does not use the compilation started in the head")
	}
	if err := patchAppJS(filepath.Join(out, "app.js")); err == nil || !strings.Contains(err.Error(), "changed") {
		t.Errorf("patching twice: %v, want an error naming the change", err)
	}
	// The page loads wasm_exec.js once, in the head, then starts app.wasm.
	b, err = os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	if strings.Count(page, `src="/wasm_exec.js"`) != 1 || !strings.Contains(page, `<script src="/wasm_exec.js"></script><script>`) ||
		!strings.Contains(page, `WebAssembly.instantiateStreaming(fetch("/web/app.wasm"), go.importObject)`) {
		t.Errorf("the page does not start app.wasm from its head:\n%s", page)
	}
	if head, _, _ := strings.Cut(page, "</head>"); !strings.Contains(head, "funnelplanWasm") {
		t.Error("the early start is not in the head")
	}
}
