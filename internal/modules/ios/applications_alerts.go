package ios

import (
	"fmt"

	"github.com/vigil-project/vigil/internal/module"
)

const mvtApplications = "MVT (applications module)"

// emitApp emits the app and what is worth a look about where it came from.
func emitApp(a App, emit module.Emitter) {
	emit.Record(a)
	for _, d := range appAlerts(a) {
		emit.Detection(d)
	}
}

// appAlerts are MVT's two heuristics, which it runs only with indicators loaded; here they
// always run, because sideloading is how most stalkerware and some spyware reach a phone.
// An app with no App Store record at all is flagged too: backup tools record metadata
// only for store-installed apps, so that is how a sideloaded or enterprise app looks.
func appAlerts(a App) []module.Detection {
	name := a.BundleID
	if a.Name != "" {
		name = fmt.Sprintf("%q (%s)", a.Name, a.BundleID)
	}
	var out []module.Detection
	alert := func(msg, evidence, ref string) {
		out = append(out, module.Detection{Severity: module.Medium, Message: msg, Time: a.PurchaseDate,
			Evidence: evidence, Reference: ref, Record: a})
	}
	switch a.Provenance {
	case ProvenanceOther:
		msg := fmt.Sprintf("The app %s was installed by %s, not by the App Store or a device-management service: "+
			"apps from outside the App Store get no review from Apple, so check that you know where it came from", name, a.SourceApp)
		if a.SourceApp == "com.apple.TestFlight" {
			msg = fmt.Sprintf("The app %s is a test version installed through TestFlight: such apps get a lighter review "+
				"from Apple than App Store apps, so check that you expected it", name)
		}
		alert(msg, "sourceApp = "+a.SourceApp, mvtApplications)
	case ProvenanceNoStoreRecord:
		alert(fmt.Sprintf("The app %s has no App Store record: it was probably installed from a computer, "+
			"with a company (enterprise) certificate or by another route outside the App Store, so check that you know and trust it",
			name), a.BundleID+" installed without iTunesMetadata",
			"libimobiledevice idevicebackup2 and iTunes record iTunesMetadata only for store-installed apps; "+mvtApplications)
	}
	if a.MetadataMissing {
		alert(fmt.Sprintf("The App Store record of %s does not name the app (no softwareVersionBundleId): "+
			"genuine records always do, so it may have been altered", name), "iTunesMetadata without softwareVersionBundleId", mvtApplications)
	}
	return out
}
