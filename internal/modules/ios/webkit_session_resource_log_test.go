package ios

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"howett.net/plist"

	"github.com/vigil-project/vigil/internal/fixture"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/module/moduletest"
)

func TestWebKitSessionResourceLogMVTLayout(t *testing.T) {
	seen, touched := fixture.Epoch.Add(-2*time.Hour), fixture.Epoch.Add(-3*time.Hour)
	b := fixture.NewBackup()
	err := fixture.WebKitResourceLog(b, fixture.SafariAppDomain, []fixture.ResourceLogEntry{{
		Origin:                    "landing.example.com",
		RedirectsFrom:             []string{"shortener.example"},
		RedirectsTo:               []string{"planted-exploit.example", "landing.example.com"},
		Subframes:                 []string{"frames.example.net"},
		Subresources:              []string{"cdn.example.org"},
		HadUserInteraction:        true,
		LastSeen:                  seen,
		MostRecentUserInteraction: touched,
	}, {Origin: "quiet.example"}})
	if err != nil {
		t.Fatal(err)
	}
	res := moduletest.Run(t, NewWebKitSessionResourceLog(), moduletest.OpenBackup(t, b))
	if res.Err != nil || len(res.Problems) > 0 || len(res.Records) != 2 {
		t.Fatalf("err = %v, problems = %v, records = %d", res.Err, res.Problems, len(res.Records))
	}
	got := res.Records[0].(WebKitResourceLogEntry)
	want := WebKitResourceLogEntry{
		Origin: "landing.example.com", RedirectsFrom: []string{"shortener.example"},
		RedirectsTo: []string{"planted-exploit.example", "landing.example.com"},
		Subframes:   []string{"frames.example.net"}, Subresources: []string{"cdn.example.org"},
		HadUserInteraction: true, MostRecentUserInteraction: touched, LastSeen: seen,
		BackupDomain: fixture.SafariAppDomain, File: fixture.WebKitResourceLogPath,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("record:\n got %+v\nwant %+v", got, want)
	}
	wantObs := []ioc.Observable{{Type: ioc.Domain, Value: "landing.example.com"}, {Type: ioc.Domain, Value: "shortener.example"},
		{Type: ioc.Domain, Value: "planted-exploit.example"}, {Type: ioc.Domain, Value: "frames.example.net"},
		{Type: ioc.Domain, Value: "cdn.example.org"}}
	if obs := got.Observables(); !reflect.DeepEqual(obs, wantObs) {
		t.Errorf("observables = %+v", obs)
	}
	ev := res.Events()
	if len(ev) != 2 || ev[0].Event != "session_resource_last_seen" || !ev[0].Time.Equal(seen) ||
		ev[1].Event != "session_resource_user_interaction" || !ev[1].Time.Equal(touched) {
		t.Errorf("events = %+v", ev)
	}
	if quiet := res.Records[1].(WebKitResourceLogEntry); len(quiet.Events()) != 0 || len(quiet.Observables()) != 1 {
		t.Errorf("entry without times or lists: %+v", quiet)
	}
}

// The layout WebKit's keyed encoder writes since its model version 15: "…Domains" keys with
// {domain} items and times as Unix seconds.
func TestWebKitSessionResourceLogCurrentLayout(t *testing.T) {
	b := fixture.NewBackup()
	err := b.Plist(chromeDomain, fixture.WebKitResourceLogPath, map[string]any{"browsingStatistics": []any{
		map[string]any{
			"PrevalentResourceDomain":         "site.example",
			"subframeUnderTopFrameDomains":    []any{map[string]any{"domain": "frame.example"}},
			"subresourceUnderTopFrameDomains": []any{map[string]any{"domain": "https://res.example"}},
			"topFrameLinkDecorationsFrom":     []any{map[string]any{"domain": "tracker.example"}},
			"fontsFailedToLoad":               []any{map[string]any{"font": "Helvetica"}},
			"textWritten":                     []any{"not a domain"},
			"hadUserInteraction":              false,
			"lastSeen":                        float64(fixture.Epoch.Unix()),
			"mostRecentUserInteraction":       0.0,
		},
		"not a dictionary",
	}})
	if err != nil {
		t.Fatal(err)
	}
	res := moduletest.Run(t, NewWebKitSessionResourceLog(), moduletest.OpenBackup(t, b))
	if res.Err != nil || len(res.Records) != 1 || len(res.Problems) != 1 {
		t.Fatalf("err = %v, records = %d, problems = %v", res.Err, len(res.Records), res.Problems)
	}
	got := res.Records[0].(WebKitResourceLogEntry)
	if got.Origin != "site.example" || !reflect.DeepEqual(got.Subframes, []string{"frame.example"}) ||
		!reflect.DeepEqual(got.Other, map[string][]string{"topFrameLinkDecorationsFrom": {"tracker.example"}}) ||
		!got.LastSeen.Equal(fixture.Epoch) || !got.MostRecentUserInteraction.IsZero() {
		t.Errorf("record = %+v", got)
	}
	wantObs := []ioc.Observable{{Type: ioc.Domain, Value: "site.example"}, {Type: ioc.Domain, Value: "frame.example"},
		{Type: ioc.URL, Value: "https://res.example"}, {Type: ioc.Domain, Value: "tracker.example"}}
	if obs := res.Observables(); !reflect.DeepEqual(obs, wantObs) {
		t.Errorf("observables = %+v", obs)
	}
	if ev := res.Events(); len(ev) != 1 || ev[0].Event != "session_resource_last_seen" {
		t.Errorf("events = %+v", ev)
	}
}

func TestWebKitSessionResourceLogFailures(t *testing.T) {
	tests := []struct {
		name    string
		content any // a value to store as a plist, or raw []byte
		wantErr bool
		records int
	}{
		{"no browsingStatistics yet", map[string]any{"version": 1}, false, 0},
		{"browsingStatistics of the wrong type", map[string]any{"browsingStatistics": "x"}, true, 0},
		{"not a plist", []byte("\x00\x01garbage"), true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := fixture.NewBackup()
			if raw, ok := tt.content.([]byte); ok {
				b.File(fixture.SafariAppDomain, fixture.WebKitResourceLogPath, raw)
			} else if err := b.Plist(fixture.SafariAppDomain, fixture.WebKitResourceLogPath, tt.content); err != nil {
				t.Fatal(err)
			}
			res := moduletest.Run(t, NewWebKitSessionResourceLog(), moduletest.OpenBackup(t, b))
			if (res.Err != nil) != tt.wantErr || errors.Is(res.Err, module.ErrNoData) || len(res.Records) != tt.records {
				t.Fatalf("err = %v, records = %d", res.Err, len(res.Records))
			}
		})
	}
	t.Run("absent", func(t *testing.T) {
		res := moduletest.Run(t, NewWebKitSessionResourceLog(), moduletest.OpenBackup(t, fixture.NewBackup()))
		if !errors.Is(res.Err, module.ErrNoData) {
			t.Fatalf("err = %v, want ErrNoData", res.Err)
		}
	})
}

// FuzzWebKitResourceLogEntry feeds arbitrary plists through the entry parser: whatever types
// the file holds, parsing must not panic.
func FuzzWebKitResourceLogEntry(f *testing.F) {
	for _, doc := range []any{
		map[string]any{"browsingStatistics": []any{map[string]any{
			"PrevalentResourceOrigin": "a.example", "lastSeen": fixture.Epoch, "hadUserInteraction": true,
			"topFrameUniqueRedirectsTo": []any{map[string]any{"origin": "b.example", "count": uint64(1)}},
		}}},
		map[string]any{"browsingStatistics": []any{map[string]any{
			"PrevalentResourceDomain": 7, "lastSeen": "yesterday", "mostRecentUserInteraction": -1.5,
			"subframeUnderTopFrameDomains": []any{"x", 3, map[string]any{"domain": []any{}}},
		}}},
	} {
		data, err := plist.Marshal(doc, plist.BinaryFormat)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var doc map[string]any
		if _, err := plist.Unmarshal(data, &doc); err != nil {
			return
		}
		items, _ := doc["browsingStatistics"].([]any)
		for _, it := range items {
			if d, ok := it.(map[string]any); ok {
				e := parseResourceLogEntry(d)
				_, _ = e.Events(), e.Observables()
			}
		}
	})
}
