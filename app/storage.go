package app

import (
	"bytes"
	"encoding/json"
	"fmt"
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
func EncodeSaved(p *core.Plan, scenario string) (string, error) {
	b, err := core.Encode(p)
	if err != nil {
		return "", err
	}
	out, err := json.Marshal(saved{Format: SaveFormat, Scenario: scenario, Plan: bytes.TrimSpace(b)})
	if err != nil {
		return "", err
	}
	return string(out), nil
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
