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

var (
	sfT1 = fixture.Epoch.Add(-3 * time.Hour)
	sfT2 = fixture.Epoch.Add(-2 * time.Hour)
)

// sfValid: a decoy news site and the planted exploit landing page; sfRejected: an icon
// Safari refused from a second attacker host.
var (
	sfValid = []fixture.SafariFaviconEntry{
		{PageURL: "https://evil-landing.example/x", IconURL: "https://evil-landing.example/favicon.ico", Time: sfT2},
		{PageURL: "https://news.example.org/", IconURL: "https://news.example.org/icon.png", Time: sfT1},
	}
	sfRejected = []fixture.SafariFaviconEntry{{PageURL: "https://news.example.org/", IconURL: "https://cdn.attacker.example/i.ico", Time: sfT2}}
)

func TestSafariFavicon(t *testing.T) {
	container := "private/var/mobile/Containers/Data/Application/" + fixture.ContainerUUID("AppDomain-com.apple.mobilesafari") +
		"/" + fixture.SafariFaviconContainerPath
	tests := []struct {
		name string
		path string
		opts fixture.SafariFaviconOptions
		want []string
	}{
		{"home folder", fixture.SafariFaviconPath, fixture.SafariFaviconOptions{}, []string{
			"valid https://news.example.org/ https://news.example.org/icon.png",
			"valid https://evil-landing.example/x https://evil-landing.example/favicon.ico",
			"rejected https://news.example.org/ https://cdn.attacker.example/i.ico",
		}},
		{"container, no rejected table", container, fixture.SafariFaviconOptions{NoRejectedTable: true}, []string{
			"valid https://news.example.org/ https://news.example.org/icon.png",
			"valid https://evil-landing.example/x https://evil-landing.example/favicon.ico",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := fixture.NewBackup()
			if err := fixture.SafariFavicons(b, tt.path, sfValid, sfRejected, tt.opts); err != nil {
				t.Fatal(err)
			}
			res := moduletest.Run(t, NewSafariFavicon(), moduletest.OpenFilesystem(t, b))
			if res.Err != nil || len(res.Problems) > 0 {
				t.Fatalf("err %v, problems %v", res.Err, res.Problems)
			}
			var got []string
			for _, r := range res.Records {
				f := r.(SafariFaviconRecord)
				got = append(got, f.Type+" "+f.PageURL+" "+f.IconURL)
				if f.Database != tt.path {
					t.Errorf("database = %q", f.Database)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("records = %q\nwant %q", got, tt.want)
			}
			obs := res.Observables()
			if len(obs) != 2*len(tt.want) || obs[2].Value != "https://evil-landing.example/x" || obs[3].Value != "https://evil-landing.example/favicon.ico" {
				t.Errorf("observables = %v", obs)
			}
			if ev := res.Events(); len(ev) != len(tt.want) || ev[1].Event != "safari_favicon" || !ev[1].Time.Equal(sfT2) {
				t.Errorf("events = %+v", ev)
			}
		})
	}
}

func TestSafariFaviconOddFiles(t *testing.T) {
	tests := []struct {
		name    string
		build   func(*fixture.Backup) error
		wantErr error // nil: any error
		wantOK  bool
	}{
		{"absent", func(*fixture.Backup) error { return nil }, module.ErrNoData, false},
		{"random bytes", func(b *fixture.Backup) error { b.Raw(fixture.SafariFaviconPath, []byte{1, 2, 3, 0xff}); return nil }, nil, false},
		{"no icon_info", func(b *fixture.Backup) error {
			return b.RawSQLite(fixture.SafariFaviconPath, `CREATE TABLE page_url (uuid TEXT, url TEXT);`)
		}, nil, false},
		{"odd values", func(b *fixture.Backup) error {
			return b.RawSQLite(fixture.SafariFaviconPath, `CREATE TABLE page_url (uuid, url); CREATE TABLE icon_info (uuid, url);
				INSERT INTO page_url VALUES (1, X'68747470733a2f2f612e6578616d706c65'), (2, NULL);
				INSERT INTO icon_info VALUES (1, 3.5), (2, NULL);`)
		}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := fixture.NewBackup()
			if err := tt.build(b); err != nil {
				t.Fatal(err)
			}
			res := moduletest.Run(t, NewSafariFavicon(), moduletest.OpenFilesystem(t, b))
			switch {
			case tt.wantOK && res.Err != nil:
				t.Fatalf("err = %v", res.Err)
			case !tt.wantOK && res.Err == nil:
				t.Fatal("no error")
			case tt.wantErr != nil && !errors.Is(res.Err, tt.wantErr):
				t.Fatalf("err = %v, want %v", res.Err, tt.wantErr)
			}
			if tt.wantOK && (len(res.Records) != 2 || res.Records[1].(SafariFaviconRecord).PageURL != "https://a.example") {
				t.Errorf("records = %+v", res.Records)
			}
		})
	}
}
