package ios

import (
	"fmt"
	"path"
	"strings"

	"github.com/vigil-project/vigil/internal/module"
)

// execPathReference documents the unusual-location heuristic: Kaspersky found programs
// running from /private/var/db and /private/var/tmp across the iOS infections it analysed,
// and the public indicator sets place Predator's payloads in /private/var/tmp and
// QuaDream's in launchd's role-account staging folder.
const execPathReference = "Kaspersky, \"A lightweight method to detect potential iOS malware\" " +
	"(Securelist, January 2024); Predator and QuaDream file paths in the MVT indicator sets"

// execPlace says why an executable's folder is unusual and how much that weighs.
type execPlace struct {
	Severity module.Severity
	Where    string // plain words for the folder, for messages
}

// updateBrain is Apple's software-update helper: launchd runs it from the role-account
// staging folder while iOS prepares an update, so finding it there is expected.
const updateBrain = "com.apple.MobileSoftwareUpdate.UpdateBrainService"

// Where programs live on iOS. The system volume is sealed and read-only, so anything
// outside the data partition (/private/var) and the preboot volume is Apple's. On the data
// partition, apps live in bundle containers, and Apple's own updatable apps (Maps, Mail,
// Books ...) in staged_system_apps; iOS 7 and older kept apps in /private/var/mobile/Applications.
var (
	dataPartition  = []string{"/private/var/"}
	installedApps  = []string{"/private/var/containers/Bundle/Application/", "/private/var/staged_system_apps/", "/private/var/mobile/Applications/"}
	appleCryptexes = "/private/preboot/Cryptexes/"
)

// normalExecPath spells p as the device's canonical path: /var and /tmp are symlinks into
// /private/var, and "." or ".." components must not hide a folder.
func normalExecPath(p string) string {
	p = path.Clean(p)
	for _, alias := range []struct{ from, to string }{
		{"/var/", "/private/var/"}, {"/tmp/", "/private/var/tmp/"}, {"/private/tmp/", "/private/var/tmp/"},
	} {
		if rest, ok := strings.CutPrefix(p, alias.from); ok {
			return alias.to + rest
		}
	}
	return p
}

// unusualExecutable reports whether the program at exe runs from a folder where iOS
// installs no program: a temporary or system-database folder, the user's data, or any
// other writable place outside app bundles. Only absolute paths are judged.
//
// Severity: high for the folders documented in spyware cases (/private/var/tmp held
// Predator's payloads, launchd's role-account staging folder Pegasus and QuaDream);
// medium for the rest of the data partition and for the preboot volume outside Apple's
// cryptexes, where jailbreaks install, since a program there is abnormal but not tied to
// a known spyware; low for Apple's update helper in the staging folder.
func unusualExecutable(exe string) (execPlace, bool) {
	if !strings.HasPrefix(exe, "/") {
		return execPlace{}, false
	}
	p := normalExecPath(exe)
	switch {
	case strings.HasPrefix(p, "/private/var/tmp/"):
		return execPlace{module.High, "the temporary folder /private/var/tmp"}, true
	case strings.HasPrefix(p, "/private/var/db/com.apple.xpc.roleaccountd.staging/"):
		if path.Base(p) == updateBrain {
			return execPlace{module.Low, "launchd's staging folder, where Apple's update helper also runs during software updates"}, true
		}
		return execPlace{module.High, "launchd's staging folder /private/var/db/com.apple.xpc.roleaccountd.staging"}, true
	case strings.HasPrefix(p, "/private/var/db/"):
		return execPlace{module.Medium, "the system database folder /private/var/db"}, true
	case hasAnyPrefix(p, installedApps):
		return execPlace{}, false
	case strings.HasPrefix(p, "/private/var/mobile/"):
		return execPlace{module.Medium, "the user's data folder /private/var/mobile, outside any app bundle"}, true
	case hasAnyPrefix(p, dataPartition):
		return execPlace{module.Medium, "the data partition /private/var, outside any app bundle"}, true
	case strings.HasPrefix(p, "/private/preboot/") && !strings.HasPrefix(p, appleCryptexes):
		return execPlace{module.Medium, "the preboot volume outside Apple's system images, where jailbreaks install"}, true
	}
	return execPlace{}, false
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// maxUnusualPaths bounds the distinct unusual paths a module reports, against a crafted
// listing of millions of them.
const maxUnusualPaths = 1000

// execMessage is the one-line explanation of an unusual-location finding: what the
// program did ("was running", "crashed") and why its folder matters.
func execMessage(exe, did string, pl execPlace) string {
	name := path.Base(exe)
	if pl.Severity <= module.Low {
		return fmt.Sprintf("The program %s %s from %s: usually harmless, but worth a look if "+
			"no software update was under way", name, did, pl.Where)
	}
	return fmt.Sprintf("The program %s %s from %s: iOS installs no programs there, and spyware "+
		"(Pegasus, Predator, QuaDream) has run from such folders", name, did, pl.Where)
}

// unusualPaths remembers which unusual executables a module already reported, so that a
// program listed many times gives one detection.
type unusualPaths struct {
	seen    map[string]bool
	dropped bool
}

func newUnusualPaths() *unusualPaths { return &unusualPaths{seen: map[string]bool{}} }

// check returns the place of exe the first time an unusual exe is seen.
func (u *unusualPaths) check(exe string) (execPlace, bool) {
	pl, ok := unusualExecutable(exe)
	if !ok {
		return execPlace{}, false
	}
	key := normalExecPath(exe)
	if u.seen[key] {
		return execPlace{}, false
	}
	if len(u.seen) >= maxUnusualPaths {
		u.dropped = true
		return execPlace{}, false
	}
	u.seen[key] = true
	return pl, true
}

// finish reports, as a problem, that some unusual paths went unreported.
func (u *unusualPaths) finish(emit module.Emitter) {
	if u.dropped {
		emit.Problem(fmt.Errorf("more than %d distinct programs in unusual folders; only the first are reported", maxUnusualPaths))
	}
}
