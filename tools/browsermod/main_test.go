package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestBrowserModule writes the browser build's module files from the go-app
// the repository requires, and checks that every edit applied and that the
// browser build no longer imports net/http (and so crypto/tls).
func TestBrowserModule(t *testing.T) {
	src, err := goAppDir()
	if err != nil {
		t.Skipf("go-app not available: %v", err)
	}
	out := filepath.Join(t.TempDir(), "browser")
	if err := write(out, "../..", src); err != nil {
		t.Fatal(err)
	}
	mod, err := os.ReadFile(filepath.Join(out, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "replace " + goApp + " => " + filepath.Join(out, "go-app") + "\n"; !strings.HasSuffix(string(mod), want) {
		t.Errorf("go.mod ends with\n%s\nwant the line %q", mod, want)
	}
	for _, e := range edits {
		b, err := os.ReadFile(filepath.Join(out, "go-app", e.file))
		if err != nil {
			t.Fatal(err)
		}
		if got := string(b); e.whole && got != e.new || !e.whole && (strings.Contains(got, e.old) || !strings.Contains(got, e.new)) {
			t.Errorf("%s: edit %q -> %q not applied", e.file, e.old, e.new)
		}
	}
	// Writing again replaces the previous copy.
	if err := write(out, "../..", src); err != nil {
		t.Fatalf("second write: %v", err)
	}

	cmd := exec.Command("go", "list", "-modfile", filepath.Join(out, "go.mod"), "-deps", "./wasm")
	cmd.Dir = "../.."
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	b, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, b)
	}
	deps := strings.Fields(string(b))
	for _, bad := range []string{"net/http", "crypto/tls", "crypto/x509"} {
		for _, d := range deps {
			if d == bad {
				t.Errorf("the browser build still imports %s", bad)
			}
		}
	}
	if !contains(deps, goApp+"/pkg/app") {
		t.Errorf("go list: no %s in\n%s", goApp+"/pkg/app", b)
	}
}

func contains(s []string, x string) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}

// TestEditChecksSource: an edit whose text go-app no longer has fails and
// names the file, as does one found twice; a whole-file edit needs its
// marker.
func TestEditChecksSource(t *testing.T) {
	e := edit{file: "pkg/app/route.go", old: "a\n", new: "b\n"}
	if s, err := e.apply("x\na\ny\n"); err != nil || s != "x\nb\ny\n" {
		t.Errorf("apply = %q, %v; want %q", s, err, "x\nb\ny\n")
	}
	for _, src := range []string{"x\n", "a\na\n"} {
		if _, err := e.apply(src); err == nil || !strings.Contains(err.Error(), "pkg/app/route.go") {
			t.Errorf("apply(%q): error %v; want one naming the file", src, err)
		}
	}
	w := edit{file: "pkg/app/http.go", whole: true, old: "func ServeHTTP", new: "package app\n"}
	if s, err := w.apply("package app\nfunc ServeHTTP() {}\n"); err != nil || s != "package app\n" {
		t.Errorf("whole apply = %q, %v", s, err)
	}
	if _, err := w.apply("package app\n"); err == nil || !strings.Contains(err.Error(), "pkg/app/http.go") {
		t.Errorf("whole apply without its marker: error %v", err)
	}
}
