package ios

import (
	"context"
	"fmt"
	"time"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/format/multilinelog"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/timeline"
)

var mobileInstallationPlaces = places{
	acq.IOSSysdiag: {{"", "logs/MobileInstallation/mobile_installation.log*"}},
}

// MobileInstallation reads installd's log (mobile_installation.log and its rotations):
// which apps were installed, updated and removed, when, by which program and of which
// type. Apps that did not come from the App Store are how most stalkerware reaches a phone.
type MobileInstallation struct {
	about
	places places
}

// NewMobileInstallation returns the mobile_installation module.
func NewMobileInstallation() *MobileInstallation {
	return &MobileInstallation{about: about{
		name: "ios/mobile_installation",
		desc: "App installs, updates and removals from installd's log (mobile_installation.log*); " +
			"flags developer installs and installs by anything but the App Store",
		kinds:     []acq.Kind{acq.IOSSysdiag},
		artifacts: mobileInstallationPlaces.artifacts(),
	}, places: mobileInstallationPlaces}
}

// AppInstallEvent is one app event installd logged, with what the neighbouring lines
// said about the same install (its type, requesting program and version).
type AppInstallEvent struct {
	File string `json:"file"`
	Line int    `json:"line"`
	// Time is the entry's time in UTC; LocalTime the device's clock as written, and
	// TimeZone the offset applied (unknownZone when the sysdiagnose gave none).
	Time      time.Time `json:"time,omitzero"`
	LocalTime string    `json:"local_time"`
	TimeZone  string    `json:"time_zone"`
	Event     string    `json:"event"` // timeline name: app_install, app_uninstall ...
	BundleID  string    `json:"bundle_id,omitempty"`
	Version   string    `json:"version,omitempty"`
	// ShortVersion is the version users see ("3.57"); FromVersion the one an update replaced.
	ShortVersion string `json:"short_version,omitempty"`
	FromVersion  string `json:"from_version,omitempty"`
	// InstallType is installd's: Customer (App Store and the like), Developer (Xcode and
	// sideloading), Placeholder, System ...; Source says in words where the app came from.
	InstallType string `json:"install_type,omitempty"`
	Source      string `json:"source,omitempty"`
	Client      string `json:"client,omitempty"` // the program that asked installd
	ClientPID   int64  `json:"client_pid,omitempty"`
	Path        string `json:"path,omitempty"` // staged bundle or container
	InstalldPID int64  `json:"installd_pid"`
}

// appEventNames maps installd's events to timeline names.
var appEventNames = map[multilinelog.AppEventKind]string{
	multilinelog.InstallRequested:   "app_install_requested",
	multilinelog.Installing:         "app_installing",
	multilinelog.Installed:          "app_install",
	multilinelog.DeltaUpdate:        "app_delta_update",
	multilinelog.UninstallRequested: "app_uninstall_requested",
	multilinelog.Uninstalling:       "app_uninstall",
	multilinelog.ContainerDestroyed: "app_container_destroyed",
	multilinelog.ContainerLive:      "app_container_live",
	multilinelog.DataContainerMoved: "app_container_moved",
	multilinelog.Reboot:             "reboot_detected",
}

// Events implements module.Record.
func (e AppInstallEvent) Events() []timeline.Event {
	if e.Time.IsZero() {
		return nil
	}
	return []timeline.Event{{Time: e.Time, Event: e.Event, Description: e.describe()}}
}

// appEventWords phrase each event for the timeline; %s is the app (or staged path).
var appEventWords = map[string]string{
	"app_install_requested":   "Install of %s requested",
	"app_installing":          "Installing %s",
	"app_install":             "App %s installed",
	"app_update":              "App %s updated",
	"app_delta_update":        "Delta update of %s started",
	"app_uninstall_requested": "Uninstall of %s requested",
	"app_uninstall":           "App %s uninstalled",
	"app_container_destroyed": "Container of %s destroyed",
	"app_container_live":      "Container of %s made live",
	"app_container_moved":     "Data container of %s moved",
}

func (e AppInstallEvent) describe() string {
	words, ok := appEventWords[e.Event]
	if !ok {
		return "installd noticed a reboot"
	}
	app := e.BundleID
	if app == "" {
		app = e.Path
	}
	d := fmt.Sprintf(words, app)
	if e.Version != "" {
		d += ", version " + e.Version
	}
	if e.InstallType != "" {
		d += ", type " + e.InstallType
	}
	if e.Client != "" {
		d += ", requested by " + e.Client
	}
	return d
}

// Observables implements module.Record: the bundle id against app-ID (and process)
// indicators.
func (e AppInstallEvent) Observables() []ioc.Observable { return bundleObservables(e.BundleID) }

// Run implements module.Module.
func (m *MobileInstallation) Run(ctx context.Context, in *module.Input, emit module.Emitter) error {
	files, err := m.places.find(in)
	if err != nil {
		return err
	}
	flagged := newInstallFlags()
	return eachFile(ctx, files, emit, func(f acq.File) error {
		return readMobileInstallation(ctx, in, f, flagged, emit)
	})
}

func readMobileInstallation(ctx context.Context, in *module.Input, f acq.File, flagged *installFlags, emit module.Emitter) error {
	r, err := in.Source().Open(f)
	if err != nil {
		return err
	}
	defer r.Close()
	tr := newInstallTracker()
	st, err := multilinelog.Parse(r, func(e multilinelog.Entry) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		ev, ok := multilinelog.ParseAppEvent(e.Message)
		if !ok {
			return nil
		}
		rec := AppInstallEvent{File: f.Path, Line: e.Line, LocalTime: e.Local.Format(time.DateTime),
			Event: appEventNames[ev.Kind], BundleID: ev.BundleID, Version: ev.Version, ShortVersion: ev.ShortVersion,
			FromVersion: ev.FromVersion, InstallType: ev.InstallType, Client: ev.Client, ClientPID: ev.ClientPID,
			Path: ev.Path, InstalldPID: e.PID}
		rec.Time, rec.TimeZone = localToUTC(e.Local, in.Acq.Facts.UTCOffset)
		tr.add(ev.Kind, &rec)
		emit.Record(rec)
		if d, ok := flagged.check(rec); ok {
			emit.Detection(d)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if st.Entries == 0 && st.Orphans > 0 {
		return fmt.Errorf("no log entries in %d lines (not an installd log?)", st.Lines)
	}
	return nil
}
