package ios

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/timeline"
)

// A sysdiagnose copies the current PowerLog (powerlog_<date>_<hex>.PLSQL) and older ones
// (log_*) into logs/powerlogs (SAF's globs); a dump holds the live database in a system
// group container (its gzipped archives beside it are not read).
var powerLogPlaces = places{
	acq.IOSFilesystem: {{"", "private/var/containers/Shared/SystemGroup/*/Library/BatteryLife/CurrentPowerlog.PLSQL"}},
	acq.IOSSysdiag:    {{"", "logs/powerlogs/powerlog_*"}, {"", "logs/powerlogs/log_*"}},
}

// PowerLog reads the process history of PowerLog, the battery-usage database: process
// starts, network use and resource samples, with times, over the last days. A spyware
// process that ran then is listed by name, like in DataUsage.
type PowerLog struct {
	about
	places places
}

// NewPowerLog returns the powerlog module.
func NewPowerLog() *PowerLog {
	return &PowerLog{about: about{
		name: "ios/powerlog",
		desc: "Process starts, network use and resource samples recorded by PowerLog " +
			"(powerlog_*.PLSQL), with times corrected by its clock offsets",
		kinds:     fsAndSysdiag,
		artifacts: powerLogPlaces.artifacts(),
	}, places: powerLogPlaces}
}

// PowerLogProcess is one row of a PowerLog process table.
type PowerLogProcess struct {
	File  string `json:"file"`
	Table string `json:"table"` // as the database spells it
	Kind  string `json:"kind"`  // process_launch, network_usage, process_sample, coalition_interval
	// Time and End are real times: the row's device-clock time plus the offset in force.
	Time        time.Time `json:"time,omitzero"`
	End         time.Time `json:"end,omitzero"`
	Offset      float64   `json:"time_offset_seconds,omitempty"`
	ProcessName string    `json:"process_name,omitempty"`
	BundleID    string    `json:"bundle_id,omitempty"`
	LaunchdName string    `json:"launchd_name,omitempty"` // coalition rows: launchd's job label
	PID         *int64    `json:"pid,omitempty"`
	Value       *float64  `json:"value,omitempty"` // process samples
	Unit        string    `json:"unit,omitempty"`
	WifiIn      *int64    `json:"wifi_in,omitempty"` // network rows, bytes
	WifiOut     *int64    `json:"wifi_out,omitempty"`
	CellIn      *int64    `json:"cell_in,omitempty"`
	CellOut     *int64    `json:"cell_out,omitempty"`
	// Repeat marks a row whose names an earlier row of the same database already gave:
	// its observables are left out, because a daemon sampled every few minutes would
	// otherwise raise the same indicator match thousands of times.
	Repeat bool `json:"repeat,omitempty"`
}

// Name is the row's most specific process name.
func (p PowerLogProcess) Name() string {
	for _, n := range []string{p.ProcessName, p.LaunchdName, p.BundleID} {
		if n != "" {
			return n
		}
	}
	return ""
}

// Events implements module.Record.
func (p PowerLogProcess) Events() []timeline.Event {
	if p.Time.IsZero() {
		return nil
	}
	who := p.Name()
	if p.BundleID != "" && p.BundleID != who {
		who += " (" + p.BundleID + ")"
	}
	var desc string
	switch p.Kind {
	case "process_launch":
		desc = fmt.Sprintf("Process %s started%s", who, powerLogPID(p.PID))
	case "network_usage":
		desc = fmt.Sprintf("Process %s used the network: Wi-Fi %d/%d bytes, cellular %d/%d bytes in/out",
			who, powerLogBytes(p.WifiIn), powerLogBytes(p.WifiOut), powerLogBytes(p.CellIn), powerLogBytes(p.CellOut))
	case "process_sample":
		desc = fmt.Sprintf("Process %s was running%s", who, powerLogPID(p.PID))
	default:
		desc = fmt.Sprintf("Process group %s was active", who)
	}
	return []timeline.Event{{Time: p.Time, Event: p.Kind, Description: desc}}
}

func powerLogPID(pid *int64) string {
	if pid == nil {
		return ""
	}
	return fmt.Sprintf(" with PID %d", *pid)
}

func powerLogBytes(n *int64) int64 {
	if n == nil {
		return 0
	}
	return *n
}

// Observables implements module.Record: process names (and paths) against process
// indicators, bundle ids against app and process indicators, as for DataUsage.
func (p PowerLogProcess) Observables() []ioc.Observable {
	if p.Repeat {
		return nil
	}
	obs := appendUnique(nil, pathObservables(p.ProcessName)...)
	obs = appendUnique(obs, bundleObservables(p.BundleID)...)
	if id, ok := strings.CutPrefix(p.LaunchdName, "UIKitApplication:"); ok {
		// an app's job label: "UIKitApplication:<bundle id>[<hex>][rb-legacy]"
		id, _, _ = strings.Cut(id, "[")
		return appendUnique(obs, bundleObservables(id)...)
	}
	return appendUnique(obs, pathObservables(p.LaunchdName)...)
}

// Run implements module.Module.
func (m *PowerLog) Run(ctx context.Context, in *module.Input, emit module.Emitter) error {
	files, err := m.places.find(in)
	if err != nil {
		return err
	}
	// The globs also catch a database's -wal, -shm and -journal companions, which
	// OpenSQLite brings along with it.
	files = slices.DeleteFunc(files, func(f acq.File) bool {
		return slices.ContainsFunc(sqliteCompanions, func(s string) bool { return strings.HasSuffix(f.Path, s) })
	})
	if len(files) == 0 {
		return module.ErrNoData
	}
	return eachDatabase(ctx, in, files, emit, func(db *module.DB, f acq.File) error {
		return readPowerLog(db, f.Path, emit)
	})
}

// sqliteCompanions are the files SQLite keeps beside a database.
var sqliteCompanions = []string{"-wal", "-shm", "-journal"}
