package ios

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/format/logdstats"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/timeline"
)

var logdStatisticsPlaces = places{
	acq.IOSSysdiag: {
		{"", "system_logs.logarchive/Extra/logdata.statistics.*.jsonl"},
		{"", "system_logs.logarchive/Extra/logdata.statistics.*.txt"},
	},
}

// LogdStatistics reads logd's statistics files: at each rotation of the unified log, the
// programs that wrote the most to it. That is a timestamped process history going back
// days, without parsing the log itself.
type LogdStatistics struct {
	about
	places places
}

// NewLogdStatistics returns the logd_statistics module.
func NewLogdStatistics() *LogdStatistics {
	return &LogdStatistics{about: about{
		name: "ios/logd_statistics",
		desc: "Programs that wrote most to the system log, at each log rotation (logdata.statistics " +
			"*.jsonl and *.txt); flags programs in temporary, system-database or user-data folders",
		kinds:     []acq.Kind{acq.IOSSysdiag},
		artifacts: logdStatisticsPlaces.artifacts(),
	}, places: logdStatisticsPlaces}
}

// LogdStatisticsRecord is one statistics record (the top writers at one rotation) or one
// quarantine record (a program logd silenced for flooding the log).
type LogdStatisticsRecord struct {
	File   string    `json:"file"`
	Line   int       `json:"line"`
	Record string    `json:"record"` // "logd statistics" or "logd quarantine"
	Type   string    `json:"type,omitempty"`
	Time   time.Time `json:"time,omitzero"`
	// LogFile is the tracev3 file rotated or quarantined.
	LogFile string `json:"log_file,omitempty"`
	// Processes are the writers' paths, most bytes first; a quarantine record's client.
	Processes        []string `json:"processes"`
	DroppedProcesses int      `json:"dropped_processes,omitempty"`
	TotalBytes       int64    `json:"total_bytes,omitempty"`
}

// Events implements module.Record.
func (r LogdStatisticsRecord) Events() []timeline.Event {
	if r.Time.IsZero() {
		return nil
	}
	if r.Record == logdstats.KindQuarantine {
		return []timeline.Event{{Time: r.Time, Event: "logd_quarantine", Description: fmt.Sprintf(
			"logd silenced %s for flooding the system log (%s)", strings.Join(r.Processes, ", "), r.Type)}}
	}
	return []timeline.Event{{Time: r.Time, Event: "logd_statistics", Description: fmt.Sprintf(
		"logd statistics (%s): %d processes wrote to the system log", r.Type, len(r.Processes)+r.DroppedProcesses)}}
}

// Observables implements module.Record: each writer's name, path components and path.
func (r LogdStatisticsRecord) Observables() []ioc.Observable {
	var obs []ioc.Observable
	for _, p := range r.Processes {
		obs = appendUnique(obs, ioc.Observable{Type: ioc.Process, Value: p})
		if strings.HasPrefix(p, "/") {
			obs = appendUnique(obs, ioc.Observable{Type: ioc.ProcessPath, Value: p}, ioc.Observable{Type: ioc.FilePath, Value: p})
		}
	}
	return obs
}

// Run implements module.Module.
func (m *LogdStatistics) Run(ctx context.Context, in *module.Input, emit module.Emitter) error {
	files, err := m.places.find(in)
	if err != nil {
		return err
	}
	seen := newUnusualPaths()
	err = eachFile(ctx, files, emit, func(f acq.File) error { return readLogdStatistics(ctx, in, f, seen, emit) })
	seen.finish(emit)
	return err
}

func readLogdStatistics(ctx context.Context, in *module.Input, f acq.File, seen *unusualPaths, emit module.Emitter) error {
	r, err := in.Source().Open(f)
	if err != nil {
		return err
	}
	defer r.Close()
	st, err := logdstats.Parse(r, func(lr logdstats.Record) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		rec := LogdStatisticsRecord{File: f.Path, Line: lr.Line, Record: lr.Kind, Type: lr.Type, Time: lr.Time,
			LogFile: lr.File, Processes: lr.Processes, DroppedProcesses: lr.DroppedProcesses, TotalBytes: lr.Total}
		if rec.Processes == nil {
			rec.Processes = []string{}
		}
		emit.Record(rec)
		for _, p := range rec.Processes {
			if pl, ok := seen.check(p); ok {
				emit.Detection(module.Detection{Severity: pl.Severity, Message: execMessage(p, "wrote to the system log", pl),
					Time: rec.Time, Evidence: p, Reference: execPathReference, Record: rec})
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if st.Skipped > 0 || st.Long > 0 {
		emit.Problem(fmt.Errorf("%s: %d unreadable lines skipped (the first at line %d), %d over-long lines",
			f.Path, st.Skipped, st.FirstSkipped, st.Long))
	}
	return nil
}
