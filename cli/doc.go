// Funnelplan computes funnel and customer-journey plans: forward and
// reverse funnels, economics, scenarios, sensitivity, Markov journeys,
// cohort forecasts, Monte Carlo ranges and rates fitted from real counts.
//
// Usage:
//
//	funnelplan <command> [flags] [file]
//
// A file of "-" or no file reads standard input. Plans are JSON files in the
// format of docs/plan-format.md. Commands that print results take
// --format table|csv|json|md (table by default) and -o FILE, which writes
// the file atomically.
//
// Exit status: 0 on success, 1 on invalid input or a failed computation
// (the message names the file and the JSON path or line), 2 on a usage
// error.
//
// Run "funnelplan help COMMAND" for the flags of one command.
package main
