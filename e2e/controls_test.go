package e2e

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// The stage rows, the fold buttons, the result tabs and the period menu
// are run by handlers of the lists and of the page that hold them: typing a
// stage name keeps the field and the caret, a rate typed in percent moves
// the results, and a control drawn anew after its own use keeps the focus.
func TestControlsHandledByThePage(t *testing.T) {
	ctx := browser(t, "")
	open(t, ctx, base+"/")
	p := example(t)
	before := forward(t, p).Revenue

	// Typing a stage name: every key renames the stage (the funnel table
	// follows) and the field keeps the focus throughout.
	name := `[data-testid="stage-name-mql"]`
	if err := chromedp.Do(ctx, chromedp.Focus(name), chromedp.KeyEvent(kb.End), chromedp.KeyEvent(" X")); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelector('[data-testid="funnel-table"]').textContent.includes("Marketing qualified X")`,
		chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("the typed stage name did not reach the funnel table: %v", err)
	}
	if id := eval[string](t, ctx, `document.activeElement.dataset.testid || ""`); id != "stage-name-mql" {
		t.Fatalf("focus on %q after typing a stage name, want stage-name-mql", id)
	}

	// A rate typed in percent and committed: the field is drawn anew with
	// the rate and keeps the focus.
	pct := `[data-testid="rate-lead-pct"]`
	if err := chromedp.Do(ctx, chromedp.Focus(pct), chromedp.SetValue(pct, "10"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('`+pct+`').dispatchEvent(new Event('change', {bubbles: true}))`)); err != nil {
		t.Fatal(err)
	}
	got := waitChange(t, ctx, "revenue", before)
	moveRate(t, p, "lead", 0.10)
	if want := forward(t, p).Revenue; !near(got, want) {
		t.Fatalf("lead typed as 10 %%: revenue %v, want %v", got, want)
	}
	if v, _ := chromedp.Run(ctx, chromedp.Value(`[data-testid="rate-lead"]`)); v != "10" {
		t.Fatalf("slider at %q after typing 10 %%, want 10", v)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`(document.activeElement.dataset.testid || "") === "rate-lead-pct"`,
		chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("the percent field lost the focus after its rate was committed: %v", err)
	}

	// A fold button used from the keyboard opens its section and keeps
	// the focus.
	if err := chromedp.Do(ctx, chromedp.Focus(`[data-testid="fold-channels"]`), chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelector('[data-testid="fold-channels"]').getAttribute("aria-expanded") === "true" && (document.activeElement.dataset.testid || "") === "fold-channels"`,
		chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("fold-channels did not open with the focus kept: %v", err)
	}

	// A result tab from the keyboard.
	if err := chromedp.Do(ctx, chromedp.Focus(`[data-testid="tab-journey"]`), chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelector('[data-testid="tab-journey"]').getAttribute("aria-selected") === "true" && (document.activeElement.dataset.testid || "") === "tab-journey"`,
		chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("tab-journey was not selected with the focus kept: %v", err)
	}

	// The period menu.
	period := `[data-testid="period"]`
	if err := chromedp.Do(ctx, chromedp.Focus(period), chromedp.SetValue(period, "week"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('`+period+`').dispatchEvent(new Event('change', {bubbles: true}))`)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelector('[data-testid="customers"]').textContent.includes("/ week") && (document.activeElement.dataset.testid || "") === "period"`,
		chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("the period did not become week with the focus kept: %v", err)
	}
}
