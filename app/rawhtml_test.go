//go:build !wasm

package app

import (
	"strings"
	"testing"

	"github.com/funnelplan/funnelplan/core"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

func TestDataTableEscapesAndMarksColumns(t *testing.T) {
	got := dataTable{
		testid: "t", caption: "C & D", head: []string{"Stage", "Persons"}, numeric: []bool{false, true},
		rows: [][]string{{`<b>"Visit"</b> & more`, "1,000"}},
	}.html()
	want := `<table class="data" data-testid="t"><caption class="sr">C &amp; D</caption>` +
		`<thead><tr><th scope="col">Stage</th><th scope="col" class="n">Persons</th></tr></thead>` +
		`<tbody><tr><th scope="row">&lt;b&gt;&#34;Visit&#34;&lt;/b&gt; &amp; more</th><td class="n">1,000</td></tr></tbody></table>`
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}

func TestFunnelTableOnPage(t *testing.T) {
	c := load(t, MemStore{})
	c.doc.Plan.Stages[0].Name = "Visit <now>"
	c.recompute()
	html := app.HTMLString(c.Render())
	if !strings.Contains(html, `data-testid="funnel-table"`) || !strings.Contains(html, "Visit &lt;now&gt;") {
		t.Fatal("the funnel table with the escaped stage name is not on the page")
	}
	if n := strings.Count(c.funnelTable().html(), "<tr>"); n != len(c.fwd.Stages)+1 {
		t.Fatalf("%d rows, want a heading and one per stage (%d)", n, len(c.fwd.Stages))
	}
}

func TestStageToolsHTMLAndActions(t *testing.T) {
	s := core.Stage{ID: "lead", Name: `Lead "A" <b>`}
	h := stageTools(s, 0, 2, true)
	for _, want := range []string{
		`data-action="details" data-stage="lead"`, `aria-expanded="true"`, `data-testid="stage-details-lead"`,
		`aria-label="Details of Lead &#34;A&#34; &lt;b&gt;"`, `data-testid="remove-stage-lead"`,
	} {
		if !strings.Contains(h, want) {
			t.Errorf("missing %s in %s", want, h)
		}
	}
	// First of two stages: cannot move up, cannot be removed (two is the minimum).
	if strings.Count(h, " disabled") != 2 || !strings.Contains(h, `data-action="down" data-stage="lead" title="Move down" aria-label="Move Lead &#34;A&#34; &lt;b&gt; down">`) {
		t.Errorf("disabled buttons wrong: %s", h)
	}

	c := load(t, MemStore{})
	first, second := c.doc.Plan.Stages[0].ID, c.doc.Plan.Stages[1].ID
	n := len(c.doc.Plan.Stages)
	c.stageTool("down", first)
	if c.doc.Plan.Stages[1].ID != first {
		t.Fatal("down did not move the stage")
	}
	c.stageTool("up", first)
	if c.doc.Plan.Stages[0].ID != first {
		t.Fatal("up did not move the stage back")
	}
	c.stageTool("details", second)
	if !c.open["stage:"+second] {
		t.Fatal("details did not open")
	}
	c.stageTool("remove", second)
	if len(c.doc.Plan.Stages) != n-1 || !c.doc.CanUndo() {
		t.Fatal("remove did not remove the stage as an undoable edit")
	}
}

// A key figure escapes its label, value and help; it carries the raw
// number in data-value, and neither data-value nor title when they are
// absent.
func TestFigureEscapesAndMarksItsValue(t *testing.T) {
	v := 1234.5
	got := figure("revenue", `Revenue <"EUR">`, "1,235 EUR & more", &v, `customers × order value, "per persona"`)
	want := `<div class="figure" data-testid="revenue" title="customers × order value, &#34;per persona&#34;" data-value="1234.5">` +
		`<div class="fig-label">Revenue &lt;&#34;EUR&#34;&gt;</div><div class="fig-value">1,235 EUR &amp; more</div></div>`
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	if got, want := figure("one-in", "1 : N", "–", nil, ""),
		`<div class="figure" data-testid="one-in"><div class="fig-label">1 : N</div><div class="fig-value">–</div></div>`; got != want {
		t.Fatalf("undefined figure: got\n%s\nwant\n%s", got, want)
	}
}

// The key figures sit inside the live region as one HTML block, so the
// region element stays in place when they change.
func TestKeyFiguresInLiveRegion(t *testing.T) {
	c := load(t, MemStore{})
	html := app.HTMLString(c.Render())
	i := strings.Index(html, `aria-live="polite"`)
	j := strings.Index(html, `data-testid="revenue"`)
	if i < 0 || j < 0 || j < i || !strings.Contains(html[i:j], `<div class="fig-list">`) {
		t.Fatalf("the revenue figure is not in the fig-list of the live region:\n%s", html)
	}
}
