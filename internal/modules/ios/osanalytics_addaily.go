package ios

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/timeline"
)

var addailyPlaces = places{
	acq.IOSBackup:     {{"HomeDomain", "Library/Preferences/com.apple.osanalytics.addaily.plist"}},
	acq.IOSFilesystem: {{"", "private/var/mobile/Library/Preferences/com.apple.osanalytics.addaily.plist"}},
}

// OSAnalyticsADDaily reads the daily network-usage baseline per process that the analytics
// daemon keeps.
type OSAnalyticsADDaily struct {
	about
	places places
}

// NewOSAnalyticsADDaily returns the osanalytics_addaily module.
func NewOSAnalyticsADDaily() *OSAnalyticsADDaily {
	return &OSAnalyticsADDaily{about: about{
		name:      "ios/osanalytics_addaily",
		desc:      "Network usage per process from the daily analytics plist (netUsageBaseline)",
		kinds:     backupAndFS,
		artifacts: addailyPlaces.artifacts(),
	}, places: addailyPlaces}
}

// ADDailyRecord is one process of netUsageBaseline.
type ADDailyRecord struct {
	Process string    `json:"process"`
	Date    time.Time `json:"date,omitzero"`
	WiFiIn  int64     `json:"wifi_in"`
	WiFiOut int64     `json:"wifi_out"`
	WWANIn  int64     `json:"wwan_in"`
	WWANOut int64     `json:"wwan_out"`
}

// Observables implements module.Record. BackupAgent here is an Operation Triangulation
// trace; the shared indicator bundle carries it, so the matcher reports it.
func (r ADDailyRecord) Observables() []ioc.Observable {
	if r.Process == "" {
		return nil
	}
	return []ioc.Observable{{Type: ioc.Process, Value: r.Process}}
}

// Events implements module.Record.
func (r ADDailyRecord) Events() []timeline.Event {
	if r.Date.IsZero() {
		return nil
	}
	return []timeline.Event{{Time: r.Date, Event: "osanalytics_addaily",
		Description: fmt.Sprintf("%s WIFI IN: %d, WIFI OUT: %d - WWAN IN: %d, WWAN OUT: %d",
			r.Process, r.WiFiIn, r.WiFiOut, r.WWANIn, r.WWANOut)}}
}

// Run implements module.Module.
func (m *OSAnalyticsADDaily) Run(ctx context.Context, in *module.Input, emit module.Emitter) error {
	files, err := m.places.find(in)
	if err != nil {
		return err
	}
	return eachFile(ctx, files, emit, func(f acq.File) error {
		var doc struct {
			Baseline map[string]any `plist:"netUsageBaseline"`
		}
		if err := readPlist(in, f, &doc); err != nil {
			return err
		}
		for _, name := range slices.Sorted(maps.Keys(doc.Baseline)) {
			emit.Record(newADDailyRecord(name, doc.Baseline[name]))
		}
		return nil
	})
}

// newADDailyRecord reads [date, wifi_in, wifi_out, wwan_in, wwan_out]; a short array or an
// element of another type leaves that field zero rather than dropping the process name.
func newADDailyRecord(name string, v any) ADDailyRecord {
	r := ADDailyRecord{Process: name}
	values, _ := v.([]any)
	at := func(i int) any {
		if i < len(values) {
			return values[i]
		}
		return nil
	}
	r.Date = plistAsTime(at(0))
	r.WiFiIn, r.WiFiOut = plistAsInt(at(1)), plistAsInt(at(2))
	r.WWANIn, r.WWANOut = plistAsInt(at(3)), plistAsInt(at(4))
	return r
}
