package chart

import (
	"bytes"
	"fmt"
	"io"
	"strings"
)

// Theme is the look of a chart: where it is shown decides text size,
// width and line weights.
type Theme int

const (
	// Screen is for a page on a monitor (the default).
	Screen Theme = iota
	// Print is black text on no background with thin lines, for paper.
	Print
	// Presentation has large text and thick marks, readable in a room.
	Presentation
)

// Themes lists the theme names ParseTheme accepts.
func Themes() []string { return []string{"screen", "print", "presentation"} }

// ParseTheme returns the theme with the given name (see Themes); the empty
// name is Screen.
func ParseTheme(name string) (Theme, error) {
	switch name {
	case "", "screen":
		return Screen, nil
	case "print":
		return Print, nil
	case "presentation":
		return Presentation, nil
	}
	return Screen, fmt.Errorf("%q is not a theme (want %s)", name, strings.Join(Themes(), ", "))
}

// String returns the theme's name.
func (t Theme) String() string {
	switch t {
	case Print:
		return "print"
	case Presentation:
		return "presentation"
	}
	return "screen"
}

// Layout is how a funnel shows its personas.
type Layout int

const (
	// Auto stacks the personas when there are two or more, else draws
	// totals.
	Auto Layout = iota
	// Total draws one bar per stage.
	Total
	// Stacked splits each stage's bar into one segment per persona.
	Stacked
	// Split draws one bar per persona under each stage.
	Split
)

// Layouts lists the layout names ParseLayout accepts.
func Layouts() []string { return []string{"auto", "total", "stacked", "split"} }

// ParseLayout returns the layout with the given name (see Layouts); the
// empty name is Auto.
func ParseLayout(name string) (Layout, error) {
	switch name {
	case "", "auto":
		return Auto, nil
	case "total":
		return Total, nil
	case "stacked":
		return Stacked, nil
	case "split":
		return Split, nil
	}
	return Auto, fmt.Errorf("%q is not a layout (want %s)", name, strings.Join(Layouts(), ", "))
}

// Options are the settings every chart takes. The zero value is a usable
// screen chart without a currency symbol.
type Options struct {
	Theme Theme
	// Title replaces the chart's default title (escaped like every text).
	Title string
	// Currency is the ISO 4217 code of money labels ("EUR", "USD"); empty
	// prints plain numbers.
	Currency string
	// Period is the plan period unit ("month", ...), used in labels such
	// as "per month"; empty means month.
	Period string
	// Width is the width of the viewBox in CSS pixels (0: the theme's,
	// 800 for Screen and Print, 1280 for Presentation). Height follows
	// from the content.
	Width float64
	// Layout is how the funnel shows personas.
	Layout Layout
	// Metric picks what charts of one outcome show: "revenue" (the
	// default) or "customers" for the distribution, "purchases" or
	// "revenue" for the forecast.
	Metric string
	// ID prefixes the ids of patterns and markers inside the chart, so
	// several charts can share one page. Only letters, digits, '-' and
	// '_' are kept; empty means "fp".
	ID string
}

// style is the resolved look of one chart.
type style struct {
	theme                 Theme
	width                 float64
	font, small, big      float64 // text sizes in px
	pad                   float64 // outer margin
	bg, fg, muted, grid   string
	line                  float64 // stroke width of marks
	family                string
	currency, period, ids string
}

func newStyle(o Options) style {
	s := style{
		theme:  o.Theme,
		width:  800,
		font:   13,
		small:  11.5,
		big:    18,
		pad:    16,
		bg:     "#ffffff",
		fg:     "#1b1b1b",
		muted:  "#555555",
		grid:   "#d9d9d9",
		line:   1.5,
		family: "Arial, 'Liberation Sans', Helvetica, sans-serif",
	}
	switch o.Theme {
	case Print:
		s.bg, s.fg, s.muted, s.grid = "", "#000000", "#333333", "#bbbbbb"
		s.font, s.small, s.big, s.line = 12, 10.5, 16, 1
	case Presentation:
		s.width = 1280
		s.font, s.small, s.big, s.pad, s.line = 24, 20, 34, 28, 3
		s.fg, s.muted = "#000000", "#333333"
	}
	if o.Width > 0 {
		s.width = o.Width
	}
	s.currency, s.period = o.Currency, o.Period
	if s.period == "" {
		s.period = "month"
	}
	s.ids = sanitizeID(o.ID)
	return s
}

func sanitizeID(id string) string {
	var b strings.Builder
	for _, r := range id {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 || !(b.String()[0] >= 'a' && b.String()[0] <= 'z' || b.String()[0] >= 'A' && b.String()[0] <= 'Z') {
		return "fp" + b.String()
	}
	return b.String()
}

// lineH is the height of a line of text of size px.
func lineH(px float64) float64 { return px * 1.35 }

// canvas is one chart being drawn: the SVG written so far and the
// resolved style.
type canvas struct {
	svgWriter
	s style
}

// newCanvas starts a chart that finish writes to w.
func newCanvas(w io.Writer, o Options) *canvas {
	c := &canvas{s: newStyle(o)}
	// Charts of big plans are 20 to 30 kB: room for them from the start
	// spares copying the SVG as it grows. The browser app and the
	// benchmarks draw into a bytes.Buffer: the chart is then written in
	// the buffer's free space and finish's Write only takes it in, with no
	// second buffer to allocate and copy (a reused buffer allocates
	// nothing). Until finish the buffer's contents do not change, so a
	// chart that fails still writes nothing.
	if bb, ok := w.(*bytes.Buffer); ok {
		bb.Grow(32 << 10)
		c.b = bb.AvailableBuffer()
	} else {
		c.b = make([]byte, 0, 32<<10)
	}
	c.Decimals = 2
	return c
}

// begin writes the root element for a chart of height h, its title and
// description, and the background.
func (c *canvas) begin(h float64, title, desc string) {
	s := c.s
	wd, ht := c.format(s.width), c.format(h)
	c.Startraw(
		`width="`+wd+`" height="`+ht+`" viewBox="0 0 `+wd+` `+ht+`"`,
		`role="img"`,
		`font-family="`+s.family+`" `+c.size(s.font)+` fill="`+s.fg+`"`,
		`style="max-width:100%;height:auto"`,
	)
	c.Title(title)
	c.Desc(desc)
	if s.bg != "" {
		c.Rect(0, 0, s.width, h, `fill="`+s.bg+`"`)
	}
}

// finish closes the chart and writes it to w in one piece.
func (c *canvas) finish(w io.Writer) error {
	c.End()
	_, err := w.Write(c.b)
	return err
}

// text writes t (escaped) at x, y with the given attributes.
func (c *canvas) text(x, y float64, t string, attrs ...string) {
	c.Text(x, y, t, attrs...)
}

// header draws the chart title and a subtitle line and returns the y below
// them.
func (c *canvas) header(title, subtitle string) float64 {
	s := c.s
	y := s.pad + s.big
	c.text(s.pad, y, fitText(title, s.width-2*s.pad, s.big, true), c.size(s.big), `font-weight="bold"`)
	if subtitle != "" {
		y += lineH(s.font) + 2
		c.text(s.pad, y, fitText(subtitle, s.width-2*s.pad, s.font, false), c.fill(s.muted))
	}
	return y + lineH(s.font)
}

func (c *canvas) size(px float64) string { return `font-size="` + c.format(px) + `"` }

// format returns v as the canvas writes coordinates (Decimals decimals).
func (c *canvas) format(v float64) string {
	var buf [32]byte
	return string(appendFloat(buf[:0], v, c.Decimals))
}

func (c *canvas) fill(col string) string { return `fill="` + col + `"` }

// halo outlines text in the background colour so it stays readable where
// it crosses a line.
func (c *canvas) halo() string {
	bg := c.s.bg
	if bg == "" {
		bg = "#ffffff"
	}
	return `stroke="` + bg + `" ` + numAttr("stroke-width", 0.25*c.s.font) + ` stroke-linejoin="round" paint-order="stroke"`
}

// legend draws colour swatches with labels, wrapping lines at the chart
// width, starting at y (top of the first line); it returns the y below.
func (c *canvas) legend(y float64, labels []string, colours []string) float64 {
	s := c.s
	sw := s.small
	x := s.pad
	lh := lineH(s.small) + 4
	maxLabel := s.width - 2*s.pad - sw - 6
	for i, l := range labels {
		l = fitText(l, maxLabel, s.small, false)
		w := sw + 6 + textWidth(l, s.small, false) + 2*s.small
		if x > s.pad && x+w > s.width-s.pad {
			x = s.pad
			y += lh
		}
		c.Rect(x, y, sw, sw, c.fill(colours[i]), `stroke="#000000" stroke-opacity="0.35" stroke-width="0.5"`)
		c.text(x+sw+6, y+sw*0.85, l, c.size(s.small))
		x += w
	}
	return y + lh + 4
}

// Inline returns the chart without the XML prolog and comment the charts
// write before the <svg> element (as svgo does), ready to embed in an HTML
// page (the first node is the <svg> element). Input without an <svg>
// element comes back as is.
func Inline(chart []byte) string {
	if i := bytes.Index(chart, []byte("<svg")); i > 0 {
		chart = chart[i:]
	}
	return string(bytes.TrimRight(chart, "\n"))
}
