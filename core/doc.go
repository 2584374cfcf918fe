// Package core is the funnel and customer-journey maths of funnelplan: the
// plan model, its validation and every formula of the specification
// (docs/MATH.md), shared by the command line and the browser app.
//
// Conventions: rates are fractions in [0, 1]; volumes are persons (or
// impressions, clicks) per plan period; money is in major units of the
// plan's currency. Expected counts stay real (7.8 customers is legal);
// rounding is for display only. Undefined metrics are nil, never 0 or NaN.
//
// The package does no I/O beyond decoding bytes and readers, keeps no
// package state and never panics on user input: every problem comes back as
// an error that names the JSON path of the offending field.
package core
