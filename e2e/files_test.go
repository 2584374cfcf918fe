package e2e

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/funnelplan/funnelplan/core"
)

// waitFile waits for a finished download (Chromium writes .crdownload
// first) and returns its bytes.
func waitFile(t *testing.T, path string) []byte {
	t.Helper()
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if b, err := os.ReadFile(path); err == nil && len(b) > 0 {
			return b
		}
	}
	t.Fatalf("no download %s", filepath.Base(path))
	return nil
}

func TestExports(t *testing.T) {
	ctx := browser(t, "")
	open(t, ctx, base+"/")
	dir := t.TempDir()
	if _, err := chromedp.CallBrowser(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
		Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir,
	}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(`[data-testid="export-plan"]`)); err != nil {
		t.Fatal(err)
	}
	b := waitFile(t, filepath.Join(dir, "b2b-software-webinar-funnel.json"))
	p, err := core.DecodeBytes(b)
	if err != nil {
		t.Fatalf("exported plan: %v", err)
	}
	if want := example(t); p.Name != want.Name || p.Top != want.Top || len(p.Scenarios) != len(want.Scenarios) {
		t.Fatal("the exported plan differs from the example")
	}
	if err := chromedp.Do(ctx, chromedp.Click(`[data-testid="export-csv"]`)); err != nil {
		t.Fatal(err)
	}
	csv := waitFile(t, filepath.Join(dir, "b2b-software-webinar-funnel-results.csv"))
	if !strings.HasPrefix(string(csv), "stage,name,count,") {
		t.Fatalf("csv starts %q", csv[:20])
	}
	if err := chromedp.Do(ctx, chromedp.Click(`[data-testid="download-funnel"]`)); err != nil {
		t.Fatal(err)
	}
	svg := waitFile(t, filepath.Join(dir, "b2b-software-webinar-funnel-funnel.svg"))
	if !bytes.HasPrefix(svg, []byte("<svg")) {
		t.Fatalf("svg starts %q", svg[:20])
	}
	if err := chromedp.Do(ctx, chromedp.Click(`[data-testid="download-funnel-png"]`)); err != nil {
		t.Fatal(err)
	}
	png := waitFile(t, filepath.Join(dir, "b2b-software-webinar-funnel-funnel.png"))
	if !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Fatal("the PNG download is not a PNG")
	}
}
