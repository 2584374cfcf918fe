//go:build !wasm

package app

import (
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

func TestUpdateBanner(t *testing.T) {
	c := load(t, MemStore{})
	if html := app.HTMLString(c.Render()); strings.Contains(html, `data-testid="update-banner"`) {
		t.Error("a new-version banner before any update")
	}
	c.updated = true
	html := app.HTMLString(c.Render())
	for _, hook := range []string{`data-testid="update-banner"`, `data-testid="update-reload"`} {
		if !strings.Contains(html, hook) {
			t.Errorf("after an update the page lacks %s", hook)
		}
	}
}
