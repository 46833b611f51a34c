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

func TestChromeHistory(t *testing.T) {
	b := fixture.NewBackup()
	visits := []fixture.ChromeVisit{
		{URL: "https://weather.example.com/", Title: "Weather", Time: fixture.Epoch.Add(-3 * time.Hour)},
		{URL: "http://promo.example.net/win", Time: fixture.Epoch.Add(-2 * time.Hour)},
		{URL: "https://exploit-landing.example.org/p", Time: fixture.Epoch.Add(-2*time.Hour + 300*time.Millisecond), FromVisit: 2},
	}
	if err := fixture.ChromeHistory(b, visits); err != nil {
		t.Fatal(err)
	}
	res := moduletest.Run(t, NewChromeHistory(), moduletest.OpenBackup(t, b))
	if res.Err != nil || len(res.Problems) > 0 || len(res.Records) != 3 {
		t.Fatalf("err = %v, problems = %v, records = %d", res.Err, res.Problems, len(res.Records))
	}
	got := res.Records[2].(ChromeVisit)
	want := ChromeVisit{ID: 3, URLID: 3, URL: "https://exploit-landing.example.org/p", VisitTime: visits[2].Time,
		FromVisit: 2, Transition: 0x30000000, Database: fixture.ChromeHistoryPath}
	if got != want || got.VisitTime.Location() != time.UTC {
		t.Errorf("visit:\n got %+v\nwant %+v", got, want)
	}
	if obs := res.Observables(); len(obs) != 3 || !slices.Contains(obs, ioc.Observable{Type: ioc.URL, Value: want.URL}) {
		t.Errorf("observables = %+v", obs)
	}
	if ev := res.Events(); len(ev) != 3 || ev[0].Event != "visit" || !ev[0].Time.Equal(visits[0].Time) {
		t.Errorf("events = %+v", ev)
	}
}

func TestChromeFavicon(t *testing.T) {
	icons := []fixture.ChromeFavicon{
		{PageURL: "https://shop.example.com/", IconURL: "https://shop.example.com/favicon.ico", LastUpdated: fixture.Epoch.Add(-time.Hour)},
		{PageURL: "https://c2.example.net/login", IconURL: "https://cdn.example.net/i.png", LastRequested: fixture.Epoch.Add(-2 * time.Hour)},
		{PageURL: "https://never.example.org/", IconURL: "https://never.example.org/x.ico", NoBitmap: true},
	}
	for _, v7 := range []bool{false, true} {
		t.Run(map[bool]string{false: "version 8", true: "version 7"}[v7], func(t *testing.T) {
			b := fixture.NewBackup()
			if err := fixture.ChromeFavicons(b, icons, fixture.ChromeFaviconOptions{Version7: v7}); err != nil {
				t.Fatal(err)
			}
			res := moduletest.Run(t, NewChromeFavicon(), moduletest.OpenBackup(t, b))
			if res.Err != nil || len(res.Records) != 3 {
				t.Fatalf("err = %v, records = %d", res.Err, len(res.Records))
			}
			var got []ChromeFaviconRecord
			for _, r := range res.Records {
				got = append(got, r.(ChromeFaviconRecord))
			}
			// Undated records sort first; version 7 has no last_requested to date the second.
			wantPages := []string{"https://never.example.org/", "https://c2.example.net/login", "https://shop.example.com/"}
			if v7 {
				wantPages = []string{"https://c2.example.net/login", "https://never.example.org/", "https://shop.example.com/"}
			}
			for i, p := range wantPages {
				if got[i].PageURL != p {
					t.Errorf("record %d = %+v, want page %s", i, got[i], p)
				}
			}
			if dated := got[1]; !v7 && !dated.Time.Equal(fixture.Epoch.Add(-2*time.Hour)) {
				t.Errorf("last_requested fallback: %+v", dated)
			}
			if !slices.Contains(res.Observables(), ioc.Observable{Type: ioc.URL, Value: "https://cdn.example.net/i.png"}) {
				t.Errorf("observables = %+v", res.Observables())
			}
			wantEvents := map[bool]int{false: 2, true: 1}[v7]
			if ev := res.Events(); len(ev) != wantEvents || ev[0].Event != "new_favicon" {
				t.Errorf("events = %+v", ev)
			}
		})
	}
}

func TestChromeDamage(t *testing.T) {
	for _, m := range []module.Module{NewChromeHistory(), NewChromeFavicon()} {
		t.Run(m.Name()+" absent", func(t *testing.T) {
			res := moduletest.Run(t, m, moduletest.OpenBackup(t, fixture.NewBackup()))
			if !errors.Is(res.Err, module.ErrNoData) {
				t.Fatalf("err = %v", res.Err)
			}
		})
		for name, data := range map[string][]byte{
			"corrupt": []byte("SQLite format 3\x00 \x13\x37 garbage"),
			"wrong":   mustSQLite(t, `CREATE TABLE visits (id); CREATE TABLE icon_mapping (id);`),
		} {
			t.Run(m.Name()+" "+name, func(t *testing.T) {
				b := fixture.NewBackup()
				b.File(fixture.ChromeDomain, fixture.ChromeHistoryPath, data)
				b.File(fixture.ChromeDomain, fixture.ChromeFaviconsPath, data)
				res := moduletest.Run(t, m, moduletest.OpenBackup(t, b))
				if res.Err == nil || errors.Is(res.Err, module.ErrNoData) || len(res.Records) != 0 {
					t.Fatalf("err = %v, records = %d", res.Err, len(res.Records))
				}
			})
		}
	}
}
