package chart

import (
	"fmt"
	"math"
)

// grid is a heatmap ready to draw: labelled rows and columns of cells.
type grid struct {
	rows, cols []string
	cells      [][]cell // [row][col]
	// total marks the last row as an aggregate, set apart by a rule.
	total bool
}

// cell is one heatmap cell.
type cell struct {
	fill string // background colour
	text string // main label
	sub  string // second, smaller label (may be empty)
	tip  string // tooltip
	// mark outlines the cell in the warning colour (a gap).
	mark bool
}

// gridLayout is where a grid goes at a given chart width.
type gridLayout struct {
	labelW, colW, cellH, headH float64
	x0                         float64
	rotate                     bool
}

func (c *canvas) layoutGrid(g *grid) (gridLayout, error) {
	s := c.s
	var l gridLayout
	l.labelW = math.Min(maxWidth(g.rows, s.font, g.total), 0.28*s.width)
	l.x0 = s.pad + l.labelW + 0.6*s.font
	if len(g.cols) == 0 {
		return l, fmt.Errorf("nothing to draw: the matrix has no columns")
	}
	l.colW = (s.width - s.pad - l.x0) / float64(len(g.cols))
	if l.colW < 2.2*s.font {
		return l, fmt.Errorf("chart width %.0f px is too narrow for %d columns", s.width, len(g.cols))
	}
	l.cellH = 2.6 * s.font
	hasSub := false
	for _, r := range g.cells {
		for _, x := range r {
			hasSub = hasSub || x.sub != ""
		}
	}
	if hasSub {
		l.cellH = 3 * s.font
	}
	head := maxWidth(g.cols, s.small, false)
	l.headH = lineH(s.small) + 4
	if head > l.colW-6 {
		l.rotate = true
		head = math.Min(head, 11*s.small)
		l.headH = head*math.Sin(40*math.Pi/180) + s.small + 6
	}
	return l, nil
}

func (l gridLayout) height(g *grid) float64 {
	h := l.headH + float64(len(g.rows))*l.cellH
	if g.total {
		h += 4
	}
	return h
}

// drawGrid draws g with its top at y and returns the y below it.
func (c *canvas) drawGrid(y float64, g *grid, l gridLayout) float64 {
	s := c.s
	// Column headers.
	for k, name := range g.cols {
		cx := l.x0 + (float64(k)+0.5)*l.colW
		if l.rotate {
			t := fitText(name, 11*s.small, s.small, false)
			bx, by := cx-0.2*s.small, y+l.headH-4
			c.text(bx, by, t, c.size(s.small), `transform="rotate(-40 `+c.format(bx)+` `+c.format(by)+`)"`)
		} else {
			c.text(cx, y+l.headH-6, name, c.size(s.small), `text-anchor="middle"`)
		}
	}
	y += l.headH
	for i, row := range g.rows {
		if g.total && i == len(g.rows)-1 {
			c.Line(s.pad, y+2, s.width-s.pad, y+2, `stroke="`+s.fg+`"`, `stroke-width="1"`)
			y += 4
		}
		bold := g.total && i == len(g.rows)-1
		name := fitText(row, l.labelW, s.font, bold)
		attrs := []string{`text-anchor="end"`}
		if bold {
			attrs = append(attrs, `font-weight="bold"`)
		}
		if name != row {
			c.Group()
			c.Title(row)
			c.text(l.x0-0.6*s.font, y+l.cellH/2+0.35*s.font, name, attrs...)
			c.Gend()
		} else {
			c.text(l.x0-0.6*s.font, y+l.cellH/2+0.35*s.font, name, attrs...)
		}
		for k, x := range g.cells[i] {
			cx := l.x0 + float64(k)*l.colW
			c.Group()
			if x.tip != "" {
				c.Title(x.tip)
			}
			stroke := `stroke="#ffffff" stroke-width="2"`
			if s.theme == Print {
				stroke = `stroke="#000000" stroke-width="0.5"`
			}
			c.Rect(cx, y, l.colW, l.cellH, c.fill(x.fill), stroke)
			if x.mark {
				w := 2 * s.line
				c.Rect(cx+w/2+1, y+w/2+1, l.colW-w-2, l.cellH-w-2, `fill="none"`, `stroke="`+warnColour(s)+`"`, numAttr("stroke-width", w), `stroke-dasharray="4 2"`)
			}
			ink := onColour(x.fill)
			if x.fill == "" || x.fill == "none" {
				ink = s.fg
			}
			mx := cx + l.colW/2
			if x.sub == "" {
				c.text(mx, y+l.cellH/2+0.35*s.font, fitText(x.text, l.colW-4, s.font, false), `text-anchor="middle"`, c.fill(ink))
			} else {
				c.text(mx, y+l.cellH/2-0.12*s.font, fitText(x.text, l.colW-8, s.font, true), `text-anchor="middle"`, c.fill(ink), `font-weight="bold"`)
				c.text(mx, y+l.cellH/2+0.98*s.small, fitText(x.sub, l.colW-8, s.small, false), `text-anchor="middle"`, c.fill(ink), c.size(s.small))
			}
			c.Gend()
		}
		y += l.cellH
	}
	return y
}

// scaleLegend draws the colour scale of a heatmap: steps swatches from
// sequential(0) to sequential(1) labelled lo and hi, at y; it returns the
// y below.
func (c *canvas) scaleLegend(y float64, caption, lo, hi string) float64 {
	c.scaleLegendAt(c.s.pad, y, caption, lo, hi, 0)
	return y + lineH(c.s.small) + 4
}

// scaleLegendAt draws a colour scale from sequential(from) to
// sequential(1) starting at x and returns the x after it.
func (c *canvas) scaleLegendAt(x, y float64, caption, lo, hi string, from float64) float64 {
	s := c.s
	const steps = 10
	sw := 1.6 * s.small
	c.text(x, y+s.small, caption, c.size(s.small), c.fill(s.muted))
	x += textWidth(caption, s.small, false) + 0.6*s.small
	c.text(x, y+s.small, lo, c.size(s.small))
	x += textWidth(lo, s.small, false) + 0.4*s.small
	for i := 0; i < steps; i++ {
		c.Rect(x+float64(i)*sw, y+0.1*s.small, sw, 1.1*s.small, c.fill(sequential(from+(1-from)*float64(i)/(steps-1))))
	}
	x += steps*sw + 0.4*s.small
	c.text(x, y+s.small, hi, c.size(s.small))
	return x + textWidth(hi, s.small, false)
}
