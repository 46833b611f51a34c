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

// browserTabs are a tab whose history passed through an exploit page and a plain one.
func browserTabs() []fixture.SafariTab {
	return []fixture.SafariTab{
		{Title: "News", URL: "https://news.example.com/today", LastViewed: fixture.Epoch.Add(-2 * time.Hour),
			Session: []fixture.SafariSessionEntry{
				{URL: "https://news.example.com/", Title: "News"},
				{URL: "https://landing.example.net/x", OriginalURL: "http://bit.example.org/abc", Data: []byte("state")},
				{URL: "https://news.example.com/today", Title: "Today"},
			}},
		{Title: "Recipes", URL: "https://recipes.example.org/", LastViewed: fixture.Epoch.Add(-time.Hour), Private: true,
			Session: []fixture.SafariSessionEntry{{URL: "https://recipes.example.org/"}}},
	}
}

func TestSafariBrowserStateVariants(t *testing.T) {
	tests := []struct {
		name string
		opts fixture.BrowserStateOptions
	}{
		{"iOS 12+ tab_sessions", fixture.BrowserStateOptions{}},
		{"LZ4-compressed session state", fixture.BrowserStateOptions{Compress: true}},
		{"iOS 11 session_data in tabs", fixture.BrowserStateOptions{Legacy: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := fixture.NewBackup()
			if err := fixture.SafariBrowserState(b, browserTabs(), tt.opts); err != nil {
				t.Fatal(err)
			}
			res := moduletest.Run(t, NewSafariBrowserState(), moduletest.OpenBackup(t, b))
			if res.Err != nil || len(res.Problems) > 0 || len(res.Records) != 2 {
				t.Fatalf("err = %v, problems = %v, records = %d", res.Err, res.Problems, len(res.Records))
			}
			first, second := res.Records[0].(SafariTab), res.Records[1].(SafariTab)
			wantSession := []SafariSessionEntry{
				{URL: "https://news.example.com/", Title: "News"},
				{URL: "https://landing.example.net/x", OriginalURL: "http://bit.example.org/abc", DataLength: 5},
				{URL: "https://news.example.com/today", Title: "Today"},
			}
			if first.URL != "https://news.example.com/today" || !slices.Equal(first.Session, wantSession) ||
				first.Database != fixture.SafariBrowserStatePath || first.BackupDomain != "HomeDomain" {
				t.Errorf("first tab = %+v", first)
			}
			if !second.Private || !second.LastViewed.Equal(fixture.Epoch.Add(-time.Hour)) {
				t.Errorf("second tab = %+v", second)
			}
			obs := res.Observables()
			for _, u := range []string{"http://bit.example.org/abc", "https://landing.example.net/x", "https://recipes.example.org/"} {
				if !slices.Contains(obs, ioc.Observable{Type: ioc.URL, Value: u}) {
					t.Errorf("observables lack %s: %+v", u, obs)
				}
			}
			if len(obs) != 5 { // duplicates of the tab URL are dropped
				t.Errorf("observables = %+v", obs)
			}
			ev := res.Events()
			if len(ev) != 2 || ev[0].Event != "tab" || !ev[0].Time.Equal(fixture.Epoch.Add(-2*time.Hour)) {
				t.Errorf("events = %+v", ev)
			}
		})
	}
}

func TestSafariBrowserStateDamage(t *testing.T) {
	t.Run("absent", func(t *testing.T) {
		res := moduletest.Run(t, NewSafariBrowserState(), moduletest.OpenBackup(t, fixture.NewBackup()))
		if !errors.Is(res.Err, module.ErrNoData) {
			t.Fatalf("err = %v, want ErrNoData", res.Err)
		}
	})
	t.Run("corrupt database", func(t *testing.T) {
		b := fixture.NewBackup()
		b.File("HomeDomain", fixture.SafariBrowserStatePath, []byte("SQLite format 3\x00\x10\x00garbage"))
		res := moduletest.Run(t, NewSafariBrowserState(), moduletest.OpenBackup(t, b))
		if res.Err == nil || errors.Is(res.Err, module.ErrNoData) {
			t.Fatalf("err = %v", res.Err)
		}
	})
	t.Run("damaged session state keeps the tab", func(t *testing.T) {
		tabs := []fixture.SafariTab{
			{URL: "https://a.example.com/", RawSession: []byte("\x00\x00\x00\x02bplist00 truncated")},
			{URL: "https://b.example.com/", RawSession: []byte("bv41\xff\xff\x00\x00\x04\x00\x00\x00\xf0\xff\xff\xff")},
			{URL: "https://c.example.com/", NoSessionRow: true},
		}
		b := fixture.NewBackup()
		if err := fixture.SafariBrowserState(b, tabs, fixture.BrowserStateOptions{}); err != nil {
			t.Fatal(err)
		}
		res := moduletest.Run(t, NewSafariBrowserState(), moduletest.OpenBackup(t, b))
		if res.Err != nil || len(res.Records) != 3 || len(res.Problems) != 2 {
			t.Fatalf("err = %v, records = %d, problems = %v", res.Err, len(res.Records), res.Problems)
		}
		if got := res.Records[2].(SafariTab); got.URL != "https://c.example.com/" || got.SessionError != "" {
			t.Errorf("tab without session = %+v", got)
		}
	})
	t.Run("no tabs table", func(t *testing.T) {
		b := fixture.NewBackup()
		if err := b.SQLite("HomeDomain", fixture.SafariBrowserStatePath, `CREATE TABLE other (x);`); err != nil {
			t.Fatal(err)
		}
		res := moduletest.Run(t, NewSafariBrowserState(), moduletest.OpenBackup(t, b))
		if res.Err == nil || errors.Is(res.Err, module.ErrNoData) {
			t.Fatalf("err = %v", res.Err)
		}
	})
}

func TestDecodeSafariSessionPlain(t *testing.T) {
	data, err := fixture.SafariSessionData([]fixture.SafariSessionEntry{{URL: "https://x.example/"}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodeSafariSession(data, int64(len(data)))
	if err != nil || len(got) != 1 || got[0].URL != "https://x.example/" {
		t.Fatalf("got %+v, %v", got, err)
	}
	if _, err := decodeSafariSession(data[:3], 0); err == nil {
		t.Error("3 bytes must not decode")
	}
}
