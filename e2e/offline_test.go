package e2e

// Offline, update and transfer tests of the site as "funnelplan serve"
// delivers it: the service worker keeps the app working with the server
// stopped, a rebuilt app replaces the cached one after a reload, and a
// browser that accepts brotli gets the precompressed app.wasm.

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

const offReady = `[data-testid="app"][data-ready="true"]`

// offTool returns a command the tests need: the path in the environment
// variable env (set by make test-browser), else pkg built once into a
// temporary directory.
func offTool(t *testing.T, env, pkg string) string {
	t.Helper()
	if p := os.Getenv(env); p != "" {
		return p
	}
	offBuilt.Lock()
	defer offBuilt.Unlock()
	if p, ok := offBuilt.m[pkg]; ok {
		return p
	}
	dir, err := os.MkdirTemp("", "funnelplan-e2e")
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, filepath.Base(pkg))
	cmd := exec.Command("go", "build", "-o", out, pkg)
	cmd.Env = append(os.Environ(), "GOOS=", "GOARCH=")
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", pkg, err, msg)
	}
	offBuilt.m[pkg] = out
	return out
}

var offBuilt = struct {
	sync.Mutex
	m map[string]string
}{m: map[string]string{}}

// offServer is "funnelplan serve" of a site directory.
type offServer struct {
	cmd  *exec.Cmd
	addr string // host:port, kept across restarts (the origin of the service worker)
}

// offServe starts "funnelplan serve --dir dir" on addr ("127.0.0.1:0" picks
// a port) and waits until it answers.
func offServe(t *testing.T, dir, addr string) *offServer {
	t.Helper()
	bin := offTool(t, "FUNNELPLAN_BIN", "../cli")
	cmd := exec.Command(bin, "serve", "--dir", dir, "--addr", addr)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &offServer{cmd: cmd}
	t.Cleanup(s.stop)
	line, err := bufio.NewReader(stderr).ReadString('\n')
	if err != nil {
		t.Fatalf("funnelplan serve: %v", err)
	}
	go io.Copy(io.Discard, stderr)
	m := regexp.MustCompile(`http://([^/\s]+)/`).FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("funnelplan serve said %q", line)
	}
	s.addr = m[1]
	return s
}

func (s *offServer) url() string { return "http://" + s.addr + "/" }

// stop stops the server (as Ctrl-C does) and waits until it has exited.
func (s *offServer) stop() {
	if s.cmd.ProcessState != nil {
		return
	}
	s.cmd.Process.Signal(os.Interrupt)
	s.cmd.Wait()
}

// offBrowser starts headless Chromium on the profile directory and returns
// a tab context.
func offBrowser(t *testing.T, profile string) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath("/usr/bin/chromium"), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-component-update", true), chromedp.WindowSize(1280, 900),
		chromedp.UserDataDir(profile))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelC(); cancelA() })
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	return ctx
}

// offOpen loads url (through about:blank, so a same-document URL reloads)
// and waits until the WebAssembly app has mounted.
func offOpen(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(tctx, chromedp.Navigate("about:blank"), chromedp.Navigate(url), chromedp.WaitVisible(offReady)); err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
}

func offEval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// offWaitCached waits until the service worker controls the page and its
// cache holds every resource of its list (go-app's worker fills the cache
// after it reports itself installed), and returns the version the page
// runs.
func offWaitCached(t *testing.T, ctx context.Context) string {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	// The worker's list is in app-worker.js: const resourcesToCache = [...];
	js := `(async () => {
		if (!navigator.serviceWorker || !navigator.serviceWorker.controller) return "";
		const src = await (await fetch("/app-worker.js", {cache: "no-store"})).text();
		const m = src.match(/const cacheName = "app-" \+ "([^"]*)";[\s\S]*?const resourcesToCache = (\[[^\]]*\]);/);
		if (!m) return "no resource list in app-worker.js";
		const cache = await caches.open("app-" + m[1]);
		for (const u of JSON.parse(m[2])) if (!(await cache.match(u))) return "";
		return "ok " + m[1];
	})()`
	got, err := chromedp.Run(tctx, chromedp.Poll[string](js, chromedp.WithPollingInterval(200*time.Millisecond)))
	if err != nil {
		t.Fatalf("the service worker did not cache every resource: %v", err)
	}
	version, ok := strings.CutPrefix(got, "ok ")
	if !ok {
		t.Fatal(got)
	}
	if v := offEval[string](t, ctx, `goappGetenv("GOAPP_VERSION")`); v != version {
		t.Fatalf("the page runs version %q, the worker caches %q", v, version)
	}
	return version
}

// offMoveSlider moves the first stage-rate slider and returns the revenue
// before and after: the app computes, offline or not.
func offMoveSlider(t *testing.T, ctx context.Context) (before, after string) {
	t.Helper()
	js := `(async () => {
		const rev = () => document.querySelector('[data-testid="revenue"]').getAttribute("data-value");
		const s = document.querySelector('input[type="range"][data-testid^="rate-"]');
		if (!s) return ["", "no rate slider"];
		const before = rev();
		const lo = parseFloat(s.min || "0"), hi = parseFloat(s.max || "100");
		s.value = String(parseFloat(s.value) > (lo + hi) / 2 ? lo + (hi - lo) / 4 : hi - (hi - lo) / 4);
		s.dispatchEvent(new Event("input", {bubbles: true}));
		for (let i = 0; i < 200 && rev() === before; i++) await new Promise(r => setTimeout(r, 10));
		return [before, rev()];
	})()`
	v := offEval[[]string](t, ctx, js)
	return v[0], v[1]
}

func offDist(t *testing.T) string {
	t.Helper()
	dist := os.Getenv("FUNNELPLAN_DIST")
	if dist == "" {
		t.Skip("FUNNELPLAN_DIST not set (make test-browser)")
	}
	return dist
}

func TestOfflineAfterOneVisit(t *testing.T) {
	srv := offServe(t, offDist(t), "127.0.0.1:0")
	profile := t.TempDir()
	ctx := offBrowser(t, profile)
	offOpen(t, ctx, srv.url())
	version := offWaitCached(t, ctx)

	// Installable: Chromium finds nothing missing (manifest, icons, a
	// service worker that answers offline).
	inst, err := chromedp.Call(ctx, page.GetInstallabilityErrors, cdp.Empty{})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range inst.InstallabilityErrors {
		var args []string
		for _, a := range e.ErrorArguments {
			args = append(args, a.Name+"="+a.Value)
		}
		t.Errorf("not installable: %s %s", e.ErrorID, strings.Join(args, " "))
	}

	srv.stop()
	if _, err := http.Get(srv.url()); err == nil {
		t.Fatal("the server still answers after stop")
	}
	offOpen(t, ctx, srv.url())
	if v := offEval[string](t, ctx, `goappGetenv("GOAPP_VERSION")`); v != version {
		t.Errorf("offline reload runs version %q, want the cached %q", v, version)
	}
	if before, after := offMoveSlider(t, ctx); before == after {
		t.Errorf("offline: moving a rate slider left revenue at %s", before)
	}
	if n := offEval[int](t, ctx, `document.querySelectorAll('[data-testid="update-banner"]').length`); n != 0 {
		t.Error("a new-version banner without a new version")
	}

	// The laptop is closed and opened again: a new browser process on the
	// same profile, still without the server.
	chromedp.Cancel(ctx)
	ctx = offBrowser(t, profile)
	offOpen(t, ctx, srv.url())
	if before, after := offMoveSlider(t, ctx); before == after {
		t.Errorf("offline after a browser restart: moving a rate slider left revenue at %s", before)
	}
}

func TestRebuiltAppServedAfterReload(t *testing.T) {
	site := filepath.Join(t.TempDir(), "site")
	if err := offCopyTree(site, offDist(t), nil); err != nil {
		t.Fatal(err)
	}
	srv := offServe(t, site, "127.0.0.1:0")
	ctx := offBrowser(t, t.TempDir())
	offOpen(t, ctx, srv.url())
	v1 := offWaitCached(t, ctx)

	// Rebuild the site while it is served, as "make web" does: a different
	// app.wasm (an extra custom section keeps it a valid module), and the
	// generator writes the site again with the version of that wasm.
	web := filepath.Join(t.TempDir(), "web")
	skip := func(p string) bool { return strings.HasSuffix(p, ".br") || strings.HasSuffix(p, ".gz") }
	if err := offCopyTree(web, filepath.Join(site, "web"), skip); err != nil {
		t.Fatal(err)
	}
	if err := offAppendCustomSection(filepath.Join(web, "app.wasm"), "funnelplan-test", time.Now().String()); err != nil {
		t.Fatal(err)
	}
	gen := offTool(t, "FUNNELPLAN_WEBGEN", "../wasm")
	if msg, err := exec.Command(gen, "-gen", "-out", site, "-web", web).CombinedOutput(); err != nil {
		t.Fatalf("regenerating the site: %v\n%s", err, msg)
	}

	// The next visit still starts from the cache, finds the new worker,
	// and offers the new version.
	offOpen(t, ctx, srv.url())
	tctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(tctx, chromedp.WaitVisible(`[data-testid="update-banner"]`)); err != nil {
		state := offEval[string](t, ctx, `(async () => JSON.stringify({page: goappGetenv("GOAPP_VERSION"), caches: await caches.keys(),
			controller: !!navigator.serviceWorker.controller}))()`)
		t.Fatalf("no new-version banner after a rebuild: %v (%s)", err, state)
	}
	offOpen(t, ctx, srv.url())
	v2 := offWaitCached(t, ctx)
	if v2 == v1 {
		t.Fatalf("after the rebuild and a reload the page still runs version %s", v1)
	}
	if before, after := offMoveSlider(t, ctx); before == after {
		t.Errorf("the rebuilt app does not compute: revenue stays %s", before)
	}
	// The new version works offline too.
	srv.stop()
	offOpen(t, ctx, srv.url())
	if v := offEval[string](t, ctx, `goappGetenv("GOAPP_VERSION")`); v != v2 {
		t.Errorf("offline after the update: version %q, want %q", v, v2)
	}
}

// TestBannerWhenTakenOverBeforeMount covers a slow start: the new
// version's worker took over (and deleted the page's cache) before the page
// mounted, so no controllerchange reaches it; the page still offers the new
// version.
func TestBannerWhenTakenOverBeforeMount(t *testing.T) {
	srv := offServe(t, offDist(t), "127.0.0.1:0")
	ctx := offBrowser(t, t.TempDir())
	offOpen(t, ctx, srv.url())
	offWaitCached(t, ctx)
	// What a newer worker leaves behind: only its own cache.
	offEval[bool](t, ctx, `(async () => {
		for (const k of await caches.keys()) await caches.delete(k);
		await caches.open("app-0123456789abcdef");
		return true;
	})()`)
	offOpen(t, ctx, srv.url())
	tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(tctx, chromedp.WaitVisible(`[data-testid="update-banner"]`)); err != nil {
		t.Fatalf("no new-version banner when another version's worker holds the cache: %v", err)
	}
}

func TestBrotliWasmWhenAccepted(t *testing.T) {
	dist := offDist(t)
	raw, err := os.Stat(filepath.Join(dist, "web", "app.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dist, "web", "app.wasm.br")); err != nil {
		// Not precompressed (make precompress takes a while at quality
		// 11): compress a copy quickly; serving it is what is tested.
		site := filepath.Join(t.TempDir(), "site")
		if err := offCopyTree(site, dist, nil); err != nil {
			t.Fatal(err)
		}
		wasm := filepath.Join(site, "web", "app.wasm")
		if msg, err := exec.Command("brotli", "-q", "5", "-o", wasm+".br", wasm).CombinedOutput(); err != nil {
			t.Fatalf("brotli: %v\n%s", err, msg)
		}
		dist = site
	}
	srv := offServe(t, dist, "127.0.0.1:0")
	ctx := offBrowser(t, t.TempDir())

	type seen struct {
		status  int64
		enc, ct string
		length  float64
	}
	got := make(chan seen, 1)
	lctx, stop := context.WithCancel(ctx)
	defer stop()
	var (
		mu     sync.Mutex
		wasmID network.RequestID
		s      seen
		accept = map[network.RequestID]string{}
	)
	chromedp.Listen(lctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSentExtraInfo:
			accept[ev.RequestID] = fmt.Sprint(ev.Headers["accept-encoding"], ev.Headers["Accept-Encoding"])
		case *network.EventResponseReceived:
			if wasmID == "" && strings.HasSuffix(ev.Response.URL, "/web/app.wasm") {
				wasmID = ev.RequestID
				s.status = ev.Response.Status
				for k, v := range ev.Response.Headers {
					switch strings.ToLower(k) {
					case "content-encoding":
						s.enc = fmt.Sprint(v)
					case "content-type":
						s.ct = fmt.Sprint(v)
					}
				}
			}
		case *network.EventLoadingFinished:
			if wasmID != "" && ev.RequestID == wasmID {
				s.length = ev.EncodedDataLength
				select {
				case got <- s:
				default:
				}
			}
		}
	})
	offOpen(t, ctx, srv.url())
	var r seen
	select {
	case r = <-got:
	case <-time.After(30 * time.Second):
		t.Fatal("app.wasm was not loaded")
	}
	if r.status != 200 || r.enc != "br" || r.ct != "application/wasm" {
		t.Errorf("app.wasm: status %d, Content-Encoding %q, Content-Type %q (browser's Accept-Encoding %q); want 200, br, application/wasm",
			r.status, r.enc, r.ct, func() string { mu.Lock(); defer mu.Unlock(); return accept[wasmID] }())
	}
	if r.length <= 0 || r.length >= float64(raw.Size())/2 {
		t.Errorf("app.wasm: %.0f bytes on the wire for %d raw; want the brotli copy", r.length, raw.Size())
	}
}

// offCopyTree copies the directory src to dst, leaving out the files for
// which skip is true.
func offCopyTree(dst, src string, skip func(string) bool) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		to := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(to, 0o755)
		}
		if skip != nil && skip(p) {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(to, b, 0o644)
	})
}

// offAppendCustomSection appends a WebAssembly custom section (id 0) to a
// module: the module stays valid and its hash, so the site's version,
// changes.
func offAppendCustomSection(path, name, payload string) error {
	var body bytes.Buffer
	body.Write(uleb(uint64(len(name))))
	body.WriteString(name)
	body.WriteString(payload)
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	sec := append([]byte{0}, uleb(uint64(body.Len()))...)
	_, err = f.Write(append(sec, body.Bytes()...))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func uleb(v uint64) []byte {
	var b []byte
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v != 0 {
			b = append(b, c|0x80)
			continue
		}
		return append(b, c)
	}
}
