package ios

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/vigil-project/vigil/internal/fixture"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/module/moduletest"
)

func TestVersionHistory(t *testing.T) {
	paris := time.FixedZone("CET", 3600)
	older := time.Date(2025, 11, 2, 9, 15, 30, 0, paris) // local time with its offset
	newer := time.Date(2026, 1, 20, 23, 5, 0, 0, time.FixedZone("PST", -8*3600))
	b := fixture.NewBackup()
	for _, j := range []struct {
		name string
		at   time.Time
		ver  string
	}{{"2026-01-21-000000", newer, "iPhone OS 26.2 (23C55)"}, {"2025-11-02-091530", older, "iPhone OS 18.6.2 (22G100)"}} {
		if err := fixture.AnalyticsJournal(b, j.name, j.at, j.ver); err != nil {
			t.Fatal(err)
		}
	}
	b.Raw(fixture.AnalyticsJournalDir+"/Analytics-Journal-broken.ips", []byte("{not json\n"))
	b.Raw(fixture.AnalyticsJournalDir+"/Analytics-Journal-no-version.ips", []byte(`{"timestamp":"2026-01-01 00:00:00.00 +0000"}`))
	res := moduletest.Run(t, NewVersionHistory(), moduletest.OpenFilesystem(t, b))
	if res.Err != nil || len(res.Problems) != 2 {
		t.Fatalf("err %v, problems %v", res.Err, res.Problems)
	}
	var got []string
	for _, e := range res.Events() {
		got = append(got, e.Time.Format(time.RFC3339)+" "+e.Event+" "+e.Description)
	}
	want := []string{
		"2025-11-02T08:15:30Z ios_version Recorded iOS version iPhone OS 18.6.2 (22G100)",
		"2026-01-21T07:05:00Z ios_version Recorded iOS version iPhone OS 26.2 (23C55)",
	}
	if !slices.Equal(got, want) {
		t.Errorf("events = %q\nwant %q", got, want)
	}
}

func TestVersionHistoryOddFiles(t *testing.T) {
	for _, tt := range []struct {
		name    string
		data    []byte
		wantErr error
	}{
		{"absent", nil, module.ErrNoData},
		{"binary", []byte{0, 0xff, 0x13, '\n'}, nil},
		{"empty", []byte{}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b := fixture.NewBackup()
			if tt.data != nil {
				b.Raw(fixture.AnalyticsJournalDir+"/Analytics-Journal-x.ips", tt.data)
			}
			res := moduletest.Run(t, NewVersionHistory(), moduletest.OpenFilesystem(t, b))
			if res.Err == nil || tt.wantErr != nil && !errors.Is(res.Err, tt.wantErr) {
				t.Errorf("err = %v", res.Err)
			}
		})
	}
}
