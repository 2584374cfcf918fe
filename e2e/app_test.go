package e2e

import (
	"context"
	"fmt"
	"math"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/funnelplan/funnelplan/core"
	"github.com/funnelplan/funnelplan/core/examples"
)

// relTol is how close a number shown by the page must be to the core's
// (the page prints shortest exact floats; wasm may differ in the last bits).
const relTol = 1e-9

const ready = `[data-testid="app"][data-ready="true"]`

var base string // URL of the served dist/

func TestMain(m *testing.M) {
	dist := os.Getenv("FUNNELPLAN_DIST")
	if dist == "" {
		fmt.Println("e2e: FUNNELPLAN_DIST not set (run make test-browser); skipping")
		os.Exit(0)
	}
	if _, err := os.Stat(filepath.Join(dist, "index.html")); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: %v (run make web)\n", err)
		os.Exit(1)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		os.Exit(1)
	}
	go http.Serve(ln, http.FileServer(http.Dir(dist)))
	base = "http://" + ln.Addr().String()
	os.Exit(m.Run())
}

// browser starts headless Chromium with its own profile directory (a
// fresh profile unless dir is reused) and returns a tab context.
func browser(t *testing.T, dir string) context.Context {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath("/usr/bin/chromium"), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-component-update", true), chromedp.WindowSize(1280, 900),
		chromedp.UserDataDir(dir))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	return ctx
}

// open navigates to the app and waits until the WebAssembly app mounted.
func open(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitVisible(ready)); err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// value reads the data-value of a data-testid element as a number.
func value(t *testing.T, ctx context.Context, testid string) float64 {
	t.Helper()
	s := eval[string](t, ctx, fmt.Sprintf(`document.querySelector('[data-testid=%q]').getAttribute('data-value') || ""`, testid))
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("%s data-value %q: %v", testid, s, err)
	}
	return x
}

// waitChange waits until a data-value differs from old.
func waitChange(t *testing.T, ctx context.Context, testid string, old float64) float64 {
	t.Helper()
	js := fmt.Sprintf(`(() => { const v = document.querySelector('[data-testid=%q]').getAttribute('data-value'); return v !== null && Number(v) !== %s ? Number(v) : 0 })()`, testid, strconv.FormatFloat(old, 'g', -1, 64))
	v, err := chromedp.Run(ctx, chromedp.Poll[float64](js, chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil {
		t.Fatalf("%s did not change from %v: %v", testid, old, err)
	}
	return v
}

func near(a, b float64) bool {
	return math.Abs(a-b) <= relTol*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

func example(t *testing.T) *core.Plan {
	t.Helper()
	b, _ := examples.Get(examples.Default)
	p, err := core.DecodeBytes(b)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func forward(t *testing.T, p *core.Plan) *core.ForwardResult {
	t.Helper()
	f, err := core.Forward(p)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// moveRate is what the rate slider does to a plan (docs: the slider moves
// a stage's rate for all personas): the stage rate becomes r and every
// persona override moves by the same amount, clamped to 0..1.
func moveRate(t *testing.T, p *core.Plan, stage string, r float64) {
	t.Helper()
	old, err := p.Get("stages." + stage + ".rate")
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Set("stages."+stage+".rate", r); err != nil {
		t.Fatal(err)
	}
	for _, x := range p.Personas {
		if o, ok := x.Rates.Get(stage); ok {
			p.Set("personas."+x.ID+".rates."+stage, math.Min(1, math.Max(0, o+r-old)))
		}
	}
}

func TestExampleAndRateSlider(t *testing.T) {
	ctx := browser(t, "")
	open(t, ctx, base+"/")
	p := example(t)
	f := forward(t, p)
	if got := value(t, ctx, "revenue"); !near(got, f.Revenue) {
		t.Fatalf("first visit: revenue %v, want the example's %v", got, f.Revenue)
	}
	if got := value(t, ctx, "customers"); !near(got, f.Customers) {
		t.Fatalf("first visit: customers %v, want %v", got, f.Customers)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('[data-testid="funnel-chart"] svg').length`); n != 1 {
		t.Fatalf("funnel chart: %d svg elements, want 1", n)
	}

	// A real slider move: focus the range input and press the arrow key
	// (input events as a person makes them).
	slider := `[data-testid="rate-lead"]`
	if err := chromedp.Do(ctx, chromedp.Focus(slider), chromedp.KeyEvent(kb.ArrowRight), chromedp.KeyEvent(kb.ArrowRight)); err != nil {
		t.Fatal(err)
	}
	got := waitChange(t, ctx, "revenue", f.Revenue)
	pos, err := chromedp.Run(ctx, chromedp.Value(slider))
	if err != nil {
		t.Fatal(err)
	}
	pct, err := strconv.ParseFloat(pos, 64)
	if err != nil || pct <= 5 {
		t.Fatalf("slider value %q, want above the example's 5 %%", pos)
	}
	// Let the last input event land before comparing.
	time.Sleep(200 * time.Millisecond)
	got = value(t, ctx, "revenue")
	moveRate(t, p, "lead", pct/100)
	want := forward(t, p).Revenue
	if !near(got, want) {
		t.Fatalf("after moving rate-lead to %s %%: revenue %v, want core.Forward's %v", pos, got, want)
	}
}

func TestEditSurvivesReload(t *testing.T) {
	dir := t.TempDir()
	ctx := browser(t, dir)
	open(t, ctx, base+"/")
	before := value(t, ctx, "revenue")
	top := `[data-testid="top"]`
	if err := chromedp.Do(ctx, chromedp.SetValue(top, "25000"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-testid="top"]').dispatchEvent(new Event('change', {bubbles: true}))`)); err != nil {
		t.Fatal(err)
	}
	edited := waitChange(t, ctx, "revenue", before)
	p := example(t)
	p.Top = 25000
	if want := forward(t, p).Revenue; !near(edited, want) {
		t.Fatalf("top 25000: revenue %v, want %v", edited, want)
	}
	// Reload the page: the autosave restores the edit.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank"), chromedp.Navigate(base+"/"), chromedp.WaitVisible(ready)); err != nil {
		t.Fatal(err)
	}
	if got := value(t, ctx, "revenue"); !near(got, edited) {
		t.Fatalf("after reload: revenue %v, want the edited %v", got, edited)
	}
	if v, _ := chromedp.Run(ctx, chromedp.Value(top)); v != "25000" {
		t.Fatalf("after reload: top %q, want 25000", v)
	}
}

func TestShareLinkOpensInFreshProfile(t *testing.T) {
	ctx := browser(t, "")
	open(t, ctx, base+"/")
	before := value(t, ctx, "revenue")
	// Change the plan so the link carries something the example lacks.
	if err := chromedp.Do(ctx, chromedp.SetValue(`[data-testid="top"]`, "12345"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-testid="top"]').dispatchEvent(new Event('change', {bubbles: true}))`)); err != nil {
		t.Fatal(err)
	}
	want := waitChange(t, ctx, "revenue", before)
	if err := chromedp.Do(ctx, chromedp.Click(`[data-testid="share"]`), chromedp.WaitVisible(`[data-testid="share-url"]`)); err != nil {
		t.Fatal(err)
	}
	link, err := chromedp.Run(ctx, chromedp.Value(`[data-testid="share-url"]`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(link, "#plan=") {
		t.Fatalf("share link %q has no #plan= fragment", link)
	}

	fresh := browser(t, "")
	open(t, fresh, link)
	if got := value(t, fresh, "revenue"); !near(got, want) {
		t.Fatalf("shared plan in a fresh profile: revenue %v, want %v", got, want)
	}
	if v, _ := chromedp.Run(fresh, chromedp.Value(`[data-testid="top"]`)); v != "12345" {
		t.Fatalf("shared plan: top %q, want 12345", v)
	}
	// The first render is the live page: go-app's OnMount and OnNav after
	// it, and the autosave of the shared plan, draw nothing again.
	time.Sleep(500 * time.Millisecond)
	if n := eval[int](t, fresh, `performance.getEntriesByName("funnelplan:rendered").length`); n != 1 {
		t.Fatalf("the page was rendered %d times on load, want 1", n)
	}
	if saved := eval[bool](t, fresh, `(localStorage.getItem("funnelplan.saved") || "").includes("12345")`); !saved {
		t.Fatal("the shared plan was not autosaved after the first render")
	}
}

func TestBrokenImportKeepsPlan(t *testing.T) {
	ctx := browser(t, "")
	open(t, ctx, base+"/")
	before := value(t, ctx, "revenue")
	bad := filepath.Join(t.TempDir(), "broken.json")
	os.WriteFile(bad, []byte(`{"funnelplan": 1, "name": "Broken", "top": 100,
  "stages": [{"id": "a"}, {"id": "b", "rate": 1.4}]}`), 0o644)
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(`[data-testid="import-file"]`, []string{bad}, chromedp.NodeReady),
		chromedp.WaitVisible(`[data-testid="import-error"]`)); err != nil {
		t.Fatal(err)
	}
	msg, err := chromedp.Run(ctx, chromedp.Text(`[data-testid="import-error"]`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(msg, "broken.json") || !strings.Contains(msg, "stages[1].rate") {
		t.Fatalf("import-error %q: want the file name and the path stages[1].rate", msg)
	}
	if got := value(t, ctx, "revenue"); got != before {
		t.Fatalf("after a broken import: revenue %v, want the untouched %v", got, before)
	}
	if name, _ := chromedp.Run(ctx, chromedp.Value(`[data-testid="plan-name"]`)); name == "Broken" {
		t.Fatal("the broken file replaced the plan")
	}
}

func TestUndoAndPresentationKeys(t *testing.T) {
	ctx := browser(t, "")
	open(t, ctx, base+"/")
	p := example(t)
	base0 := forward(t, p).Revenue
	if err := chromedp.Do(ctx, chromedp.Focus(`[data-testid="rate-mql"]`), chromedp.KeyEvent(kb.ArrowRight)); err != nil {
		t.Fatal(err)
	}
	moved := waitChange(t, ctx, "revenue", base0)
	// Ctrl+Z anywhere (the slider keeps the focus) undoes the move.
	if err := chromedp.Do(ctx, chromedp.KeyEvent("z", chromedp.KeyModifiers(chromedp.ModifierCtrl))); err != nil {
		t.Fatal(err)
	}
	if got := waitChange(t, ctx, "revenue", moved); !near(got, base0) {
		t.Fatalf("after Ctrl+Z revenue %v, want the example's %v", got, base0)
	}
	// Presentation mode: P enters, → shows the next scenario, Esc leaves.
	if err := chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`document.activeElement && document.activeElement.blur()`),
		chromedp.KeyEvent("p"), chromedp.WaitVisible(`.present .present-sliders`),
		chromedp.KeyEvent(kb.ArrowRight)); err != nil {
		t.Fatal(err)
	}
	q, _, err := p.WithScenario("more-traffic")
	if err != nil {
		t.Fatal(err)
	}
	want := forward(t, q).Revenue
	if got := waitChange(t, ctx, "revenue", base0); !near(got, want) {
		t.Fatalf("→ in presentation mode: revenue %v, want scenario more-traffic's %v", got, want)
	}
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Escape), chromedp.WaitNotPresent(`.present`)); err != nil {
		t.Fatal(err)
	}
}

func TestCorruptSaveStartsFromExample(t *testing.T) {
	ctx := browser(t, "")
	open(t, ctx, base+"/")
	if err := chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`localStorage.setItem("funnelplan.saved", '{"format": 1, "plan": {"funnelplan": 1, "stages": "oops"')`),
		chromedp.Navigate("about:blank"), chromedp.Navigate(base+"/"), chromedp.WaitVisible(ready),
		chromedp.WaitVisible(`[data-testid="corrupt-save"]`)); err != nil {
		t.Fatal(err)
	}
	if got, want := value(t, ctx, "revenue"), forward(t, example(t)).Revenue; !near(got, want) {
		t.Fatalf("after a corrupt save: revenue %v, want the example's %v", got, want)
	}
	kept := eval[string](t, ctx, `localStorage.getItem("funnelplan.saved.unreadable") || ""`)
	if !strings.Contains(kept, `"oops"`) {
		t.Fatalf("the unreadable text was not kept: %q", kept)
	}
}

// The stage buttons are HTML handled by the stage list: details opens,
// remove takes the stage out of the plan and the results, undo puts it back.
func TestStageButtons(t *testing.T) {
	ctx := browser(t, "")
	open(t, ctx, base+"/")
	before := value(t, ctx, "revenue")
	details := `[data-testid="stage-details-mql"]`
	if err := chromedp.Do(ctx, chromedp.Click(details)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelector('`+details+`').getAttribute("aria-expanded") === "true"`,
		chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("details of mql did not open: %v", err)
	}
	// A click elsewhere in the list (the stage name) changes nothing.
	if err := chromedp.Do(ctx, chromedp.Click(`[data-testid="stage-name-mql"]`)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(`[data-testid="remove-stage-mql"]`)); err != nil {
		t.Fatal(err)
	}
	removed := waitChange(t, ctx, "revenue", before)
	if n := eval[int](t, ctx, `document.querySelectorAll('[data-stage="mql"]').length`); n != 0 {
		t.Fatalf("mql still has %d elements after remove", n)
	}
	if err := chromedp.Do(ctx, chromedp.KeyEvent("z", chromedp.KeyModifiers(chromedp.ModifierCtrl))); err != nil {
		t.Fatal(err)
	}
	if got := waitChange(t, ctx, "revenue", removed); !near(got, before) {
		t.Fatalf("after undo: revenue %v, want %v", got, before)
	}
}
