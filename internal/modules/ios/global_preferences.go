package ios

import (
	"context"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/timeline"
)

var globalPreferencesPlaces = places{
	acq.IOSBackup:     {{"HomeDomain", "Library/Preferences/.GlobalPreferences.plist"}},
	acq.IOSFilesystem: {{"", "private/var/mobile/Library/Preferences/.GlobalPreferences.plist"}},
}

// GlobalPreferences reads the system-wide preferences for the state of Lockdown Mode,
// Apple's hardening against mercenary spyware.
type GlobalPreferences struct {
	about
	places places
}

// NewGlobalPreferences returns the global_preferences module.
func NewGlobalPreferences() *GlobalPreferences {
	return &GlobalPreferences{about: about{
		name:      "ios/global_preferences",
		desc:      "Whether Lockdown Mode is on (.GlobalPreferences.plist)",
		kinds:     backupAndFS,
		artifacts: globalPreferencesPlaces.artifacts(),
	}, places: globalPreferencesPlaces}
}

// Lockdown Mode states of a GlobalPreferencesRecord.
const (
	LockdownEnabled  = "enabled"
	LockdownDisabled = "disabled"
	LockdownNotSet   = "not set" // LDMGlobalEnabled absent: never turned on on this phone
	LockdownUnknown  = "unknown" // the key holds a value of an unexpected type
)

// GlobalPreferencesRecord is the Lockdown Mode state the preferences hold.
type GlobalPreferencesRecord struct {
	File         string `json:"file"`
	LockdownMode string `json:"lockdown_mode"` // enabled, disabled, not set, unknown
	Keys         int    `json:"keys"`          // how many preferences the file holds
}

// Events implements module.Record: the file says nothing about when it was set.
func (GlobalPreferencesRecord) Events() []timeline.Event { return nil }

// Observables implements module.Record.
func (GlobalPreferencesRecord) Observables() []ioc.Observable { return nil }

// Run implements module.Module.
func (m *GlobalPreferences) Run(ctx context.Context, in *module.Input, emit module.Emitter) error {
	files, err := m.places.find(in)
	if err != nil {
		return err
	}
	return eachFile(ctx, files, emit, func(f acq.File) error {
		var prefs map[string]any
		if err := readPlist(in, f, &prefs); err != nil {
			return err
		}
		r := GlobalPreferencesRecord{File: f.Path, LockdownMode: lockdownState(prefs), Keys: len(prefs)}
		emit.Record(r)
		switch r.LockdownMode {
		case LockdownEnabled:
			emit.Detection(module.Detection{Severity: module.Info, Message: "Lockdown Mode is enabled",
				Evidence: "LDMGlobalEnabled = true", Reference: lockdownReference, Record: r})
		case LockdownDisabled:
			emit.Detection(module.Detection{Severity: module.Low,
				Message:  "Lockdown Mode is off",
				Evidence: "LDMGlobalEnabled = false", Reference: lockdownReference, Record: r})
		}
		return nil
	})
}

const lockdownReference = "Apple, About Lockdown Mode (Apple Support); MVT"

// lockdownState reads LDMGlobalEnabled, a boolean; numbers are accepted as booleans.
func lockdownState(prefs map[string]any) string {
	v, ok := prefs["LDMGlobalEnabled"]
	if !ok {
		return LockdownNotSet
	}
	switch v.(type) {
	case bool, int64, uint64, float64:
		if plistAsInt(v) != 0 {
			return LockdownEnabled
		}
		return LockdownDisabled
	}
	return LockdownUnknown
}
