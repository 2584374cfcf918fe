package app

import (
	"fmt"
	"slices"

	"github.com/funnelplan/funnelplan/core"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// renderLadder edits the value ladder (offers taken up after a parent
// offer) and shows each rung's reach and value from core.Economics.
func (c *Planner) renderLadder() app.UI {
	p := c.doc.Plan
	view := c.viewOrPlan()
	cur := p.Currency
	results := map[string]core.RungResult{}
	per := ""
	if c.econ != nil && c.econ.Ladder != nil {
		for _, r := range c.econ.Ladder.Rungs {
			results[r.ID] = r
		}
		per = fmt.Sprintf("Gross profit per entrant from the ladder: %s", money(c.econ.Ladder.PerEntrant, cur))
	}
	var rows []app.UI
	for i := range view.Ladder {
		r := view.Ladder[i]
		id := r.ID
		parents := []string{""}
		labels := []string{"(entry)"}
		for _, o := range view.Ladder {
			if o.ID != id {
				parents = append(parents, o.ID)
				labels = append(labels, rungName(o))
			}
		}
		res, ok := results[id]
		reach, value := "–", "–"
		if ok {
			reach, value = pct(res.Reach), money(res.Value, cur)
		}
		rows = append(rows, app.Tr().Body(
			app.Th().Scope("row").Body(c.textInput("Name of offer "+id, "rung-name-"+id, r.Name, func(d *Doc, v string) {
				if k := rungIndex(d.Plan, id); k >= 0 {
					d.Plan.Ladder[k].Name = v
				}
			}).Placeholder(id)),
			app.Td().Body(c.selectInput("Offered after", r.Parent, parents, labels, func(d *Doc, v string) {
				if k := rungIndex(d.Plan, id); k >= 0 {
					d.Plan.Ladder[k].Parent = v
				}
			})),
			app.Td().Body(c.numInput("Price of "+id, "rung-price-"+id, r.Price, func(d *Doc, v float64) error { return d.SetValue("ladder."+id+".price", v) }).Min(0)),
			app.Td().Body(c.numInput("Unit cost of "+id, "rung-cost-"+id, r.UnitCost, func(d *Doc, v float64) error { return d.SetValue("ladder."+id+".unit_cost", v) }).Min(0)),
			app.Td().Body(c.pctInput("Take-up of "+id, "rung-takeup-"+id, r.TakeUp, func(d *Doc, v float64) error { return d.SetValue("ladder."+id+".take_up", v) })),
			app.Td().Body(c.optPctInput("Retention of "+id+" (recurring)", r.Retention, "ladder."+id+".retention")),
			app.Td().Class("n").Text(reach),
			app.Td().Class("n").Text(value),
			app.Td().Body(app.Button().Class("icon danger").Text("✕").Attr("aria-label", "Remove offer "+rungName(r)).Disabled(c.doc.Scenario != "").
				OnClick(func(ctx app.Context, e app.Event) { c.edit("", func(d *Doc) error { d.RemoveRung(id); return nil }) })),
		))
	}
	return app.Div().Body(
		app.H3().Text("Value ladder"),
		app.If(len(rows) > 0, func() app.UI {
			return app.Div().Class("scroll").Body(app.Table().Class("matrix").Attr("data-testid", "ladder").Body(
				app.THead().Body(app.Tr().Body(
					app.Th().Scope("col").Text("Offer"), app.Th().Scope("col").Text("After"),
					app.Th().Scope("col").Text("Price"), app.Th().Scope("col").Text("Unit cost"),
					app.Th().Scope("col").Text("Take-up %"), app.Th().Scope("col").Text("Retention %"),
					app.Th().Scope("col").Text("Reach"), app.Th().Scope("col").Text("Value"),
					app.Th().Scope("col").Body(app.Span().Class("sr").Text("Remove")),
				)),
				app.TBody().Body(rows...),
			))
		}),
		app.If(per != "", func() app.UI { return app.P().Class("small").Text(per) }),
		app.Button().Class("add").Text("+ Offer").Disabled(c.doc.Scenario != "").
			OnClick(func(ctx app.Context, e app.Event) {
				c.edit("", func(d *Doc) error { d.AddRung(fmt.Sprintf("Offer %d", len(d.Plan.Ladder)+1)); return nil })
			}),
	)
}

func rungName(r core.Rung) string {
	if r.Name != "" {
		return r.Name
	}
	return r.ID
}

func rungIndex(p *core.Plan, id string) int {
	return slices.IndexFunc(p.Ladder, func(r core.Rung) bool { return r.ID == id })
}

// AddRung adds an offer of the value ladder taken by everyone who enters
// it (a starting point to edit).
func (d *Doc) AddRung(name string) string {
	p := d.Plan
	id := newID(name, func(s string) bool { return rungIndex(p, s) >= 0 })
	p.Ladder = append(slices.Clone(p.Ladder), core.Rung{ID: id, Name: name, TakeUp: 1})
	return id
}

// RemoveRung deletes an offer; offers made after it move up to its parent.
func (d *Doc) RemoveRung(id string) {
	p := d.Plan
	k := rungIndex(p, id)
	if k < 0 {
		return
	}
	parent := p.Ladder[k].Parent
	p.Ladder = slices.Delete(slices.Clone(p.Ladder), k, k+1)
	for i := range p.Ladder {
		if p.Ladder[i].Parent == id {
			p.Ladder[i].Parent = parent
		}
	}
	if len(p.Ladder) == 0 {
		p.Ladder = nil
	}
}
