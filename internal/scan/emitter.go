package scan

import (
	"fmt"
	"sync"
	"time"

	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/timeline"
)

// RecordWriter receives a module's records in the order the module emitted them.
type RecordWriter interface {
	Write(r module.Record) error
	Close() error
}

// Sink opens a writer for a module's records the first time the module emits one, so that
// modules that find nothing leave no file behind.
type Sink interface {
	Records(moduleName string) (RecordWriter, error)
}

// emitter is the Emitter handed to one module. It is safe for concurrent use and stops
// accepting output once the module is finished (a timed-out module may still be running).
type emitter struct {
	mu         sync.Mutex
	name       string
	sink       Sink
	iocs       *ioc.Set
	writer     RecordWriter
	closed     bool
	res        *ModuleResult
	timeline   *timeline.Spool
	events     int
	detections []module.Detection
	problems   []string
}

func (e *emitter) Record(r module.Record) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return
	}
	if e.writer == nil && e.sink != nil {
		w, err := e.sink.Records(e.name)
		if err != nil {
			e.problems = append(e.problems, fmt.Sprintf("writing results: %v", err))
			e.sink = nil
		}
		e.writer = w
	}
	if e.writer != nil {
		if err := e.writer.Write(r); err != nil {
			e.problems = append(e.problems, fmt.Sprintf("writing results: %v", err))
		}
	}
	e.res.Records++
	evs := r.Events()
	for _, ev := range evs {
		if ev.Time.IsZero() {
			continue // an event with no time has no place on a timeline
		}
		ev.Module = e.name
		ev.Time = ev.Time.UTC()
		e.timeline.Add(ev)
		e.events++
	}
	e.matchRecord(r, earliest(evs))
}

// matchRecord checks every distinct observable of a record against the indicators and
// turns each hit into a critical detection.
func (e *emitter) matchRecord(r module.Record, when time.Time) {
	if e.iocs == nil {
		return
	}
	obs := r.Observables()
	seen := make(map[ioc.Observable]bool, len(obs))
	for _, o := range obs {
		if o.Value == "" || seen[o] {
			continue
		}
		seen[o] = true
		matches := e.iocs.Match(o)
		if len(matches) == 0 {
			continue
		}
		first := matches[0]
		d := module.Detection{
			Module:    e.name,
			Severity:  module.Critical,
			Message:   matchMessage(first),
			Time:      when,
			Evidence:  o.Value,
			Indicator: &first,
			Record:    r,
		}
		for _, m := range matches[1:] {
			d.Also = append(d.Also, fmt.Sprintf("%s (%s)", m.Collection, m.SourceFile))
		}
		e.detections = append(e.detections, d)
	}
}

func matchMessage(m ioc.Match) string {
	conf := ""
	if m.LowConfidence {
		conf = " (low confidence)"
	}
	label := observableLabel[m.Observable.Type]
	if m.Indicator == m.Observable.Value {
		return fmt.Sprintf("%s %q is a known indicator of %s (%s)%s", label, m.Observable.Value, m.Collection, m.SourceFile, conf)
	}
	return fmt.Sprintf("%s %q matches the %s indicator %q (%s)%s",
		label, m.Observable.Value, m.Collection, m.Indicator, m.SourceFile, conf)
}

var observableLabel = map[ioc.Type]string{
	ioc.URL: "Link", ioc.Domain: "Domain", ioc.Process: "Process", ioc.ProcessPath: "Process path",
	ioc.Email: "E-mail address", ioc.FilePath: "File", ioc.FileName: "File name", ioc.AppID: "App",
	ioc.ProfileID: "Configuration profile", ioc.FileHash: "File hash", ioc.AppCertHash: "App certificate",
	ioc.AndroidProperty: "System property",
}

func earliest(evs []timeline.Event) time.Time {
	var t time.Time
	for _, ev := range evs {
		if !ev.Time.IsZero() && (t.IsZero() || ev.Time.Before(t)) {
			t = ev.Time
		}
	}
	return t.UTC()
}

func (e *emitter) Detection(d module.Detection) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return
	}
	d.Module = e.name
	d.Time = d.Time.UTC()
	e.detections = append(e.detections, d)
}

func (e *emitter) Problem(err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed || err == nil {
		return
	}
	e.problems = append(e.problems, err.Error())
}

// close stops the emitter and closes the module's writer.
func (e *emitter) close() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.closed = true
	if e.writer != nil {
		if err := e.writer.Close(); err != nil {
			e.problems = append(e.problems, fmt.Sprintf("writing results: %v", err))
		}
	}
}
