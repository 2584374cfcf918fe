package app

import (
	"strconv"

	"github.com/funnelplan/funnelplan/core"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// economicsFigures are the money key figures (core.Economics): CPL, CAC,
// ROAS, ROI, LTV and payback. Undefined metrics show a dash and carry no
// data-value.
func (c *Planner) economicsFigures(p *core.Plan) []string {
	e := c.econ
	if e == nil {
		return nil
	}
	cur := p.Currency
	m := func(x *float64) string {
		if x == nil {
			return "–"
		}
		return money(*x, cur)
	}
	r := func(x *float64) string {
		if x == nil {
			return "–"
		}
		return ratio(*x)
	}
	pc := func(x *float64) string {
		if x == nil {
			return "–"
		}
		return pct(*x)
	}
	figs := []string{
		figure("cpl", "CPL", m(e.CPL), e.CPL, "Cost per lead: spend / leads"),
		figure("cac", "CAC", m(e.CAC), e.CAC, "Customer acquisition cost: spend / customers"+loadedNote(e, cur)),
		figure("roas", "ROAS", r(e.ROAS), e.ROAS, "Return on ad spend: revenue / spend"+breakEven(e)),
		figure("roi", "ROI", pc(e.ROI), e.ROI, "(gross profit − spend − other costs) / (spend + other costs)"),
	}
	if l := e.LTV; l != nil {
		payback, help := "–", "Periods until a customer's discounted gross profit repays CAC"
		var pv *float64
		switch {
		case l.Payback != nil:
			payback = strconv.Itoa(*l.Payback) + " " + periodName(p.Period) + plural(*l.Payback)
			pv = core.F(float64(*l.Payback))
		case l.PaybackNever:
			payback, help = "never", "A customer's discounted gross profit never repays CAC"
		}
		ratioTxt := ""
		if l.LTVToCAC != nil {
			ratioTxt = "; LTV:CAC = " + ratio(*l.LTVToCAC)
		}
		figs = append(figs,
			figure("ltv", "LTV", money(l.LTV, cur), &l.LTV, "Customer lifetime value (gross profit, discounted)"+ratioTxt),
			figure("payback", "Payback", payback, pv, help),
		)
	}
	return figs
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func loadedNote(e *core.EconomicsResult, cur string) string {
	if e.CACLoaded == nil || e.CAC == nil || *e.CACLoaded == *e.CAC {
		return ""
	}
	return "; with other costs " + money(*e.CACLoaded, cur)
}

func breakEven(e *core.EconomicsResult) string {
	if e.BreakEvenROAS == nil {
		return ""
	}
	return "; break-even " + ratio(*e.BreakEvenROAS)
}

// renderChannelRanking lists channels by cost per sale (core.RankChannels
// via Economics).
func (c *Planner) renderChannelRanking() app.UI {
	e := c.econ
	if e == nil || len(e.Channels) == 0 {
		return nil
	}
	cur := c.doc.Plan.Currency
	opt := func(x *float64, f func(float64) string) string {
		if x == nil {
			return "–"
		}
		return f(*x)
	}
	mon := func(x float64) string { return money(x, cur) }
	return app.Table().Class("data").Attr("data-testid", "channel-ranking").Body(
		app.Caption().Text("Channels by cost per sale"),
		app.THead().Body(app.Tr().Body(
			app.Th().Scope("col").Text("Rank"), app.Th().Scope("col").Text("Channel"),
			app.Th().Scope("col").Class("n").Text("Budget"), app.Th().Scope("col").Class("n").Text("Leads"),
			app.Th().Scope("col").Class("n").Text("CPL"), app.Th().Scope("col").Class("n").Text("Cost per sale"),
			app.Th().Scope("col").Class("n").Text("ROAS"),
		)),
		app.TBody().Body(app.Range(e.Channels).Slice(func(i int) app.UI {
			ch := e.Channels[i]
			rank := "–"
			if ch.Rank > 0 {
				rank = strconv.Itoa(ch.Rank)
			}
			return app.Tr().Body(
				app.Td().Text(rank), app.Th().Scope("row").Text(ch.Name),
				app.Td().Class("n").Text(money(ch.Budget, cur)),
				app.Td().Class("n").Text(opt(ch.Leads, count)),
				app.Td().Class("n").Text(opt(ch.CPL, mon)),
				app.Td().Class("n").Text(opt(ch.CostPerSale, mon)),
				app.Td().Class("n").Text(opt(ch.ROAS, ratio)),
			)
		})),
	)
}
