package ios

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/timeline"
)

// MCProfileEvents.plist sits beside the profile stubs; MVT looks it up in any domain. The
// filesystem paths are those of the configuration-profiles system group and, before it,
// the mobile user's Library.
var profileEventsPlaces = places{
	acq.IOSBackup: {{"", "Library/ConfigurationProfiles/MCProfileEvents.plist"}},
	acq.IOSFilesystem: {
		{"", "private/var/containers/Shared/SystemGroup/*/Library/ConfigurationProfiles/MCProfileEvents.plist"},
		{"", "private/var/mobile/Library/ConfigurationProfiles/MCProfileEvents.plist"},
	},
}

// ProfileEvents reads the log of configuration-profile installs and removals, with the
// process that made each: a profile installed behind the owner's back shows up here even
// after it was removed.
type ProfileEvents struct {
	about
	places places
}

// NewProfileEvents returns the profile_events module.
func NewProfileEvents() *ProfileEvents {
	return &ProfileEvents{about: about{
		name:      "ios/profile_events",
		desc:      "Configuration profile installs and removals, with the process that made them (MCProfileEvents.plist)",
		kinds:     backupAndFS,
		artifacts: profileEventsPlaces.artifacts(),
	}, places: profileEventsPlaces}
}

// ProfileEvent is one operation on a configuration profile.
type ProfileEvent struct {
	ProfileID string    `json:"profile_id"`
	Operation string    `json:"operation,omitempty"`
	Process   string    `json:"process,omitempty"`
	Time      time.Time `json:"timestamp,omitzero"`
	File      string    `json:"file"`
}

// Events implements module.Record.
func (e ProfileEvent) Events() []timeline.Event {
	if e.Time.IsZero() {
		return nil
	}
	return []timeline.Event{{Time: e.Time, Event: "profile_operation", Description: e.describe()}}
}

func (e ProfileEvent) describe() string {
	return fmt.Sprintf("Process %s started operation %s of profile %s", e.Process, e.Operation, e.ProfileID)
}

// Observables implements module.Record.
func (e ProfileEvent) Observables() []ioc.Observable {
	return appendUnique(nil, ioc.Observable{Type: ioc.Process, Value: e.Process},
		ioc.Observable{Type: ioc.ProfileID, Value: e.ProfileID})
}

// Run implements module.Module.
func (m *ProfileEvents) Run(ctx context.Context, in *module.Input, emit module.Emitter) error {
	files, err := m.places.find(in)
	if err != nil {
		return err
	}
	return eachFile(ctx, files, emit, func(f acq.File) error {
		var doc map[string]any
		if err := readPlist(in, f, &doc); err != nil {
			return err
		}
		list, _ := doc["ProfileEvents"].([]any)
		for _, item := range list {
			event, _ := item.(map[string]any)
			for _, id := range slices.Sorted(maps.Keys(event)) {
				detail, _ := event[id].(map[string]any)
				emitProfileEvent(newProfileEvent(f.Path, id, detail), emit)
			}
		}
		return nil
	})
}

// newProfileEvent reads the event's keys whatever their case, as MVT lower-cases them.
func newProfileEvent(file, id string, detail map[string]any) ProfileEvent {
	e := ProfileEvent{ProfileID: id, File: file}
	for k, v := range detail {
		switch strings.ToLower(k) {
		case "timestamp":
			e.Time = plistAsTime(v)
		case "operation":
			e.Operation = plistAsString(v)
		case "process":
			e.Process = plistAsString(v)
		}
	}
	return e
}

// emitProfileEvent emits the event and, as MVT does for every one, a low alert: profile
// operations are rare, and each is worth the owner's confirmation.
func emitProfileEvent(e ProfileEvent, emit module.Emitter) {
	emit.Record(e)
	emit.Detection(module.Detection{
		Severity: module.Low,
		Message: fmt.Sprintf("Configuration profile %s: operation %q by %s. Profiles can change settings and "+
			"route or inspect traffic; check that you (or your employer) did this", e.ProfileID, e.Operation, processOrUnknown(e.Process)),
		Time:      e.Time,
		Evidence:  e.describe(),
		Reference: "MVT (profile_events module)",
		Record:    e,
	})
}

func processOrUnknown(p string) string {
	if p == "" {
		return "an unknown process"
	}
	return "the process " + p
}
