package ios

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/internal/fixture"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/module/moduletest"
	"github.com/vigil-project/vigil/internal/timeline"
	"howett.net/plist"
)

const settingsProfile = "5F2C7A1E-3B4D-4E8F-9A0B-1C2D3E4F5A6B"

// settingsEvents: a planted change by a process in /private/var/tmp, an ordinary change by
// Settings, and one by a profile.
var settingsEvents = []fixture.MCSettingsEvent{
	{Path: []string{"Restrictions", "restrictedBool", "allowCameraUsage"}, Time: fixture.Epoch.Add(-2 * time.Hour),
		Event: "set", Process: "/private/var/tmp/UserEventAgent"},
	{Path: []string{"UserSettings", "restrictedBool", "allowAssistant"}, Time: fixture.Epoch.Add(-48 * time.Hour),
		Event: "set", Process: "Preferences"},
	{Path: []string{"SystemProfile", "restrictedBool", "forceEncryptedBackup", "value"}, Time: fixture.Epoch.Add(-72 * time.Hour),
		Event: "remove", Process: settingsProfile, Extra: map[string]any{"value": true, "blob": []byte{1}}},
}

func TestMCSettingsEvents(t *testing.T) {
	s := newSysdiagFixture(t)
	if err := fixture.SysdiagMCSettingsEvents(s, settingsEvents); err != nil {
		t.Fatal(err)
	}
	res := moduletest.Run(t, NewMCSettingsEvents(), openSysdiagFixture(t, s))
	if res.Err != nil || len(res.Problems) > 0 || len(res.Detections) > 0 {
		t.Fatalf("err %v, problems %v, detections %v", res.Err, res.Problems, res.Detections)
	}
	var got []string
	for _, r := range res.Records {
		e := r.(MCSettingsEvent)
		got = append(got, e.Setting+" "+e.Event+" "+e.Process)
	}
	want := []string{ // key order
		"Restrictions.restrictedBool.allowCameraUsage set /private/var/tmp/UserEventAgent",
		"SystemProfile.restrictedBool.forceEncryptedBackup.value remove " + settingsProfile,
		"UserSettings.restrictedBool.allowAssistant set Preferences",
	}
	if !slices.Equal(got, want) {
		t.Errorf("records = %q\nwant %q", got, want)
	}
	profile := res.Records[1].(MCSettingsEvent)
	if profile.Details["value"] != "true" || len(profile.Details) != 1 || profile.File != fixture.SysdiagMCSettingsEventsPath {
		t.Errorf("profile event = %+v", profile)
	}
	wantObs := []ioc.Observable{
		{Type: ioc.Process, Value: "/private/var/tmp/UserEventAgent"}, {Type: ioc.FilePath, Value: "/private/var/tmp/UserEventAgent"},
		{Type: ioc.ProfileID, Value: settingsProfile},
		{Type: ioc.Process, Value: "Preferences"},
	}
	if obs := res.Observables(); !slices.Equal(obs, wantObs) {
		t.Errorf("observables = %v", obs)
	}
	wantEv := timeline.Event{Time: fixture.Epoch.Add(-2 * time.Hour), Event: "settings_event",
		Description: "Setting Restrictions.restrictedBool.allowCameraUsage set by /private/var/tmp/UserEventAgent"}
	if ev := res.Events(); len(ev) != 3 || ev[0] != wantEv {
		t.Errorf("events = %v", ev)
	}
}

func TestMCSettingsEventsOddFiles(t *testing.T) {
	deep := map[string]any{"timestamp": fixture.Epoch, "process": "deep"}
	for range maxSettingsDepth + 2 {
		deep = map[string]any{"k": deep}
	}
	tests := []struct {
		name     string
		content  any // a plist value, or []byte written as is; nil writes no file
		wantErr  error
		anyErr   bool
		records  int
		problems int
	}{
		{"absent", nil, module.ErrNoData, false, 0, 0},
		{"random bytes", []byte{0xde, 0xad, 0xbe, 0xef, 0}, nil, true, 0, 0},
		{"empty file", []byte{}, module.ErrNoData, false, 0, 0},
		{"not a dictionary", []byte("<plist><array><string>x</string></array></plist>"), nil, true, 0, 0},
		{"odd types", map[string]any{
			"a": map[string]any{"timestamp": "2026-03-14T08:00:00.5", "event": 3, "process": []any{"x"}},
			"b": map[string]any{"timestamp": "not a date", "process": "p"},
			"c": "a string where a dictionary belongs", "d": []any{map[string]any{"timestamp": fixture.Epoch}},
		}, nil, false, 2, 0},
		{"too deep", deep, nil, false, 0, 1},
		{"no leaves (decoy process without timestamp)", map[string]any{"Restrictions": map[string]any{"process": "spy"}}, nil, false, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSysdiagFixture(t)
			switch c := tt.content.(type) {
			case nil:
			case []byte:
				s.File(fixture.SysdiagMCSettingsEventsPath, c)
			default:
				data, err := plist.Marshal(c, plist.XMLFormat)
				if err != nil {
					t.Fatal(err)
				}
				s.File(fixture.SysdiagMCSettingsEventsPath, data)
			}
			res := moduletest.Run(t, NewMCSettingsEvents(), openSysdiagFixture(t, s))
			if !wantOutcome(res.Err, tt.wantErr, tt.anyErr) {
				t.Fatalf("err = %v", res.Err)
			}
			if len(res.Records) != tt.records || len(res.Problems) != tt.problems {
				t.Errorf("records %d, problems %v", len(res.Records), res.Problems)
			}
			for _, o := range res.Observables() {
				if strings.Contains(o.Value, "spy") {
					t.Errorf("a key outside any event was reported: %v", o)
				}
			}
		})
	}
}
