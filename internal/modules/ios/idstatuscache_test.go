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

func TestIDStatusCache(t *testing.T) {
	t1, t2 := fixture.Epoch.Add(-3*time.Hour), fixture.Epoch.Add(-2*time.Hour)
	entries := []fixture.IDStatusEntry{
		{Service: "com.apple.madrid", Identity: "mailto:'Attacker@Example.net'", LookupDate: t1, Status: 1}, // planted
		{Service: "com.apple.madrid", Identity: "tel:+15550100", LookupDate: t2, Status: 2},                 // decoy
		{Service: "com.apple.ess", Identity: "tel:+15550100", LookupDate: t2, Status: 1},
		{Service: "com.apple.madrid", Identity: "mailto:x\x00\x00y@evil.test", LookupDate: t2, Status: 1},
		{Service: "com.apple.madrid", Identity: "mailto:single\x00nul@ok.test", LookupDate: t2, Status: 1}, // decoy
	}
	for _, rel := range []string{fixture.IDStatusCachePath, fixture.IDStatusCacheAltPath} {
		t.Run(rel, func(t *testing.T) {
			b := fixture.NewBackup()
			if err := fixture.IDStatusCacheAt(b, rel, entries); err != nil {
				t.Fatal(err)
			}
			res := moduletest.Run(t, NewIDStatusCache(), moduletest.OpenBackup(t, b))
			if res.Err != nil || len(res.Problems) > 0 {
				t.Fatalf("err %v, problems %v", res.Err, res.Problems)
			}
			wantObs := []ioc.Observable{
				{Type: ioc.Email, Value: "Attacker@Example.net"},
				{Type: ioc.Email, Value: "single\x00nul@ok.test"},
				{Type: ioc.Email, Value: "x\x00\x00y@evil.test"},
			}
			if got := res.Observables(); !slices.Equal(got, wantObs) {
				t.Errorf("observables = %q", got)
			}
			if len(res.Detections) != 1 || res.Detections[0].Severity != module.High ||
				res.Detections[0].Evidence != `mailto:x\x00\x00y@evil.test` || !res.Detections[0].Time.Equal(t2) {
				t.Errorf("detections = %+v", res.Detections)
			}
			recs := map[string]IDStatusRecord{}
			for _, r := range res.Records {
				rec := r.(IDStatusRecord)
				recs[rec.Service+" "+rec.Identity] = rec
			}
			tel := recs["com.apple.madrid tel:+15550100"]
			if len(recs) != 5 || tel.Occurrences != 2 || tel.IDStatus != 2 || tel.File != rel ||
				recs["com.apple.ess tel:+15550100"].Occurrences != 2 {
				t.Errorf("records = %+v", recs)
			}
			wantEvent := timeline.Event{Time: t1, Event: "lookup",
				Description: "Lookup of mailto:'Attacker@Example.net' within com.apple.madrid (Status 1)"}
			if !slices.Contains(res.Events(), wantEvent) {
				t.Errorf("events = %v", res.Events())
			}
		})
	}
}

func TestIDStatusCacheOddFiles(t *testing.T) {
	tests := []struct {
		name    string
		plist   any
		raw     []byte
		wantErr error // nil with wantOK false: any error
		wantOK  bool
		records int
	}{
		{name: "absent", wantErr: module.ErrNoData},
		{name: "random bytes", raw: []byte("\x00\x01garbage\xff")},
		{name: "not a dict", plist: []any{"a", "b"}},
		{name: "odd values", wantOK: true, records: 2, plist: map[string]any{
			"svc":   map[string]any{"mailto:a@b.test": map[string]any{"LookupDate": "soon", "IDStatus": "x"}, "tel:1": "nope"},
			"other": "not a dict",
			"dates": map[string]any{"mailto:": map[string]any{"LookupDate": fixture.Epoch}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := fixture.NewBackup()
			switch {
			case tt.plist != nil:
				if err := b.Plist("HomeDomain", fixture.IDStatusCachePath, tt.plist); err != nil {
					t.Fatal(err)
				}
			case tt.raw != nil:
				b.File("HomeDomain", fixture.IDStatusCachePath, tt.raw)
			}
			res := moduletest.Run(t, NewIDStatusCache(), moduletest.OpenBackup(t, b))
			switch {
			case tt.wantOK && res.Err != nil, !tt.wantOK && res.Err == nil:
				t.Fatalf("err = %v", res.Err)
			case tt.wantErr != nil && !errors.Is(res.Err, tt.wantErr):
				t.Fatalf("err = %v, want %v", res.Err, tt.wantErr)
			}
			if len(res.Records) != tt.records || len(res.Observables()) > 1 {
				t.Errorf("records = %+v, observables %v", res.Records, res.Observables())
			}
			if tt.records > 0 && len(res.Events()) != 1 {
				t.Errorf("events = %v", res.Events())
			}
		})
	}
}
