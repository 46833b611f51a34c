package ios

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/timeline"
)

var locationdPlaces = places{
	acq.IOSBackup: {{"RootDomain", "Library/Caches/locationd/clients.plist"}},
	acq.IOSFilesystem: {
		{"", "private/var/mobile/Library/Caches/locationd/clients.plist"},
		{"", "private/var/root/Library/Caches/locationd/clients.plist"},
	},
}

// locationdTimeKeys are the client keys that hold Mac absolute times, in MVT's order; each
// is also the name of its timeline event.
var locationdTimeKeys = []string{
	"ConsumptionPeriodBegin", "ReceivingLocationInformationTimeStopped", "VisitTimeStopped",
	"LocationTimeStopped", "BackgroundLocationTimeStopped", "SignificantTimeStopped",
	"NonPersistentSignificantTimeStopped", "FenceTimeStopped", "BeaconRegionTimeStopped",
}

// LocationdClients reads locationd's list of the apps, daemons and location bundles that
// used the location services. Triangulation and Pegasus processes have shown up there.
type LocationdClients struct {
	about
	places places
}

// NewLocationdClients returns the locationd_clients module.
func NewLocationdClients() *LocationdClients {
	return &LocationdClients{about: about{
		name:      "ios/locationd_clients",
		desc:      "Apps and processes that used location services (locationd clients.plist)",
		kinds:     backupAndFS,
		artifacts: locationdPlaces.artifacts(),
	}, places: locationdPlaces}
}

// LocationdTime is one time key of a client.
type LocationdTime struct {
	Key  string    `json:"key"`
	Time time.Time `json:"time"`
}

// LocationdClient is one client of clients.plist.
type LocationdClient struct {
	Client        string          `json:"package"` // the plist key, trailing ':' removed
	BundleID      string          `json:"bundle_id,omitempty"`
	BundlePath    string          `json:"bundle_path,omitempty"`
	Executable    string          `json:"executable,omitempty"`
	Registered    string          `json:"registered,omitempty"` // a path, or "true"/"false"
	Authorization int64           `json:"authorization,omitempty"`
	Times         []LocationdTime `json:"times,omitempty"`
	File          string          `json:"file"`
}

// Events implements module.Record: one event per time key, named after it as in MVT.
func (c LocationdClient) Events() []timeline.Event {
	out := make([]timeline.Event, 0, len(c.Times))
	for _, t := range c.Times {
		out = append(out, timeline.Event{Time: t.Time, Event: t.Key, Description: t.Key + " from " + c.Client})
	}
	return out
}

// Observables implements module.Record: the client key's last path component (a bundle
// or process name) and the bundle id as processes, and the paths for path indicators.
func (c LocationdClient) Observables() []ioc.Observable {
	out := appendUnique(nil, ioc.Observable{Type: ioc.Process, Value: c.Client})
	out = appendUnique(out, bundleObservables(c.BundleID)...)
	for _, p := range []string{c.BundlePath, c.Executable, c.Registered} {
		if strings.HasPrefix(p, "/") {
			out = appendUnique(out, ioc.Observable{Type: ioc.FilePath, Value: p})
		}
	}
	return out
}

// Run implements module.Module.
func (m *LocationdClients) Run(ctx context.Context, in *module.Input, emit module.Emitter) error {
	files, err := m.places.find(in)
	if err != nil {
		return err
	}
	return eachFile(ctx, files, emit, func(f acq.File) error {
		var doc map[string]any
		if err := readPlist(in, f, &doc); err != nil {
			return err
		}
		for _, key := range slices.Sorted(maps.Keys(doc)) {
			if entry, ok := doc[key].(map[string]any); ok {
				emit.Record(newLocationdClient(f.Path, key, entry))
			}
		}
		return nil
	})
}

func newLocationdClient(file, key string, entry map[string]any) LocationdClient {
	c := LocationdClient{
		Client:        strings.TrimSuffix(key, ":"),
		BundleID:      plistAsString(entry["BundleId"]),
		BundlePath:    plistAsString(entry["BundlePath"]),
		Executable:    plistAsString(entry["Executable"]),
		Authorization: plistAsInt(entry["Authorization"]),
		File:          file,
	}
	switch r := entry["Registered"].(type) {
	case string:
		c.Registered = r
	case bool:
		c.Registered = strconv.FormatBool(r)
	}
	for _, k := range locationdTimeKeys {
		if t := plistAsMacTime(entry[k]); !t.IsZero() {
			c.Times = append(c.Times, LocationdTime{Key: k, Time: t})
		}
	}
	return c
}
