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

// redirectPair is an http:// visit redirected to a second visit after delay.
func redirectPair(from, to string, delay time.Duration) []fixture.SafariVisit {
	t := fixture.Epoch.Add(-time.Hour)
	return []fixture.SafariVisit{
		{ID: 1, URL: from, Time: t, RedirectDestination: 2},
		{ID: 2, URL: to, Time: t.Add(delay), RedirectSource: 1},
	}
}

func TestSafariHistoryFastRedirect(t *testing.T) {
	tests := []struct {
		name      string
		visits    []fixture.SafariVisit
		wantAlert bool
	}{
		{"injection to another site", redirectPair("http://news.example.com/", "https://free-downloads.example.net/x", 180*time.Millisecond), true},
		{"hosts MVT's character strip would confuse", redirectPair("http://web.example.com/", "https://eb.example.com/", 50*time.Millisecond), true},
		{"upper-case scheme", redirectPair("HTTP://news.example.com/", "https://other.example.org/", 10*time.Millisecond), true},
		{"https upgrade on the same host", redirectPair("http://example.com/a", "https://example.com/a", 20*time.Millisecond), false},
		{"www added by the upgrade", redirectPair("http://example.com/", "https://www.example.com/", 20*time.Millisecond), false},
		{"port does not make another site", redirectPair("http://example.com/", "https://example.com:8443/", 20*time.Millisecond), false},
		{"https source is not injectable", redirectPair("https://news.example.com/", "https://other.example.org/", 20*time.Millisecond), false},
		{"slow redirect", redirectPair("http://news.example.com/", "https://other.example.org/", 3*time.Second), false},
		{"exactly one second", redirectPair("http://news.example.com/", "https://other.example.org/", time.Second), false},
		{"destination visit missing", []fixture.SafariVisit{{ID: 1, URL: "http://news.example.com/", Time: fixture.Epoch, RedirectDestination: 9}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := fixture.NewBackup()
			if err := fixture.SafariHistory(b, tt.visits); err != nil {
				t.Fatal(err)
			}
			res := moduletest.Run(t, NewSafariHistory(), moduletest.OpenBackup(t, b))
			if res.Err != nil || len(res.Problems) > 0 {
				t.Fatalf("err = %v, problems = %v", res.Err, res.Problems)
			}
			if len(res.Records) != len(tt.visits) {
				t.Fatalf("records = %d, want %d", len(res.Records), len(tt.visits))
			}
			if got := len(res.Detections) == 1; got != tt.wantAlert {
				t.Fatalf("alert = %v (%+v), want %v", got, res.Detections, tt.wantAlert)
			}
			if !tt.wantAlert {
				return
			}
			d := res.Detections[0]
			first := res.Records[0].(SafariVisit)
			if d.Severity != module.Medium || d.Reference == "" || !d.Time.Equal(first.VisitTime) ||
				d.Evidence != tt.visits[0].URL+" → "+tt.visits[1].URL {
				t.Errorf("detection = %+v", d)
			}
		})
	}
}

func TestSafariHistoryRecords(t *testing.T) {
	b := fixture.NewBackup()
	visits := redirectPair("http://news.example.com/", "https://free-downloads.example.net/x", 100*time.Millisecond)
	visits = append(visits, fixture.SafariVisit{ID: 3, URL: "https://news.example.com/", Time: fixture.Epoch.Add(-time.Minute)})
	if err := fixture.SafariHistory(b, visits); err != nil {
		t.Fatal(err)
	}
	profile := "Library/Safari/Profiles/6A3F0D2C-1B5E-4C8A-9F10-2D4E6B8A0C1E/History.db"
	if err := fixture.SafariHistoryFunc(b, fixture.SafariDomain, profile, 1, func(int) fixture.SafariVisit {
		return fixture.SafariVisit{URL: "https://work.example.org/", Time: fixture.Epoch}
	}); err != nil {
		t.Fatal(err)
	}
	res := moduletest.Run(t, NewSafariHistory(), moduletest.OpenBackup(t, b))
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	var got []SafariVisit
	for _, r := range res.Records {
		got = append(got, r.(SafariVisit))
	}
	want := []SafariVisit{
		{ID: 1, URL: "http://news.example.com/", VisitTime: visits[0].Time, RedirectDestination: 2,
			RedirectURL: "https://free-downloads.example.net/x", BackupDomain: "HomeDomain", Database: fixture.SafariHistoryPath},
		{ID: 2, URL: "https://free-downloads.example.net/x", VisitTime: visits[1].Time, RedirectSource: 1,
			BackupDomain: "HomeDomain", Database: fixture.SafariHistoryPath},
		{ID: 3, URL: "https://news.example.com/", VisitTime: visits[2].Time, BackupDomain: "HomeDomain", Database: fixture.SafariHistoryPath},
		{ID: 1, URL: "https://work.example.org/", VisitTime: fixture.Epoch, BackupDomain: "HomeDomain", Database: profile},
	}
	if !slices.EqualFunc(got, want, func(a, b SafariVisit) bool { return a == b && a.VisitTime.Location() == time.UTC }) {
		t.Errorf("records:\n got %+v\nwant %+v", got, want)
	}
	ev := res.Events()
	if len(ev) != 4 || ev[0].Event != "safari_history" || !ev[0].Time.Equal(visits[0].Time) ||
		ev[0].Description != "Safari visit to http://news.example.com/ (redirected to https://free-downloads.example.net/x)" {
		t.Errorf("events = %+v", ev)
	}
	if obs := res.Observables(); !slices.Contains(obs, ioc.Observable{Type: ioc.URL, Value: "https://free-downloads.example.net/x"}) {
		t.Errorf("observables = %+v", obs)
	}
}

// oldHistory is a History.db from before Safari recorded redirects.
const oldHistory = `
CREATE TABLE history_items (id INTEGER PRIMARY KEY AUTOINCREMENT, url TEXT NOT NULL UNIQUE, visit_count INTEGER NOT NULL);
CREATE TABLE history_visits (id INTEGER PRIMARY KEY AUTOINCREMENT, history_item INTEGER NOT NULL, visit_time REAL NOT NULL, title TEXT);
INSERT INTO history_items VALUES (1, 'http://old.example.com/', 1);
INSERT INTO history_visits VALUES (7, 1, 500000000.5, 'Old');
`

func TestSafariHistorySchemaAndFailures(t *testing.T) {
	t.Run("without redirect columns", func(t *testing.T) {
		b := fixture.NewBackup()
		if err := b.SQLite("HomeDomain", fixture.SafariHistoryPath, oldHistory); err != nil {
			t.Fatal(err)
		}
		res := moduletest.Run(t, NewSafariHistory(), moduletest.OpenBackup(t, b))
		want := time.Date(2016, 11, 5, 0, 53, 20, 500000000, time.UTC)
		if res.Err != nil || len(res.Records) != 1 || !res.Records[0].(SafariVisit).VisitTime.Equal(want) {
			t.Fatalf("err = %v, records = %+v", res.Err, res.Records)
		}
	})
	t.Run("absent", func(t *testing.T) {
		res := moduletest.Run(t, NewSafariHistory(), moduletest.OpenBackup(t, fixture.NewBackup()))
		if !errors.Is(res.Err, module.ErrNoData) {
			t.Fatalf("err = %v, want ErrNoData", res.Err)
		}
	})
	t.Run("corrupt database", func(t *testing.T) {
		b := fixture.NewBackup()
		b.File("HomeDomain", fixture.SafariHistoryPath, []byte("SQLite format 3\x00 but then garbage \x13\x37"))
		res := moduletest.Run(t, NewSafariHistory(), moduletest.OpenBackup(t, b))
		if res.Err == nil || errors.Is(res.Err, module.ErrNoData) || len(res.Records) != 0 {
			t.Fatalf("err = %v, records = %d", res.Err, len(res.Records))
		}
	})
	t.Run("one good profile, one corrupt", func(t *testing.T) {
		b := fixture.NewBackup()
		b.File("HomeDomain", "Library/Safari/Profiles/X/History.db", []byte("not a database at all"))
		if err := fixture.SafariHistory(b, []fixture.SafariVisit{{URL: "https://a.example/", Time: fixture.Epoch}}); err != nil {
			t.Fatal(err)
		}
		res := moduletest.Run(t, NewSafariHistory(), moduletest.OpenBackup(t, b))
		if res.Err != nil || len(res.Records) != 1 || len(res.Problems) != 1 {
			t.Fatalf("err = %v, records = %d, problems = %v", res.Err, len(res.Records), res.Problems)
		}
	})
}
