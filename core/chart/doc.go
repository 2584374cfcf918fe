// Package chart draws the results of package core as SVG. The command line
// writes these charts to files and the browser app inlines them into the
// page, so both show the same picture.
//
// Every chart function takes an io.Writer, the core result it draws and an
// Options value, and returns an error; the package keeps no state. A chart
// never computes a formula of its own: it places and labels numbers that
// the core produced (MATH.md is their specification). On an error nothing
// is written.
//
// The kinds and what they draw:
//
//	Funnel        core.Forward: stage bars, step rates, drop-offs; personas stacked or split
//	Matrix        persona x stage rates (plan) with the mix's aggregate rates (core.Forward)
//	Coverage      persona x stage content items, gaps ranked by flow (core.Coverage)
//	Scenarios     baseline and scenarios with deltas (core.Compare via ScenariosOf)
//	Tornado       sensitivity, key level starred (core.Sensitivity)
//	Journey       Markov journey state diagram (core.AnalyzeJourney via JourneyOf)
//	Forecast      purchases or revenue per period, steady state, warm-up (core.Forecast)
//	Distribution  Monte Carlo histogram, P10/P50/P90, goal (core.Simulate)
//	Fit           rates from counts with 90 % credible intervals (core.Fit)
//
// Output contract:
//
//   - Deterministic: every coordinate has two decimals, every label fixed
//     decimals, so the same input gives the same bytes.
//   - Responsive: the root element has a viewBox and a CSS max-width of
//     100 %, so the chart scales with its container and keeps its aspect.
//   - Accessible: a <title> and a <desc> (a sentence with the key numbers)
//     are the first children of the root; the root has role="img".
//   - Colour-blind safe: series take the Okabe-Ito palette in an order that
//     keeps neighbours distinct; heatmaps use a single-hue sequential scale
//     whose labels switch between dark and light text for contrast.
//   - Safe: every text a person can type (plan, stage, persona, scenario
//     names) is written as escaped XML character data, never into an
//     attribute, so a name like <script> shows as text.
//
// Numbers follow one convention (see the format functions): counts grouped
// by thousands with up to two decimals below 100, rates as percentages with
// up to three significant decimals, money with the plan currency's symbol.
//
// Themes: Screen (default), Print (black on white, thin lines, no
// background) and Presentation (large text for a room).
//
// Inline strips the XML prolog, for embedding the chart in an HTML page.
//
// The SVG is written by a small writer of the package's own (svg.go) that
// appends to one byte slice and formats numbers with integer arithmetic;
// it writes the same bytes as svgo's float package, the drawing library the
// charts used before (a test compares the two call by call). svgo formats
// every element with fmt.Fprintf and escapes text with encoding/xml, which
// in the browser (Go compiled to WebAssembly, run by V8) is slow and puts
// fmt's and encoding/xml's large functions on the path V8 compiles before
// the first chart. Measured on the funnel of a plan of 8 personas and 10
// stages (BenchmarkFunnel, go run ./tools/benchwasm): 1.1 ms in
// WebAssembly and 0.23 ms natively with svgo, 2,747 allocations; 0.18 ms
// and 0.04 ms with the writer, 81 allocations. The matrix went from 1.1
// to 0.21 ms in WebAssembly. WebAssembly still takes about 4.5 times the
// native time (the budget is 3): what remains is the Go runtime's own cost
// there (memory copies, allocation), which native code pays less of.
package chart
