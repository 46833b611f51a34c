// Package scan runs modules over an acquisition: in parallel, each isolated from the
// others' panics and hangs, with every record matched against the indicators in one place.
package scan

import (
	"time"
)

// Status is how a module's run ended. "no database", "crashed" and "zero rows" must never
// look alike, so each has its own value.
type Status string

// Module statuses.
const (
	StatusOK      Status = "ok"      // ran to the end (possibly with zero records)
	StatusNoData  Status = "no_data" // the artifact it reads is not in the acquisition
	StatusPartial Status = "partial" // records, plus parts it could not read
	StatusFailed  Status = "failed"  // an error, a panic or a timeout stopped it
)

// ModuleResult is one module's outcome, as run.json and the summary report it.
type ModuleResult struct {
	Name       string        `json:"name"`
	Status     Status        `json:"status"`
	Records    int           `json:"records"`
	Events     int           `json:"events"`
	Detections int           `json:"detections"`
	Errors     []string      `json:"errors,omitempty"`
	Duration   time.Duration `json:"-"`
	DurationMS int64         `json:"duration_ms"`
}
