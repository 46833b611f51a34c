package report

import (
	"bufio"
	"errors"
	"io"
	"strings"

	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/timeline"
)

// timelineHeader is MVT's iOS timeline header, kept so analysts' imports keep working.
var timelineHeader = []string{"UTC Timestamp", "Plugin", "Event", "Description"}

// csvQuoter writes MVT's CSV dialect: every field quoted, '"' doubled, '\' doubled,
// newlines kept inside quotes, rows ending in CRLF.
var csvQuoter = strings.NewReplacer(`"`, `""`, `\`, `\\`)

func writeCSVRow(w *bufio.Writer, fields ...string) {
	for i, f := range fields {
		if i > 0 {
			w.WriteByte(',')
		}
		w.WriteByte('"')
		if strings.ContainsAny(f, `"\`) {
			csvQuoter.WriteString(w, f)
		} else {
			w.WriteString(f) // the common case needs no escaping
		}
		w.WriteByte('"')
	}
	w.WriteString("\r\n")
}

func formatTime(ev timeline.Event) string {
	if ev.Time.IsZero() {
		return ""
	}
	return ev.Time.UTC().Format(timeline.Format)
}

// WriteTimeline writes the events that each yields, in its order, as timeline.csv.
func WriteTimeline(out io.Writer, each func(func(timeline.Event) error) error) error {
	w := bufio.NewWriterSize(out, 256<<10)
	writeCSVRow(w, timelineHeader...)
	err := each(func(ev timeline.Event) error {
		writeCSVRow(w, formatTime(ev), Slug(ev.Module), ev.Event, ev.Description)
		return nil
	})
	return errors.Join(err, w.Flush())
}

// eventsOf yields a slice's events, for timelines small enough to hold.
func eventsOf(evs []timeline.Event) func(func(timeline.Event) error) error {
	return func(fn func(timeline.Event) error) error {
		for _, ev := range evs {
			if err := fn(ev); err != nil {
				return err
			}
		}
		return nil
	}
}

// WriteDetectionTimeline writes the detections that have a time, in time order, with the
// same columns as timeline.csv: the event is the severity, the description the message.
func WriteDetectionTimeline(out io.Writer, detections []module.Detection) error {
	var evs []timeline.Event
	for _, d := range detections {
		if !d.Time.IsZero() {
			evs = append(evs, timeline.Event{Time: d.Time, Module: d.Module,
				Event: "detection_" + d.Severity.String(), Description: d.Message})
		}
	}
	sortEvents(evs)
	return WriteTimeline(out, eventsOf(evs))
}
