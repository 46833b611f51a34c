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
)

var (
	anT1 = fixture.Epoch.Add(-40 * 24 * time.Hour)
	anT2 = fixture.Epoch.Add(-10 * 24 * time.Hour)
	anT3 = fixture.Epoch.Add(-24 * time.Hour)
)

// anRows: a decoy TLS failure of an Apple daemon, the planted process and host (nested,
// which MVT would miss), a row that is not a plist, and builds across an update.
var anRows = []fixture.AnalyticsRow{
	{Table: "soft_failures", Time: anT2, Data: map[string]any{"build": "21E236", "process": "nsurlsessiond",
		"peer": "gateway.icloud.com", "attempts": int64(3)}},
	{Table: "hard_failures", Time: anT1, Data: map[string]any{"build": "21D61", "process": "ckksd"}},
	{Table: "all_events", Time: anT3, Data: map[string]any{"build": "22A3354", "event": map[string]any{
		"process": "roleaccountd", "hosts": []any{"c2.attacker.example", "apple.com"}}}},
	{Table: "all_events", Time: anT3.Add(time.Hour), Raw: []byte("not a plist \xff")},
}

func analyticsDump(t *testing.T, opts fixture.AnalyticsOptions, rows []fixture.AnalyticsRow) *fixture.Backup {
	t.Helper()
	b := fixture.NewBackup()
	if err := fixture.AnalyticsDB(b, "TLS_analytics.db", rows, opts); err != nil {
		t.Fatal(err)
	}
	return b
}

func TestAnalytics(t *testing.T) {
	res := moduletest.Run(t, NewAnalytics(), moduletest.OpenFilesystem(t, analyticsDump(t, fixture.AnalyticsOptions{}, anRows)))
	if res.Err != nil || len(res.Problems) > 0 {
		t.Fatalf("err %v, problems %v", res.Err, res.Problems)
	}
	if len(res.Records) != 4 {
		t.Fatalf("records = %d", len(res.Records))
	}
	var tables []string
	for _, r := range res.Records {
		tables = append(tables, r.(AnalyticsRecord).Table)
	}
	if want := []string{"hard_failures", "soft_failures", "all_events", "all_events"}; !slices.Equal(tables, want) {
		t.Errorf("order = %q", tables)
	}
	obs := res.Observables()
	for _, o := range []ioc.Observable{{Type: ioc.Process, Value: "roleaccountd"}, {Type: ioc.URL, Value: "c2.attacker.example"},
		{Type: ioc.Process, Value: "nsurlsessiond"}, {Type: ioc.URL, Value: "gateway.icloud.com"}} {
		if !slices.Contains(obs, o) {
			t.Errorf("missing %v in %v", o, obs)
		}
	}
	if bad := res.Records[3].(AnalyticsRecord); bad.DataError == "" || bad.Data != nil {
		t.Errorf("undecodable row = %+v", bad)
	}
	ev := res.Events()
	if len(ev) != 4 || ev[1].Event != "TLS_analytics.db" || !ev[1].Time.Equal(anT2) ||
		ev[1].Description != "soft_failures attempts=3 build=21E236 peer=gateway.icloud.com process=nsurlsessiond" {
		t.Errorf("events = %+v", ev)
	}
}

func TestAnalyticsIOSVersions(t *testing.T) {
	for _, opts := range []fixture.AnalyticsOptions{{}, {NoAllEvents: true}} {
		rows := slices.Clone(anRows)
		rows = append(rows, fixture.AnalyticsRow{Table: "hard_failures", Time: anT1.Add(-time.Hour),
			Data: map[string]any{"build": "21D61"}}) // earlier: dates that build
		if opts.NoAllEvents {
			rows = slices.DeleteFunc(rows, func(r fixture.AnalyticsRow) bool { return r.Table == "all_events" })
		}
		res := moduletest.Run(t, NewAnalyticsIOSVersions(), moduletest.OpenFilesystem(t, analyticsDump(t, opts, rows)))
		if res.Err != nil || len(res.Problems) > 0 {
			t.Fatalf("err %v, problems %v", res.Err, res.Problems)
		}
		want := []AnalyticsIOSVersion{{"21D61", "17.3", anT1.Add(-time.Hour)}, {"21E236", "17.4", anT2}, {"22A3354", "18.0", anT3}}
		if opts.NoAllEvents {
			want = want[:2]
		}
		var got []AnalyticsIOSVersion
		for _, r := range res.Records {
			got = append(got, r.(AnalyticsIOSVersion))
		}
		if !slices.EqualFunc(got, want, func(a, b AnalyticsIOSVersion) bool {
			return a.Build == b.Build && a.Version == b.Version && a.FirstSeen.Equal(b.FirstSeen)
		}) {
			t.Errorf("no all_events %v: versions = %+v\nwant %+v", opts.NoAllEvents, got, want)
		}
		if ev := res.Events(); ev[0].Event != "analytics_ios_version" || ev[0].Description != "Seen iOS version 17.3 (21D61)" {
			t.Errorf("events = %+v", ev)
		}
	}
}

func TestAnalyticsOddFiles(t *testing.T) {
	tests := []struct {
		name    string
		build   func(*fixture.Backup) error
		wantErr error // nil: any error
	}{
		{"absent", func(*fixture.Backup) error { return nil }, module.ErrNoData},
		{"random bytes", func(b *fixture.Backup) error { b.Raw(fixture.AnalyticsDir+"/x.db", []byte{9, 9, 9, 0xfe}); return nil }, nil},
		{"no analytics tables", func(b *fixture.Backup) error {
			return b.RawSQLite(fixture.AnalyticsDir+"/x.db", `CREATE TABLE other (x);`)
		}, nil},
	}
	for _, tt := range tests {
		for _, m := range []module.Module{NewAnalytics(), NewAnalyticsIOSVersions()} {
			t.Run(tt.name+" "+m.Name(), func(t *testing.T) {
				b := fixture.NewBackup()
				if err := tt.build(b); err != nil {
					t.Fatal(err)
				}
				res := moduletest.Run(t, m, moduletest.OpenFilesystem(t, b))
				if res.Err == nil || tt.wantErr != nil && !errors.Is(res.Err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", res.Err, tt.wantErr)
				}
			})
		}
	}
}

func TestPlistJSONSafe(t *testing.T) {
	got := plistJSONSafe(map[string]any{"a": []any{float64(0) / zero(), time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}, "b": "x"})
	arr := got.(map[string]any)["a"].([]any)
	if arr[0] != "NaN" || arr[1] == nil {
		t.Errorf("got %#v", got)
	}
	if _, ok := arr[1].(string); !ok {
		t.Errorf("far date not made printable: %#v", arr[1])
	}
}

func zero() float64 { return 0 }
