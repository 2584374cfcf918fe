package core

import (
	"fmt"
	"strings"
)

// Status of a stage in a plan-versus-actual comparison.
const (
	ActualOK         = "ok"         // the planned rate lies inside the 90 % credible band
	ActualBelow      = "below"      // the data's band lies wholly below the plan
	ActualAbove      = "above"      // the data's band lies wholly above the plan
	ActualNoData     = "no data"    // nobody reached the previous stage
	ActualThroughput = "throughput" // period counts with more here than before (§k.4)
	ActualTop        = "top"        // the first stage: volumes only
)

// ActualStage compares one stage of a plan with observed counts.
type ActualStage struct {
	ID string `json:"id"`
	// Planned is the plan's expected count per period (Forward), Observed
	// the observed count per period (the total over the number of
	// periods).
	Planned  float64 `json:"planned"`
	Observed float64 `json:"observed"`
	// PlannedRate is the plan's step rate (the persona mix's, as Forward
	// reports it); ObservedRate x/n, with the 90 % credible interval of
	// its posterior (MATH.md §k.2).
	PlannedRate  *float64 `json:"planned_rate"`
	ObservedRate *float64 `json:"observed_rate"`
	CILow        *float64 `json:"ci_low"`
	CIHigh       *float64 `json:"ci_high"`
	// PBelowPlan is the posterior probability that the real rate is below
	// the planned one, I_{planned}(α, β).
	PBelowPlan *float64 `json:"p_below_plan"`
	Status     string   `json:"status"`
}

// ActualResult is a plan compared with observed counts.
type ActualResult struct {
	Periods int           `json:"periods"`
	Stages  []ActualStage `json:"stages"`
	// Flagged lists the stages whose planned rate lies outside the
	// credible band of the data.
	Flagged  []string `json:"flagged"`
	Warnings []string `json:"warnings"`
}

// stageKey normalises a stage id or name for matching count columns.
func stageKey(s string) string {
	return strings.ToLower(strings.NewReplacer(" ", "_", "-", "_").Replace(strings.TrimSpace(s)))
}

// PlanVsActual compares a plan with a fit of observed counts: the count
// columns must be the plan's stages in order (by id or name, ignoring case
// and spaces). A stage is flagged when its planned rate lies outside the
// 90 % credible interval of the observed rate: "below" when the data say
// the stage converts worse than planned, "above" when better.
func PlanVsActual(p *Plan, fit *FitResult) (*ActualResult, error) {
	if len(fit.Stages) != len(p.Stages) {
		return nil, fmt.Errorf("the counts have %d stages, the plan %d (want the plan's stages as count columns, in order)", len(fit.Stages), len(p.Stages))
	}
	for i, c := range fit.Stages {
		s := p.Stages[i]
		if k := stageKey(c); k != stageKey(s.ID) && k != stageKey(s.Name) {
			return nil, fmt.Errorf("count column %d %q is not the plan's stage %d %q", i+1, c, i+1, s.ID)
		}
	}
	fr, err := Forward(p)
	if err != nil {
		return nil, err
	}
	periods := max(1, len(fit.Periods))
	res := &ActualResult{Periods: periods, Flagged: []string{}, Warnings: append([]string{}, fr.Warnings...)}
	for i := range p.Stages {
		st := ActualStage{ID: p.Stages[i].ID, Planned: fr.Stages[i].Count, Observed: fit.Counts[i] / float64(periods), Status: ActualTop}
		if i > 0 {
			s := fit.Steps[i-1]
			st.PlannedRate = fr.Stages[i].Rate
			st.ObservedRate, st.CILow, st.CIHigh = s.Rate, s.CILow, s.CIHigh
			switch {
			case s.Throughput:
				st.Status = ActualThroughput
			case s.NoData:
				st.Status = ActualNoData
			case st.PlannedRate == nil:
				st.Status = ActualNoData
				res.Warnings = append(res.Warnings, fmt.Sprintf("stage %q: the plan has nobody at the stage before, so no planned rate", st.ID))
			default:
				pr := *st.PlannedRate
				st.PBelowPlan = F(newBetaQ(*s.Alpha, *s.Beta).cdf(pr))
				switch {
				case pr > *s.CIHigh:
					st.Status = ActualBelow
				case pr < *s.CILow:
					st.Status = ActualAbove
				default:
					st.Status = ActualOK
				}
			}
			if st.Status == ActualBelow || st.Status == ActualAbove {
				res.Flagged = append(res.Flagged, st.ID)
			}
		}
		res.Stages = append(res.Stages, st)
	}
	return res, nil
}
