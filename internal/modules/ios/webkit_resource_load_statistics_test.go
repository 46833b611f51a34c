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

const chromeDomain = "AppDomain-com.google.chrome.ios"

func TestWebKitResourceLoadStatistics(t *testing.T) {
	seen := fixture.Epoch.Add(-48 * time.Hour)
	touched := fixture.Epoch.Add(-47 * time.Hour)
	domains := []fixture.ObservedDomain{
		{Domain: "planted-c2.example", LastSeen: seen, HadUserInteraction: true, MostRecentUserInteraction: touched},
		{Domain: "news.example.org", LastSeen: seen.Add(time.Minute)},
	}
	tests := []struct {
		name      string
		build     func(b *fixture.Backup, domain string, d []fixture.ObservedDomain) error
		wantTouch time.Time
	}{
		{"current schema", fixture.WebKitObservations, touched},
		{"without the optional columns", fixture.WebKitObservationsMinimal, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := fixture.NewBackup()
			if err := tt.build(b, fixture.SafariAppDomain, domains); err != nil {
				t.Fatal(err)
			}
			if err := tt.build(b, chromeDomain, domains[1:]); err != nil {
				t.Fatal(err)
			}
			res := moduletest.Run(t, NewWebKitResourceLoadStatistics(), moduletest.OpenBackup(t, b))
			if res.Err != nil || len(res.Problems) > 0 {
				t.Fatalf("err = %v, problems = %v", res.Err, res.Problems)
			}
			want := []WebKitObservedDomain{
				{DomainID: 1, RegistrableDomain: "planted-c2.example", LastSeen: seen, HadUserInteraction: true,
					MostRecentUserInteraction: tt.wantTouch, BackupDomain: fixture.SafariAppDomain, Database: fixture.WebKitObservationsPath},
				{DomainID: 2, RegistrableDomain: "news.example.org", LastSeen: seen.Add(time.Minute),
					BackupDomain: fixture.SafariAppDomain, Database: fixture.WebKitObservationsPath},
				{DomainID: 1, RegistrableDomain: "news.example.org", LastSeen: seen.Add(time.Minute),
					BackupDomain: chromeDomain, Database: fixture.WebKitObservationsPath},
			}
			var got []WebKitObservedDomain
			for _, r := range res.Records {
				got = append(got, r.(WebKitObservedDomain))
			}
			if !slices.EqualFunc(got, want, func(a, b WebKitObservedDomain) bool {
				return a.DomainID == b.DomainID && a.RegistrableDomain == b.RegistrableDomain && a.LastSeen.Equal(b.LastSeen) &&
					a.HadUserInteraction == b.HadUserInteraction && a.MostRecentUserInteraction.Equal(b.MostRecentUserInteraction) &&
					a.MostRecentWebPushInteraction.IsZero() && a.BackupDomain == b.BackupDomain && a.Database == b.Database
			}) {
				t.Errorf("records:\n got %+v\nwant %+v", got, want)
			}
			if obs := res.Observables(); !slices.Contains(obs, ioc.Observable{Type: ioc.Domain, Value: "planted-c2.example"}) {
				t.Errorf("observables = %+v", obs)
			}
			ev := res.Events()
			if len(ev) != 3 || ev[0].Event != "visit" || !ev[0].Time.Equal(seen) ||
				ev[0].Description != "planted-c2.example visited in "+fixture.SafariAppDomain+" (with user interaction)" {
				t.Errorf("events = %+v", ev)
			}
		})
	}
}

func TestWebKitResourceLoadStatisticsFailures(t *testing.T) {
	t.Run("absent", func(t *testing.T) {
		res := moduletest.Run(t, NewWebKitResourceLoadStatistics(), moduletest.OpenBackup(t, fixture.NewBackup()))
		if !errors.Is(res.Err, module.ErrNoData) {
			t.Fatalf("err = %v, want ErrNoData", res.Err)
		}
	})
	t.Run("no ObservedDomains table", func(t *testing.T) {
		b := fixture.NewBackup()
		if err := b.SQLite(fixture.SafariAppDomain, fixture.WebKitObservationsPath, `CREATE TABLE other (x);`); err != nil {
			t.Fatal(err)
		}
		res := moduletest.Run(t, NewWebKitResourceLoadStatistics(), moduletest.OpenBackup(t, b))
		if res.Err == nil || errors.Is(res.Err, module.ErrNoData) {
			t.Fatalf("err = %v", res.Err)
		}
	})
	t.Run("corrupt database beside a good one", func(t *testing.T) {
		b := fixture.NewBackup()
		b.File(chromeDomain, fixture.WebKitObservationsPath, []byte{0xde, 0xad, 0xbe, 0xef})
		if err := fixture.WebKitObservations(b, fixture.SafariAppDomain, []fixture.ObservedDomain{{Domain: "a.example", LastSeen: fixture.Epoch}}); err != nil {
			t.Fatal(err)
		}
		res := moduletest.Run(t, NewWebKitResourceLoadStatistics(), moduletest.OpenBackup(t, b))
		if res.Err != nil || len(res.Records) != 1 || len(res.Problems) != 1 {
			t.Fatalf("err = %v, records = %d, problems = %v", res.Err, len(res.Records), res.Problems)
		}
	})
}
