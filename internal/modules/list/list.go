// Package list is the explicit registry of modules: no init() side effects, one list to read.
package list

import (
	"fmt"
	"slices"
	"strings"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/modules/ios"
)

// All returns a fresh instance of every module, sorted by name.
func All() []module.Module {
	mods := []module.Module{
		ios.NewAnalytics(),
		ios.NewAnalyticsIOSVersions(),
		ios.NewApplications(),
		ios.NewCacheFiles(),
		ios.NewCrashReports(),
		ios.NewLogdStatistics(),
		ios.NewMCSettingsEvents(),
		ios.NewMobileInstallation(),
		ios.NewPowerLog(),
		ios.NewProcesses(),
		ios.NewProcessUnion(),
		ios.NewUUID2Path(),
		ios.NewFilesystem(),
		ios.NewNetUsage(),
		ios.NewSafariFavicon(),
		ios.NewShutdownLog(),
		ios.NewVersionHistory(),
		ios.NewWebKitIndexedDB(),
		ios.NewWebKitLocalStorage(),
		ios.NewWebKitSafariViewService(),
		ios.NewBackupInfo(),
		ios.NewCalendar(),
		ios.NewCalls(),
		ios.NewContacts(),
		ios.NewInteractionC(),
		ios.NewSMSAttachments(),
		ios.NewWhatsApp(),
		ios.NewWhatsAppContacts(),
		ios.NewChromeFavicon(),
		ios.NewChromeHistory(),
		ios.NewFirefoxFavicon(),
		ios.NewFirefoxHistory(),
		ios.NewLocationdClients(),
		ios.NewProfileEvents(),
		ios.NewSafariBrowserState(),
		ios.NewShortcuts(),
		ios.NewTCC(),
		ios.NewTriangulation(),
		ios.NewConfigurationProfiles(),
		ios.NewDataUsage(),
		ios.NewGlobalPreferences(),
		ios.NewIDStatusCache(),
		ios.NewManifest(),
		ios.NewOSAnalyticsADDaily(),
		ios.NewSafariHistory(),
		ios.NewSMS(),
		ios.NewWebKitResourceLoadStatistics(),
		ios.NewWebKitSessionResourceLog(),
	}
	slices.SortFunc(mods, func(a, b module.Module) int { return strings.Compare(a.Name(), b.Name()) })
	return mods
}

// ForKind returns the modules that read kind.
func ForKind(kind acq.Kind) []module.Module {
	var out []module.Module
	for _, m := range All() {
		if slices.Contains(m.Kinds(), kind) {
			out = append(out, m)
		}
	}
	return out
}

// Select returns the modules for kind, restricted to names when names is not empty. A name
// may be given whole ("ios/sms") or as its last part ("sms").
func Select(kind acq.Kind, names []string) ([]module.Module, error) {
	mods := ForKind(kind)
	if len(names) == 0 {
		return mods, nil
	}
	var out []module.Module
	for _, n := range names {
		i := slices.IndexFunc(mods, func(m module.Module) bool {
			return m.Name() == n || m.Name()[strings.LastIndexByte(m.Name(), '/')+1:] == n
		})
		if i < 0 {
			return nil, fmt.Errorf("no module %q for %s acquisitions (see `vigil modules`)", n, kind)
		}
		if !slices.Contains(out, mods[i]) {
			out = append(out, mods[i])
		}
	}
	return out, nil
}

const containerMetadata = ".com.apple.mobile_container_manager.metadata.plist"

// FilesystemPaths lists every device path pattern that some module reads in a
// filesystem dump, so that an archive extracts those files and no others. Modules state
// them in their Artifacts as "ios-fs: <path>".
func FilesystemPaths() []string {
	// Container metadata names the app that owns each container folder; modules read it
	// to say which app a database belongs to.
	out := []string{
		"private/var/mobile/Containers/Data/Application/*/" + containerMetadata,
		"private/var/mobile/Containers/Shared/AppGroup/*/" + containerMetadata,
		"private/var/containers/Shared/SystemGroup/*/" + containerMetadata,
		"private/var/containers/Bundle/Application/*/" + containerMetadata,
	}
	prefix := string(acq.IOSFilesystem) + ": "
	for _, e := range Entries() {
		for _, a := range e.Artifacts {
			if p, ok := strings.CutPrefix(a, prefix); ok {
				out = append(out, p)
			}
		}
	}
	return out
}
