//go:build !wasm

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The generated app.js streams app.wasm straight to the compiler and
// registers the service worker only after the app has started.
func TestGeneratePatchesLoader(t *testing.T) {
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
	if err := patchAppJS(filepath.Join(out, "app.js")); err == nil || !strings.Contains(err.Error(), "changed") {
		t.Errorf("patching twice: %v, want an error naming the change", err)
	}
}
