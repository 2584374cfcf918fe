package app

import (
	"html"
	"strconv"
	"strings"

	"github.com/funnelplan/funnelplan/core"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// resultCache keeps results that are costly or only shown in one tab, so a
// slider move recomputes only what is on screen.
type resultCache struct {
	rev   int        // bumped on every edit
	valid *core.Plan // the last valid plan on screen

	svg map[string]cached // chart SVG by kind
}

type cached struct {
	rev int
	s   string
	err error
}

// chart returns the SVG of a chart kind for the current revision, drawing
// it at most once per edit.
func (c *Planner) chart(kind string, draw func() (string, error)) (string, error) {
	if c.cache.svg == nil {
		c.cache.svg = map[string]cached{}
	}
	if x, ok := c.cache.svg[kind]; ok && x.rev == c.cache.rev {
		return x.s, x.err
	}
	s, err := draw()
	c.cache.svg[kind] = cached{c.cache.rev, s, err}
	return s, err
}

// figure is one key figure as HTML text: a label, the formatted value, and
// the raw number in data-value (absent when the metric is undefined).
func figure(testid, label, shown string, v *float64, help string) string {
	b := `<div class="figure" data-testid="` + html.EscapeString(testid) + `"`
	if help != "" {
		b += ` title="` + html.EscapeString(help) + `"`
	}
	if v != nil {
		b += ` data-value="` + raw(*v) + `"`
	}
	return b + `><div class="fig-label">` + html.EscapeString(label) + `</div><div class="fig-value">` +
		html.EscapeString(shown) + `</div></div>`
}

// figureBox lays out key figures (figure) in a grid. They are read-only,
// so they are written as HTML the browser parses in one step, like the
// funnel table (rawhtml.go): mounting them element by element cost a call
// into JavaScript per element, text and attribute. The box itself is an
// element of the page, so a live region around it stays in place while its
// figures change.
func figureBox(box app.HTMLDiv, figs ...string) app.UI {
	return box.Body(app.Raw(`<div class="fig-list">` + strings.Join(figs, "") + `</div>`))
}

func (c *Planner) renderResults() []app.UI {
	f := c.fwd
	if f == nil {
		return []app.UI{app.P().Class("muted").Text("Fix the problems listed above to see results.")}
	}
	cur := c.doc.Plan.Currency
	view := c.cache.valid
	oneIn := "–"
	if f.OneIn != nil {
		oneIn = "1 in " + count(*f.OneIn)
	}
	aov := "–"
	if f.AOV != nil {
		aov = money(*f.AOV, cur)
	}
	figs := []string{
		figure("customers", "Customers / "+periodName(view.Period), count(f.Customers), &f.Customers, "Expected customers per period"),
		figure("revenue", "Revenue / "+periodName(view.Period), money(f.Revenue, cur), &f.Revenue, "Expected revenue per period: customers × order value, per persona"),
		figure("conversion", "Conversion", pct(f.Conversion), &f.Conversion, "Customers per top-of-funnel entrant"),
		figure("one-in", "1 : N", oneIn, f.OneIn, "One customer in this many entrants"),
		figure("aov", "Average order", aov, f.AOV, "Revenue per customer"),
	}
	figs = append(figs, c.economicsFigures(view)...)
	return []app.UI{
		figureBox(app.Div().Class(map[bool]string{true: "figures stale", false: "figures"}[c.stale]).
			Attr("aria-live", "polite"), figs...),
		app.If(len(f.Warnings) > 0, func() app.UI {
			return app.Ul().Class("warnings").Body(app.Range(f.Warnings).Slice(func(i int) app.UI {
				return app.Li().Text(f.Warnings[i])
			}))
		}),
		c.renderTabs(),
	}
}

// tabs are the result views below the key figures.
var tabs = []struct{ id, label string }{
	{"funnel", "Funnel"},
	{"compare", "Scenarios"},
	{"sensitivity", "Sensitivity"},
	{"reverse", "Goal"},
	{"journey", "Journey"},
	{"forecast", "Forecast"},
	{"uncertainty", "Uncertainty"},
	{"fit", "Fit from data"},
}

func (c *Planner) renderTabs() app.UI {
	tab := c.tab
	if c.present && tab != "funnel" && tab != "compare" {
		tab = "funnel"
	}
	var body app.UI
	if err := guard(func() error { body = c.tabBody(tab); return nil }); err != nil {
		body = app.P().Class("error").Text(err.Error())
	}
	return c.renderTabBar(tab, body)
}

// tabBody renders the result view of a tab.
func (c *Planner) tabBody(tab string) app.UI {
	var body app.UI
	switch tab {
	case "compare":
		body = c.renderCompare()
	case "sensitivity":
		body = c.renderSensitivity()
	case "reverse":
		body = c.renderReverse()
	case "journey":
		body = c.renderJourneyResults()
	case "forecast":
		body = c.renderForecast()
	case "uncertainty":
		body = c.renderUncertainty()
	case "fit":
		body = c.renderFit()
	default:
		body = c.renderFunnel()
	}
	return body
}

func (c *Planner) renderTabBar(tab string, body app.UI) app.UI {
	var b strings.Builder
	b.WriteString(`<div role="tablist" class="tabs small" aria-label="Result views">`)
	for _, t := range tabs {
		if c.present && t.id != "funnel" && t.id != "compare" {
			continue
		}
		button(&b, "tab", t.label, "", "tab-"+t.id, false, ` role="tab" aria-selected="`+strconv.FormatBool(t.id == tab)+`"`+doAttr("tab:"+t.id))
	}
	b.WriteString(`</div>`)
	return app.Div().Class("result-tabs").Body(
		app.Raw(b.String()),
		app.Div().Class("tab-body").Attr("role", "tabpanel").Body(body),
	)
}

// renderFunnel is the funnel chart and the stage table.
func (c *Planner) renderFunnel() app.UI {
	svg, err := c.funnelSVG()
	return app.Div().Body(
		c.chartBox("funnel-chart", "funnel", "Funnel: persons per stage", svg, err),
		app.Raw(c.funnelTable().html()),
	)
}

// funnelTable is the stage table under the funnel chart.
func (c *Planner) funnelTable() dataTable {
	f := c.fwd
	t := dataTable{
		testid:  "funnel-table",
		caption: "Funnel by stage",
		head:    []string{"Stage", "Persons", "Step rate", "Of top", "Lost here"},
		numeric: []bool{false, true, true, true, true},
	}
	for _, s := range f.Stages {
		rate := "–"
		if s.Rate != nil {
			rate = pct(*s.Rate)
		}
		lost := ""
		if s.LossShare != nil {
			lost = count(s.Dropoff) + " (" + pct(*s.LossShare) + " of all lost)"
		}
		t.rows = append(t.rows, []string{s.Name, count(s.Count), rate, pct(s.Cumulative), lost})
	}
	return t
}

// chartBox holds one chart SVG in its own element (only it is drawn again
// when the chart changes) with an SVG download button.
func (c *Planner) chartBox(testid, name, title, svg string, err error) app.UI {
	var inner app.UI
	switch {
	case err != nil:
		inner = app.P().Class("muted").Text("No chart: " + err.Error())
	case svg == "":
		inner = app.P().Class("muted").Text("Chart not available.")
	default:
		inner = app.Raw(svg)
	}
	if svg != "" {
		if c.svgs == nil {
			c.svgs = map[string]string{}
		}
		c.svgs[name] = svg
	}
	return app.Figure().Class("chart").Body(
		app.Div().Class("chart-svg").Attr("data-testid", testid).Attr("role", "img").Attr("aria-label", title).Body(inner),
		app.If(!c.present && svg != "", func() app.UI {
			n := html.EscapeString(name)
			return app.Raw(`<figcaption><button class="link" data-testid="download-` + n + `"` + doAttr("svg:"+name) + `>Download SVG</button>` +
				`<button class="link" data-testid="download-` + n + `-png"` + doAttr("png:"+name) + `>PNG</button></figcaption>`)
		}),
	)
}

// downloadChart downloads the chart called name as shown on the page, as
// SVG (format "svg") or PNG.
func (c *Planner) downloadChart(format, name string) {
	svg := c.svgs[name]
	if svg == "" {
		return
	}
	base := fileBase(c.doc.Plan.Name) + "-" + name
	if format == "png" {
		downloadPNG(base+".png", svg)
		return
	}
	download(base+".svg", "image/svg+xml", []byte(svg))
}

// renderPresentSliders is the slim slider strip of presentation mode.
func (c *Planner) renderPresentSliders() app.UI {
	view := c.viewOrPlan()
	return app.Section().Class("present-sliders").Attr("aria-label", "Stage rates").Body(
		app.Div().Class("pslider-row").
			OnInput(c.stageInput).OnChange(c.stageChange).On("focusin", c.stageFocus).
			Body(app.Range(view.Stages[1:]).Slice(func(i int) app.UI {
				s := view.Stages[i+1]
				return app.Div().Class(map[bool]string{true: "pslider focused", false: "pslider"}[c.focus == s.ID]).Attr("data-stage", s.ID).Body(
					app.Div().Class("pslider-label").Text(stageName(s)+"  "+pct(StageRate(view, s.ID))),
					app.Div().Class("rate").Body(c.rateControl(s.ID, stageName(s), StageRate(view, s.ID), view)...),
				)
			})),
		app.P().Class("keys").Text("←/→ or 0–9 scenario · ↑/↓ stage · +/− rate · Esc exit"),
	)
}

func fileBase(name string) string {
	id := newID(name, func(string) bool { return false })
	if id == "" || id == "x" {
		return "plan"
	}
	return id
}
