//go:build !wasm

package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

func serverMain() {
	log.SetFlags(0)
	log.SetPrefix("funnelplan-web: ")
	if err := run(os.Args[1:]); err != nil {
		log.Fatal(err)
	}
}

func run(args []string) error {
	fl := flag.NewFlagSet("wasm", flag.ContinueOnError)
	gen := fl.Bool("gen", false, "write the static site")
	out := fl.String("out", "dist", "directory of the static site (-gen)")
	web := fl.String("web", "web", "directory holding app.wasm and the assets (-gen)")
	serve := fl.String("serve", "", "serve this static site directory")
	addr := fl.String("addr", "127.0.0.1:8080", "address to serve on (-serve)")
	if err := fl.Parse(args); err != nil {
		return err
	}
	switch {
	case *gen:
		return generate(*out, *web)
	case *serve != "":
		return serveDir(*serve, *addr)
	}
	fl.Usage()
	return errors.New("want -gen or -serve")
}

// Handler returns the go-app handler of the site at the given version.
func Handler(version string) *app.Handler {
	return &app.Handler{
		Name:        "funnelplan",
		ShortName:   "funnelplan",
		Title:       "funnelplan: funnel and journey planner",
		Description: "Plan funnels, personas, channels and customer journeys; see revenue, CAC, ROAS and LTV live; works offline.",
		Lang:        "en",
		// Local icons: a remote default icon would break the offline cache.
		Icon: app.Icon{
			Default:  "/web/icon-192.png",
			Large:    "/web/icon-512.png",
			SVG:      "/web/icon.svg",
			Maskable: "/web/icon-512.png",
		},
		BackgroundColor:    "#ffffff",
		ThemeColor:         "#1f4e79",
		LoadingLabel:       "Loading the planner…",
		Styles:             []string{"/web/style.css"},
		RawHeaders:         []string{earlyStart, morphScript},
		CacheableResources: []string{"/web/icon.svg"},
		Env:                map[string]string{"FUNNELPLAN_BUILD": version},
		Version:            version,
	}
}

// generate writes the static site into out: go-app's pages and scripts,
// then everything in web (app.wasm included) under out/web, and the Go
// toolchain's wasm_exec.js matching the compiler that built app.wasm.
func generate(out, web string) error {
	wasm, err := os.ReadFile(filepath.Join(web, "app.wasm"))
	if err != nil {
		return fmt.Errorf("%v (build it first: make web)", err)
	}
	version, err := siteVersion(web)
	if err != nil {
		return err
	}
	if err := os.RemoveAll(out); err != nil {
		return err
	}
	h := Handler(version)
	if err := app.GenerateStaticWebsite(out, h); err != nil {
		return err
	}
	if err := patchAppJS(filepath.Join(out, "app.js")); err != nil {
		return err
	}
	if err := patchIndex(filepath.Join(out, "index.html")); err != nil {
		return err
	}
	if err := copyTree(filepath.Join(out, "web"), web); err != nil {
		return err
	}
	execJS := filepath.Join(runtime.GOROOT(), "lib", "wasm", "wasm_exec.js")
	if _, err := os.Stat(execJS); err == nil {
		if err := copyFile(filepath.Join(out, "wasm_exec.js"), execJS); err != nil {
			return err
		}
	}
	fmt.Printf("wrote %s (version %s, app.wasm %d bytes)\n", out, version, len(wasm))
	return nil
}

// appJSPatches make go-app's loader start faster on a first visit:
//   - app.wasm is requested and compiled from the page's head (earlyStart),
//     not once the page has been parsed, laid out and painted (measured:
//     the request 160 ms earlier and interactive about 150 ms sooner);
//   - app.wasm goes to the browser's streaming compiler as the network
//     delivers it, instead of through a JavaScript stream that counts the
//     bytes for a percentage (measured: about 250 ms later to interactive
//     on the 11 MB app); the loader shows a spinner and a label instead;
//   - the service worker is registered once the app has rendered, so that
//     filling its offline cache (another download of every file and a
//     write to disk) does not compete with compiling app.wasm.
var appJSPatches = []struct{ old, new string }{
	{"    const go = new Go();\n    const wasm = await instantiateStreaming(\n      fetchWithProgress(\"/web/app.wasm\", showProgress),\n      go.importObject\n    );\n",
		"    const early = window.funnelplanWasm; // started in the page's head (earlyStart)\n" +
			"    const go = early ? early.go : new Go();\n" +
			"    const wasm = await (early ? early.wasm : instantiateStreaming(fetch(\"/web/app.wasm\"), go.importObject));\n"},
	{"\ngoappInitServiceWorker();\n", "\n"},
	{"    go.run(wasm.instance);\n    loader.remove();\n", "    go.run(wasm.instance);\n    loader.remove();\n    goappInitServiceWorker();\n"},
}

// earlyStart runs in the page's head: it loads wasm_exec.js (instead of
// go-app's deferred copy) and starts fetching and compiling app.wasm at
// once; app.js runs it when the page is parsed. It skips what go-app's
// loader skips (crawlers, ?wasm=false); app.js reports a failure.
const earlyStart = `<script src="/wasm_exec.js"></script><script>(() => {
  if (/bot|googlebot|crawler|spider|robot|crawling/i.test(navigator.userAgent) ||
      new URLSearchParams(location.search).get("wasm") === "false" ||
      !window.WebAssembly || !WebAssembly.instantiateStreaming) return;
  const go = new Go();
  const wasm = WebAssembly.instantiateStreaming(fetch("/web/app.wasm"), go.importObject);
  wasm.catch(() => {});
  window.funnelplanWasm = {go, wasm};
})();</script>`

// morphScript defines window.funnelplanMorph(node, html), which the
// browser build's go-app calls when a block of raw HTML (the funnel chart,
// the funnel table, the key figures, a stage row's figures) is drawn
// again: it changes the live node in place to match the new HTML, writing
// only the attributes and texts that differ and replacing only children
// of another kind, id or data-testid, so the browser restyles and lays
// out what changed instead of the whole block. It returns false, and the
// block is replaced as before, when the new HTML's root is not the node's
// kind or the HTML has more than one root. A form control's state follows
// a changed attribute (value, checked, selected), as a new element would
// show it; an unchanged attribute leaves what the user typed.
const morphScript = `<script>window.funnelplanMorph = (() => {
  const tpl = document.createElement("template");
  const same = (a, b) => a.nodeType === b.nodeType && a.nodeName === b.nodeName &&
    (a.nodeType !== 1 || (a.id === b.id && a.getAttribute("data-testid") === b.getAttribute("data-testid")));
  const state = (a, name, v) => {
    if (a.nodeName === "INPUT" && name === "value") a.value = v === null ? "" : v;
    else if (a.nodeName === "INPUT" && name === "checked") a.checked = v !== null;
    else if (a.nodeName === "OPTION" && name === "selected") a.selected = v !== null;
  };
  const attrs = (a, b) => {
    const ba = b.attributes;
    for (let i = 0; i < ba.length; i++) {
      const x = ba[i];
      if (a.getAttributeNS(x.namespaceURI, x.localName) !== x.value) {
        a.setAttributeNS(x.namespaceURI, x.name, x.value);
        state(a, x.localName, x.value);
      }
    }
    const aa = a.attributes;
    for (let i = aa.length - 1; i >= 0; i--) {
      const x = aa[i];
      if (!b.hasAttributeNS(x.namespaceURI, x.localName)) {
        a.removeAttributeNS(x.namespaceURI, x.localName);
        state(a, x.localName, null);
      }
    }
  };
  const morph = (a, b) => {
    if (a.nodeType !== 1) {
      if (a.nodeValue !== b.nodeValue) a.nodeValue = b.nodeValue;
      return;
    }
    attrs(a, b);
    let ac = a.firstChild, bc = b.firstChild;
    while (bc) {
      const bn = bc.nextSibling;
      if (!ac) {
        a.appendChild(bc);
      } else if (same(ac, bc)) {
        morph(ac, bc);
        ac = ac.nextSibling;
      } else {
        const an = ac.nextSibling;
        a.replaceChild(bc, ac);
        ac = an;
      }
      bc = bn;
    }
    while (ac) {
      const an = ac.nextSibling;
      a.removeChild(ac);
      ac = an;
    }
  };
  return (node, html) => {
    tpl.innerHTML = html;
    const b = tpl.content.firstChild;
    const ok = !!b && b === tpl.content.lastChild && same(node, b);
    if (ok) morph(node, b);
    tpl.innerHTML = "";
    return ok;
  };
})();</script>`

// deferredExecJS is go-app's own deferred wasm_exec.js tag, replaced by
// the one in earlyStart.
var deferredExecJS = regexp.MustCompile(`\s*<script (defer src="/wasm_exec.js"|src="/wasm_exec.js" defer)></script>`)

// patchIndex drops go-app's deferred wasm_exec.js from the page (earlyStart
// loads it in the head), and fails if it is not there once.
func patchIndex(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if n := len(deferredExecJS.FindAllIndex(b, -1)); n != 1 {
		return fmt.Errorf("%s: go-app's page changed: %d deferred wasm_exec.js scripts, want 1", path, n)
	}
	return os.WriteFile(path, deferredExecJS.ReplaceAll(b, nil), 0o644)
}

// patchAppJS applies appJSPatches to the generated app.js, and fails if
// go-app's script no longer has the text a patch replaces.
func patchAppJS(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	s := string(b)
	for _, p := range appJSPatches {
		if strings.Count(s, p.old) != 1 {
			return fmt.Errorf("%s: go-app's script changed: %q is not there once", path, p.old)
		}
		s = strings.Replace(s, p.old, p.new, 1)
	}
	return os.WriteFile(path, []byte(s), 0o644)
}

// siteVersion is the first 16 hex digits of the SHA-256 over every file
// of web (app.wasm, CSS, icons) by sorted path and over the loader's
// patches: the same build gives the same version, and any change to the
// wasm, an asset or the loader gives a new one, so the service worker
// replaces its cache.
func siteVersion(web string) (string, error) {
	h := sha256.New()
	err := filepath.WalkDir(web, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(web, path)
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", filepath.ToSlash(rel), len(b))
		h.Write(b)
		return nil
	})
	if err != nil {
		return "", err
	}
	// The loader's changes to go-app's page and script are part of the
	// site too: a new loader is a new version even with the same app.wasm.
	h.Write([]byte(earlyStart))
	h.Write([]byte(morphScript))
	for _, p := range appJSPatches {
		h.Write([]byte(p.old + "\x00" + p.new + "\x00"))
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

func copyTree(dst, src string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		return copyFile(target, path)
	})
}

// copyFile copies src to dst atomically (temp file + rename).
func copyFile(dst, src string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".tmp-*")
	if err != nil {
		return err
	}
	if _, err := io.Copy(tmp, in); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	os.Chmod(tmp.Name(), 0o644)
	return os.Rename(tmp.Name(), dst)
}

// serveDir serves a static site directory; Go's MIME table gives .wasm
// the application/wasm type that streaming compilation needs.
func serveDir(dir, addr string) error {
	if _, err := os.Stat(filepath.Join(dir, "index.html")); err != nil {
		return fmt.Errorf("%s has no index.html (run make web first)", dir)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	fmt.Printf("funnelplan: serving %s at http://%s/ (Ctrl+C stops)\n", dir, ln.Addr())
	return http.Serve(ln, http.FileServer(http.Dir(dir)))
}
