package e2e

import (
	"encoding/json"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// canonJS defines canon(node): a node as text with its attributes sorted,
// so that two trees compare equal when they have the same nodes,
// attributes and texts whatever the order the attributes were set in.
const canonJS = `const canon = (n) => {
  if (n.nodeType === 3) return JSON.stringify(n.nodeValue);
  if (n.nodeType !== 1) return "#" + n.nodeType + JSON.stringify(n.nodeValue);
  const as = [...n.attributes].map(a => (a.namespaceURI || "") + ":" + a.localName + "=" + JSON.stringify(a.value)).sort();
  return "<" + (n.namespaceURI || "") + ":" + n.localName + " " + as.join(" ") + ">" + [...n.childNodes].map(canon).join("") + "</>";
};`

// morphCase is one call of the page's funnelplanMorph on a node parsed
// from from, with to as the new HTML.
type morphCase struct {
	name, from, to string
	ok             bool // whether the node is changed in place
}

// TestMorphMatchesFreshHTML: funnelplanMorph, which the browser build uses
// to draw a block of raw HTML again, leaves the node equal to the new HTML
// parsed afresh (attributes, texts, children added, removed and of another
// kind, SVG, tables), keeps the node and the children it can keep, and
// declines (the block is then replaced) when the root differs.
func TestMorphMatchesFreshHTML(t *testing.T) {
	ctx := browser(t, "")
	open(t, ctx, base+"/")
	cases := []morphCase{
		{"attribute and text", `<div class="a" title="t">x</div>`, `<div class="b" title="t">y</div>`, true},
		{"attributes added and removed", `<div a="1" b="2"><span>1</span><span>2</span></div>`, `<div b="3" c="4"><span>1</span></div>`, true},
		{"children added", `<div><span>1</span></div>`, `<div><span>1</span><em>2</em><b>3</b></div>`, true},
		{"children of another kind", `<div><span>1</span><em>2</em></div>`, `<div><em>2</em><span>1</span></div>`, true},
		{"another data-testid", `<div><p data-testid="a">1</p><p id="x">2</p></div>`, `<div><p data-testid="b">1</p><p id="y">2</p></div>`, true},
		{"svg", `<svg viewBox="0 0 10 10" xmlns="http://www.w3.org/2000/svg"><rect width="1" height="2"/><text x="1">a</text></svg>`,
			`<svg viewBox="0 0 20 10" xmlns="http://www.w3.org/2000/svg"><rect width="3" height="2"/><rect width="4"/><text x="2" font-weight="bold">b</text></svg>`, true},
		{"table", `<table><tbody><tr><td>1</td></tr></tbody></table>`, `<table><tbody><tr><td>2</td><td>3</td></tr><tr><td>4</td></tr></tbody></table>`, true},
		{"whitespace and comments", "<div>\n <b>1</b> <!--x--></div>", "<div><b>1</b>\n<!--y--> tail</div>", true},
		{"another root", `<div>1</div>`, `<span>1</span>`, false},
		{"another root id", `<div id="a">1</div>`, `<div id="b">1</div>`, false},
		{"two roots", `<div>1</div>`, `<div>1</div><div>2</div>`, false},
		{"empty", `<div>1</div>`, ``, false},
	}
	type result struct {
		OK       bool   `json:"ok"`
		Kept     bool   `json:"kept"`
		KeptKids int    `json:"keptKids"`
		Got      string `json:"got"`
		Want     string `json:"want"`
		From     string `json:"from"`
	}
	for _, c := range cases {
		in, _ := json.Marshal([]string{c.from, c.to})
		js := `(() => {` + canonJS + `
  const [from, to] = ` + string(in) + `;
  const host = document.createElement("div");
  host.innerHTML = from;
  document.body.append(host);
  const node = host.firstChild;
  for (const k of node.childNodes) k.__kept = true;
  const ok = window.funnelplanMorph(node, to);
  const want = document.createElement("template");
  want.innerHTML = to;
  const fresh = document.createElement("template");
  fresh.innerHTML = from;
  const r = {ok, kept: host.firstChild === node && host.childNodes.length === 1,
    keptKids: [...node.childNodes].filter(k => k.__kept).length,
    got: canon(node), want: want.content.firstChild ? canon(want.content.firstChild) : "", from: canon(fresh.content.firstChild)};
  host.remove();
  return r;
})()`
		r := eval[result](t, ctx, js)
		if r.OK != c.ok {
			t.Errorf("%s: funnelplanMorph = %v, want %v", c.name, r.OK, c.ok)
			continue
		}
		if !r.Kept {
			t.Errorf("%s: the node was replaced or moved", c.name)
		}
		if c.ok && r.Got != r.Want {
			t.Errorf("%s: morphed to\n%s\nwant (the new HTML parsed)\n%s", c.name, r.Got, r.Want)
		}
		if !c.ok && r.Got != r.From {
			t.Errorf("%s: declined but changed the node to\n%s\nwant it as it was\n%s", c.name, r.Got, r.From)
		}
	}

	// Children of the same kind are kept (the browser lays out only what
	// changed); form controls follow a changed attribute and keep what
	// the user typed where the attribute did not change.
	got := eval[map[string]any](t, ctx, `(() => {
  const host = document.createElement("div");
  host.innerHTML = '<div><b>1</b><input value="1"><input value="2"><input type="checkbox"><select><option value="a" selected>a</option><option value="b">b</option></select></div>';
  document.body.append(host);
  const node = host.firstChild;
  const b = node.querySelector("b"), [i1, i2, cb] = node.querySelectorAll("input"), sel = node.querySelector("select");
  i1.value = "typed"; i2.value = "typed";
  window.funnelplanMorph(node, '<div><b>2</b><input value="1"><input value="7"><input type="checkbox" checked><select><option value="a">a</option><option value="b" selected>b</option></select></div>');
  const r = {b: node.querySelector("b") === b, text: b.textContent, i1: i1.value, i2: i2.value, cb: cb.checked, sel: sel.value,
    same: node.querySelectorAll("input")[1] === i2};
  host.remove();
  return r;
})()`)
	want := map[string]any{"b": true, "text": "2", "i1": "typed", "i2": "7", "cb": true, "sel": "b", "same": true}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("form controls: %s = %v, want %v (all: %v)", k, got[k], v, got)
		}
	}
}

// TestRawBlocksDrawnInPlace: a slider move changes the funnel chart, the
// funnel table and the key figures in place (the same nodes stay on the
// page), and what it leaves is what a fresh page shows for the same plan.
func TestRawBlocksDrawnInPlace(t *testing.T) {
	ctx := browser(t, t.TempDir())
	open(t, ctx, base+"/")
	blocks := `['[data-testid="funnel-chart"] svg', '[data-testid="funnel-table"]', '.results .fig-list']`
	if n := eval[int](t, ctx, `(() => { let n = 0; for (const s of `+blocks+`) { const e = document.querySelector(s); if (e) { e.__kept = true; n++ } } return n })()`); n != 3 {
		t.Fatalf("found %d of the 3 blocks", n)
	}
	before := value(t, ctx, "revenue")
	slider := `[data-testid="rate-lead"]`
	if err := chromedp.Do(ctx, chromedp.Focus(slider), chromedp.KeyEvent(kb.ArrowRight), chromedp.KeyEvent(kb.ArrowRight), chromedp.KeyEvent(kb.ArrowRight),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('`+slider+`').dispatchEvent(new Event('change', {bubbles: true}))`)); err != nil {
		t.Fatal(err)
	}
	waitChange(t, ctx, "revenue", before)
	drawn := `(() => {` + canonJS + ` return ` + blocks + `.map(s => { const e = document.querySelector(s); return e ? canon(e) : "" }) })()`
	var moved []string
	var err error
	// The last key's move may still be on its way: read until two reads agree.
	for prev := ""; ; {
		moved = eval[[]string](t, ctx, drawn)
		if s := moved[0] + moved[1] + moved[2]; s == prev {
			break
		} else {
			prev = s
		}
	}
	kept := eval[[]bool](t, ctx, `(() => `+blocks+`.map(s => !!(document.querySelector(s) || {}).__kept))()`)
	for i, k := range kept {
		if !k {
			t.Errorf("block %d was replaced, not changed in place", i)
		}
	}
	// A fresh page of the same (autosaved) plan draws the same blocks.
	if err = chromedp.Do(ctx, chromedp.Navigate("about:blank"), chromedp.Navigate(base+"/"), chromedp.WaitVisible(ready)); err != nil {
		t.Fatal(err)
	}
	fresh := eval[[]string](t, ctx, drawn)
	for i := range fresh {
		if moved[i] != fresh[i] {
			t.Errorf("block %d after the move differs from a fresh page:\n%s\nfresh:\n%s", i, moved[i], fresh[i])
		}
	}
}
