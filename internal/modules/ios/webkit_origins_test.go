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

const wkApp = "AppDomain-com.example.reader"

var (
	wkFolderTime = fixture.Epoch.Add(-5 * time.Hour)
	wkV1Time     = fixture.Epoch.Add(-4 * time.Hour)
)

// wkEntries: the planted exploit origin, a decoy site, a non-default port, SQLite
// companions and storage kinds that name no site.
var wkEntries = []string{
	"https_evil-landing.example_0.localstorage",
	"https_evil-landing.example_0.localstorage-wal",
	"http_news.example.org_8080.localstorage",
	"Databases.db",
	"httpcache.db",
}

func TestWebKitFolders(t *testing.T) {
	tests := []struct {
		name   string
		module module.Module
		build  func(*fixture.Backup)
		want   []string // URLs, in order
		event  string   // "" for no timeline
	}{
		{"local storage", NewWebKitLocalStorage(), func(b *fixture.Backup) {
			fixture.WebKitFolder(b, wkApp, fixture.WebKitLocalStorageDir, wkFolderTime, wkEntries...)
		}, []string{"http://news.example.org:8080", "https://evil-landing.example"}, "webkit_local_storage"},
		{"indexeddb, old and versioned layouts", NewWebKitIndexedDB(), func(b *fixture.Backup) {
			fixture.WebKitFolder(b, wkApp, fixture.WebKitIndexedDBDir, wkFolderTime, "https_evil-landing.example_0/", "v1/")
			fixture.WebKitFolder(b, wkApp, fixture.WebKitIndexedDBDir+"/v1", wkV1Time, "https_top.example_0/")
			fixture.WebKitFolder(b, wkApp, fixture.WebKitIndexedDBDir+"/v1/https_top.example_0", wkV1Time, "https_tracker.example_443/")
		}, []string{"https://evil-landing.example", "https://top.example", "https://tracker.example:443"}, "webkit_indexeddb"},
		{"safari view service", NewWebKitSafariViewService(), func(b *fixture.Backup) {
			fixture.WebKitFolder(b, wkApp, fixture.WebKitSafariViewServiceDir, wkFolderTime, "https_direct.example_0/")
			fixture.WebKitFolder(b, wkApp, fixture.WebKitSafariViewServiceDir+"/LocalStorage", wkFolderTime, wkEntries...)
		}, []string{"https://direct.example", "http://news.example.org:8080", "https://evil-landing.example"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := fixture.NewBackup()
			tt.build(b)
			res := moduletest.Run(t, tt.module, moduletest.OpenFilesystem(t, b))
			if res.Err != nil || len(res.Problems) > 0 {
				t.Fatalf("err %v, problems %v", res.Err, res.Problems)
			}
			var got []string
			for _, o := range res.Observables() {
				got = append(got, o.Value)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("observables = %q\nwant %q", got, tt.want)
			}
			for _, e := range res.Events() {
				if e.Event != tt.event || !(e.Time.Equal(wkFolderTime) || e.Time.Equal(wkV1Time)) {
					t.Errorf("event %+v", e)
				}
			}
			if n := len(res.Events()); (tt.event == "") != (n == 0) {
				t.Errorf("%d events", n)
			}
			first := res.Records[0].(WebKitOrigin)
			if first.EntryModified.IsZero() || first.Folder == "" {
				t.Errorf("record = %+v", first)
			}
		})
	}
}

func TestWebKitFoldersAbsent(t *testing.T) {
	b := fixture.NewBackup()
	// A file where the IndexedDB folder should be is not the folder.
	b.Raw("private/var/mobile/Containers/Data/Application/X/Library/WebKit/WebsiteData/IndexedDB", []byte("x"))
	for _, m := range []module.Module{NewWebKitIndexedDB(), NewWebKitLocalStorage(), NewWebKitSafariViewService()} {
		if res := moduletest.Run(t, m, moduletest.OpenFilesystem(t, b)); !errors.Is(res.Err, module.ErrNoData) {
			t.Errorf("%s: err = %v", m.Name(), res.Err)
		}
	}
}

func TestWebKitOriginURL(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"https_example.com_0", "https://example.com", true},
		{"https_example.com_0.localstorage", "https://example.com", true},
		{"http_192.0.2.7_8000", "http://192.0.2.7:8000", true},
		{"https_example.com", "https://example.com", true},
		{"https_example.com_0.localstorage-shm", "", false},
		{"https_", "", false},
		{"httpx_example.com_0", "", false},
		{"file__0", "", false},
	}
	for _, tt := range tests {
		if got, ok := webKitOriginURL(tt.in); got != tt.want || ok != tt.ok {
			t.Errorf("webKitOriginURL(%q) = %q, %v", tt.in, got, ok)
		}
	}
}
