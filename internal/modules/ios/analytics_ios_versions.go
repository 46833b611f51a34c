package ios

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"time"

	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/timeline"
)

// maxAnalyticsBuilds bounds the builds remembered: a phone runs a few dozen in its life, and
// a crafted database must not grow the map without end.
const maxAnalyticsBuilds = 10000

// AnalyticsIOSVersions dates each iOS build the analytics databases mention by its first
// record: the phone's update history, which bounds when an exploit could have worked.
type AnalyticsIOSVersions struct{ about }

// NewAnalyticsIOSVersions returns the analytics_ios_versions module.
func NewAnalyticsIOSVersions() *AnalyticsIOSVersions {
	return &AnalyticsIOSVersions{about{
		name:      "ios/analytics_ios_versions",
		desc:      "iOS builds the phone ran, first seen in the analytics databases",
		kinds:     fsOnlyKinds,
		artifacts: analyticsPlaces.artifacts(),
	}}
}

// AnalyticsIOSVersion is one build and when the analytics first recorded it.
type AnalyticsIOSVersion struct {
	Build     string    `json:"build"`
	Version   string    `json:"version,omitempty"` // the release family, see iosVersionFamily
	FirstSeen time.Time `json:"first_seen"`
}

// Events implements module.Record with MVT's event.
func (v AnalyticsIOSVersion) Events() []timeline.Event {
	ver := v.Version
	if ver == "" {
		ver = "unknown"
	}
	return []timeline.Event{{Time: v.FirstSeen, Event: "analytics_ios_version",
		Description: "Seen iOS version " + ver + " (" + v.Build + ")"}}
}

// Observables implements module.Record.
func (AnalyticsIOSVersion) Observables() []ioc.Observable { return nil }

// Run implements module.Module. Builds are gathered across every database, then emitted
// by first appearance.
func (m *AnalyticsIOSVersions) Run(ctx context.Context, in *module.Input, emit module.Emitter) error {
	first := map[string]time.Time{}
	err := eachAnalyticsFile(ctx, in, emit, func(r AnalyticsRecord) {
		d, _ := r.Data.(map[string]any)
		build, _ := d["build"].(string)
		if build == "" || r.Time.IsZero() {
			return
		}
		if t, ok := first[build]; !ok && len(first) < maxAnalyticsBuilds || ok && r.Time.Before(t) {
			first[build] = r.Time
		}
	})
	if err != nil {
		return err
	}
	builds := slices.SortedFunc(maps.Keys(first), func(a, b string) int {
		return cmp.Or(first[a].Compare(first[b]), cmp.Compare(a, b))
	})
	for _, b := range builds {
		emit.Record(AnalyticsIOSVersion{Build: b, Version: iosVersionFamily(b), FirstSeen: first[b]})
	}
	return nil
}
