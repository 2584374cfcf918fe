package app

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/funnelplan/funnelplan/core"
)

// Local storage keys. StorageKey holds the autosaved plan; CorruptKey keeps
// the raw text of a saved plan that could not be read, so nothing the user
// wrote is lost when the app starts over from the example.
const (
	StorageKey = "funnelplan.saved"
	CorruptKey = "funnelplan.saved.unreadable"
)

// SaveFormat is the version of the autosave envelope; a newer app reads
// every older format.
const SaveFormat = 1

// saved is the autosave envelope written to local storage on every edit.
type saved struct {
	// Format is SaveFormat at the time of writing.
	Format int `json:"format"`
	// Scenario is the id of the scenario on screen ("" for the baseline).
	Scenario string `json:"scenario,omitempty"`
	// Plan is the plan file itself, with its own "funnelplan" version.
	Plan json.RawMessage `json:"plan"`
}

// EncodeSaved returns the autosave text of a plan and the scenario on screen.
//
// The text is the JSON of saved, written in one pass: the plan is marshalled
// once, where encoding it as a file (indented) and then as a json.RawMessage
// (compacted again) would walk it three times on every autosave.
func EncodeSaved(p *core.Plan, scenario string) (string, error) {
	plan, err := json.Marshal(p)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.Grow(len(plan) + len(scenario) + 40)
	b.WriteString(`{"format":`)
	b.WriteString(strconv.Itoa(SaveFormat))
	if scenario != "" {
		id, err := json.Marshal(scenario)
		if err != nil {
			return "", err
		}
		b.WriteString(`,"scenario":`)
		b.Write(id)
	}
	b.WriteString(`,"plan":`)
	b.Write(plan)
	b.WriteString("}")
	return b.String(), nil
}

// DecodeSaved reads autosave text. The plan may still have validation
// problems (the editor saves work in progress), so only its structure is
// checked (core.DecodeLoose). The error explains what is wrong in words a
// user can act on.
func DecodeSaved(text string) (*core.Plan, string, error) {
	var s saved
	d := json.NewDecoder(strings.NewReader(text))
	d.DisallowUnknownFields()
	if err := d.Decode(&s); err != nil {
		return nil, "", fmt.Errorf("the saved plan is not readable JSON (%v)", err)
	}
	switch {
	case s.Format == 0:
		return nil, "", fmt.Errorf("the saved plan has no format version")
	case s.Format > SaveFormat:
		return nil, "", fmt.Errorf("the saved plan was written by a newer version of the planner (format %d, this one reads up to %d); reload to update", s.Format, SaveFormat)
	case len(s.Plan) == 0:
		return nil, "", fmt.Errorf("the saved plan is empty")
	}
	p, err := core.DecodeLoose(s.Plan)
	if err != nil {
		return nil, "", fmt.Errorf("the saved plan is damaged: %v", err)
	}
	if len(p.Stages) < 2 {
		return nil, "", fmt.Errorf("the saved plan has %d stages (want at least 2)", len(p.Stages))
	}
	if _, ok := p.Scenario(s.Scenario); !ok {
		s.Scenario = ""
	}
	return p, s.Scenario, nil
}
