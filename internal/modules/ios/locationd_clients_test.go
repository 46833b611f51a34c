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

func TestLocationdClients(t *testing.T) {
	stopped := fixture.Epoch.Add(-5 * time.Hour)
	clients := []fixture.LocationdClient{
		{Key: "com.apple.Maps", BundleID: "com.apple.Maps", BundlePath: "/Applications/Maps.app", Registered: true,
			Times: map[string]time.Time{"ConsumptionPeriodBegin": fixture.Epoch.Add(-24 * time.Hour)}},
		{Key: "com.apple.locationd.bundle-/System/Library/LocationBundles/IonosphereHarvest.bundle:",
			BundlePath: "/System/Library/LocationBundles/IonosphereHarvest.bundle", Authorization: 2,
			Times: map[string]time.Time{"LocationTimeStopped": stopped, "VisitTimeStopped": stopped.Add(time.Minute)}},
		{Key: "/private/var/db/com.apple.xpc.roleaccountd.staging/subridged:", Executable: "/private/var/db/com.apple.xpc.roleaccountd.staging/subridged",
			Registered: "/private/var/db/com.apple.xpc.roleaccountd.staging/subridged"},
	}
	b := fixture.NewBackup()
	if err := fixture.LocationdClients(b, clients); err != nil {
		t.Fatal(err)
	}
	res := moduletest.Run(t, NewLocationdClients(), moduletest.OpenBackup(t, b))
	if res.Err != nil || len(res.Problems) > 0 || len(res.Records) != 3 {
		t.Fatalf("err = %v, problems = %v, records = %d (the migration counter must be skipped)", res.Err, res.Problems, len(res.Records))
	}
	// Sorted by key: "/private…", "com.apple.Maps", "com.apple.locationd…".
	planted, maps, bundle := res.Records[0].(LocationdClient), res.Records[1].(LocationdClient), res.Records[2].(LocationdClient)
	if planted.Client != "/private/var/db/com.apple.xpc.roleaccountd.staging/subridged" || planted.Registered != planted.Executable {
		t.Errorf("planted client = %+v", planted)
	}
	if maps.Registered != "true" || maps.BundleID != "com.apple.Maps" || len(maps.Times) != 1 {
		t.Errorf("Maps = %+v", maps)
	}
	wantTimes := []LocationdTime{{"VisitTimeStopped", stopped.Add(time.Minute)}, {"LocationTimeStopped", stopped}}
	if !slices.Equal(bundle.Times, wantTimes) || bundle.Authorization != 2 || bundle.Client[len(bundle.Client)-1] == ':' {
		t.Errorf("bundle client = %+v", bundle)
	}
	obs := res.Observables()
	for _, o := range []ioc.Observable{
		{Type: ioc.Process, Value: planted.Client},
		{Type: ioc.FilePath, Value: "/private/var/db/com.apple.xpc.roleaccountd.staging/subridged"},
		{Type: ioc.Process, Value: bundle.Client},
		{Type: ioc.AppID, Value: "com.apple.Maps"},
		{Type: ioc.FilePath, Value: "/System/Library/LocationBundles/IonosphereHarvest.bundle"},
	} {
		if !slices.Contains(obs, o) {
			t.Errorf("observables lack %+v", o)
		}
	}
	if slices.Contains(obs, ioc.Observable{Type: ioc.FilePath, Value: "true"}) {
		t.Error("a boolean Registered is not a path")
	}
	ev := res.Events()
	if len(ev) != 3 || ev[1].Event != "VisitTimeStopped" || ev[1].Description != "VisitTimeStopped from "+bundle.Client {
		t.Errorf("events = %+v", ev)
	}
}

func TestLocationdClientsDamage(t *testing.T) {
	t.Run("absent", func(t *testing.T) {
		res := moduletest.Run(t, NewLocationdClients(), moduletest.OpenBackup(t, fixture.NewBackup()))
		if !errors.Is(res.Err, module.ErrNoData) {
			t.Fatalf("err = %v", res.Err)
		}
	})
	for name, data := range map[string][]byte{
		"random bytes":      []byte("\x00\x01garbage that is no plist"),
		"truncated bplist":  []byte("bplist00\xd1\x01\x02"),
		"array, not a dict": []byte(`<?xml version="1.0"?><plist version="1.0"><array><string>x</string></array></plist>`),
	} {
		t.Run(name, func(t *testing.T) {
			b := fixture.NewBackup()
			b.File(fixture.LocationdDomain, fixture.LocationdClientsPath, data)
			res := moduletest.Run(t, NewLocationdClients(), moduletest.OpenBackup(t, b))
			if res.Err == nil || errors.Is(res.Err, module.ErrNoData) {
				t.Fatalf("err = %v", res.Err)
			}
		})
	}
}
