package ios

import (
	"errors"
	"slices"
	"testing"

	"github.com/vigil-project/vigil/internal/fixture"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/module/moduletest"
)

func TestConfigurationProfilesSysdiagnose(t *testing.T) {
	hidden := fixture.Profile{UUID: "76DAB334-7E17-475D-A5D6-0794EB5818A5", Identifier: "com.example.hide",
		DisplayName: "Notifications", PayloadTypes: []string{"com.apple.notificationsettings"},
		InstallDate: fixture.Epoch, SignerCerts: [][]byte{[]byte("cert")}}
	vpn := fixture.Profile{UUID: "0B0D1E2F-0000-4000-8000-00000000AAAA", Identifier: "com.example.vpn",
		DisplayName: "Work VPN", PayloadTypes: []string{"com.apple.vpn.managed"}, SignerCerts: [][]byte{[]byte("cert")}}
	tests := []struct {
		name       string
		build      func(*fixture.Sysdiagnose) error
		err        error
		anyErr     bool
		detections []string
		problems   int
	}{
		{"planted and decoy, with an empty stub", func(s *fixture.Sysdiagnose) error {
			fixture.SysdiagEmptyProfile(s, "0000")
			s.File(fixture.SysdiagMCStateDir+"/MCSettingsEvents.plist", []byte("not a profile"))
			return errors.Join(fixture.SysdiagProfile(s, hidden), fixture.SysdiagProfile(s, vpn))
		}, nil, false, []string{"medium " + hidden.UUID}, 0},
		{"only empty stubs", func(s *fixture.Sysdiagnose) error {
			fixture.SysdiagEmptyProfile(s, "a")
			fixture.SysdiagEmptyProfile(s, "b")
			return nil
		}, module.ErrNoData, false, nil, 0},
		{"absent", func(*fixture.Sysdiagnose) error { return nil }, module.ErrNoData, false, nil, 0},
		{"garbage stub beside a good one", func(s *fixture.Sysdiagnose) error {
			s.File(fixture.SysdiagMCStateDir+"/profile-bad.stub", []byte{0xff, 0xfe, 0})
			return fixture.SysdiagProfile(s, vpn)
		}, nil, false, nil, 1},
		{"only garbage", func(s *fixture.Sysdiagnose) error {
			s.File(fixture.SysdiagMCStateDir+"/profile-bad.stub", []byte{0xff, 0xfe, 0})
			return nil
		}, nil, true, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSysdiagFixture(t)
			if err := tt.build(s); err != nil {
				t.Fatal(err)
			}
			res := moduletest.Run(t, NewConfigurationProfiles(), openSysdiagFixture(t, s))
			if !wantOutcome(res.Err, tt.err, tt.anyErr) || len(res.Problems) != tt.problems {
				t.Fatalf("err %v, problems %v", res.Err, res.Problems)
			}
			var got []string
			for _, d := range res.Detections {
				got = append(got, d.Severity.String()+" "+d.Evidence)
			}
			if !slices.Equal(got, tt.detections) {
				t.Errorf("detections = %q, want %q", got, tt.detections)
			}
			if tt.name == "planted and decoy, with an empty stub" && (len(res.Records) != 2 ||
				!slices.Contains(res.Observables(), ioc.Observable{Type: ioc.ProfileID, Value: hidden.UUID})) {
				t.Errorf("records %d, observables = %v", len(res.Records), res.Observables())
			}
		})
	}
}
