package ios

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/timeline"
)

// newestIOS is the newest iOS release this version of Vigil knows of. Apple fixes exploited
// spyware chains in point releases, so an older version is worth telling the owner about.
const newestIOS = "26.1"

// BackupInfo reports what the backup's Info.plist says about the device.
type BackupInfo struct{ about }

// NewBackupInfo returns the backup_info module.
func NewBackupInfo() *BackupInfo {
	return &BackupInfo{about{
		name:      "ios/backup_info",
		desc:      "Device and backup description from Info.plist; warns about outdated iOS",
		kinds:     backupOnly,
		artifacts: []string{"Info.plist"},
	}}
}

// DeviceRecord is the backup_info record.
type DeviceRecord struct {
	DeviceName     string    `json:"device_name,omitempty"`
	ProductType    string    `json:"product_type,omitempty"`
	ProductVersion string    `json:"product_version,omitempty"`
	BuildVersion   string    `json:"build_version,omitempty"`
	LastBackup     time.Time `json:"last_backup_date,omitzero"`
	Encrypted      bool      `json:"encrypted"`
	InstalledApps  int       `json:"installed_applications"`
}

// Events implements module.Record.
func (r DeviceRecord) Events() []timeline.Event {
	if r.LastBackup.IsZero() {
		return nil
	}
	return []timeline.Event{{Time: r.LastBackup, Event: "backup",
		Description: fmt.Sprintf("Backup of %s (%s, iOS %s)", r.DeviceName, r.ProductType, r.ProductVersion)}}
}

// Observables implements module.Record.
func (DeviceRecord) Observables() []ioc.Observable { return nil }

// Run implements module.Module.
func (m *BackupInfo) Run(_ context.Context, in *module.Input, emit module.Emitter) error {
	if in.Acq.Info == nil {
		return module.ErrNoData
	}
	facts := in.Acq.Facts
	rec := DeviceRecord{
		DeviceName: facts.DeviceName, ProductType: facts.ProductType,
		ProductVersion: facts.ProductVersion, BuildVersion: facts.BuildVersion,
		LastBackup: facts.AcquiredAt, Encrypted: facts.Encrypted,
	}
	if apps, ok := in.Acq.Info["Installed Applications"].([]any); ok {
		rec.InstalledApps = len(apps)
	}
	emit.Record(rec)
	if facts.ProductVersion != "" && versionLess(facts.ProductVersion, newestIOS) {
		emit.Detection(module.Detection{
			Severity: module.Low,
			Message: fmt.Sprintf("The phone runs iOS %s, older than iOS %s: updates fix "+
				"vulnerabilities that spyware has exploited", facts.ProductVersion, newestIOS),
			Evidence: facts.ProductVersion,
			Record:   rec,
		})
	}
	return nil
}

// versionLess compares dotted version numbers numerically ("9.3" < "10.0").
func versionLess(a, b string) bool {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < max(len(as), len(bs)); i++ {
		var x, y int
		if i < len(as) {
			x, _ = strconv.Atoi(as[i])
		}
		if i < len(bs) {
			y, _ = strconv.Atoi(bs[i])
		}
		if x != y {
			return x < y
		}
	}
	return false
}
