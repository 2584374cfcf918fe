package app

import (
	"fmt"
	"html"
	"math"
	"sort"
	"strconv"

	"github.com/funnelplan/funnelplan/core"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// section is a foldable editor panel; a folded panel renders no fields.
// Its heading is HTML text: the page runs its fold button (onClick).
func (c *Planner) section(key, title, summary string, body func() []app.UI) app.UI {
	open := c.open[key]
	chev := "▸"
	if open {
		chev = "▾"
	}
	h := `<h2><button class="fold" aria-expanded="` + strconv.FormatBool(open) + `" aria-controls="sec-` + html.EscapeString(key) +
		`" data-testid="fold-` + html.EscapeString(key) + `"` + doAttr("fold:"+key) + `><span class="chev" aria-hidden="true">` + chev + `</span>` +
		html.EscapeString(title)
	if summary != "" && !open {
		h += `<span class="summary">` + html.EscapeString(summary) + `</span>`
	}
	return app.Section().Class("panel").Attr("data-section", key).Body(
		app.Raw(h+`</button></h2>`),
		app.If(open, func() app.UI { return app.Div().ID("sec-" + key).Class("panel-body").Body(body()...) }),
	)
}

// numInput is a number input committed on change (Enter, Tab, leaving the
// field, or the spinner); typing does not recompute half-typed numbers.
func (c *Planner) numInput(label, testid string, value float64, set func(d *Doc, v float64) error) app.HTMLInput {
	return app.Input().Type("number").Class("num").Value(numValue(value)).
		Attr("aria-label", label).Attr("data-testid", testid).Attr("step", "any").
		OnChange(func(ctx app.Context, e app.Event) {
			v, ok := parseNum(ctx.JSSrc().Get("value").String())
			if !ok {
				c.editErr = label + ": want a number"
				return
			}
			c.edit("", func(d *Doc) error { return set(d, v) })
		})
}

// pctInput is a percent input for a fraction in 0..1.
func (c *Planner) pctInput(label, testid string, value float64, set func(d *Doc, v float64) error) app.HTMLInput {
	return app.Input().Type("number").Class("num pct").Value(pctValue(value)).
		Min(0).Max(100).Step(0.1).
		Attr("aria-label", label+" in percent").Attr("data-testid", testid).
		OnChange(func(ctx app.Context, e app.Event) {
			v, ok := parseNum(ctx.JSSrc().Get("value").String())
			if !ok || v < 0 || v > 100 {
				c.editErr = label + ": want a percentage from 0 to 100"
				return
			}
			c.edit("", func(d *Doc) error { return set(d, v/100) })
		})
}

// textInput is a text input updated as the user types.
func (c *Planner) textInput(label, testid, value string, set func(d *Doc, v string)) app.HTMLInput {
	return app.Input().Type("text").Value(value).Attr("aria-label", label).Attr("data-testid", testid).
		OnInput(func(ctx app.Context, e app.Event) {
			v := ctx.JSSrc().Get("value").String()
			c.edit("text:"+testid, func(d *Doc) error { set(d, v); return nil })
		}).OnChange(c.endEdit)
}

func field(label string, input app.UI) app.UI {
	return app.Label().Class("field").Body(app.Raw("<span>"+html.EscapeString(label)+"</span>"), input)
}

func (c *Planner) renderEditor() []app.UI {
	p := c.doc.Plan
	view := c.viewOrPlan()
	return []app.UI{
		c.section("plan", "Plan", "", func() []app.UI {
			return []app.UI{app.Div().Class("grid2").Body(
				field("Top volume per "+periodName(p.Period), c.numInput("Top volume", "top", view.Top, func(d *Doc, v float64) error {
					if v < 0 {
						return fmt.Errorf("top: %s is negative (want a volume >= 0)", numValue(v))
					}
					return d.SetValue("top", v)
				}).Min(0)),
				field("Currency", c.textInput("Currency", "currency", p.Currency, func(d *Doc, v string) { d.Plan.Currency = v }).MaxLength(8)),
				field("Period", app.Raw(periodSelect(p.Period))),
			)}
		}),
		c.section("stages", "Stages and rates", strconv.Itoa(len(p.Stages))+" stages", c.renderStages),
		c.section("personas", "Personas × stages", personaSummary(p), c.renderPersonas),
		c.section("economics", "Economics", "", c.renderEconomics),
		c.section("channels", "Channels", strconv.Itoa(len(p.Channels))+" channels", c.renderChannels),
		c.section("coverage", "Content coverage", "", c.renderCoverage),
		c.section("journey", "Journey transitions", journeySummary(p), c.renderJourney),
		app.If(c.doc.Scenario != "", func() app.UI {
			return c.section("scenario", "Scenario changes", "", c.renderScenarioEditor)
		}),
	}
}

var periods = []string{"day", "week", "month", "quarter", "year"}

// periodSelect is the plan period menu as HTML text (the page's onChange
// sets the period).
func periodSelect(period string) string {
	if period == "" {
		period = "month"
	}
	s := `<select aria-label="Plan period" data-testid="period" data-change="period">`
	for _, v := range periods {
		s += `<option value="` + v + `"`
		if v == period {
			s += ` selected`
		}
		s += `>` + v + `</option>`
	}
	return s + `</select>`
}

func periodName(p string) string {
	if p == "" {
		return "month"
	}
	return p
}

func personaSummary(p *core.Plan) string {
	if len(p.Personas) == 0 {
		return "one audience"
	}
	return strconv.Itoa(len(p.Personas)) + " personas"
}

func journeySummary(p *core.Plan) string {
	if p.Journey == nil {
		return "none"
	}
	return strconv.Itoa(len(p.Journey.Transitions)) + " states"
}

// viewOrPlan is the plan on screen, or the baseline when the scenario on
// screen cannot be applied.
func (c *Planner) viewOrPlan() *core.Plan {
	if c.viewErr == nil && c.view != nil {
		return c.view
	}
	return c.doc.Plan
}

// renderStages is the stage list: name, rate slider and percent, order.
// The list handles the events of its rows (stageInput, stageChange,
// stageFocus, stageToolClick): ten stages mount no handler of their own,
// and what a row only shows (its count, buttons, unit) is HTML text.
func (c *Planner) renderStages() []app.UI {
	p := c.doc.Plan
	view := c.viewOrPlan()
	rows := make([]app.UI, 0, len(p.Stages)+1)
	for i := range p.Stages {
		s := p.Stages[i]
		id := s.ID
		cnt := ""
		if c.fwd != nil && i < len(c.fwd.Stages) && c.fwd.Stages[i].ID == id {
			cnt = count(c.fwd.Stages[i].Count)
		}
		// Below its head, a stage's row lays out its rate control (the
		// row is the control's grid: no element of its own).
		cls := "stage rate"
		var rate []app.UI
		if i == 0 {
			cls = "stage"
			rate = []app.UI{app.Raw(`<p class="muted">The top: its volume is the plan's top volume.</p>`)}
		} else {
			rate = c.rateControl(id, stageName(s), StageRate(view, id), view)
		}
		rows = append(rows, app.Li().Class(cls).Attr("data-stage", id).Body(
			app.Div().Class("stage-head").Body(
				app.Input().Type("text").Class("stage-name").Value(s.Name).Placeholder(id).
					Attr("aria-label", "Name of stage "+id).Attr("data-testid", "stage-name-"+id),
				app.Raw(stageSide(s, cnt, i, len(p.Stages), c.open["stage:"+id])),
			),
			rate[0],
			app.If(len(rate) > 1, func() app.UI { return rate[1] }),
			c.stageDetails(view, id),
		))
	}
	return []app.UI{
		app.Ol().Class("stages").
			OnClick(c.stageToolClick).OnInput(c.stageInput).OnChange(c.stageChange).On("focusin", c.stageFocus).
			Body(rows...),
		app.Raw(`<button class="add" data-testid="add-stage"` + doAttr("add-stage") + `>+ Stage</button>`),
	}
}

// addStage adds a stage before the last one.
func (c *Planner) addStage() {
	c.edit("", func(d *Doc) error {
		d.AddStage(len(d.Plan.Stages)-1, "Stage "+strconv.Itoa(len(d.Plan.Stages)+1))
		return nil
	})
}

// stageSide is the right of a stage's head as HTML: its count of persons
// (blank without results) and its buttons (stageTools), in a box that
// lays them out as if they were the head's own children.
func stageSide(s core.Stage, cnt string, i, n int, open bool) string {
	return `<span class="stage-side"><span class="count">` + html.EscapeString(cnt) + `</span>` +
		stageTools(s, i, n, open) + `</span>`
}

// stageTools are a stage's buttons (details, move up and down, remove),
// written as HTML: the list handles their clicks (stageToolClick), so the
// first render mounts no element, text and handler for each of them.
func stageTools(s core.Stage, i, n int, open bool) string {
	name := stageName(s)
	button := func(action, cls, text, title, label, testid string, disabled bool, extra string) string {
		b := `<button class="` + cls + `" data-action="` + action + `" data-stage="` + html.EscapeString(s.ID) +
			`" title="` + html.EscapeString(title) + `" aria-label="` + html.EscapeString(label) + `"`
		if testid != "" {
			b += ` data-testid="` + html.EscapeString(testid) + `"`
		}
		if disabled {
			b += " disabled"
		}
		return b + extra + ">" + text + "</button>"
	}
	return `<div class="stage-tools">` +
		button("details", "icon", "⋯", "Benchmark, capacity and unit cost", "Details of "+name, "stage-details-"+s.ID, false,
			` aria-expanded="`+strconv.FormatBool(open)+`"`) +
		button("up", "icon", "↑", "Move up", "Move "+name+" up", "", i == 0, "") +
		button("down", "icon", "↓", "Move down", "Move "+name+" down", "", i == n-1, "") +
		button("remove", "icon danger", "✕", "Remove stage", "Remove "+name, "remove-stage-"+s.ID, n <= 2, "") +
		"</div>"
}

// stageToolClick runs the stage button clicked in the stage list; any
// other click in the list changes nothing and draws nothing.
func (c *Planner) stageToolClick(ctx app.Context, e app.Event) {
	b := e.Get("target")
	if !b.Truthy() || b.Get("closest").IsUndefined() {
		ctx.PreventUpdate()
		return
	}
	b = b.Call("closest", "button[data-action]")
	if !b.Truthy() || b.Get("disabled").Bool() {
		ctx.PreventUpdate()
		return
	}
	c.stageTool(b.Get("dataset").Get("action").String(), b.Get("dataset").Get("stage").String())
}

// stageTool runs one stage button: "details", "up", "down" or "remove".
func (c *Planner) stageTool(action, id string) {
	switch action {
	case "details":
		c.open["stage:"+id] = !c.open["stage:"+id]
	case "up", "down":
		step := -1
		if action == "down" {
			step = 1
		}
		c.edit("", func(d *Doc) error { d.MoveStage(id, step); return nil })
	case "remove":
		c.edit("", func(d *Doc) error { return d.RemoveStage(id) })
	}
}

// Fields of a stage row, as stageField names them.
const (
	fieldName = "name" // the stage name (text)
	fieldRate = "rate" // the rate slider
	fieldPct  = "pct"  // the rate typed in percent
)

// stageField names the stage row field an event of the stage list (or of
// the presentation sliders) comes from: the stage id (the data-stage of
// the row) and one of the field names; kind is "" for any other element
// (a stage's details, its buttons).
func stageField(e app.Event) (id, kind string, target app.Value) {
	t := e.Get("target")
	if !t.Truthy() || t.Get("closest").IsUndefined() {
		return "", "", t
	}
	row := t.Call("closest", "[data-stage]")
	if !row.Truthy() {
		return "", "", t
	}
	id = row.Get("dataset").Get("stage").String()
	switch t.Get("dataset").Get("testid").String() {
	case "stage-name-" + id:
		kind = fieldName
	case "rate-" + id:
		kind = fieldRate
	case "rate-" + id + "-pct":
		kind = fieldPct
	}
	return id, kind, t
}

// stageInput runs typing in a stage name and the moves of a rate slider.
func (c *Planner) stageInput(ctx app.Context, e app.Event) {
	id, kind, t := stageField(e)
	switch kind {
	case fieldName:
		v := t.Get("value").String()
		c.edit("stage-name:"+id, func(d *Doc) error { d.RenameStage(id, v); return nil })
	case fieldRate:
		v, ok := parseNum(t.Get("value").String())
		if !ok {
			ctx.PreventUpdate()
			return
		}
		c.edit("rate:"+id, func(d *Doc) error { return d.SetStageRate(id, v/100) })
	default:
		ctx.PreventUpdate()
	}
}

// stageChange ends a name edit or a slider drag, and commits a rate typed
// in percent.
func (c *Planner) stageChange(ctx app.Context, e app.Event) {
	id, kind, t := stageField(e)
	switch kind {
	case fieldName, fieldRate:
		c.endEdit(ctx, e)
	case fieldPct:
		v, ok := parseNum(t.Get("value").String())
		if !ok || v < 0 || v > 100 {
			name := id
			if i := c.doc.Plan.StageIndex(id); i >= 0 {
				name = stageName(c.doc.Plan.Stages[i])
			}
			c.editErr = "Rate of " + name + ": want a percentage from 0 to 100"
			return
		}
		c.edit("", func(d *Doc) error { return d.SetStageRate(id, v/100) })
		keepFocus(ctx, t, "data-testid", "rate-"+id+"-pct") // the input is HTML text, replaced when its block cannot be changed in place
	default:
		ctx.PreventUpdate()
	}
}

// stageFocus makes a focused rate slider the one the keyboard steps in
// presentation mode.
func (c *Planner) stageFocus(ctx app.Context, e app.Event) {
	id, kind, _ := stageField(e)
	if kind != fieldRate || id == c.focus {
		ctx.PreventUpdate()
		return
	}
	c.focus = id
}

func stageName(s core.Stage) string {
	if s.Name != "" {
		return s.Name
	}
	return s.ID
}

// rateControl is a stage's rate as a slider and a percent input; both move
// the rate for all personas (Doc.SetStageRate). The element that holds
// them (with class "rate", the grid that lays them out) handles their
// events (stageInput, stageChange, stageFocus) or is inside one that does,
// and carries the stage's data-stage or is inside one that does. Only the
// slider is an element of go-app: the percent input, the unit and the mix
// are HTML text, redrawn when the rate changes (which a drag of the
// slider must not be).
func (c *Planner) rateControl(id, name string, rate float64, view *core.Plan) []app.UI {
	agg := ""
	if c.fwd != nil && len(view.Personas) > 0 {
		if i := view.StageIndex(id); i > 0 && i < len(c.fwd.Stages) && c.fwd.Stages[i].Rate != nil {
			agg = "mix " + pct(*c.fwd.Stages[i].Rate)
		}
	}
	side := `<span class="rate-side"><input type="number" class="num pct" min="0" max="100" step="0.1" value="` + pctValue(rate) +
		`" data-testid="rate-` + html.EscapeString(id) + `-pct" aria-label="Rate of ` + html.EscapeString(name) + ` in percent, typed">` +
		`<span class="unit">%</span>`
	if agg != "" {
		side += `<span class="muted small" title="The rate after the persona mix">` + html.EscapeString(agg) + `</span>`
	}
	return []app.UI{
		app.Input().Type("range").Class("slider").Min(0).Max(100).Step(0.1).
			Value(pctValue(rate)).
			Attr("data-testid", "rate-"+id).
			Attr("aria-label", "Rate of "+name+" in percent (all personas)").
			Attr("aria-valuetext", pct(rate)).
			Class(map[bool]string{true: "focused"}[c.present && c.focus == id]),
		app.Raw(side + `</span>`),
	}
}

// renderPersonas is the persona x stage matrix: share, order value and a
// rate per stage (blank follows the stage rate).
func (c *Planner) renderPersonas() []app.UI {
	p := c.doc.Plan
	view := c.viewOrPlan()
	cur := p.Currency
	head := []app.UI{app.Th().Scope("col").Text("Persona"), app.Th().Scope("col").Text("Share %"), app.Th().Scope("col").Text("Order value " + cur)}
	for _, s := range p.Stages[1:] {
		head = append(head, app.Th().Scope("col").Text(stageName(s)+" %"))
	}
	head = append(head, app.Th().Scope("col").Text("Customers"), app.Th().Scope("col").Body(app.Span().Class("sr").Text("Remove")))
	var rows []app.UI
	for j := range view.Personas {
		x := view.Personas[j]
		pid := x.ID
		cells := []app.UI{
			app.Th().Scope("row").Body(
				app.Input().Type("text").Class("persona-name").Value(x.Name).Placeholder(pid).
					Attr("aria-label", "Name of persona "+pid).
					OnInput(func(ctx app.Context, e app.Event) {
						v := ctx.JSSrc().Get("value").String()
						c.edit("persona-name:"+pid, func(d *Doc) error { d.RenamePersona(pid, v); return nil })
					}).OnChange(c.endEdit),
			),
			app.Td().Body(c.pctInput("Share of "+personaName(x), "share-"+pid, x.Share, func(d *Doc, v float64) error { return d.SetShare(pid, v) })),
			app.Td().Body(c.orderValueInput(x, view)),
		}
		for _, s := range view.Stages[1:] {
			sid := s.ID
			o, own := x.Rates.Get(sid)
			val := ""
			if own {
				val = pctValue(o)
			}
			label := fmt.Sprintf("Rate of %s at %s in percent (blank: the stage rate)", personaName(x), stageName(s))
			cells = append(cells, app.Td().Class(map[bool]string{true: "own", false: "inherit"}[own]).Body(
				app.Input().Type("number").Class("num pct cell").Min(0).Max(100).Step(0.1).
					Value(val).Placeholder(pctValue(StageRate(view, sid))).
					Attr("aria-label", label).Attr("data-testid", "prate-"+pid+"-"+sid).
					OnChange(func(ctx app.Context, e app.Event) {
						s := ctx.JSSrc().Get("value").String()
						if s == "" {
							if c.doc.Scenario != "" {
								c.editErr = "A scenario cannot remove an override; set a value or edit the baseline"
								return
							}
							c.edit("", func(d *Doc) error { d.ClearOverride(pid, sid); return nil })
							return
						}
						v, ok := parseNum(s)
						if !ok || v < 0 || v > 100 {
							c.editErr = label + ": want 0 to 100"
							return
						}
						c.edit("", func(d *Doc) error { return d.SetValue("personas."+pid+".rates."+sid, v/100) })
					}),
			))
		}
		cust := "–"
		if c.fwd != nil && j < len(c.fwd.Personas) && c.fwd.Personas[j].ID == pid {
			cust = count(c.fwd.Personas[j].Customers)
		}
		cells = append(cells, app.Td().Class("count").Text(cust),
			app.Td().Body(app.Button().Class("icon danger").Text("✕").Attr("aria-label", "Remove persona "+personaName(x)).
				Disabled(c.doc.Scenario != "").
				OnClick(func(ctx app.Context, e app.Event) {
					c.edit("", func(d *Doc) error { d.RemovePersona(pid); return nil })
				})))
		rows = append(rows, app.Tr().Body(cells...))
	}
	return []app.UI{
		app.If(len(view.Personas) == 0, func() app.UI {
			return app.P().Class("muted").Text("One audience: every visitor follows the stage rates. Add personas to give segments their own share, order value and rates.")
		}),
		app.If(len(view.Personas) > 0, func() app.UI {
			return app.Div().Class("scroll").Body(app.Table().Class("matrix").Attr("data-testid", "persona-matrix").Body(
				app.Caption().Class("sr").Text("Personas by stage: share of the top, order value and stage rates"),
				app.THead().Body(app.Tr().Body(head...)),
				app.TBody().Body(rows...),
			))
		}),
		app.P().Class("muted small").Text("Shares rebalance to 100 %. A blank rate follows the stage rate (shown faded)."),
		app.If(len(view.Personas) > 0, func() app.UI { return c.matrixChart() }),
		app.Button().Class("add").Attr("data-testid", "add-persona").Text("+ Persona").Disabled(c.doc.Scenario != "").
			OnClick(func(ctx app.Context, e app.Event) {
				c.edit("", func(d *Doc) error { d.AddPersona(fmt.Sprintf("Persona %d", len(d.Plan.Personas)+1)); return nil })
			}),
	}
}

func personaName(x core.Persona) string {
	if x.Name != "" {
		return x.Name
	}
	return x.ID
}

func (c *Planner) orderValueInput(x core.Persona, view *core.Plan) app.UI {
	pid := x.ID
	val := ""
	if x.OrderValue != nil {
		val = numValue(*x.OrderValue)
	}
	return app.Input().Type("number").Class("num money").Min(0).Value(val).Placeholder(numValue(view.OrderValue)).
		Attr("aria-label", "Order value of "+personaName(x)+" (blank: the plan's)").
		OnChange(func(ctx app.Context, e app.Event) {
			s := ctx.JSSrc().Get("value").String()
			if s == "" && c.doc.Scenario == "" {
				c.edit("", func(d *Doc) error {
					if j := d.Plan.PersonaIndex(pid); j >= 0 {
						d.Plan.Personas[j].OrderValue = nil
					}
					return nil
				})
				return
			}
			v, ok := parseNum(s)
			if !ok || v < 0 {
				c.editErr = "Order value: want an amount >= 0"
				return
			}
			c.edit("", func(d *Doc) error { return d.SetValue("personas."+pid+".order_value", v) })
		})
}

// renderEconomics edits order value, margin, spend, other costs and
// retention.
func (c *Planner) renderEconomics() []app.UI {
	view := c.viewOrPlan()
	cur := c.doc.Plan.Currency
	opt := func(x *float64) float64 {
		if x == nil {
			return 0
		}
		return *x
	}
	ret := view.Retention
	out := []app.UI{app.Div().Class("grid2").Body(
		field("Order value "+cur, c.numInput("Order value", "order-value", view.OrderValue, func(d *Doc, v float64) error { return d.SetValue("order_value", v) }).Min(0)),
		field("Gross margin %", c.pctInput("Gross margin", "margin", opt(view.Margin), func(d *Doc, v float64) error { return d.SetValue("margin", v) })),
		field("Media spend per "+periodName(view.Period)+" "+cur, c.numInput("Media spend", "spend", opt(view.Spend), func(d *Doc, v float64) error { return d.SetValue("spend", v) }).Min(0)),
		field("Other costs per "+periodName(view.Period)+" "+cur, c.numInput("Other costs", "other-costs", opt(view.OtherCosts), func(d *Doc, v float64) error { return d.SetValue("other_costs", v) }).Min(0)),
	)}
	if ret == nil {
		out = append(out, app.Button().Class("add").Text("+ Repeat purchases (retention)").Disabled(c.doc.Scenario != "").
			OnClick(func(ctx app.Context, e app.Event) {
				c.edit("", func(d *Doc) error { d.Plan.Retention = &core.Retention{Rate: 0.7, Discount: 0.1}; return nil })
			}))
	} else {
		out = append(out, app.H3().Text("Repeat purchases"), app.Div().Class("grid2").Body(
			field("Retention per period %", c.pctInput("Retention per period", "retention-rate", ret.Rate, func(d *Doc, v float64) error { return d.SetValue("retention.rate", v) })),
			field("Discount rate per period %", c.pctInput("Discount rate", "retention-discount", ret.Discount, func(d *Doc, v float64) error { return d.SetValue("retention.discount", v) })),
			field("Orders per active customer per period", c.numInput("Orders per period", "retention-orders", ordersPerPeriod(ret), func(d *Doc, v float64) error { return d.SetValue("retention.orders_per_period", v) }).Min(0)),
			field("Horizon in periods (0: none)", app.Input().Type("number").Class("num").Min(0).Step(1).Value(strconv.Itoa(ret.Horizon)).
				Attr("aria-label", "Retention horizon in periods").
				OnChange(func(ctx app.Context, e app.Event) {
					v, err := strconv.Atoi(ctx.JSSrc().Get("value").String())
					if err != nil || v < 0 {
						c.editErr = "Horizon: want whole periods >= 0"
						return
					}
					c.edit("", func(d *Doc) error { d.Plan.Retention.Horizon = v; return nil })
				})),
		), app.Button().Class("link danger").Text("Remove repeat purchases").Disabled(c.doc.Scenario != "").
			OnClick(func(ctx app.Context, e app.Event) {
				c.edit("", func(d *Doc) error { d.Plan.Retention = nil; return nil })
			}))
	}
	return append(out, c.renderLadder())
}

func ordersPerPeriod(r *core.Retention) float64 {
	if r.OrdersPerPeriod == nil {
		return 1
	}
	return *r.OrdersPerPeriod
}

// renderChannels edits the channels: budget, pricing, entry stage and
// response curve.
func (c *Planner) renderChannels() []app.UI {
	p := c.doc.Plan
	view := c.viewOrPlan()
	var rows []app.UI
	for i := range view.Channels {
		ch := view.Channels[i]
		id := ch.ID
		price := 0.0
		if ch.Price != nil {
			price = *ch.Price
		}
		curve := "linear"
		if ch.Response != nil && ch.Response.Curve != "" {
			curve = ch.Response.Curve
		}
		rows = append(rows, app.Tr().Body(
			app.Th().Scope("row").Body(c.textInput("Channel name", "channel-name-"+id, ch.Name, func(d *Doc, v string) {
				if x := d.Channel(id); x != nil {
					x.Name = v
				}
			}).Placeholder(id)),
			app.Td().Body(c.numInput("Budget of "+id, "channel-budget-"+id, ch.Budget, func(d *Doc, v float64) error { return d.SetValue("channels."+id+".budget", v) }).Min(0)),
			app.Td().Body(c.selectInput("Pricing of "+id, ch.Pricing, []string{"", "cpm", "cpc", "cpl", "cpa"}, []string{"flat", "CPM", "CPC", "CPL", "CPA"}, func(d *Doc, v string) {
				if x := d.Channel(id); x != nil {
					x.Pricing = v
					if v != "" && x.Price == nil {
						x.Price = core.F(1)
					}
				}
			})),
			app.Td().Body(c.numInput("Price of "+id, "channel-price-"+id, price, func(d *Doc, v float64) error { return d.SetValue("channels."+id+".price", v) }).Min(0).Disabled(ch.Pricing == "")),
			app.Td().Body(c.numInput("Volume bought by "+id+" (flat budget)", "channel-volume-"+id, derefOr(ch.Volume, 0), func(d *Doc, v float64) error { return d.SetValue("channels."+id+".volume", v) }).Min(0).Disabled(ch.Pricing != "")),
			app.Td().Body(c.optPctInput("Lead rate of "+id, ch.LeadRate, "channels."+id+".lead_rate")),
			app.Td().Body(c.optPctInput("Lead quality of "+id, ch.LeadQuality, "channels."+id+".lead_quality")),
			app.Td().Body(c.selectInput("Entry stage of "+id, ch.Stage, stageIDs(p, true), stageLabels(p), func(d *Doc, v string) {
				if x := d.Channel(id); x != nil {
					x.Stage = v
				}
			})),
			app.Td().Body(c.selectInput("Response curve of "+id, curve, []string{"linear", "power", "exp", "hill"}, []string{"linear", "power", "saturating", "hill"}, func(d *Doc, v string) {
				if x := d.Channel(id); x != nil {
					switch v {
					case "linear":
						x.Response = nil
					case "power":
						x.Response = &core.Response{Curve: v, B: core.F(0.7)}
					default:
						x.Response = &core.Response{Curve: v, Max: core.F(2), Scale: core.F(1)}
					}
				}
			})),
			app.Td().Body(app.Button().Class("icon danger").Text("✕").Attr("aria-label", "Remove channel "+id).Disabled(c.doc.Scenario != "").
				OnClick(func(ctx app.Context, e app.Event) { c.edit("", func(d *Doc) error { d.RemoveChannel(id); return nil }) })),
		))
	}
	return []app.UI{
		app.If(len(view.Channels) > 0, func() app.UI {
			return app.Div().Class("scroll").Body(app.Table().Class("matrix").Body(
				app.THead().Body(app.Tr().Body(
					app.Th().Scope("col").Text("Channel"), app.Th().Scope("col").Text("Budget "+p.Currency),
					app.Th().Scope("col").Text("Pricing"), app.Th().Scope("col").Text("Price"),
					app.Th().Scope("col").Text("Volume"), app.Th().Scope("col").Title("Touch to lead, blank: the funnel's").Text("Lead rate %"),
					app.Th().Scope("col").Title("Lead to sale, blank: the funnel's").Text("Lead quality %"),
					app.Th().Scope("col").Text("Enters at"), app.Th().Scope("col").Text("Response"),
					app.Th().Scope("col").Body(app.Span().Class("sr").Text("Remove")),
				)),
				app.TBody().Body(rows...),
			))
		}).Else(func() app.UI {
			return app.P().Class("muted").Text("No channels: the plan's media spend buys the top volume.")
		}),
		c.renderChannelRanking(),
		app.Button().Class("add").Text("+ Channel").Disabled(c.doc.Scenario != "").
			OnClick(func(ctx app.Context, e app.Event) {
				c.edit("", func(d *Doc) error { d.AddChannel(fmt.Sprintf("Channel %d", len(d.Plan.Channels)+1)); return nil })
			}),
	}
}

func (c *Planner) selectInput(label, value string, values, labels []string, set func(d *Doc, v string)) app.UI {
	return app.Select().Attr("aria-label", label).Disabled(c.doc.Scenario != "").
		OnChange(func(ctx app.Context, e app.Event) {
			v := ctx.JSSrc().Get("value").String()
			c.edit("", func(d *Doc) error { set(d, v); return nil })
		}).Body(app.Range(values).Slice(func(i int) app.UI {
		return app.Option().Value(values[i]).Selected(values[i] == value).Text(labels[i])
	}))
}

func stageIDs(p *core.Plan, blank bool) []string {
	var out []string
	if blank {
		out = append(out, "")
	}
	for _, s := range p.Stages {
		out = append(out, s.ID)
	}
	return out
}

func stageLabels(p *core.Plan) []string {
	out := []string{"top (" + stageName(p.Stages[0]) + ")"}
	for _, s := range p.Stages {
		out = append(out, stageName(s))
	}
	return out
}

// renderCoverage is the persona x stage content matrix; gaps (0 items) are
// highlighted, the more people pass through the cell the stronger.
func (c *Planner) renderCoverage() []app.UI {
	p := c.doc.Plan
	type row struct{ id, name string }
	var rs []row
	if len(p.Personas) == 0 {
		rs = []row{{core.AllPersonas, "Everyone"}}
	} else {
		for _, x := range p.Personas {
			rs = append(rs, row{x.ID, personaName(x)})
		}
	}
	head := []app.UI{app.Th().Scope("col").Text("Persona")}
	for _, s := range p.Stages {
		head = append(head, app.Th().Scope("col").Text(stageName(s)))
	}
	gapFlow := c.coverageGaps()
	var body []app.UI
	for _, r := range rs {
		pid := r.id
		cells := []app.UI{app.Th().Scope("row").Text(r.name)}
		for _, s := range p.Stages {
			sid := s.ID
			n := p.Coverage[pid][sid]
			gap := n == 0
			title := ""
			if g, ok := gapFlow[pid+"/"+sid]; ok && gap {
				title = g
			}
			cells = append(cells, app.Td().Class(map[bool]string{true: "gap", false: "covered"}[gap]).Title(title).Body(
				app.Input().Type("number").Class("num cell").Min(0).Step(1).Value(numValue(n)).
					Attr("aria-label", fmt.Sprintf("Content items for %s at %s", r.name, stageName(s))).
					Attr("data-testid", "coverage-"+pid+"-"+sid).
					OnChange(func(ctx app.Context, e app.Event) {
						v, ok := parseNum(ctx.JSSrc().Get("value").String())
						if !ok || v < 0 {
							c.editErr = "Content items: want a count >= 0"
							return
						}
						c.edit("", func(d *Doc) error { d.SetCoverage(pid, sid, v); return nil })
					}),
			))
		}
		body = append(body, app.Tr().Body(cells...))
	}
	return []app.UI{
		app.Div().Class("scroll").Body(app.Table().Class("matrix coverage").Attr("data-testid", "coverage-matrix").Body(
			app.Caption().Class("sr").Text("Content items per persona and stage; cells with none are gaps"),
			app.THead().Body(app.Tr().Body(head...)),
			app.TBody().Body(body...),
		)),
		c.renderGapList(),
		c.renderCoverageGaps(),
	}
}

// renderJourney is the journey transition matrix editor: rows are from
// states, columns to states; a row that does not sum to 1 is marked with
// its sum and a button that puts the remainder on "lost".
func (c *Planner) renderJourney() []app.UI {
	p := c.doc.Plan
	if p.Journey == nil {
		return []app.UI{
			app.P().Class("muted").Text("No journey model. A journey lets people move back and forth between states (stay, return, leave) and gives purchase probabilities and times."),
			app.Button().Class("add").Text("+ Journey from the stages").Disabled(c.doc.Scenario != "").
				OnClick(func(ctx app.Context, e app.Event) {
					c.edit("", func(d *Doc) error { d.Plan.Journey = journeyFromStages(d.Plan); return nil })
				}),
		}
	}
	states := JourneyStates(p)
	cols := append(append([]string{}, states...), core.StatePurchase, core.StateLost)
	head := []app.UI{app.Th().Scope("col").Text("From \\ to")}
	for _, s := range cols {
		head = append(head, app.Th().Scope("col").Text(s))
	}
	head = append(head, app.Th().Scope("col").Text("Sum"), app.Th().Scope("col").Body(app.Span().Class("sr").Text("Actions")))
	var body []app.UI
	for _, from := range states {
		from := from
		row := p.Journey.Transitions[from]
		sum := 0.0
		cells := []app.UI{app.Th().Scope("row").Text(from)}
		for _, to := range cols {
			to := to
			v := row[to]
			sum += v
			cells = append(cells, app.Td().Body(
				app.Input().Type("number").Class("num pct cell").Min(0).Max(100).Step(0.1).Value(pctValue(v)).
					Attr("aria-label", fmt.Sprintf("Percent moving from %s to %s per step", from, to)).
					Attr("data-testid", "trans-"+from+"-"+to).
					OnChange(func(ctx app.Context, e app.Event) {
						x, ok := parseNum(ctx.JSSrc().Get("value").String())
						if !ok || x < 0 || x > 100 {
							c.editErr = "Transition: want a percentage from 0 to 100"
							return
						}
						c.edit("", func(d *Doc) error { d.SetTransition(from, to, x/100); return nil })
					}),
			))
		}
		bad := !rowSumsToOne(sum)
		cells = append(cells,
			app.Td().Class(map[bool]string{true: "bad-sum", false: "ok-sum"}[bad]).Attr("data-testid", "rowsum-"+from).
				Title(map[bool]string{true: "This row must sum to 100 %", false: ""}[bad]).Text(pct(sum)),
			app.Td().Body(
				app.If(bad, func() app.UI {
					return app.Button().Class("link").Text("Rest → lost").Title("Put what is missing (or over) on lost").
						OnClick(func(ctx app.Context, e app.Event) { c.edit("", func(d *Doc) error { d.BalanceRow(from); return nil }) })
				}),
				app.Button().Class("icon danger").Text("✕").Attr("aria-label", "Remove journey state "+from).
					OnClick(func(ctx app.Context, e app.Event) {
						c.edit("", func(d *Doc) error { d.RemoveJourneyState(from); return nil })
					}),
			))
		body = append(body, app.Tr().Class(map[bool]string{true: "bad-row"}[bad]).Body(cells...))
	}
	return []app.UI{
		app.Div().Class("grid2").Body(
			field("Days per step", c.numInput("Days per step", "step-days", stepDays(p.Journey), func(d *Doc, v float64) error {
				if v <= 0 {
					return fmt.Errorf("days per step: want a number > 0")
				}
				d.Plan.Journey.StepDays = v
				return nil
			}).Min(0)),
		),
		app.Div().Class("scroll").Body(app.Table().Class("matrix journey").Attr("data-testid", "journey-matrix").Body(
			app.Caption().Class("sr").Text("Journey transitions: percent of people moving from each state (rows) to each state (columns) per step"),
			app.THead().Body(app.Tr().Body(head...)),
			app.TBody().Body(body...),
		)),
		app.Div().Class("row").Body(
			app.Button().Class("add").Text("+ State").OnClick(func(ctx app.Context, e app.Event) {
				c.edit("", func(d *Doc) error {
					d.AddJourneyState(fmt.Sprintf("state %d", len(d.Plan.Journey.Transitions)+1))
					return nil
				})
			}),
			app.Button().Class("link danger").Text("Remove the journey").OnClick(func(ctx app.Context, e app.Event) {
				c.edit("", func(d *Doc) error { d.Plan.Journey = nil; return nil })
			}),
		),
	}
}

// rowTolerance is how far a journey row may sum from 1 (as core checks).
const rowTolerance = 1e-9

func rowSumsToOne(sum float64) bool { return sum > 1-rowTolerance && sum < 1+rowTolerance }

func stepDays(j *core.Journey) float64 {
	if j.StepDays == 0 {
		return 7
	}
	return j.StepDays
}

// journeyFromStages starts a journey with the funnel's own shape: from each
// stage people move on at the stage rate, the rest are lost; the last
// stage's movers purchase.
func journeyFromStages(p *core.Plan) *core.Journey {
	j := &core.Journey{StepDays: 7, Transitions: map[string]map[string]float64{}}
	n := len(p.Stages)
	for i := 0; i < n-1; i++ {
		next := p.Stages[i+1].ID
		r := StageRate(p, next)
		if i == n-2 {
			next = core.StatePurchase
		}
		row := map[string]float64{next: r}
		if r < 1 {
			row[core.StateLost] = 1 - r
		}
		j.Transitions[p.Stages[i].ID] = row
	}
	return j
}

// renderScenarioEditor edits the scenario on screen: its name and the list
// of changes in the order they apply.
func (c *Planner) renderScenarioEditor() []app.UI {
	s := c.doc.ScenarioRef(c.doc.Scenario)
	if s == nil {
		return nil
	}
	sid := s.ID
	var rows []app.UI
	for k := range s.Changes {
		k := k
		ch := s.Changes[k]
		rows = append(rows, app.Tr().Body(
			app.Td().Body(app.Input().Type("text").Value(ch.Target).Attr("aria-label", "Target of change "+strconv.Itoa(k+1)).
				Attr("list", "targets").
				OnChange(func(ctx app.Context, e app.Event) {
					v := ctx.JSSrc().Get("value").String()
					c.edit("", func(d *Doc) error { d.ScenarioRef(sid).Changes[k].Target = v; return nil })
				})),
			app.Td().Body(c.selectPlain("Operation of change "+strconv.Itoa(k+1), ch.Op, []string{"set", "add", "mul"}, []string{"set to", "add", "multiply by"}, func(d *Doc, v string) {
				d.ScenarioRef(sid).Changes[k].Op = v
			})),
			app.Td().Body(app.Input().Type("number").Class("num").Attr("step", "any").Value(numValue(ch.Value)).
				Attr("aria-label", "Value of change "+strconv.Itoa(k+1)).
				OnChange(func(ctx app.Context, e app.Event) {
					v, ok := parseNum(ctx.JSSrc().Get("value").String())
					if !ok {
						c.editErr = "Change value: want a number"
						return
					}
					c.edit("", func(d *Doc) error { d.ScenarioRef(sid).Changes[k].Value = v; return nil })
				})),
			app.Td().Body(app.Button().Class("icon danger").Text("✕").Attr("aria-label", "Remove change "+strconv.Itoa(k+1)).
				OnClick(func(ctx app.Context, e app.Event) {
					c.edit("", func(d *Doc) error {
						x := d.ScenarioRef(sid)
						x.Changes = append(append([]core.Change{}, x.Changes[:k]...), x.Changes[k+1:]...)
						return nil
					})
				})),
		))
	}
	targets := c.targetList()
	return []app.UI{
		field("Scenario name", c.textInput("Scenario name", "scenario-name", s.Name, func(d *Doc, v string) { d.ScenarioRef(sid).Name = v })),
		app.If(s.Base != "", func() app.UI {
			return app.P().Class("muted small").Text("Builds on scenario " + s.Base + ": its changes apply first.")
		}),
		app.Table().Class("matrix changes").Attr("data-testid", "scenario-changes").Body(
			app.Caption().Class("sr").Text("Changes of the scenario, applied in order"),
			app.THead().Body(app.Tr().Body(app.Th().Scope("col").Text("Target"), app.Th().Scope("col").Text("Operation"), app.Th().Scope("col").Text("Value"), app.Th().Scope("col").Body(app.Span().Class("sr").Text("Remove")))),
			app.TBody().Body(rows...),
		),
		app.DataList().ID("targets").Body(app.Range(targets).Slice(func(i int) app.UI { return app.Option().Value(targets[i]) })),
		app.Div().Class("row").Body(
			app.Button().Class("add").Text("+ Change").OnClick(func(ctx app.Context, e app.Event) {
				c.edit("", func(d *Doc) error {
					x := d.ScenarioRef(sid)
					x.Changes = append(append([]core.Change{}, x.Changes...), core.Change{Target: "top", Op: "mul", Value: 1})
					return nil
				})
			}),
			app.Label().Class("check").Body(
				app.Input().Type("checkbox").Checked(s.Clamp).OnChange(func(ctx app.Context, e app.Event) {
					v := ctx.JSSrc().Get("checked").Bool()
					c.edit("", func(d *Doc) error { d.ScenarioRef(sid).Clamp = v; return nil })
				}),
				app.Text(" clamp rates to 0..100 %"),
			),
			app.Button().Class("link danger").Attr("data-testid", "remove-scenario").Text("Delete this scenario").
				OnClick(func(ctx app.Context, e app.Event) {
					c.edit("", func(d *Doc) error { d.RemoveScenario(sid); return nil })
				}),
		),
	}
}

func (c *Planner) selectPlain(label, value string, values, labels []string, set func(d *Doc, v string)) app.UI {
	return app.Select().Attr("aria-label", label).
		OnChange(func(ctx app.Context, e app.Event) {
			v := ctx.JSSrc().Get("value").String()
			c.edit("", func(d *Doc) error { set(d, v); return nil })
		}).Body(app.Range(values).Slice(func(i int) app.UI {
		return app.Option().Value(values[i]).Selected(values[i] == value).Text(labels[i])
	}))
}

// targetList lists the targets a scenario change can name in this plan.
func (c *Planner) targetList() []string {
	p := c.doc.Plan
	out := []string{"top", "order_value", "margin", "spend", "other_costs"}
	for _, s := range p.Stages[1:] {
		out = append(out, "stages."+s.ID+".rate")
	}
	for _, x := range p.Personas {
		out = append(out, "personas."+x.ID+".share", "personas."+x.ID+".order_value")
		for _, s := range p.Stages[1:] {
			out = append(out, "personas."+x.ID+".rates."+s.ID)
		}
	}
	for _, ch := range p.Channels {
		out = append(out, "channels."+ch.ID+".budget")
	}
	if p.Retention != nil {
		out = append(out, "retention.rate", "retention.discount")
	}
	sort.Strings(out[5:])
	return out
}

// stageDetails edits a stage's benchmark rate, capacity and unit cost (the
// inputs of the bottleneck rules and the key level), when unfolded.
func (c *Planner) stageDetails(view *core.Plan, id string) app.UI {
	if !c.open["stage:"+id] {
		return nil
	}
	i := view.StageIndex(id)
	if i < 0 {
		return nil
	}
	s := view.Stages[i]
	name := stageName(s)
	fields := []app.UI{}
	if i > 0 {
		fields = append(fields, field("Benchmark rate %", c.optPctInput("Benchmark rate of "+name, s.Benchmark, "stages."+id+".benchmark")))
	}
	fields = append(fields,
		field("Capacity per "+periodName(view.Period), c.optNumInput("Capacity of "+name, s.Capacity, "stages."+id+".capacity")),
		field("Cost to add one person "+c.doc.Plan.Currency, c.optNumInput("Unit cost of "+name, s.UnitCost, "stages."+id+".unit_cost")),
	)
	return app.Div().Class("grid2 details").Body(fields...)
}

// optPctInput edits an optional rate target in percent; blank removes it
// (baseline only: a scenario can only set values).
func (c *Planner) optPctInput(label string, x *float64, target string) app.UI {
	val := ""
	if x != nil {
		val = pctValue(*x)
	}
	return app.Input().Type("number").Class("num pct").Min(0).Max(100).Step(0.1).Value(val).Placeholder("–").
		Attr("aria-label", label+" in percent (blank: none)").
		OnChange(c.optValueChange(label, target, "a percentage from 0 to 100", 100, 100))
}

// optNumInput edits an optional non-negative number; blank removes it.
func (c *Planner) optNumInput(label string, x *float64, target string) app.UI {
	val := ""
	if x != nil {
		val = numValue(*x)
	}
	return app.Input().Type("number").Class("num").Min(0).Attr("step", "any").Value(val).Placeholder("–").
		Attr("aria-label", label+" (blank: none)").
		OnChange(c.optValueChange(label, target, "a number >= 0", math.Inf(1), 1))
}

// optValueChange is the change handler of an optional value field: blank
// removes the target, a number from 0 to max is stored divided by div,
// anything else is explained as "label: want <want>".
func (c *Planner) optValueChange(label, target, want string, max, div float64) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		s := ctx.JSSrc().Get("value").String()
		if s == "" {
			c.clearTarget(target)
			return
		}
		v, ok := parseNum(s)
		if !ok || v < 0 || v > max {
			c.editErr = label + ": want " + want
			return
		}
		c.edit("", func(d *Doc) error { return d.SetValue(target, v/div) })
	}
}

// clearTarget removes an optional value from the baseline.
func (c *Planner) clearTarget(target string) {
	if c.doc.Scenario != "" {
		c.editErr = "A scenario cannot remove a value; set one or edit the baseline"
		return
	}
	c.edit("", func(d *Doc) error { return d.ClearOptional(target) })
}
