package ios

import (
	"context"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/timeline"
)

// maxAnalyticsStrings bounds the strings of one record that are checked.
const maxAnalyticsStrings = 256

// Analytics reads the security framework's analytics databases: failures logged with the
// process, host and OS build involved.
type Analytics struct{ about }

// NewAnalytics returns the analytics module.
func NewAnalytics() *Analytics {
	return &Analytics{about{
		name:      "ios/analytics",
		desc:      "Security-framework analytics events (private/var/Keychains/Analytics/*.db); every string is checked",
		kinds:     fsOnlyKinds,
		artifacts: analyticsPlaces.artifacts(),
	}}
}

// AnalyticsRecord is one row of an analytics table.
type AnalyticsRecord struct {
	Database  string    `json:"database"`
	Table     string    `json:"table"`
	Time      time.Time `json:"time,omitzero"`
	Data      any       `json:"data,omitempty"`       // the decoded plist, usually a dictionary
	DataError string    `json:"data_error,omitempty"` // why data could not be decoded
}

// Events implements module.Record; the event is the database's name, as in MVT.
func (r AnalyticsRecord) Events() []timeline.Event {
	if r.Time.IsZero() {
		return nil
	}
	return []timeline.Event{{Time: r.Time, Event: path.Base(r.Database), Description: r.summary()}}
}

// summary lists the record's top-level text and numbers, key by key, on one line.
func (r AnalyticsRecord) summary() string {
	var sb strings.Builder
	sb.WriteString(r.Table)
	if d, ok := r.Data.(map[string]any); ok {
		for _, k := range slices.Sorted(maps.Keys(d)) {
			switch v := d[k].(type) {
			case string, int64, uint64, float64, bool:
				fmt.Fprintf(&sb, " %s=%v", k, v)
			}
			if sb.Len() > 300 {
				return strings.ToValidUTF8(sb.String()[:300], "") + "…"
			}
		}
	}
	return sb.String()
}

// Observables implements module.Record: every string value, as a process name and as a
// URL or host (MVT checks top-level values; nested ones are checked too).
func (r AnalyticsRecord) Observables() []ioc.Observable {
	strs := plistStrings(r.Data, maxAnalyticsStrings)
	obs := make([]ioc.Observable, 0, 2*len(strs))
	for _, s := range strs {
		obs = append(obs, ioc.Observable{Type: ioc.Process, Value: s}, ioc.Observable{Type: ioc.URL, Value: s})
	}
	return obs
}

// Run implements module.Module.
func (m *Analytics) Run(ctx context.Context, in *module.Input, emit module.Emitter) error {
	return eachAnalyticsFile(ctx, in, emit, func(r AnalyticsRecord) { emit.Record(r) })
}
