package app

import (
	"html"
	"strings"
)

// dataTable is a read-only table written as HTML text for app.Raw. The
// browser parses it in one step, where mounting it element by element
// costs a call into JavaScript for every element, text and attribute
// (a 10-stage funnel table is about 130 nodes): this matters most for the
// first render, when every line of Go runs for the first time.
type dataTable struct {
	testid  string
	caption string   // for screen readers
	head    []string // column headings; the first column heads the rows
	numeric []bool   // right-aligned number columns, by column
	rows    [][]string
}

// html returns the table; every text is escaped.
func (t dataTable) html() string {
	var b strings.Builder
	b.WriteString(`<table class="data"`)
	if t.testid != "" {
		b.WriteString(` data-testid="` + html.EscapeString(t.testid) + `"`)
	}
	b.WriteString(">")
	if t.caption != "" {
		b.WriteString(`<caption class="sr">` + html.EscapeString(t.caption) + "</caption>")
	}
	cls := func(i int) string {
		if i < len(t.numeric) && t.numeric[i] {
			return ` class="n"`
		}
		return ""
	}
	b.WriteString("<thead><tr>")
	for i, h := range t.head {
		b.WriteString(`<th scope="col"` + cls(i) + ">" + html.EscapeString(h) + "</th>")
	}
	b.WriteString("</tr></thead><tbody>")
	for _, r := range t.rows {
		b.WriteString("<tr>")
		for i, v := range r {
			if i == 0 {
				b.WriteString(`<th scope="row"` + cls(i) + ">" + html.EscapeString(v) + "</th>")
				continue
			}
			b.WriteString("<td" + cls(i) + ">" + html.EscapeString(v) + "</td>")
		}
		b.WriteString("</tr>")
	}
	b.WriteString("</tbody></table>")
	return b.String()
}
