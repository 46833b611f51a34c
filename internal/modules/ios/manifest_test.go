package ios

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/vigil-project/vigil/internal/fixture"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/module/moduletest"
	"github.com/vigil-project/vigil/internal/timeline"
)

func manifestEntries(t *testing.T, res moduletest.Result) map[string]ManifestEntry {
	t.Helper()
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	out := map[string]ManifestEntry{}
	for _, r := range res.Records {
		e := r.(ManifestEntry)
		out[e.Domain+"/"+e.RelativePath] = e
	}
	return out
}

func TestManifestRecords(t *testing.T) {
	b := fixture.NewBackup()
	b.File("HomeDomain", "Library/Preferences/com.apple.x.plist", []byte("abc"))
	b.Dir("RootDomain", "Library/Caches")
	b.Listed("HomeDomain", "Library/Missing/content.db")
	b.Dir("AppDomain-com.example.app", "Library")
	b.Dir("SysSharedContainerDomain-systemgroup.com.apple.configurationprofiles", "Library/ConfigurationProfiles")
	b.Dir("HomeDomain", "")
	got := manifestEntries(t, moduletest.Run(t, NewManifest(), moduletest.OpenBackup(t, b)))
	if len(got) != 6 {
		t.Fatalf("records = %d, want 6 (the missing content is listed too)", len(got))
	}
	tests := []struct {
		key, devicePath, mode string
		flags                 int
		size                  int64
	}{
		{"HomeDomain/Library/Preferences/com.apple.x.plist", "/private/var/mobile/Library/Preferences/com.apple.x.plist", "0o100644", 1, 3},
		{"RootDomain/Library/Caches", "/private/var/root/Library/Caches", "0o40755", 2, 0},
		{"HomeDomain/Library/Missing/content.db", "/private/var/mobile/Library/Missing/content.db", "0o100644", 1, 0},
		{"AppDomain-com.example.app/Library", "", "0o40755", 2, 0},
		{"SysSharedContainerDomain-systemgroup.com.apple.configurationprofiles/Library/ConfigurationProfiles",
			"/private/var/containers/Shared/SystemGroup/systemgroup.com.apple.configurationprofiles/Library/ConfigurationProfiles", "0o40755", 2, 0},
		{"HomeDomain/", "", "0o40755", 2, 0},
	}
	for _, tt := range tests {
		e, ok := got[tt.key]
		if !ok {
			t.Errorf("%s: not listed", tt.key)
			continue
		}
		if e.DevicePath != tt.devicePath || e.Mode != tt.mode || e.Flags != tt.flags || e.Size != tt.size ||
			e.UserID != 501 || e.FileID != fixture.FileID(e.Domain, e.RelativePath) {
			t.Errorf("%s: record = %+v", tt.key, e)
		}
	}
	if obs := got["HomeDomain/"].Observables(); obs != nil {
		t.Errorf("domain root row observables = %v, want none", obs)
	}
}

func TestManifestObservables(t *testing.T) {
	tests := []struct {
		name, domain, path string
		want               []ioc.Observable
	}{
		{"planted WebKit origin", "AppDomain-com.apple.mobilesafari",
			"Library/WebKit/WebsiteData/LocalStorage/https_www.evil-domain.com_0.localstorage",
			[]ioc.Observable{
				{Type: ioc.FilePath, Value: "/Library/WebKit/WebsiteData/LocalStorage/https_www.evil-domain.com_0.localstorage"},
				{Type: ioc.Domain, Value: "www.evil-domain.com"}}},
		{"device path from domain root", "RootDomain", "Library/Caches/locationd/x",
			[]ioc.Observable{
				{Type: ioc.FilePath, Value: "/Library/Caches/locationd/x"},
				{Type: ioc.FilePath, Value: "/private/var/root/Library/Caches/locationd/x"}}},
		{"bundle id is no domain", "HomeDomain", "Library/Preferences/com.apple.mobilesafari.plist",
			[]ioc.Observable{
				{Type: ioc.FilePath, Value: "/Library/Preferences/com.apple.mobilesafari.plist"},
				{Type: ioc.FilePath, Value: "/private/var/mobile/Library/Preferences/com.apple.mobilesafari.plist"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := fixture.NewBackup()
			b.File(tt.domain, tt.path, []byte("x"))
			res := moduletest.Run(t, NewManifest(), moduletest.OpenBackup(t, b))
			manifestEntries(t, res)
			if got := res.Observables(); !slices.Equal(got, tt.want) {
				t.Errorf("observables = %v\nwant %v", got, tt.want)
			}
		})
	}
}

func TestManifestEvents(t *testing.T) {
	t0 := fixture.Epoch
	t1, t2 := t0.Add(time.Hour), t0.Add(2*time.Hour)
	tests := []struct {
		name  string
		times fixture.Times
		want  []timeline.Event
	}{
		{"all equal", fixture.Times{Birth: t0, Modified: t0, Changed: t0},
			[]timeline.Event{{Time: t0, Event: "M-CB"}}},
		{"modified and changed later", fixture.Times{Birth: t0, Modified: t1, Changed: t1},
			[]timeline.Event{{Time: t0, Event: "---B"}, {Time: t1, Event: "M-C-"}}},
		{"all distinct", fixture.Times{Birth: t0, Modified: t2, Changed: t1},
			[]timeline.Event{{Time: t0, Event: "---B"}, {Time: t1, Event: "--C-"}, {Time: t2, Event: "M---"}}},
		{"unknown birth", fixture.Times{Modified: t1, Changed: t1},
			[]timeline.Event{{Time: t1, Event: "M-C-"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := fixture.NewBackup()
			*b.File("HomeDomain", "Library/x.db", nil) = tt.times
			res := moduletest.Run(t, NewManifest(), moduletest.OpenBackup(t, b))
			manifestEntries(t, res)
			for i := range tt.want {
				tt.want[i].Description = "Library/x.db - HomeDomain"
			}
			if got := res.Events(); !slices.Equal(got, tt.want) {
				t.Errorf("events = %v\nwant %v", got, tt.want)
			}
		})
	}
}

func TestManifestCancelled(t *testing.T) {
	b := fixture.NewBackup()
	for i := range manifestCancelEvery + 1 {
		b.Dir("HomeDomain", fmt.Sprintf("d%05d", i))
	}
	a := moduletest.OpenBackup(t, b)
	temp, err := module.NewTempArea()
	if err != nil {
		t.Fatal(err)
	}
	defer temp.Remove()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err = NewManifest().Run(ctx, &module.Input{Acq: a, Temp: temp}, manifestDiscard{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

type manifestDiscard struct{}

func (manifestDiscard) Record(module.Record)       {}
func (manifestDiscard) Detection(module.Detection) {}
func (manifestDiscard) Problem(error)              {}

// BenchmarkManifest walks a manifest of 20,000 entries and asks each for its observables
// and events, as the scanner does.
func BenchmarkManifest(b *testing.B) {
	bk := fixture.NewBackup()
	for i := range 20000 {
		bk.Dir("AppDomain-com.apple.mobilesafari",
			fmt.Sprintf("Library/WebKit/WebsiteData/LocalStorage/https_site%d.example.com_0.localstorage", i))
	}
	a := moduletest.OpenBackup(b, bk)
	b.ResetTimer()
	for b.Loop() {
		res := moduletest.Run(b, NewManifest(), a)
		if res.Err != nil || len(res.Observables()) != 40000 || len(res.Events()) != 20000 {
			b.Fatalf("err %v, records %d", res.Err, len(res.Records))
		}
	}
}
