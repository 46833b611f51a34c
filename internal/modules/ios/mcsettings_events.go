package ios

import (
	"context"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/timeline"
)

var mcSettingsEventsPlaces = places{
	acq.IOSSysdiag: {{"", "logs/MCState/Shared/MCSettingsEvents.plist"}},
}

// MCSettingsEvents reads profiled's log of settings changes (MCSettingsEvents.plist): for
// each restriction or setting, which process (or profile) last changed it, and when.
type MCSettingsEvents struct {
	about
	places places
}

// NewMCSettingsEvents returns the mcsettings_events module.
func NewMCSettingsEvents() *MCSettingsEvents {
	return &MCSettingsEvents{about: about{
		name:      "ios/mcsettings_events",
		desc:      "Who last changed each managed setting or restriction, and when (MCSettingsEvents.plist)",
		kinds:     sysdiagOnly,
		artifacts: mcSettingsEventsPlaces.artifacts(),
	}, places: mcSettingsEventsPlaces}
}

// Bounds against a crafted plist: real files nest three or four levels and hold a few
// hundred leaves.
const (
	maxSettingsDepth  = 32
	maxSettingsEvents = 1 << 16
)

// settingsProfileUUID recognises a profile UUID, which stands as the "process" of the
// settings a profile set.
var settingsProfileUUID = regexp.MustCompile(`^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$`)

// MCSettingsEvent is one change of a setting.
type MCSettingsEvent struct {
	File    string            `json:"file"`
	Setting string            `json:"setting"` // the keys down to the leaf, joined by "."
	Time    time.Time         `json:"time,omitzero"`
	Event   string            `json:"event,omitempty"`   // "set", "remove" ...
	Process string            `json:"process,omitempty"` // a process, or the UUID of a profile
	Details map[string]string `json:"details,omitempty"` // further scalar keys of the leaf
}

// Events implements module.Record.
func (e MCSettingsEvent) Events() []timeline.Event {
	if e.Time.IsZero() {
		return nil
	}
	return []timeline.Event{{Time: e.Time, Event: "settings_event",
		Description: fmt.Sprintf("Setting %s %s by %s", e.Setting, e.Event, e.Process)}}
}

// Observables implements module.Record: the process against process indicators (as for
// profile events, §3.4), or the profile's UUID against profile indicators.
func (e MCSettingsEvent) Observables() []ioc.Observable {
	if settingsProfileUUID.MatchString(e.Process) {
		return []ioc.Observable{{Type: ioc.ProfileID, Value: e.Process}}
	}
	return pathObservables(e.Process)
}

// Run implements module.Module.
func (m *MCSettingsEvents) Run(ctx context.Context, in *module.Input, emit module.Emitter) error {
	files, err := m.places.find(in)
	if err != nil {
		return err
	}
	if files, err = dropEmpty(files); err != nil {
		return err
	}
	return eachFile(ctx, files, emit, func(f acq.File) error {
		var doc map[string]any
		if err := readPlist(in, f, &doc); err != nil {
			return err
		}
		w := settingsWalker{file: f.Path, emit: emit}
		w.walk(doc, nil)
		if w.dropped {
			emit.Problem(fmt.Errorf("%s: more than %d settings events or %d levels; the rest is not read",
				f.Path, maxSettingsEvents, maxSettingsDepth))
		}
		return nil
	})
}

// settingsWalker visits the plist's nested dictionaries in key order, so that the output
// does not depend on map iteration.
type settingsWalker struct {
	file    string
	emit    module.Emitter
	n       int
	dropped bool
}

func (w *settingsWalker) walk(node map[string]any, keys []string) {
	if len(keys) >= maxSettingsDepth {
		w.dropped = true
		return
	}
	for _, k := range slices.Sorted(maps.Keys(node)) {
		child, ok := node[k].(map[string]any)
		if !ok {
			continue
		}
		path := append(slices.Clip(keys), k)
		if _, leaf := child["timestamp"]; !leaf {
			w.walk(child, path)
			continue
		}
		if w.n >= maxSettingsEvents {
			w.dropped = true
			return
		}
		w.n++
		w.emit.Record(newMCSettingsEvent(w.file, path, child))
	}
}

func newMCSettingsEvent(file string, path []string, leaf map[string]any) MCSettingsEvent {
	e := MCSettingsEvent{
		File:    file,
		Setting: strings.Join(path, "."),
		Time:    settingsTime(leaf["timestamp"]),
		Event:   plistAsString(leaf["event"]),
		Process: plistAsString(leaf["process"]),
	}
	for k, v := range leaf {
		if k == "timestamp" || k == "event" || k == "process" {
			continue
		}
		if s, ok := settingsScalar(v); ok {
			if e.Details == nil {
				e.Details = map[string]string{}
			}
			e.Details[k] = s
		}
	}
	return e
}

// settingsTime reads the leaf's timestamp: a plist date (UTC), or the same written as
// text by tools that convert the plist to JSON first.
func settingsTime(v any) time.Time {
	if s, ok := v.(string); ok {
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999"} {
			if t, err := time.Parse(layout, s); err == nil {
				return jsonTime(t.UTC())
			}
		}
		return time.Time{}
	}
	return jsonTime(plistAsTime(v))
}

// settingsScalar writes a scalar plist value as text; containers and data are left out.
func settingsScalar(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case bool, int64, uint64, float64:
		return fmt.Sprint(x), true
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano), true
	}
	return "", false
}
