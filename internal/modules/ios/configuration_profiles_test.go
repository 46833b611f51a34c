package ios

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"slices"
	"testing"

	"github.com/vigil-project/vigil/internal/fixture"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/module/moduletest"
	"github.com/vigil-project/vigil/internal/timeline"
)

func TestConfigurationProfiles(t *testing.T) {
	cert := []byte("invented DER certificate")
	sum := sha256.Sum256(cert)
	hidden := fixture.Profile{ // planted: the Cytrox indicator UUID, hiding notifications
		UUID: "76DAB334-7E17-475D-A5D6-0794EB5818A5", Identifier: "com.example.hide",
		DisplayName: "Notifications", Description: "Settings",
		PayloadTypes: []string{"com.apple.notificationsettings", "com.apple.webClip.managed"},
		InstallDate:  fixture.Epoch, SignerCerts: [][]byte{cert},
	}
	vpn := fixture.Profile{ // decoy: an ordinary signed VPN profile
		UUID: "0B0D1E2F-0000-4000-8000-00000000AAAA", Identifier: "com.example.vpn",
		DisplayName: "Work VPN", PayloadTypes: []string{"com.apple.vpn.managed", "com.apple.notificationsettings"},
		InstallDate: fixture.Epoch.Add(-1e12), SignerCerts: [][]byte{cert},
	}
	unsigned := fixture.Profile{UUID: "11111111-2222-4333-8444-555555555555", DisplayName: "Wi-Fi",
		PayloadTypes: []string{"com.apple.wifi.managed"}}
	b := fixture.NewBackup()
	for _, p := range []fixture.Profile{hidden, vpn, unsigned} {
		if err := fixture.ConfigurationProfile(b, p); err != nil {
			t.Fatal(err)
		}
	}
	// Not profiles: the events log and a stub one folder down.
	b.File(fixture.ProfilesDomain, fixture.ProfilesDir+"/MCProfileEvents.plist", []byte("x"))
	b.File(fixture.ProfilesDomain, fixture.ProfilesDir+"/Old/profile-x.stub", []byte("x"))
	res := moduletest.Run(t, NewConfigurationProfiles(), moduletest.OpenBackup(t, b))
	if res.Err != nil || len(res.Problems) > 0 {
		t.Fatalf("err %v, problems %v", res.Err, res.Problems)
	}
	if len(res.Records) != 3 {
		t.Fatalf("records = %d, want 3", len(res.Records))
	}
	obs := res.Observables()
	for _, p := range []fixture.Profile{hidden, vpn, unsigned} {
		if !slices.Contains(obs, ioc.Observable{Type: ioc.ProfileID, Value: p.UUID}) {
			t.Errorf("observables %v lack %s", obs, p.UUID)
		}
	}
	var got []string
	for _, d := range res.Detections {
		got = append(got, d.Severity.String()+" "+d.Evidence)
	}
	want := []string{"info " + unsigned.UUID, "medium " + hidden.UUID}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("detections = %q, want %q", got, want)
	}
	for _, r := range res.Records {
		p := r.(ConfigurationProfile)
		if p.UUID != hidden.UUID {
			continue
		}
		if p.DisplayName != "Notifications" || p.Identifier != "com.example.hide" || p.Type != "Configuration" ||
			!slices.Equal(p.PayloadTypes, hidden.PayloadTypes) || !slices.Equal(p.SignerCerts, []string{hex.EncodeToString(sum[:])}) {
			t.Errorf("record = %+v", p)
		}
		wantEv := []timeline.Event{{Time: fixture.Epoch, Event: "configuration_profile_install",
			Description: "Configuration installed: " + hidden.UUID + " - Notifications: Settings"}}
		if !slices.Equal(p.Events(), wantEv) {
			t.Errorf("events = %v", p.Events())
		}
	}
}

func TestConfigurationProfilesOddFiles(t *testing.T) {
	tests := []struct {
		name     string
		build    func(*fixture.Backup) error
		wantErr  error // nil with wantOK false: any error
		wantOK   bool
		problems int
	}{
		{"absent", func(*fixture.Backup) error { return nil }, module.ErrNoData, false, 0},
		{"only file is random bytes", func(b *fixture.Backup) error {
			b.File(fixture.ProfilesDomain, fixture.ProfilesDir+"/profile-a.stub", []byte{0xde, 0xad, 0xbe, 0xef})
			return nil
		}, nil, false, 0},
		{"one bad file among good ones", func(b *fixture.Backup) error {
			b.File(fixture.ProfilesDomain, fixture.ProfilesDir+"/profile-a.stub", []byte{0xde, 0xad})
			return fixture.ConfigurationProfile(b, fixture.Profile{UUID: "U"})
		}, nil, true, 1},
		{"odd types", func(b *fixture.Backup) error {
			return b.Plist(fixture.ProfilesDomain, fixture.ProfilesDir+"/profile-b.stub", map[string]any{
				"PayloadUUID": 42, "PayloadContent": []any{"x", 3}, "InstallDate": "yesterday",
				"SignerCerts": []any{"not der"},
			})
		}, nil, true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := fixture.NewBackup()
			if err := tt.build(b); err != nil {
				t.Fatal(err)
			}
			res := moduletest.Run(t, NewConfigurationProfiles(), moduletest.OpenBackup(t, b))
			switch {
			case tt.wantOK && res.Err != nil, !tt.wantOK && res.Err == nil:
				t.Fatalf("err = %v", res.Err)
			case tt.wantErr != nil && !errors.Is(res.Err, tt.wantErr):
				t.Fatalf("err = %v, want %v", res.Err, tt.wantErr)
			}
			if len(res.Problems) != tt.problems {
				t.Errorf("problems = %v", res.Problems)
			}
		})
	}
}
