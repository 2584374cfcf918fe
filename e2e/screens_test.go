package e2e

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestScreenshots writes the README's screenshots (editing, scenarios
// compared, presentation mode) into $FUNNELPLAN_SCREENSHOTS when it is set.
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("FUNNELPLAN_SCREENSHOTS")
	if dir == "" {
		t.Skip("FUNNELPLAN_SCREENSHOTS not set")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx := browser(t, "")
	open(t, ctx, base+"/")
	shot := func(name string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		steps = append(steps, chromedp.Sleep(400*time.Millisecond))
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	shot("editing",
		chromedp.EmulateViewport(1440, 1000),
		chromedp.Click(`[data-testid="fold-personas"]`),
		chromedp.WaitVisible(`[data-testid="persona-matrix"]`))
	shot("scenarios",
		chromedp.Click(`[data-testid="fold-personas"]`),
		chromedp.Click(`[data-testid="scenario-tab-better-leads"]`),
		chromedp.Click(`[data-testid="tab-compare"]`),
		chromedp.WaitVisible(`[data-testid="scenarios-chart"] svg`))
	shot("presentation",
		chromedp.Click(`[data-testid="scenario-tab-more-traffic"]`),
		chromedp.Click(`[data-testid="tab-funnel"]`),
		chromedp.Click(`[data-testid="present"]`),
		chromedp.WaitVisible(`.present-sliders`))
}
