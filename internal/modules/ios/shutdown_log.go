package ios

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/format/shutdownlog"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/timeline"
)

var shutdownLogPlaces = places{
	acq.IOSFilesystem: {
		{"", "private/var/db/diagnostics/shutdown.log"},
		{"", "private/var/db/diagnostics/shutdown.*.log"},
	},
	// A sysdiagnose copies the log into the log archive's Extra folder; iShutdown takes any
	// member ending in shutdown.log, SAF globs shutdown*.log, which also covers rotations.
	acq.IOSSysdiag: {{"", "system_logs.logarchive/Extra/shutdown*.log"}},
}

// ShutdownLog reads shutdown.log: at each reboot, the processes that had not exited yet.
// Spyware that keeps running shows up there, and some of it ran from folders where no
// system program lives.
type ShutdownLog struct {
	about
	places places
}

// NewShutdownLog returns the shutdown_log module.
func NewShutdownLog() *ShutdownLog {
	return &ShutdownLog{about: about{
		name: "ios/shutdown_log",
		desc: "Processes still running at each reboot (shutdown.log); flags programs in " +
			"/private/var/db or /private/var/tmp, slow reboots and an empty log",
		kinds:     fsAndSysdiag,
		artifacts: shutdownLogPlaces.artifacts(),
	}, places: shutdownLogPlaces}
}

// ShutdownReboot is one reboot of shutdown.log.
type ShutdownReboot struct {
	File           string    `json:"file"`
	Line           int       `json:"line"`
	Time           time.Time `json:"time,omitzero"` // SIGTERM time
	Terminated     bool      `json:"terminated"`    // false: the log ends before the SIGTERM line
	Delays         int       `json:"delays"`        // waits for processes that did not exit
	WaitSeconds    float64   `json:"wait_seconds"`  // time waited before the reboot
	Clients        int       `json:"clients"`
	DroppedClients int       `json:"dropped_clients,omitempty"` // beyond the parser's bound
}

// Events implements module.Record.
func (r ShutdownReboot) Events() []timeline.Event {
	if r.Time.IsZero() {
		return nil
	}
	return []timeline.Event{{Time: r.Time, Event: "reboot", Description: fmt.Sprintf(
		"Reboot: %d processes still running, waited %.2f s (%d delays)", r.Clients, r.WaitSeconds, r.Delays)}}
}

// Observables implements module.Record.
func (ShutdownReboot) Observables() []ioc.Observable { return nil }

// ShutdownClient is one process still running at one reboot.
type ShutdownClient struct {
	File            string    `json:"file"`
	RebootTime      time.Time `json:"reboot_time,omitzero"`
	PID             int64     `json:"pid"`
	Client          string    `json:"client"`         // as logged: executable path, often + "/<UUID>"
	Executable      string    `json:"executable"`     // without the UUID component
	UUID            string    `json:"uuid,omitempty"` // launchd's instance UUID
	Listed          int       `json:"times_listed"`   // waits that listed it
	StillThereAfter float64   `json:"still_there_after_seconds"`
}

// Events implements module.Record with MVT's event.
func (c ShutdownClient) Events() []timeline.Event {
	if c.RebootTime.IsZero() {
		return nil
	}
	return []timeline.Event{{Time: c.RebootTime, Event: "shutdown", Description: fmt.Sprintf(
		"Client %s with PID %d was running when the device was shut down", c.Client, c.PID)}}
}

// Observables implements module.Record: every path component against process names (as
// MVT does), the executable's name with the truncation rule, and both spellings of the
// path (with and without the UUID) against path indicators.
func (c ShutdownClient) Observables() []ioc.Observable {
	obs := appendUnique(nil,
		ioc.Observable{Type: ioc.ProcessPath, Value: c.Client},
		ioc.Observable{Type: ioc.Process, Value: c.Executable})
	for _, p := range []string{c.Client, c.Executable} {
		if strings.HasPrefix(p, "/") {
			obs = appendUnique(obs, ioc.Observable{Type: ioc.FilePath, Value: p})
		}
	}
	return obs
}

// ShutdownLogFile sums up one log file: how many reboots it covers, and over what span.
// iOS 26 reportedly keeps only the last shutdown, and spyware has emptied the log, so the
// span tells how far back the absence of a trace means anything.
type ShutdownLogFile struct {
	File    string    `json:"file"`
	Reboots int       `json:"reboots"`
	First   time.Time `json:"first_reboot,omitzero"`
	Last    time.Time `json:"last_reboot,omitzero"`
}

// Events implements module.Record.
func (ShutdownLogFile) Events() []timeline.Event { return nil }

// Observables implements module.Record.
func (ShutdownLogFile) Observables() []ioc.Observable { return nil }

// Run implements module.Module.
func (m *ShutdownLog) Run(ctx context.Context, in *module.Input, emit module.Emitter) error {
	files, err := m.places.find(in)
	if err != nil {
		return err
	}
	if d, ok := shutdownLogIOS26(in.Acq.Facts.ProductVersion); ok {
		emit.Detection(d)
	}
	return eachFile(ctx, files, emit, func(f acq.File) error { return readShutdownLog(ctx, in, f, emit) })
}

func readShutdownLog(ctx context.Context, in *module.Input, f acq.File, emit module.Emitter) error {
	r, err := in.Source().Open(f)
	if err != nil {
		return err
	}
	defer r.Close()
	sum := ShutdownLogFile{File: f.Path}
	checks := newShutdownChecks(f.Path)
	err = shutdownlog.Parse(r, func(b shutdownlog.Reboot) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		rec := ShutdownReboot{File: f.Path, Line: b.Line, Time: b.Time, Terminated: b.Terminated,
			Delays: b.Delays, WaitSeconds: b.Elapsed, Clients: len(b.Clients), DroppedClients: b.DroppedClients}
		emit.Record(rec)
		checks.reboot(rec, emit)
		for _, c := range b.Clients {
			cr := ShutdownClient{File: f.Path, RebootTime: b.Time, PID: c.PID, Client: c.Path,
				Executable: c.Executable(), UUID: c.UUID(), Listed: c.Listed, StillThereAfter: c.StillThereAfter}
			emit.Record(cr)
			checks.client(cr)
		}
		if b.Terminated {
			sum.Reboots++
			sum.First, sum.Last = earliest(sum.First, b.Time), latest(sum.Last, b.Time)
		}
		return nil
	})
	if err != nil {
		return err
	}
	emit.Record(sum)
	checks.finish(sum, emit)
	return nil
}

// earliest and latest skip unknown (zero) times.
func earliest(a, b time.Time) time.Time {
	if a.IsZero() || !b.IsZero() && b.Before(a) {
		return b
	}
	return a
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
