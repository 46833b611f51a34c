package ios

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/timeline"
)

// Manifest lists every file the backup's Manifest.db knows of.
type Manifest struct{ about }

// NewManifest returns the manifest module.
func NewManifest() *Manifest {
	return &Manifest{about{
		name:      "ios/manifest",
		desc:      "Every file listed in Manifest.db, with device paths and domains embedded in file names",
		kinds:     backupOnly,
		artifacts: []string{"Manifest.db"},
	}}
}

// ManifestEntry is one file, directory or link listed in Manifest.db.
type ManifestEntry struct {
	FileID       string    `json:"file_id,omitempty"`
	Domain       string    `json:"domain"`
	RelativePath string    `json:"relative_path"`
	DevicePath   string    `json:"device_path,omitempty"` // empty when the domain's root is unknown
	Flags        int       `json:"flags"`
	Size         int64     `json:"size"`
	Mode         string    `json:"mode,omitempty"` // octal POSIX mode, e.g. "0o100644"
	UserID       int64     `json:"user_id"`
	Birth        time.Time `json:"created,omitzero"`
	Modified     time.Time `json:"modified,omitzero"`
	Changed      time.Time `json:"status_changed,omitzero"`
	Target       string    `json:"target,omitempty"` // symlink target
}

// manifestCancelEvery is how many rows pass between two checks for cancellation.
const manifestCancelEvery = 4096

// Run implements module.Module. It streams Manifest.db: a backup may list 300,000 files,
// so nothing is kept between rows.
func (m *Manifest) Run(ctx context.Context, in *module.Input, emit module.Emitter) error {
	n := 0
	err := in.Source().Walk(func(f acq.File) error {
		if n++; n%manifestCancelEvery == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		emit.Record(newManifestEntry(f))
		return nil
	})
	if err != nil {
		return fmt.Errorf("manifest: %w", err)
	}
	return nil
}

func newManifestEntry(f acq.File) ManifestEntry {
	e := ManifestEntry{
		FileID: f.ID, Domain: f.Domain, RelativePath: f.Path, Flags: f.Flags,
		Size: f.Size, UserID: f.UserID, Target: f.Target,
		Birth: f.Birth, Modified: f.Modified, Changed: f.Changed,
	}
	if f.ModeBits != 0 {
		e.Mode = fmt.Sprintf("0o%o", f.ModeBits)
	}
	if root := domainDeviceRoot(f.Domain); root != "" && f.Path != "" {
		e.DevicePath = root + "/" + f.Path
	}
	return e
}

// domainDeviceRoots maps backup domains to the device folder they hold (spec §1.1). App
// domains are absent: their folders are named by a per-install UUID the backup omits.
var domainDeviceRoots = map[string]string{
	"HomeDomain":     "/private/var/mobile",
	"MediaDomain":    "/private/var/mobile",
	"RootDomain":     "/private/var/root",
	"WirelessDomain": "/private/var/wireless",
	"DatabaseDomain": "/private/var/db",
}

// domainDeviceRoot returns the device folder of a domain, or "" when it is not known.
func domainDeviceRoot(domain string) string {
	if root, ok := domainDeviceRoots[domain]; ok {
		return root
	}
	// Some system groups are named after their id on the device and others after a UUID;
	// the id form is right for the ones that matter (configuration profiles).
	if id, ok := strings.CutPrefix(domain, "SysSharedContainerDomain-"); ok && id != "" {
		return "/private/var/containers/Shared/SystemGroup/" + id
	}
	return ""
}

// Observables implements module.Record: the path as MVT checks it ("/" + relative path),
// the device path, and the domains that cache and WebKit folder names embed.
func (e ManifestEntry) Observables() []ioc.Observable {
	if e.RelativePath == "" {
		return nil
	}
	obs := []ioc.Observable{{Type: ioc.FilePath, Value: "/" + e.RelativePath}}
	if e.DevicePath != "" && e.DevicePath != obs[0].Value {
		obs = append(obs, ioc.Observable{Type: ioc.FilePath, Value: e.DevicePath})
	}
	for _, d := range pathDomains(e.RelativePath) {
		obs = append(obs, ioc.Observable{Type: ioc.Domain, Value: d})
	}
	return obs
}

// Events implements module.Record: one event per distinct timestamp, named by MVT's
// MACB-style label ("M-C-": modified and changed at that instant; 'A' is never known).
func (e ManifestEntry) Events() []timeline.Event {
	var times []time.Time
	for _, t := range []time.Time{e.Modified, e.Changed, e.Birth} {
		if !t.IsZero() && !slices.ContainsFunc(times, t.Equal) {
			times = append(times, t)
		}
	}
	slices.SortFunc(times, time.Time.Compare)
	desc := e.RelativePath + " - " + e.Domain
	out := make([]timeline.Event, len(times))
	for i, t := range times {
		label := []byte("----")
		if t.Equal(e.Modified) {
			label[0] = 'M'
		}
		if t.Equal(e.Changed) {
			label[2] = 'C'
		}
		if t.Equal(e.Birth) {
			label[3] = 'B'
		}
		out[i] = timeline.Event{Time: t, Event: string(label), Description: desc}
	}
	return out
}
