//go:build !wasm

package app

import (
	"strings"
	"testing"

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
