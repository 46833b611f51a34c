package ios

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"howett.net/plist"

	"github.com/vigil-project/vigil/internal/fixture"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/module/moduletest"
)

func TestApplicationsProvenance(t *testing.T) {
	bought := fixture.Epoch.Add(-30 * 24 * time.Hour)
	tests := []struct {
		name       string
		app        fixture.App
		provenance string
		alert      string // a word the message must hold; "" for no alert
	}{
		{"App Store", fixture.App{BundleID: "com.example.notes", Name: "Notes+", SourceApp: "com.apple.AppStore", Purchased: bought}, ProvenanceAppStore, ""},
		{"App Store without sourceApp", fixture.App{BundleID: "com.example.old", Name: "Old", Purchased: bought}, ProvenanceAppStore, ""},
		{"product page", fixture.App{BundleID: "com.example.pp", SourceApp: "com.apple.AppStore.ProductPageExtension"}, ProvenanceAppStore, ""},
		{"MDM", fixture.App{BundleID: "com.corp.mail", SourceApp: "com.apple.dmd"}, ProvenanceMDM, ""},
		{"alternative marketplace", fixture.App{BundleID: "com.example.tracker", Name: "Tracker", SourceApp: "eu.example.marketplace"}, ProvenanceOther, "eu.example.marketplace"},
		{"TestFlight", fixture.App{BundleID: "com.example.beta", SourceApp: "com.apple.TestFlight"}, ProvenanceOther, "TestFlight"},
		{"sideloaded", fixture.App{BundleID: "com.spy.agent", NoStoreRecord: true}, ProvenanceNoStoreRecord, "no App Store record"},
		{"XML metadata", fixture.App{BundleID: "com.example.xml", SourceApp: "com.apple.AppStore", MetadataFormat: plist.XMLFormat}, ProvenanceAppStore, ""},
		{"metadata without bundle id", fixture.App{BundleID: "com.example.forged", NoMetadataID: true}, ProvenanceAppStore, "altered"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := fixture.NewBackup()
			// A decoy store app gives the backup App Store metadata, as real backups have.
			apps := []fixture.App{{BundleID: "com.example.decoy", SourceApp: "com.apple.AppStore"}, tt.app}
			if err := fixture.Applications(b, apps); err != nil {
				t.Fatal(err)
			}
			res := moduletest.Run(t, NewApplications(), moduletest.OpenBackup(t, b))
			if res.Err != nil || len(res.Problems) > 0 || len(res.Records) != 2 {
				t.Fatalf("err = %v, problems = %v, records = %d", res.Err, res.Problems, len(res.Records))
			}
			var got App
			for _, r := range res.Records {
				if a := r.(App); a.BundleID == tt.app.BundleID {
					got = a
				}
			}
			if got.Provenance != tt.provenance {
				t.Errorf("app = %+v, want provenance %s", got, tt.provenance)
			}
			if (len(res.Detections) > 0) != (tt.alert != "") {
				t.Fatalf("detections = %+v", res.Detections)
			}
			if tt.alert != "" {
				d := res.Detections[0]
				if d.Severity != module.Medium || !strings.Contains(d.Message, tt.alert) || d.Reference == "" || d.Record.(App).BundleID != tt.app.BundleID {
					t.Errorf("detection = %+v", d)
				}
			}
			if obs := res.Observables(); !slices.Contains(obs, ioc.Observable{Type: ioc.AppID, Value: tt.app.BundleID}) ||
				!slices.Contains(obs, ioc.Observable{Type: ioc.Process, Value: tt.app.BundleID}) {
				t.Errorf("observables = %+v", obs)
			}
		})
	}
}

func TestApplicationsRecord(t *testing.T) {
	b := fixture.NewBackup()
	bought := time.Date(2025, 11, 2, 8, 30, 0, 0, time.UTC)
	app := fixture.App{BundleID: "com.example.notes", Name: "Notes+", Artist: "Example Ltd", Version: "4.2",
		SourceApp: "com.apple.AppStore", Purchased: bought, Icon: []byte("\x89PNG fake")}
	if err := fixture.Applications(b, []fixture.App{app}); err != nil {
		t.Fatal(err)
	}
	res := moduletest.Run(t, NewApplications(), moduletest.OpenBackup(t, b))
	if res.Err != nil || len(res.Records) != 1 {
		t.Fatalf("err = %v, records = %d", res.Err, len(res.Records))
	}
	want := App{BundleID: "com.example.notes", Name: "Notes+", Artist: "Example Ltd", Version: "4.2", SourceApp: "com.apple.AppStore",
		Provenance: ProvenanceAppStore, PurchaseDate: bought, HasMetadata: true, Source: "Info.plist",
		IconSHA256: fmt.Sprintf("%x", sha256.Sum256(app.Icon))}
	if got := res.Records[0].(App); got != want {
		t.Errorf("app:\n got %+v\nwant %+v", res.Records[0], want)
	}
	ev := res.Events()
	if len(ev) != 1 || ev[0].Event != "app_installed" || !ev[0].Time.Equal(bought) ||
		ev[0].Description != "App Notes+ (com.example.notes) version 4.2 from Example Ltd installed from com.apple.AppStore" {
		t.Errorf("events = %+v", ev)
	}
}

func TestApplicationsDamage(t *testing.T) {
	t.Run("no app lists", func(t *testing.T) {
		res := moduletest.Run(t, NewApplications(), moduletest.OpenBackup(t, fixture.NewBackup()))
		if !errors.Is(res.Err, module.ErrNoData) {
			t.Fatalf("err = %v", res.Err)
		}
	})
	t.Run("backup tool without metadata flags nothing", func(t *testing.T) {
		b := fixture.NewBackup()
		b.Info["Installed Applications"] = []string{"com.example.a", "com.example.b"}
		// A backup tool's omission: on the device itself (the filesystem twin) these apps
		// really have no iTunesMetadata.plist, and are flagged there.
		res := moduletest.RunBackup(t, NewApplications(), moduletest.OpenBackup(t, b))
		if res.Err != nil || len(res.Records) != 2 || len(res.Detections) != 0 ||
			res.Records[0].(App).Provenance != ProvenanceUnknown {
			t.Fatalf("err = %v, records = %+v, detections = %+v", res.Err, res.Records, res.Detections)
		}
	})
	t.Run("corrupt metadata is a problem, not a crash", func(t *testing.T) {
		b := fixture.NewBackup()
		apps := []fixture.App{{BundleID: "com.example.ok", SourceApp: "com.apple.AppStore"},
			{BundleID: "com.example.bad", RawMetadata: []byte("bplist00\xff\xff\xff garbage")}}
		if err := fixture.Applications(b, apps); err != nil {
			t.Fatal(err)
		}
		res := moduletest.Run(t, NewApplications(), moduletest.OpenBackup(t, b))
		if res.Err != nil || len(res.Records) != 2 || len(res.Problems) != 1 || len(res.Detections) != 0 {
			t.Fatalf("err = %v, records = %d, problems = %v, detections = %+v", res.Err, len(res.Records), res.Problems, res.Detections)
		}
	})
	t.Run("odd value types", func(t *testing.T) {
		b := fixture.NewBackup()
		b.Info["Applications"] = map[string]any{"com.example.x": "not a dict", "com.example.y": map[string]any{"iTunesMetadata": "text"}}
		b.Info["Installed Applications"] = []any{int64(7), "com.example.x"}
		res := moduletest.Run(t, NewApplications(), moduletest.OpenBackup(t, b))
		if res.Err != nil || len(res.Records) != 2 {
			t.Fatalf("err = %v, records = %+v", res.Err, res.Records)
		}
	})
}

func TestApplicationsFilesystem(t *testing.T) {
	b := fixture.NewBackup()
	apps := []fixture.App{{BundleID: "com.example.notes", Name: "Notes+", SourceApp: "com.apple.AppStore", Purchased: fixture.Epoch},
		{BundleID: "com.spy.agent", NoStoreRecord: true}}
	if err := fixture.Applications(b, apps); err != nil {
		t.Fatal(err)
	}
	a := moduletest.OpenFilesystem(t, b)
	res := moduletest.Run(t, NewApplications(), a)
	if res.Err != nil || len(res.Records) != 2 || len(res.Detections) != 1 {
		t.Fatalf("err = %v, records = %+v, detections = %+v", res.Err, res.Records, res.Detections)
	}
	for _, r := range res.Records {
		app := r.(App)
		if !strings.HasPrefix(app.Source, "private/var/containers/Bundle/Application/") {
			t.Errorf("source = %q", app.Source)
		}
		if app.BundleID == "com.spy.agent" && (app.Provenance != ProvenanceNoStoreRecord || res.Detections[0].Record.(App).BundleID != app.BundleID) {
			t.Errorf("sideloaded app = %+v, detections = %+v", app, res.Detections)
		}
	}
	// Without the container metadata, the App Store record still names its app.
	found, _ := a.Source.Find("", bundleContainers+"*/"+containerMetadata)
	for _, f := range found {
		local, _ := a.Source.LocalPath(f)
		if err := os.Remove(local); err != nil {
			t.Fatal(err)
		}
	}
	res = moduletest.Run(t, NewApplications(), a)
	if res.Err != nil || len(res.Records) != 1 || res.Records[0].(App).BundleID != "com.example.notes" {
		t.Errorf("without container metadata: err = %v, records = %+v", res.Err, res.Records)
	}
}
