package ios

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/internal/fixture"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/module/moduletest"
)

func TestProfileEvents(t *testing.T) {
	for _, capitalized := range []bool{false, true} {
		t.Run(map[bool]string{false: "lower-case keys", true: "capitalized keys"}[capitalized], func(t *testing.T) {
			events := []fixture.ProfileEvent{
				{ProfileID: "com.example.vpn", Operation: "install", Process: "/usr/libexec/mdmd", Time: fixture.Epoch.Add(-48 * time.Hour)},
				{ProfileID: "76DAB334-7E17-475D-A5D6-0794EB5818A5", Operation: "install",
					Process: "/private/var/tmp/UserEventAgent", Time: fixture.Epoch.Add(-time.Hour), KeysCapitalized: capitalized},
			}
			b := fixture.NewBackup()
			if err := fixture.ProfileEvents(b, events); err != nil {
				t.Fatal(err)
			}
			res := moduletest.Run(t, NewProfileEvents(), moduletest.OpenBackup(t, b))
			if res.Err != nil || len(res.Problems) > 0 || len(res.Records) != 2 {
				t.Fatalf("err = %v, problems = %v, records = %d", res.Err, res.Problems, len(res.Records))
			}
			got := res.Records[1].(ProfileEvent)
			want := ProfileEvent{ProfileID: events[1].ProfileID, Operation: "install", Process: "/private/var/tmp/UserEventAgent",
				Time: events[1].Time, File: fixture.ProfileEventsPath}
			if got != want {
				t.Errorf("event:\n got %+v\nwant %+v", got, want)
			}
			if len(res.Detections) != 2 {
				t.Fatalf("detections = %+v", res.Detections)
			}
			d := res.Detections[1]
			if d.Severity != module.Low || !d.Time.Equal(want.Time) || !strings.Contains(d.Message, want.ProfileID) || d.Reference == "" {
				t.Errorf("detection = %+v", d)
			}
			obs := res.Observables()
			for _, o := range []ioc.Observable{{Type: ioc.Process, Value: "/private/var/tmp/UserEventAgent"},
				{Type: ioc.ProfileID, Value: "76DAB334-7E17-475D-A5D6-0794EB5818A5"}, {Type: ioc.ProfileID, Value: "com.example.vpn"}} {
				if !slices.Contains(obs, o) {
					t.Errorf("observables lack %+v", o)
				}
			}
			ev := res.Events()
			if len(ev) != 2 || ev[1].Event != "profile_operation" ||
				ev[1].Description != "Process /private/var/tmp/UserEventAgent started operation install of profile "+want.ProfileID {
				t.Errorf("events = %+v", ev)
			}
		})
	}
}

func TestProfileEventsDamage(t *testing.T) {
	t.Run("absent", func(t *testing.T) {
		res := moduletest.Run(t, NewProfileEvents(), moduletest.OpenBackup(t, fixture.NewBackup()))
		if !errors.Is(res.Err, module.ErrNoData) {
			t.Fatalf("err = %v", res.Err)
		}
	})
	t.Run("odd values are skipped", func(t *testing.T) {
		b := fixture.NewBackup()
		doc := map[string]any{"ProfileEvents": []any{"text", map[string]any{"id-1": "not a dict"}, int64(3)}}
		if err := b.Plist(fixture.ProfilesDomain, fixture.ProfileEventsPath, doc); err != nil {
			t.Fatal(err)
		}
		res := moduletest.Run(t, NewProfileEvents(), moduletest.OpenBackup(t, b))
		if res.Err != nil || len(res.Records) != 1 || res.Records[0].(ProfileEvent).ProfileID != "id-1" {
			t.Fatalf("err = %v, records = %+v", res.Err, res.Records)
		}
	})
	t.Run("random bytes", func(t *testing.T) {
		b := fixture.NewBackup()
		b.File(fixture.ProfilesDomain, fixture.ProfileEventsPath, []byte("bplist00\x13\x37\xff\xff random"))
		res := moduletest.Run(t, NewProfileEvents(), moduletest.OpenBackup(t, b))
		if res.Err == nil || errors.Is(res.Err, module.ErrNoData) {
			t.Fatalf("err = %v", res.Err)
		}
	})
}
