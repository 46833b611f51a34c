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

// firefoxBackup holds a benign visit, a visit to a planted site and their favicons, one
// dated in milliseconds.
func firefoxBackup(t *testing.T) *fixture.Backup {
	t.Helper()
	b := fixture.NewBackup()
	visits := []fixture.FirefoxVisit{
		{URL: "https://maps.example.com/", Title: "Maps", Time: fixture.Epoch.Add(-3 * time.Hour), Type: 2},
		{URL: "https://track.example.net/r?id=7", Time: fixture.Epoch.Add(-time.Hour), Type: 1, Remote: true},
	}
	icons := []fixture.FirefoxFavicon{
		{URL: "https://maps.example.com/favicon.ico", Pages: []string{"https://maps.example.com/"}, Width: 32, Height: 32,
			Date: fixture.Epoch.Add(-3 * time.Hour)},
		{URL: "https://cdn.example.org/icon.png", Pages: []string{"https://track.example.net/r?id=7", "https://other.example.org/"},
			Date: fixture.Epoch.Add(-time.Hour), DateMillis: true},
	}
	if err := fixture.FirefoxBrowserDB(b, visits, icons); err != nil {
		t.Fatal(err)
	}
	return b
}

func TestFirefoxHistory(t *testing.T) {
	res := moduletest.Run(t, NewFirefoxHistory(), moduletest.OpenBackup(t, firefoxBackup(t)))
	if res.Err != nil || len(res.Problems) > 0 || len(res.Records) != 2 {
		t.Fatalf("err = %v, problems = %v, records = %d", res.Err, res.Problems, len(res.Records))
	}
	got := res.Records[1].(FirefoxVisit)
	want := FirefoxVisit{ID: 2, SiteID: 2, URL: "https://track.example.net/r?id=7", VisitTime: fixture.Epoch.Add(-time.Hour),
		Type: 1, Database: fixture.FirefoxBrowserDBPath}
	if got != want {
		t.Errorf("visit:\n got %+v\nwant %+v", got, want)
	}
	if !res.Records[0].(FirefoxVisit).IsLocal {
		t.Error("first visit is local")
	}
	if obs := res.Observables(); !slices.Equal(obs, []ioc.Observable{{Type: ioc.URL, Value: "https://maps.example.com/"},
		{Type: ioc.URL, Value: want.URL}}) {
		t.Errorf("observables = %+v", obs)
	}
	ev := res.Events()
	if len(ev) != 2 || ev[1].Event != "firefox_history" || ev[1].Description != "Firefox visit with ID 2 to URL: "+want.URL {
		t.Errorf("events = %+v", ev)
	}
}

func TestFirefoxFavicon(t *testing.T) {
	res := moduletest.Run(t, NewFirefoxFavicon(), moduletest.OpenBackup(t, firefoxBackup(t)))
	if res.Err != nil || len(res.Records) != 3 {
		t.Fatalf("err = %v, records = %d", res.Err, len(res.Records))
	}
	last := res.Records[2].(FirefoxFaviconRecord)
	if last.URL != "https://cdn.example.org/icon.png" || last.PageURL != "https://other.example.org/" ||
		!last.Date.Equal(fixture.Epoch.Add(-time.Hour)) {
		t.Errorf("record dated in milliseconds = %+v", last)
	}
	first := res.Records[0].(FirefoxFaviconRecord)
	if first.Width != 32 || !first.Date.Equal(fixture.Epoch.Add(-3*time.Hour)) {
		t.Errorf("record dated in seconds = %+v", first)
	}
	obs := res.Observables()
	for _, u := range []string{"https://cdn.example.org/icon.png", "https://track.example.net/r?id=7"} {
		if !slices.Contains(obs, ioc.Observable{Type: ioc.URL, Value: u}) {
			t.Errorf("observables lack %s", u)
		}
	}
	if ev := res.Events(); len(ev) != 3 || ev[0].Event != "firefox_history" {
		t.Errorf("events = %+v", ev)
	}
}

func TestFirefoxDamage(t *testing.T) {
	for _, m := range []module.Module{NewFirefoxHistory(), NewFirefoxFavicon()} {
		t.Run(m.Name()+" absent", func(t *testing.T) {
			res := moduletest.Run(t, m, moduletest.OpenBackup(t, fixture.NewBackup()))
			if !errors.Is(res.Err, module.ErrNoData) {
				t.Fatalf("err = %v", res.Err)
			}
		})
		for name, data := range map[string][]byte{
			"corrupt":         []byte("SQLite format 3\x00 \x13\x37 garbage"),
			"missing history": mustSQLite(t, `CREATE TABLE visits (id, siteID, date); CREATE TABLE favicons (id, url); CREATE TABLE favicon_sites (siteID, faviconID);`),
		} {
			t.Run(m.Name()+" "+name, func(t *testing.T) {
				b := fixture.NewBackup()
				b.File(fixture.FirefoxDomain, fixture.FirefoxBrowserDBPath, data)
				res := moduletest.Run(t, m, moduletest.OpenBackup(t, b))
				if res.Err == nil || errors.Is(res.Err, module.ErrNoData) {
					t.Fatalf("err = %v", res.Err)
				}
			})
		}
	}
}
