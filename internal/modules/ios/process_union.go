package ios

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/timeline"
)

// processUnionReference documents the method: SAF's ps_everywhere analyser gathers the
// process names of every sysdiagnose source, and Kaspersky's iShutdown work reads process
// traces left outside the process list.
const processUnionReference = "EC-DIGIT-CSIRC sysdiagnose analysis framework (SAF), ps_everywhere analyser; " +
	"Kaspersky, \"A lightweight method to detect potential iOS malware\" (Securelist, January 2024)"

// ProcessUnion gathers every program any source of a sysdiagnose saw: the process lists,
// shutdown.log, logd statistics, crash reports, PowerLog and tailspin's binary map. A
// program that other records show running when the sysdiagnose was taken but that the
// process list lacks may be hiding.
type ProcessUnion struct{ about }

// NewProcessUnion returns the process_union module.
func NewProcessUnion() *ProcessUnion {
	return &ProcessUnion{about{
		name: "ios/process_union",
		desc: "Every program seen by any process source of a sysdiagnose, with the sources that saw it; " +
			"flags programs running at collection time that the process list (ps.txt) lacks",
		kinds: sysdiagOnly,
		artifacts: []string{
			"ios-sysdiagnose: ps.txt, ps_thread.txt, system_logs.logarchive/Extra/shutdown*.log and " +
				"logdata.statistics.*, crashes_and_spins/**/*.ips, logs/powerlogs/*, logs/tailspindb/UUIDToBinaryLocations " +
				"(as their modules read them)",
		},
	}}
}

// Source names, in the order records list them.
const (
	srcPS        = "ps.txt"
	srcPSThread  = "ps_thread.txt"
	srcShutdown  = "shutdown.log"
	srcLogd      = "logd_statistics"
	srcCrash     = "crash_reports"
	srcPowerLog  = "powerlog"
	srcUUID2Path = "uuid2path"
)

var unionSourceOrder = []string{srcPS, srcPSThread, srcShutdown, srcLogd, srcCrash, srcPowerLog, srcUUID2Path}

// UnionProcess is one program, by executable name, with every source that saw it.
type UnionProcess struct {
	Name    string            `json:"name"`            // the executable's base name
	Paths   []string          `json:"paths,omitempty"` // the full paths sources gave, sorted
	Sources []ProcessSighting `json:"sources"`
	// InProcessList is whether ps.txt lists it (with names of 15-16 characters, which
	// some sources cut, matched as prefixes).
	InProcessList bool `json:"in_process_list"`
}

// ProcessSighting is what one source says about a program.
type ProcessSighting struct {
	Source string    `json:"source"`
	Count  int       `json:"count"`
	First  time.Time `json:"first,omitzero"`
	Last   time.Time `json:"last,omitzero"`
	// LastPID is the PID of the latest sighting that gave one.
	LastPID *int64 `json:"last_pid,omitempty"`
}

// Events implements module.Record: the sources' own modules put each sighting on the
// timeline already.
func (UnionProcess) Events() []timeline.Event { return nil }

// Observables implements module.Record: none, as each source's module already emits
// them; repeating them here would double every indicator match.
func (UnionProcess) Observables() []ioc.Observable { return nil }

// Run implements module.Module.
func (m *ProcessUnion) Run(ctx context.Context, in *module.Input, emit module.Emitter) error {
	u := newProcessUnion()
	found := false
	for _, s := range unionSources() {
		err := s.module.Run(ctx, in, recordSink(func(r module.Record) { s.add(u, r) }))
		if errors.Is(err, module.ErrNoData) {
			continue
		}
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		found = true
		if err != nil { // its own module reports the details
			emit.Problem(fmt.Errorf("%s: %w", s.module.Name(), err))
		}
	}
	if !found {
		return module.ErrNoData
	}
	if u.dropped {
		emit.Problem(fmt.Errorf("more than %d distinct programs; the rest are left out of the union", maxUnionProcesses))
	}
	entries := u.entries()
	for _, e := range entries {
		emit.Record(e)
	}
	for _, d := range u.hidden(in.Acq.Facts, entries) {
		emit.Detection(d)
	}
	return nil
}

// recordSink hands a sibling module's records to a function as they come, so that a
// 100 MB PowerLog is folded into the union rather than held in memory; the sibling's
// detections and problems are its own module's to report.
type recordSink func(module.Record)

func (f recordSink) Record(r module.Record)   { f(r) }
func (recordSink) Detection(module.Detection) {}
func (recordSink) Problem(error)              {}

// entries lists the union's programs by name.
func (u *processUnion) entries() []UnionProcess {
	out := make([]UnionProcess, 0, len(u.byName))
	for _, name := range slices.Sorted(maps.Keys(u.byName)) {
		e := u.byName[name]
		rec := UnionProcess{Name: name, Paths: slices.Sorted(maps.Keys(e.paths)), InProcessList: u.inPS(name)}
		for _, src := range unionSourceOrder {
			if s, ok := e.sources[src]; ok {
				rec.Sources = append(rec.Sources, *s)
			}
		}
		out = append(out, rec)
	}
	return out
}

// sighting returns what src says of rec, or nil.
func (rec UnionProcess) sighting(src string) *ProcessSighting {
	i := slices.IndexFunc(rec.Sources, func(s ProcessSighting) bool { return s.Source == src })
	if i < 0 {
		return nil
	}
	return &rec.Sources[i]
}
