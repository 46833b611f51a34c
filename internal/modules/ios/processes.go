package ios

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/format/pstxt"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/timeline"
)

var processesPlaces = places{
	acq.IOSSysdiag: {{"", "ps.txt"}, {"", "ps_thread.txt"}},
}

// Processes reads the process listings of a sysdiagnose (ps.txt, ps_thread.txt): every
// program running when it was taken. Spyware that was active then is among them, and
// some of it ran from folders where iOS installs no programs.
type Processes struct {
	about
	places places
}

// NewProcesses returns the processes module.
func NewProcesses() *Processes {
	return &Processes{about: about{
		name: "ios/processes",
		desc: "Processes running when the sysdiagnose was taken (ps.txt, ps_thread.txt); flags " +
			"programs in temporary, system-database or user-data folders",
		kinds:     []acq.Kind{acq.IOSSysdiag},
		artifacts: processesPlaces.artifacts(),
	}, places: processesPlaces}
}

// PSProcess is one process of a ps listing.
type PSProcess struct {
	File       string `json:"file"`
	Line       int    `json:"line"`
	User       string `json:"user,omitempty"`
	UID        *int64 `json:"uid,omitempty"` // nil when the listing has no UID column
	PID        int64  `json:"pid"`
	PPID       *int64 `json:"ppid,omitempty"`
	Stat       string `json:"stat,omitempty"`
	Started    string `json:"started,omitempty"`  // as ps prints it: "7:56AM", "Tue09PM", "14Jan19"
	CPUTime    string `json:"cpu_time,omitempty"` // cumulative
	Command    string `json:"command"`            // argv joined by spaces
	Executable string `json:"executable"`
	Args       string `json:"args,omitempty"`
	// Threads counts the process's threads in ps_thread.txt; 0 for ps.txt, which lists none.
	Threads   int  `json:"threads,omitempty"`
	Truncated bool `json:"truncated,omitempty"` // the row was longer than the parser reads
	// SeenAt is the sysdiagnose's creation time: ps gives no time of its own.
	SeenAt time.Time `json:"seen_at,omitzero"`
}

// Events implements module.Record.
func (p PSProcess) Events() []timeline.Event {
	if p.SeenAt.IsZero() {
		return nil
	}
	return []timeline.Event{{Time: p.SeenAt, Event: "process_running", Description: fmt.Sprintf(
		"Process %s (PID %d) was running when the sysdiagnose was taken", p.Executable, p.PID)}}
}

// Observables implements module.Record: the executable's name for process indicators,
// and its path, component by component and as a path, for the others.
func (p PSProcess) Observables() []ioc.Observable {
	exe := p.Executable
	if !strings.HasPrefix(exe, "/") {
		// "-zsh" (a login shell), "(launchd)" (a process whose argv is gone)
		return appendUnique(nil, ioc.Observable{Type: ioc.Process, Value: strings.Trim(exe, "-()")})
	}
	return []ioc.Observable{{Type: ioc.Process, Value: exe}, {Type: ioc.ProcessPath, Value: exe}, {Type: ioc.FilePath, Value: exe}}
}

// Run implements module.Module.
func (m *Processes) Run(ctx context.Context, in *module.Input, emit module.Emitter) error {
	files, err := m.places.find(in)
	if err != nil {
		return err
	}
	seen := newUnusualPaths()
	err = eachFile(ctx, files, emit, func(f acq.File) error { return readPSListing(ctx, in, f, seen, emit) })
	seen.finish(emit)
	return err
}

func readPSListing(ctx context.Context, in *module.Input, f acq.File, seen *unusualPaths, emit module.Emitter) error {
	r, err := in.Source().Open(f)
	if err != nil {
		return err
	}
	defer r.Close()
	st, err := pstxt.Parse(r, func(p pstxt.Process) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		rec := newPSProcess(f.Path, p, in.Acq.Facts.AcquiredAt)
		emit.Record(rec)
		if pl, ok := seen.check(rec.Executable); ok {
			emit.Detection(module.Detection{
				Severity:  pl.Severity,
				Message:   execMessage(rec.Executable, "was running", pl),
				Time:      rec.SeenAt,
				Evidence:  rec.Command,
				Reference: execPathReference,
				Record:    rec,
			})
		}
		return nil
	})
	if err != nil {
		return err
	}
	if st.Skipped > 0 {
		emit.Problem(fmt.Errorf("%s: %d unreadable rows skipped, the first at line %d", f.Path, st.Skipped, st.FirstSkipped))
	}
	return nil
}

func newPSProcess(file string, p pstxt.Process, seenAt time.Time) PSProcess {
	rec := PSProcess{File: file, Line: p.Line, User: p.User, PID: p.PID, Stat: p.Stat, Started: p.Started,
		CPUTime: p.Time, Command: p.Command, Executable: p.Executable, Args: p.Args, Truncated: p.Truncated,
		SeenAt: seenAt}
	if p.UID >= 0 {
		rec.UID = &p.UID
	}
	if p.PPID >= 0 {
		rec.PPID = &p.PPID
	}
	if _, threaded := p.Field("UTIME"); threaded { // ps_thread.txt's layout
		rec.Threads = 1 + len(p.Threads) + p.DroppedThreads // the process row is the first thread
	}
	return rec
}
