package ios

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/format/plistsafe"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/timeline"
)

// A backup describes apps in its Info.plist, which the acquisition has already decoded;
// a filesystem dump has a bundle container per user app, named by its metadata file, with
// the app's iTunesMetadata.plist when it came with App Store metadata.
var applicationsPlaces = places{
	acq.IOSFilesystem: {
		{"", bundleContainers + "*/" + containerMetadata},
		{"", bundleContainers + "*/iTunesMetadata.plist"},
	},
}

// Applications lists the installed apps and where each came from: the App Store, a
// device-management service, another installer, or nowhere the backup can tell.
type Applications struct {
	about
	places places
}

// NewApplications returns the applications module.
func NewApplications() *Applications {
	return &Applications{about: about{
		name:      "ios/applications",
		desc:      "Installed apps and their App Store provenance; flags apps from outside the App Store",
		kinds:     backupAndFS,
		artifacts: append([]string{string(acq.IOSBackup) + ": Info.plist (Applications, Installed Applications)"}, applicationsPlaces.artifacts()...),
	}, places: applicationsPlaces}
}

// Provenances of an app.
const (
	ProvenanceAppStore      = "app_store"       // installed by the App Store
	ProvenanceMDM           = "mdm"             // installed by a device-management service
	ProvenanceOther         = "other_installer" // installed by another app: TestFlight, a marketplace ...
	ProvenanceNoStoreRecord = "no_store_record" // no App Store metadata: sideloaded, developer or enterprise
	ProvenanceUnknown       = "unknown"         // the backup holds no App Store metadata for any app
)

// knownInstallers are the sourceApp values of App Store and MDM installs (MVT's list).
var knownInstallers = map[string]string{
	"com.apple.AppStore":                      ProvenanceAppStore,
	"com.apple.AppStore.ProductPageExtension": ProvenanceAppStore,
	"com.apple.dmd":                           ProvenanceMDM,
	"dmd":                                     ProvenanceMDM,
}

// App is one installed app.
type App struct {
	BundleID        string    `json:"bundle_id"`
	MetadataID      string    `json:"software_version_bundle_id,omitempty"` // iTunesMetadata softwareVersionBundleId
	Name            string    `json:"name,omitempty"`
	Artist          string    `json:"artist_name,omitempty"`
	Version         string    `json:"version,omitempty"`
	SourceApp       string    `json:"source_app,omitempty"`
	Provenance      string    `json:"provenance"`
	PurchaseDate    time.Time `json:"purchase_date,omitzero"`
	IconSHA256      string    `json:"icon_sha256,omitempty"`
	HasMetadata     bool      `json:"has_store_metadata"`
	MetadataMissing bool      `json:"metadata_lacks_bundle_id,omitempty"`
	Source          string    `json:"source"` // Info.plist, or the metadata file's path
}

// Events implements module.Record.
func (a App) Events() []timeline.Event {
	if a.PurchaseDate.IsZero() {
		return nil
	}
	return []timeline.Event{{Time: a.PurchaseDate, Event: "app_installed",
		Description: fmt.Sprintf("App %s (%s) version %s from %s installed from %s", a.Name, a.BundleID, a.Version, a.Artist, a.installer())}}
}

func (a App) installer() string {
	if a.SourceApp != "" {
		return a.SourceApp
	}
	return "the App Store"
}

// Observables implements module.Record: the bundle id as an app id and as a process
// name (MVT checks it both ways), and the metadata's own id when it differs.
func (a App) Observables() []ioc.Observable {
	return appendUnique(bundleObservables(a.BundleID), bundleObservables(a.MetadataID)...)
}

// Run implements module.Module.
func (m *Applications) Run(ctx context.Context, in *module.Input, emit module.Emitter) error {
	if in.Acq.Kind == acq.IOSBackup {
		return m.fromInfo(in.Acq.Info, emit)
	}
	return m.fromBundles(ctx, in, emit)
}

// fromInfo reads Info.plist: "Installed Applications" lists every user app, "Applications"
// those that have App Store metadata. An app only in the first has no store record.
func (m *Applications) fromInfo(info map[string]any, emit module.Emitter) error {
	store, _ := info["Applications"].(map[string]any)
	installed, _ := info["Installed Applications"].([]any)
	if len(store) == 0 && len(installed) == 0 {
		return module.ErrNoData
	}
	ids := map[string]bool{}
	for id := range store {
		ids[id] = true
	}
	for _, v := range installed {
		if id := plistAsString(v); id != "" {
			ids[id] = true
		}
	}
	// Tools that skip the metadata leave Applications empty; then nothing is known.
	missing := ProvenanceNoStoreRecord
	if len(store) == 0 {
		missing = ProvenanceUnknown
	}
	for _, id := range slices.Sorted(maps.Keys(ids)) {
		a := App{BundleID: id, Provenance: missing, Source: "Info.plist"}
		if entry, ok := store[id].(map[string]any); ok {
			var err error
			if a, err = appFromInfoEntry(id, entry); err != nil {
				emit.Problem(fmt.Errorf("app %s in Info.plist: %w", id, err))
			}
		}
		emitApp(a, emit)
	}
	return nil
}

// appFromInfoEntry decodes one Applications entry; its iTunesMetadata is an embedded plist.
func appFromInfoEntry(id string, entry map[string]any) (App, error) {
	a := App{BundleID: id, Provenance: ProvenanceNoStoreRecord, Source: "Info.plist"}
	if icon, ok := entry["PlaceholderIcon"].([]byte); ok {
		sum := sha256.Sum256(icon)
		a.IconSHA256 = hex.EncodeToString(sum[:])
	}
	raw, ok := entry["iTunesMetadata"].([]byte)
	if !ok {
		return a, nil
	}
	var meta map[string]any
	if err := plistsafe.Unmarshal(raw, &meta); err != nil {
		a.Provenance = ProvenanceUnknown
		return a, fmt.Errorf("iTunesMetadata: %w", err)
	}
	icon := a.IconSHA256
	a = appFromMetadata(id, meta, "Info.plist")
	a.IconSHA256 = icon
	return a, nil
}

// appFromMetadata reads the iTunesMetadata keys MVT uses.
func appFromMetadata(id string, meta map[string]any, source string) App {
	a := App{
		BundleID:    id,
		MetadataID:  plistAsString(meta["softwareVersionBundleId"]),
		Name:        plistAsString(meta["itemName"]),
		Artist:      plistAsString(meta["artistName"]),
		Version:     plistAsString(meta["bundleShortVersionString"]),
		SourceApp:   plistAsString(meta["sourceApp"]),
		HasMetadata: true,
		Source:      source,
	}
	a.MetadataMissing = a.MetadataID == ""
	if a.BundleID == "" {
		a.BundleID = a.MetadataID
	}
	if a.MetadataID == a.BundleID {
		a.MetadataID = ""
	}
	a.PurchaseDate = purchaseDate(meta)
	a.Provenance = ProvenanceOther
	if a.SourceApp == "" {
		a.Provenance = ProvenanceAppStore // MVT: no sourceApp means the App Store
	} else if p, ok := knownInstallers[a.SourceApp]; ok {
		a.Provenance = p
	}
	return a
}

// purchaseDate reads downloadInfo.purchaseDate ("2006-01-02T15:04:05Z", UTC) or the older
// top-level purchaseDate, a string or a plist date.
func purchaseDate(meta map[string]any) time.Time {
	info, _ := meta["com.apple.iTunesStore.downloadInfo"].(map[string]any)
	for _, v := range []any{info["purchaseDate"], meta["purchaseDate"]} {
		switch d := v.(type) {
		case string:
			if t, err := time.Parse(time.RFC3339, d); err == nil {
				return t.UTC()
			}
		case time.Time:
			return plistAsTime(d)
		}
	}
	return time.Time{}
}
