package ios

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/vigil-project/vigil/internal/fixture"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/module/moduletest"
	"github.com/vigil-project/vigil/internal/timeline"
)

func TestOSAnalyticsADDaily(t *testing.T) {
	day := fixture.Epoch.Add(-24 * time.Hour)
	b := fixture.NewBackup()
	err := fixture.OSAnalyticsADDaily(b, map[string]fixture.ADDailyUsage{
		"com.apple.WebKit.WebContent": {Date: day, WiFiIn: 1, WiFiOut: 2, WWANIn: 3, WWANOut: 4}, // decoy
		"BackupAgent":                 {Date: day.Add(time.Hour), WWANIn: 99},                    // Triangulation
	})
	if err != nil {
		t.Fatal(err)
	}
	res := moduletest.Run(t, NewOSAnalyticsADDaily(), moduletest.OpenBackup(t, b))
	if res.Err != nil || len(res.Problems) > 0 || len(res.Detections) > 0 {
		t.Fatalf("err %v, problems %v, detections %v", res.Err, res.Problems, res.Detections)
	}
	wantObs := []ioc.Observable{{Type: ioc.Process, Value: "BackupAgent"}, {Type: ioc.Process, Value: "com.apple.WebKit.WebContent"}}
	if got := res.Observables(); !slices.Equal(got, wantObs) {
		t.Errorf("observables = %v", got)
	}
	wantEvents := []timeline.Event{
		{Time: day.Add(time.Hour), Event: "osanalytics_addaily", Description: "BackupAgent WIFI IN: 0, WIFI OUT: 0 - WWAN IN: 99, WWAN OUT: 0"},
		{Time: day, Event: "osanalytics_addaily", Description: "com.apple.WebKit.WebContent WIFI IN: 1, WIFI OUT: 2 - WWAN IN: 3, WWAN OUT: 4"},
	}
	if got := res.Events(); !slices.Equal(got, wantEvents) {
		t.Errorf("events = %v\nwant %v", got, wantEvents)
	}
}

func TestOSAnalyticsADDailyOddFiles(t *testing.T) {
	tests := []struct {
		name    string
		plist   any    // nil: no file
		raw     []byte // used when plist is nil
		wantErr bool
		want    []ADDailyRecord
	}{
		{name: "absent", wantErr: true},
		{name: "random bytes", raw: []byte{0x62, 0x70, 0x6c, 0x00, 0xff, 0x13}, wantErr: true},
		{name: "no baseline", plist: map[string]any{"other": 1}},
		{name: "odd values", plist: map[string]any{"netUsageBaseline": map[string]any{
			"short":  []any{fixture.Epoch, uint64(5)},
			"string": "not an array",
			"types":  []any{"not a date", 1.5, true, "x", int64(-1)},
		}}, want: []ADDailyRecord{
			{Process: "short", Date: fixture.Epoch, WiFiIn: 5},
			{Process: "string"},
			{Process: "types", WiFiIn: 1, WiFiOut: 1, WWANOut: -1},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := fixture.NewBackup()
			switch {
			case tt.plist != nil:
				if err := b.Plist("HomeDomain", fixture.ADDailyPath, tt.plist); err != nil {
					t.Fatal(err)
				}
			case tt.raw != nil:
				b.File("HomeDomain", fixture.ADDailyPath, tt.raw)
			}
			res := moduletest.Run(t, NewOSAnalyticsADDaily(), moduletest.OpenBackup(t, b))
			if (res.Err != nil) != tt.wantErr {
				t.Fatalf("err = %v", res.Err)
			}
			if tt.name == "absent" && !errors.Is(res.Err, module.ErrNoData) {
				t.Errorf("err = %v, want ErrNoData", res.Err)
			}
			var got []ADDailyRecord
			for _, r := range res.Records {
				got = append(got, r.(ADDailyRecord))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("records = %+v\nwant %+v", got, tt.want)
			}
		})
	}
}
