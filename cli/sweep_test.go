package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math"
	"slices"
	"testing"

	"github.com/funnelplan/funnelplan/core"
)

func TestParseVary(t *testing.T) {
	tests := []struct {
		in     string
		target string
		values []float64
		bad    bool
	}{
		{"top=1000:3000:1000", "top", []float64{1000, 2000, 3000}, false},
		{"stages.lead.rate=0.1:0.3:0.1", "stages.lead.rate", []float64{0.1, 0.2, 0.3}, false}, // 0.1+2*0.1 is 0.30000000000000004 unrounded
		{"x=0:1:0.3", "x", []float64{0, 0.3, 0.6, 0.9}, false},                                // TO not on the grid: stops below it
		{"x=3:1:-1", "x", []float64{3, 2, 1}, false},
		{"x=5:5:1", "x", []float64{5}, false},
		{"x=1,2.5, 4", "x", []float64{1, 2.5, 4}, false},
		{"x=1e3:3e3:1e3", "x", []float64{1000, 2000, 3000}, false},
		{"x=1:2:0", "", nil, true},
		{"x=1:2:-1", "", nil, true},
		{"x=1:2", "", nil, true},
		{"x=a:2:1", "", nil, true},
		{"x=", "", nil, true},
		{"=1:2:1", "", nil, true},
		{"top", "", nil, true},
		{"x=1,NaN", "", nil, true},
		{"x=0:1e9:1", "", nil, true}, // too many points
	}
	for _, tt := range tests {
		a, err := parseVary(tt.in)
		if tt.bad {
			if err == nil {
				t.Errorf("parseVary(%q) = %v, want an error", tt.in, a)
			}
			continue
		}
		if err != nil || a.Target != tt.target || !slices.Equal(a.Values, tt.values) {
			t.Errorf("parseVary(%q) = %v, %v; want %s %v", tt.in, a, err, tt.target, tt.values)
		}
	}
}

// TestSweepMatchesRun checks each point against run on the plan with the
// values set by hand, and the grid order (first --vary slowest).
func TestSweepMatchesRun(t *testing.T) {
	var out bytes.Buffer
	args := []string{"sweep", "--format", "json", "--vary", "top=10000,20000", "--vary", "stages.signup.rate=0.05:0.15:0.05", "--metrics", "conversion,roas,stages.buyer.count", "testdata/small.json"}
	if err := run(context.Background(), args, nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	var res sweepResult
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Points) != 6 {
		t.Fatalf("%d points, want 2 x 3", len(res.Points))
	}
	const tol = 1e-9 // relative; both sides compute the same expressions
	k := 0
	for _, top := range []float64{10000, 20000} {
		for _, rate := range []float64{0.05, 0.1, 0.15} {
			pt := res.Points[k]
			k++
			if pt.Values["top"] != top || pt.Values["stages.signup.rate"] != rate {
				t.Fatalf("point %d is %v, want top %v rate %v", k-1, pt.Values, top, rate)
			}
			// By hand: customers = top x signup rate x buyer rate 0.15,
			// revenue = customers x order value 60 (testdata/small.json).
			wantC := top * rate * 0.15
			if pt.Customers == nil || math.Abs(*pt.Customers-wantC) > tol*wantC {
				t.Errorf("point %v: customers %v, want %v", pt.Values, pt.Customers, wantC)
			}
			if pt.Revenue == nil || math.Abs(*pt.Revenue-60*wantC) > tol*60*wantC {
				t.Errorf("point %v: revenue %v, want %v", pt.Values, pt.Revenue, 60*wantC)
			}
			if c, ok := pt.Metrics["conversion"].(float64); !ok || math.Abs(c-rate*0.15) > tol {
				t.Errorf("point %v: conversion %v, want %v", pt.Values, pt.Metrics["conversion"], rate*0.15)
			}
			if pt.Metrics["roas"] != nil {
				t.Errorf("point %v: roas %v without spend, want null", pt.Values, pt.Metrics["roas"])
			}
			if c, ok := pt.Metrics["stages.buyer.count"].(float64); !ok || math.Abs(c-wantC) > tol*wantC {
				t.Errorf("point %v: stages.buyer.count %v, want %v", pt.Values, pt.Metrics["stages.buyer.count"], wantC)
			}
		}
	}
}

// TestSweepInvalidPoint checks that an invalid point is a row with an
// error and null numbers, and the others are computed.
func TestSweepInvalidPoint(t *testing.T) {
	var out bytes.Buffer
	args := []string{"sweep", "--format", "json", "--vary", "stages.signup.rate=0.5:1.5:0.5", "testdata/small.json"}
	if err := run(context.Background(), args, nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	var res sweepResult
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Points) != 3 || res.Points[0].Error != "" || res.Points[1].Error != "" {
		t.Fatalf("points %+v", res.Points)
	}
	bad := res.Points[2]
	if bad.Error != "stages.signup.rate: 1.5 is not a rate (want 0..1)" || bad.Customers != nil || bad.Revenue != nil {
		t.Errorf("invalid point %+v", bad)
	}
}

func TestLookupMetric(t *testing.T) {
	p, err := core.DecodeBytes([]byte(smallPlan(0)))
	if err != nil {
		t.Fatal(err)
	}
	out, err := runPlanJSON(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		path string
		ok   bool
	}{
		{"customers", true}, {"stages.lead.count", true}, {"stages.1.count", true},
		{"economics.aov", true}, {"aov", true}, {"rpm_revenue", true},
		{"stages.nope.count", false}, {"stages.9.count", false}, {"nope", false}, {"customers.x", false},
	} {
		if _, ok := lookupMetric(out, tt.path); ok != tt.ok {
			t.Errorf("lookupMetric(%q) found %v, want %v", tt.path, ok, tt.ok)
		}
	}
}
