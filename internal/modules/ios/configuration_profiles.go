package ios

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/timeline"
)

// Profiles are stubs named profile-<hash>.stub; MVT takes any base name starting "profile-".
// MVT reads no dump; there they sit in the same system group container (spec [R]), and
// older iOS kept them in the mobile user's Library (as it does MCProfileEvents.plist).
var configurationProfilePlaces = places{
	acq.IOSBackup: {{"SysSharedContainerDomain-systemgroup.com.apple.configurationprofiles", "Library/ConfigurationProfiles/profile-*"}},
	acq.IOSFilesystem: {
		{"", "private/var/containers/Shared/SystemGroup/*/Library/ConfigurationProfiles/profile-*"},
		{"", "private/var/mobile/Library/ConfigurationProfiles/profile-*"},
	},
	// A sysdiagnose copies the stubs into MCState (SAF, mcstate_shared_profile).
	acq.IOSSysdiag: {{"", "logs/MCState/Shared/profile-*.stub"}},
}

// ConfigurationProfiles reads the installed configuration profiles: Predator infections left
// one behind (Amnesty's Cytrox indicators list its UUID), and a profile can hide
// notifications, route traffic or trust certificates.
type ConfigurationProfiles struct {
	about
	places places
}

// NewConfigurationProfiles returns the configuration_profiles module.
func NewConfigurationProfiles() *ConfigurationProfiles {
	return &ConfigurationProfiles{about: about{
		name:      "ios/configuration_profiles",
		desc:      "Installed configuration profiles; flags profiles that hide notifications",
		kinds:     backupFSAndSysdiag,
		artifacts: configurationProfilePlaces.artifacts(),
	}, places: configurationProfilePlaces}
}

// ConfigurationProfile is one installed profile.
type ConfigurationProfile struct {
	File         string    `json:"file"`
	UUID         string    `json:"payload_uuid,omitempty"`
	Identifier   string    `json:"payload_identifier,omitempty"`
	DisplayName  string    `json:"payload_display_name,omitempty"`
	Description  string    `json:"payload_description,omitempty"`
	Organization string    `json:"payload_organization,omitempty"`
	Type         string    `json:"payload_type,omitempty"`
	PayloadTypes []string  `json:"payload_types,omitempty"` // of PayloadContent, in order
	InstallDate  time.Time `json:"install_date,omitzero"`
	SignerCerts  []string  `json:"signer_cert_sha256,omitempty"` // SHA-256 hex of each DER certificate
	OTAStub      bool      `json:"ota_profile_stub,omitempty"`   // installed over the air (MDM enrolment)
}

// Observables implements module.Record.
func (p ConfigurationProfile) Observables() []ioc.Observable {
	if p.UUID == "" {
		return nil
	}
	return []ioc.Observable{{Type: ioc.ProfileID, Value: p.UUID}}
}

// Events implements module.Record.
func (p ConfigurationProfile) Events() []timeline.Event {
	if p.InstallDate.IsZero() {
		return nil
	}
	return []timeline.Event{{Time: p.InstallDate, Event: "configuration_profile_install",
		Description: fmt.Sprintf("%s installed: %s - %s: %s", p.Type, p.UUID, p.DisplayName, p.Description)}}
}

// Run implements module.Module.
func (m *ConfigurationProfiles) Run(ctx context.Context, in *module.Input, emit module.Emitter) error {
	files, err := m.places.find(in)
	if err != nil {
		return err
	}
	if in.Acq.Kind == acq.IOSSysdiag { // backups and dumps keep their behaviour
		if files, err = dropEmpty(files); err != nil {
			return err
		}
	}
	return eachFile(ctx, files, emit, func(f acq.File) error {
		var doc map[string]any
		if err := readPlist(in, f, &doc); err != nil {
			return err
		}
		p := newConfigurationProfile(f.Path, doc)
		emit.Record(p)
		for _, d := range profileHeuristics(p, doc) {
			emit.Detection(d)
		}
		return nil
	})
}

func newConfigurationProfile(file string, doc map[string]any) ConfigurationProfile {
	p := ConfigurationProfile{
		File:         file,
		UUID:         plistAsString(doc["PayloadUUID"]),
		Identifier:   plistAsString(doc["PayloadIdentifier"]),
		DisplayName:  plistAsString(doc["PayloadDisplayName"]),
		Description:  plistAsString(doc["PayloadDescription"]),
		Organization: plistAsString(doc["PayloadOrganization"]),
		Type:         plistAsString(doc["PayloadType"]),
		InstallDate:  plistAsTime(doc["InstallDate"]),
	}
	_, p.OTAStub = doc["OTAProfileStub"]
	content, _ := doc["PayloadContent"].([]any)
	for _, c := range content {
		payload, _ := c.(map[string]any)
		p.PayloadTypes = append(p.PayloadTypes, plistAsString(payload["PayloadType"]))
	}
	certs, _ := doc["SignerCerts"].([]any)
	for _, c := range certs {
		if der, ok := c.([]byte); ok {
			sum := sha256.Sum256(der)
			p.SignerCerts = append(p.SignerCerts, hex.EncodeToString(sum[:]))
		}
	}
	return p
}

// profileHeuristics needs no indicator: MVT runs it only when indicators are loaded, but a
// profile that silences notifications is worth a look on any phone.
func profileHeuristics(p ConfigurationProfile, doc map[string]any) []module.Detection {
	var out []module.Detection
	if len(p.PayloadTypes) > 0 && p.PayloadTypes[0] == "com.apple.notificationsettings" {
		out = append(out, module.Detection{
			Severity: module.Medium,
			Message: fmt.Sprintf("The configuration profile %q changes notification settings: "+
				"it may be used to hide notifications from the phone's owner", p.DisplayName),
			Time:      p.InstallDate,
			Evidence:  p.UUID,
			Reference: "MVT (configuration_profiles module)",
			Record:    p,
		})
	}
	if _, signed := doc["SignerCerts"]; !signed {
		out = append(out, module.Detection{
			Severity:  module.Info,
			Message:   fmt.Sprintf("The configuration profile %q is not signed: check who installed it", p.DisplayName),
			Time:      p.InstallDate,
			Evidence:  p.UUID,
			Reference: "Apple Platform Deployment: configuration profiles can be signed to show their origin",
			Record:    p,
		})
	}
	return out
}
