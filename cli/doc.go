// Funnelplan computes funnel and customer-journey plans: forward and
// reverse funnels, economics, scenarios, sensitivity, Markov journeys,
// cohort forecasts, Monte Carlo ranges and rates fitted from real counts.
//
// Usage:
//
//	funnelplan <command> [flags] [file]
//
// Commands (each one's manual: funnelplan help COMMAND):
//
//	run          forward funnel and economics of a plan
//	compare      baseline and every scenario side by side
//	reverse      goal -> required volumes, budget and uplift
//	sensitivity  tornado, key level, bottlenecks
//	journey      Markov journey: purchase odds, time to buy
//	forecast     time-phased forecast per period
//	simulate     Monte Carlo ranges
//	fit          rates and comparisons from observed counts (CSV)
//	events       observed funnel from an event log (CSV)
//	chart        SVG charts
//	sweep        grid of what-ifs, one row per point
//	batch        JSON Lines of plans in, JSON Lines of results out
//	validate     every problem of a plan with its JSON path
//	example      bundled example plans
//	serve        the offline web app
//
// Plans are JSON files in the format of docs/plan-format.md. A file of "-"
// or no file reads standard input (a terminal on standard input is a usage
// error rather than a silent wait).
//
// # Output
//
// Commands that print results take --format table|csv|json|md and
// -o FILE:
//
//   - table: aligned text (text/tabwriter), numbers right-aligned and
//     grouped (10,000), rates in percent, undefined values n/a.
//   - csv: one record per row (encoding/csv), for programs and
//     spreadsheets: numbers plain (10000.50), rates as fractions as in
//     the plan file (0.05), undefined values empty. A report of several
//     tables writes each after an empty line under a "# title" line. A
//     cell that a spreadsheet would run as a formula (starting with =, +,
//     -, @, a tab or a carriage return, and not a plain number) is
//     prefixed with an apostrophe.
//   - json: the command's result with stable field names (DESIGN.md),
//     undefined numbers as null.
//   - md: Markdown tables for reports.
//
// The default is table wherever the output goes, a terminal, a pipe or a
// file: what a script reads is what a person saw, and scripts ask for csv
// or json by name. Without --format, -o FILE picks the format from the
// file's extension (.csv, .json, .md); any other extension keeps table.
// -o writes a temporary file beside FILE and renames it, so FILE is never
// half written and a failed run leaves it as it was.
//
// Long runs (simulate, batch, sweep, events) draw a progress bar on
// standard error when it is a terminal, and nothing otherwise; the bar is
// plain when NO_COLOR is set or TERM is dumb.
//
// # Batch
//
// funnelplan batch reads JSON Lines: each line a plan, or
// {"id": ..., "command": "reverse", "options": {"revenue": 500000},
// "plan": {...}}. It writes one line per input line, in order:
// {"line": N, "id": ..., "result": {...}} with the command's JSON, or
// {"line": N, "id": ..., "error": "..."} (with "problems", every problem
// of an invalid plan with its JSON path). Lines are computed on every
// core with a bounded window in flight, so memory stays flat on any
// number of lines.
//
// # Exit status
//
// 0 on success; 1 on invalid input or a failed computation (the message
// names the file and the JSON path, or FILE:LINE:COLUMN for CSV); 2 on a
// usage error (unknown command or flag, bad flag value). Every message on
// standard error starts with "funnelplan: ".
package main
