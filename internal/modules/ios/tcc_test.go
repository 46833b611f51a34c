package ios

import (
	"cmp"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/vigil-project/vigil/internal/fixture"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/module/moduletest"
)

// tccEntries are an app with the camera and a process path with the microphone.
func tccEntries() []fixture.TCCEntry {
	return []fixture.TCCEntry{
		{Service: "kTCCServiceCamera", Client: "net.whatsapp.WhatsApp", AuthValue: 2, AuthReason: 2, Allowed: 1, Prompts: 1,
			Modified: fixture.Epoch.Add(-48 * time.Hour)},
		{Service: "kTCCServiceMicrophone", Client: "/private/var/tmp/com.apple.avcapture", ClientType: 1, AuthValue: 2,
			AuthReason: 4, Allowed: 1, Modified: fixture.Epoch.Add(-time.Hour)},
	}
}

func TestTCCSchemas(t *testing.T) {
	tests := []struct {
		schema     fixture.TCCSchema
		name       string
		want       TCCAccess // the path client, without Database
		wantEvents int
	}{
		{fixture.TCCv3, "v3", TCCAccess{Service: "kTCCServiceMicrophone", Client: "/private/var/tmp/com.apple.avcapture",
			ClientType: "absolute_path", AuthValue: "allowed", AuthReason: "system_set", LastModified: fixture.Epoch.Add(-time.Hour), Schema: "v3"}, 2},
		{fixture.TCCv2, "v2", TCCAccess{Service: "kTCCServiceMicrophone", Client: "/private/var/tmp/com.apple.avcapture",
			ClientType: "absolute_path", Allowed: "allowed", LastModified: fixture.Epoch.Add(-time.Hour), Schema: "v2"}, 2},
		{fixture.TCCv1, "v1", TCCAccess{Service: "kTCCServiceMicrophone", Client: "/private/var/tmp/com.apple.avcapture",
			ClientType: "absolute_path", Allowed: "allowed", Schema: "v1"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := fixture.NewBackup()
			if err := fixture.TCC(b, tt.schema, tccEntries()); err != nil {
				t.Fatal(err)
			}
			res := moduletest.Run(t, NewTCC(), moduletest.OpenBackup(t, b))
			if res.Err != nil || len(res.Problems) > 0 || len(res.Records) != 2 {
				t.Fatalf("err = %v, problems = %v, records = %d", res.Err, res.Problems, len(res.Records))
			}
			var got TCCAccess
			for _, r := range res.Records {
				if a := r.(TCCAccess); a.ClientType == "absolute_path" {
					got = a
				}
			}
			got.Database, got.PromptCount = "", nil
			if got != tt.want {
				t.Errorf("path client:\n got %+v\nwant %+v", got, tt.want)
			}
			ev := res.Events()
			if len(ev) != tt.wantEvents || len(ev) > 0 && (ev[0].Event != "AccessRequest" ||
				ev[0].Description != "Access to kTCCServiceCamera by net.whatsapp.WhatsApp allowed") {
				t.Errorf("events = %+v", ev)
			}
			wantObs := []ioc.Observable{
				{Type: ioc.AppID, Value: "net.whatsapp.WhatsApp"}, {Type: ioc.Process, Value: "net.whatsapp.WhatsApp"},
				{Type: ioc.Process, Value: "/private/var/tmp/com.apple.avcapture"}, {Type: ioc.FilePath, Value: "/private/var/tmp/com.apple.avcapture"},
			}
			obs := res.Observables()
			slices.SortFunc(obs, compareObservable)
			slices.SortFunc(wantObs, compareObservable)
			if !slices.Equal(obs, wantObs) {
				t.Errorf("observables = %+v", obs)
			}
		})
	}
}

func compareObservable(a, b ioc.Observable) int {
	return cmp.Or(cmp.Compare(a.Type, b.Type), cmp.Compare(a.Value, b.Value))
}

func TestTCCOddValues(t *testing.T) {
	b := fixture.NewBackup()
	if err := b.SQLite(fixture.TCCDomain, fixture.TCCPath, `
		CREATE TABLE access (service TEXT, client BLOB, client_type INTEGER, auth_value INTEGER, auth_reason INTEGER, last_modified INTEGER);
		INSERT INTO access VALUES ('kTCCServicePhotos', CAST('com.example.app' AS BLOB), NULL, 9, 42, NULL);`); err != nil {
		t.Fatal(err)
	}
	res := moduletest.Run(t, NewTCC(), moduletest.OpenBackup(t, b))
	if res.Err != nil || len(res.Records) != 1 {
		t.Fatalf("err = %v, records = %d", res.Err, len(res.Records))
	}
	got := res.Records[0].(TCCAccess)
	if got.Client != "com.example.app" || got.ClientType != "bundle_id" || got.AuthValue != "9" || got.AuthReason != "42" ||
		!got.LastModified.IsZero() || len(got.Events()) != 0 {
		t.Errorf("record = %+v", got)
	}
}

func TestTCCDamage(t *testing.T) {
	t.Run("absent", func(t *testing.T) {
		res := moduletest.Run(t, NewTCC(), moduletest.OpenBackup(t, fixture.NewBackup()))
		if !errors.Is(res.Err, module.ErrNoData) {
			t.Fatalf("err = %v", res.Err)
		}
	})
	for name, data := range map[string][]byte{
		"corrupt":          []byte("SQLite format 3\x00 \x13\x37 garbage"),
		"no access table":  mustSQLite(t, `CREATE TABLE admin (key, value);`),
		"unknown decision": mustSQLite(t, `CREATE TABLE access (service, client, client_type, verdict);`),
	} {
		t.Run(name, func(t *testing.T) {
			b := fixture.NewBackup()
			b.File(fixture.TCCDomain, fixture.TCCPath, data)
			res := moduletest.Run(t, NewTCC(), moduletest.OpenBackup(t, b))
			if res.Err == nil || errors.Is(res.Err, module.ErrNoData) {
				t.Fatalf("err = %v", res.Err)
			}
		})
	}
}
