package module

import (
	"fmt"
	"strings"
	"time"

	"github.com/vigil-project/vigil/internal/ioc"
)

// Severity ranks detections; indicator matches are Critical, heuristics use the rest.
type Severity int

// Severities, in MVT's order so that exports line up with its alert levels.
const (
	Info Severity = iota
	Low
	Medium
	High
	Critical
)

var severityNames = [...]string{"info", "low", "medium", "high", "critical"}

func (s Severity) String() string {
	if s < Info || s > Critical {
		return fmt.Sprintf("severity(%d)", int(s))
	}
	return severityNames[s]
}

// MarshalText writes the severity's name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a severity's name.
func (s *Severity) UnmarshalText(b []byte) error {
	for i, n := range severityNames {
		if strings.EqualFold(n, string(b)) {
			*s = Severity(i)
			return nil
		}
	}
	return fmt.Errorf("unknown severity %q", b)
}

// Detection is one finding: an indicator match or a heuristic a module knows.
type Detection struct {
	Module    string     `json:"module"`
	Severity  Severity   `json:"severity"`
	Message   string     `json:"message"`             // one line a non-specialist can read
	Time      time.Time  `json:"time,omitzero"`       // when the evidence happened, if known
	Evidence  string     `json:"evidence,omitempty"`  // the value that triggered it
	Reference string     `json:"reference,omitempty"` // research that documents a heuristic
	Indicator *ioc.Match `json:"indicator,omitempty"` // nil for heuristics
	Also      []string   `json:"also_in,omitempty"`   // other collections holding the same indicator
	Record    any        `json:"record,omitempty"`    // the record that triggered it
}
