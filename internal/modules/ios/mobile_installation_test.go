package ios

import (
	"slices"
	"testing"
	"time"

	"github.com/vigil-project/vigil/internal/fixture"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/module/moduletest"
)

var (
	miZone = time.FixedZone("", 3600) // the test sysdiagnose's zone
	miT1   = fixture.Epoch.Add(-3 * 24 * time.Hour)
	miT2   = fixture.Epoch.Add(-26 * time.Hour)
	// miPlanted: a developer build (stalkerware sideloaded from a computer), the same app
	// reinstalled, and an app installed by an unknown program.
	miPlanted = []fixture.AppInstall{
		{Time: miT1.In(miZone), BundleID: "com.spy.agent", Version: "3", ShortVersion: "1.0.3", Type: "Developer", Client: "streaming_zip_conduit", ClientPID: 700},
		{Time: miT1.Add(time.Hour).In(miZone), BundleID: "com.spy.agent", Version: "3", ShortVersion: "1.0.3", Type: "Developer", Client: "streaming_zip_conduit", ClientPID: 701},
		{Time: miT2.In(miZone), BundleID: "com.example.tool", Version: "9", ShortVersion: "9.0", Client: "Calculator", ClientPID: 342},
		{Action: fixture.ActionReboot, Time: miT2.Add(time.Hour).In(miZone)},
	}
)

// demoInstalls are the decoys written in the test sysdiagnose's zone.
func demoInstalls() []fixture.AppInstall {
	out := slices.Clone(fixture.DemoAppInstalls)
	for i := range out {
		out[i].Time = out[i].Time.In(miZone)
	}
	return out
}

func TestMobileInstallation(t *testing.T) {
	a := openSysdiagnoseFixture(t, func(s *fixture.Sysdiagnose) {
		fixture.SysdiagMobileInstallation(s, 0, miPlanted, fixture.InstallLogOptions{})
		fixture.SysdiagMobileInstallation(s, 1, demoInstalls(), fixture.InstallLogOptions{})
	})
	res := moduletest.Run(t, NewMobileInstallation(), a)
	if res.Err != nil || len(res.Problems) > 0 {
		t.Fatalf("err %v, problems %v", res.Err, res.Problems)
	}
	want := []string{
		"medium app_install com.spy.agent (type Developer, requested by streaming_zip_conduit)",
		"medium app_install com.example.tool (type Customer, requested by Calculator)",
	}
	if got := sysdiagDetections(res.Detections); !slices.Equal(got, want) {
		t.Errorf("detections = %q\nwant %q", got, want)
	}
	for _, d := range res.Detections {
		if d.Reference == "" || d.Message == "" || d.Time.IsZero() || d.Record == nil {
			t.Errorf("detection %+v", d)
		}
	}
	if d := res.Detections[0]; !d.Time.Equal(miT1.Add(2 * time.Second)) {
		t.Errorf("developer install at %v, want %v", d.Time, miT1.Add(2*time.Second))
	}
	spy := res.Detections[0].Record.(AppInstallEvent)
	if spy.Version != "3" || spy.ShortVersion != "1.0.3" || spy.Source != sourceDeveloper || spy.ClientPID != 700 ||
		spy.TimeZone != "+01:00" || spy.LocalTime != miT1.Add(2*time.Second).In(miZone).Format(time.DateTime) {
		t.Errorf("spy record = %+v", spy)
	}
	if ev := spy.Events(); len(ev) != 1 || ev[0].Description != "App com.spy.agent installed, version 3, type Developer, requested by streaming_zip_conduit" {
		t.Errorf("spy events = %v", ev)
	}
	var events []string
	for _, r := range res.Records {
		e := r.(AppInstallEvent)
		if e.File == fixture.SysdiagInstallDir+"/mobile_installation.log.1" {
			events = append(events, e.Event+" "+e.BundleID+" "+e.Source+" "+e.Client)
		}
	}
	wantEvents := []string{
		"app_install_requested  App Store appstored", "app_installing org.whispersystems.signal App Store appstored",
		"app_install org.whispersystems.signal App Store appstored", "app_container_live org.whispersystems.signal  ",
		"app_install_requested  App Store installcoordinationd", "app_installing org.whispersystems.signal App Store installcoordinationd",
		"app_delta_update org.whispersystems.signal App Store installcoordinationd", "app_update org.whispersystems.signal App Store installcoordinationd",
		"app_container_live org.whispersystems.signal  ",
		"app_install_requested  App Store lsd", "app_installing com.example.weather App Store lsd",
		"app_install com.example.weather App Store lsd", "app_container_live com.example.weather  ",
		"app_uninstall_requested com.example.weather  lsd", "app_uninstall com.example.weather  lsd", "app_container_destroyed com.example.weather  ",
	}
	if !slices.Equal(events, wantEvents) {
		t.Errorf("events =\n%q\nwant\n%q", events, wantEvents)
	}
	for _, o := range []ioc.Observable{{Type: ioc.AppID, Value: "com.spy.agent"}, {Type: ioc.AppID, Value: "com.example.weather"}} {
		if !slices.Contains(res.Observables(), o) {
			t.Errorf("missing observable %v", o)
		}
	}
	if n := len(res.Events()); n != len(res.Records) {
		t.Errorf("%d events for %d records", n, len(res.Records))
	}
}

func TestMobileInstallationVariants(t *testing.T) {
	legacy := fixture.InstallLogOptions{Legacy: true}
	tests := []struct {
		name     string
		build    func(*fixture.Sysdiagnose)
		noZone   bool
		want     []string
		problems int
		wantErr  error
		check    func(*testing.T, []module.Record)
	}{
		{"clean", func(s *fixture.Sysdiagnose) {
			fixture.SysdiagMobileInstallation(s, 0, demoInstalls(), fixture.InstallLogOptions{})
		},
			false, nil, 0, nil, nil},
		{"iOS 12 wording: the type comes from the request", func(s *fixture.Sysdiagnose) {
			fixture.SysdiagMobileInstallation(s, 0, append(demoInstalls(), miPlanted[0]), legacy)
		}, false, []string{"medium app_install com.spy.agent (type Developer, requested by streaming_zip_conduit)"}, 0, nil,
			func(t *testing.T, recs []module.Record) {
				last := recs[len(recs)-1].(AppInstallEvent)
				if last.Event != "app_container_live" {
					t.Errorf("last record %+v", last)
				}
			}},
		{"no time zone known", func(s *fixture.Sysdiagnose) {
			fixture.SysdiagMobileInstallation(s, 0, miPlanted[2:3], fixture.InstallLogOptions{})
		}, true, []string{"medium app_install com.example.tool (type Customer, requested by Calculator)"}, 0, nil,
			func(t *testing.T, recs []module.Record) {
				e := recs[0].(AppInstallEvent)
				// Without an offset the device's clock is read as UTC: one hour late here.
				if e.TimeZone != unknownZone || !e.Time.Equal(miT2.Add(time.Hour)) {
					t.Errorf("record %+v", e)
				}
			}},
		{"a request that never completed is not matched to a later install", func(s *fixture.Sysdiagnose) {
			stale := []byte(fixture.DemoAppInstalls[0].Time.Add(-time.Hour).In(miZone).Format("Mon Jan _2 15:04:05 2006") + " [446] <notice> (0x1) f: Install of \"/var/mobile/Media/PublicStaging/x.ipa\" " +
				"type Developer (LSInstallType = (null)) requested by streaming_zip_conduit (pid 9)\n")
			s.File(fixture.SysdiagInstallDir+"/mobile_installation.log.0", append(stale, fixture.MobileInstallationLog(demoInstalls(), fixture.InstallLogOptions{})...))
		}, false, nil, 0, nil, nil},
		{"rotated log starting mid-entry", func(s *fixture.Sysdiagnose) {
			s.File(fixture.SysdiagInstallDir+"/mobile_installation.log.0", append([]byte("    WaitForStorageDeletion = 0;\n}\n"),
				fixture.MobileInstallationLog(miPlanted[2:3], fixture.InstallLogOptions{})...))
		}, false, []string{"medium app_install com.example.tool (type Customer, requested by Calculator)"}, 0, nil, nil},
		{"one log garbage", func(s *fixture.Sysdiagnose) {
			s.File(fixture.SysdiagInstallDir+"/mobile_installation.log.0", []byte{0xde, 0xad, 0xbe, 0xef, '\n', 0})
			fixture.SysdiagMobileInstallation(s, 1, miPlanted[2:3], fixture.InstallLogOptions{})
		}, false, []string{"medium app_install com.example.tool (type Customer, requested by Calculator)"}, 1, nil, nil},
		{"every log garbage", func(s *fixture.Sysdiagnose) {
			s.File(fixture.SysdiagInstallDir+"/mobile_installation.log.0", []byte("\x00\x01\x02 not a log\n"))
		}, false, nil, 0, errSysdiagAny, nil},
		{"absent", func(s *fixture.Sysdiagnose) { s.File(fixture.SysdiagInstallDir+"/other.log", []byte("x")) }, false, nil, 0, module.ErrNoData, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := openSysdiagnoseFixture(t, tt.build)
			if tt.noZone {
				a.Facts.UTCOffset = nil
			}
			res := moduletest.Run(t, NewMobileInstallation(), a)
			if !sysdiagOutcome(res.Err, tt.wantErr) || len(res.Problems) != tt.problems {
				t.Fatalf("err %v, problems %v", res.Err, res.Problems)
			}
			if got := sysdiagDetections(res.Detections); !slices.Equal(got, tt.want) {
				t.Errorf("detections = %q\nwant %q", got, tt.want)
			}
			if tt.check != nil {
				tt.check(t, res.Records)
			}
		})
	}
}

// TestInstallSource pins the plain words for each installer.
func TestInstallSource(t *testing.T) {
	for _, tc := range []struct{ typ, client, want string }{
		{"Customer", "appstored", sourceAppStore},
		{"Placeholder", "lsd", sourceAppStore},
		{"Developer", "installcoordinationd", sourceDeveloper},
		{"System", "", sourceSystem},
		{"Customer", "mobile_installation_proxy", sourceComputer},
		{"Customer", "mdmd", sourceMDM},
		{"Customer", "managedappdistributiond", sourceMarket},
		{"Customer", "", ""},
		{"Customer", "Calculator", "the program Calculator"},
	} {
		if got := installSource(tc.typ, tc.client); got != tc.want {
			t.Errorf("installSource(%q, %q) = %q, want %q", tc.typ, tc.client, got, tc.want)
		}
	}
}
