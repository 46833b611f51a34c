package ios

import (
	"fmt"

	"github.com/vigil-project/vigil/internal/module"
)

// installReference documents why installs from outside the App Store deserve a look.
const installReference = "Apple Developer documentation, \"Distributing your app to registered devices\" " +
	"(development builds skip App Review); MVT applications module (apps installed outside the App Store)"

// Sources of an install, in the words records and messages use.
const (
	sourceAppStore  = "App Store"
	sourceSystem    = "iOS system app"
	sourceDeveloper = "developer build (Xcode or a sideloading tool)"
	sourceComputer  = "a computer over USB (Xcode, Apple Configurator or a sideloading tool)"
	sourceMDM       = "device management (MDM)"
	sourceMarket    = "an alternative app marketplace"
)

// Programs that ask installd to install apps. The store daemons and installd's own
// coordinators (installcoordinationd, lsd for placeholders) serve App Store installs; the
// USB services serve a connected computer; managedappdistributiond serves the EU's
// alternative marketplaces; mdmd and dmd serve device management.
var (
	storeInstallers    = map[string]bool{"appstored": true, "itunesstored": true, "storedownloadd": true, "installcoordinationd": true, "lsd": true}
	computerInstallers = map[string]bool{"streaming_zip_conduit": true, "mobile_installation_proxy": true, "installcoordination_proxy": true}
	mdmInstallers      = map[string]bool{"mdmd": true, "dmd": true, "profiled": true, "ManagedConfiguration": true}
)

// installSource says where an app came from, by installd's install type and the
// requesting program; "" when the log does not say.
func installSource(typ, client string) string {
	switch {
	case typ == "Developer":
		return sourceDeveloper
	case typ == "System":
		return sourceSystem
	case computerInstallers[client]:
		return sourceComputer
	case mdmInstallers[client]:
		return sourceMDM
	case client == "managedappdistributiond":
		return sourceMarket
	case client == "":
		return ""
	case storeInstallers[client]:
		return sourceAppStore
	}
	return "the program " + client
}

// installFlags reports each app once per source, however often it was reinstalled.
type installFlags struct{ seen map[string]bool }

func newInstallFlags() *installFlags { return &installFlags{seen: map[string]bool{}} }

// check flags a completed install or update that did not come from the App Store: apps
// from elsewhere get no review from Apple, and that is how most stalkerware and some
// spyware reach a phone.
func (f *installFlags) check(e AppInstallEvent) (module.Detection, bool) {
	if e.Event != "app_install" && e.Event != "app_update" {
		return module.Detection{}, false
	}
	switch e.Source {
	case "", sourceAppStore, sourceSystem:
		return module.Detection{}, false
	}
	key := e.BundleID + "\x00" + e.Source
	if f.seen[key] || len(f.seen) >= maxPendingInstalls {
		return module.Detection{}, false
	}
	f.seen[key] = true
	var msg string
	switch e.Source {
	case sourceDeveloper:
		msg = fmt.Sprintf("The app %s was installed as a developer build, from a computer or a sideloading tool: "+
			"such apps skip Apple's review, so check that you know where it came from", e.BundleID)
	case sourceMDM:
		msg = fmt.Sprintf("The app %s was installed by device management (MDM): check that your employer or "+
			"school manages this phone and installed it", e.BundleID)
	default:
		msg = fmt.Sprintf("The app %s was installed by %s, not by the App Store: apps from elsewhere get no "+
			"review from Apple, so check that you know where it came from", e.BundleID, e.Source)
	}
	return module.Detection{Severity: module.Medium, Message: msg, Time: e.Time,
		Evidence:  fmt.Sprintf("%s %s (type %s, requested by %s)", e.Event, e.BundleID, installOrDash(e.InstallType), installOrDash(e.Client)),
		Reference: installReference, Record: e}, true
}

// installOrDash stands in for a value the log did not give.
func installOrDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
