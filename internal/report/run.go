package report

import (
	"io"
	"slices"
	"time"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/scan"
	"github.com/vigil-project/vigil/internal/timeline"
)

// Caveat is said with every result: spyware leaves few traces, and indicators only know
// what has been published.
const Caveat = "No detection does not prove a phone clean: indicators only cover what " +
	"researchers have published, and spyware removes its traces. Ask a specialist " +
	"(for example Access Now's Digital Security Helpline or Amnesty's Security Lab) if you have reason to worry."

// Run is the provenance of one check, written as run.json.
type Run struct {
	Tool        string              `json:"tool"`
	Version     string              `json:"version"`
	Command     []string            `json:"command"`
	Started     time.Time           `json:"started"`
	Ended       time.Time           `json:"ended"`
	Acquisition RunAcquisition      `json:"acquisition"`
	Indicators  any                 `json:"indicators"`
	Modules     []scan.ModuleResult `json:"modules"`
	Totals      Totals              `json:"totals"`
	Caveat      string              `json:"caveat"`
}

// RunAcquisition describes what was checked.
type RunAcquisition struct {
	Kind  acq.Kind  `json:"kind"`
	Path  string    `json:"path"`
	Facts acq.Facts `json:"device"`
	// Warnings from opening it (a password given to a plain backup, ...).
	Warnings []string `json:"warnings,omitempty"`
}

// Totals counts the results.
type Totals struct {
	Records          int            `json:"records"`
	Events           int            `json:"timeline_events"`
	IndicatorMatches int            `json:"indicator_matches"`
	Detections       map[string]int `json:"detections_by_severity"`
}

// CountTotals fills the totals from a scan result.
func CountTotals(res *scan.Result) Totals {
	t := Totals{Detections: map[string]int{}}
	for _, m := range res.Modules {
		t.Records += m.Records
		t.Events += m.Events
	}
	for _, d := range res.Detections {
		t.Detections[d.Severity.String()]++
		if d.Indicator != nil {
			t.IndicatorMatches++
		}
	}
	return t
}

// WriteResults writes everything but the per-module files (the scan streamed those):
// detections.json, timeline.csv, timeline_detections.csv and run.json.
func WriteResults(dir string, res *scan.Result, run Run) error {
	detections := res.Detections
	if detections == nil {
		detections = []module.Detection{}
	}
	if err := writeJSON(dir, "detections.json", detections); err != nil {
		return err
	}
	if err := writeFile(dir, "timeline.csv", func(w io.Writer) error {
		return WriteTimeline(w, res.Timeline.Each)
	}); err != nil {
		return err
	}
	if err := writeFile(dir, "timeline_detections.csv", func(w io.Writer) error {
		return WriteDetectionTimeline(w, res.Detections)
	}); err != nil {
		return err
	}
	return writeJSON(dir, "run.json", run)
}

func sortEvents(evs []timeline.Event) { slices.SortFunc(evs, timeline.Compare) }
