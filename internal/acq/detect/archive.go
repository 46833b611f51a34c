package detect

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/acq/archive"
)

// maxWarnings bounds how many archive problems are repeated to the user; run.json and
// the summary say how many more there were.
const maxWarnings = 20

// openArchive opens a .zip, .tar or .tar.gz holding a filesystem dump. Only the entries
// that want accepts are extracted (into a private folder); every entry stays listed, so
// the whole-filesystem module and the name index still see them all.
func openArchive(p string, want func(entryPath string) bool) (*acq.Acquisition, error) {
	if want != nil && !strings.HasPrefix(filepath.Base(p), "sysdiagnose_") {
		fsWant := want
		// A sysdiagnose is a few hundred megabytes that its modules read through: keep
		// all of it. Its entries sit below a top folder named like the archive.
		want = func(entry string) bool { return isSysdiagnoseEntry(entry) || fsWant(entry) }
	} else {
		want = nil
	}
	a, err := archive.Open(p, archive.Options{TempDir: os.TempDir(), Want: want})
	var warnings []string
	switch {
	case errors.Is(err, archive.ErrFormat):
		return nil, unknown(p, "it is a file, and not a zip, tar or tar.gz archive")
	case errors.Is(err, archive.ErrIncomplete) && a != nil:
		warnings = append(warnings, "the archive is incomplete; only what came before the damage was checked: "+err.Error())
	case err != nil:
		return nil, fmt.Errorf("archive %s: %w", p, err)
	}
	kind, view, top := acq.IOSFilesystem, acq.Source(nil), ""
	if v, ok := a.DumpView(); ok {
		view = v
	} else if top, ok = sysdiagnoseTop(a); ok {
		kind, view = acq.IOSSysdiag, a.View(top, "")
	} else {
		a.Close()
		return nil, unknown(p, "it is an archive, but holds neither private/var/mobile (or var/mobile) nor sysdiagnose.log")
	}
	probs := a.Problems()
	for i, pr := range probs {
		if i == maxWarnings {
			warnings = append(warnings, fmt.Sprintf("... and %d more archive problems", len(probs)-maxWarnings))
			break
		}
		warnings = append(warnings, "archive: "+pr)
	}
	acqn := acq.New(kind, p, view, acq.Facts{}, a)
	if kind == acq.IOSSysdiag {
		name := top
		if name == "" {
			name = strings.TrimSuffix(filepath.Base(p), ".tar.gz")
		}
		var w []string
		acqn.Facts, w = sysdiagnoseFacts(view, name)
		warnings = append(warnings, w...)
	}
	acqn.Warnings = warnings
	return acqn, nil
}

// isSysdiagnoseEntry reports whether an archive entry lies in a sysdiagnose's top folder.
func isSysdiagnoseEntry(entry string) bool {
	entry = strings.TrimPrefix(entry, "./")
	return strings.HasPrefix(entry, "sysdiagnose_") || strings.HasPrefix(entry, "IN_PROGRESS_sysdiagnose_")
}

// sysdiagnoseTop finds where sysdiagnose.log lies: at the top of the archive ("") or in
// its only top folder.
func sysdiagnoseTop(a *archive.Archive) (string, bool) {
	for _, top := range append([]string{""}, a.TopFolders()...) {
		if files, _ := a.View(top, "").Find("", sysdiagnoseLog); len(files) == 1 {
			return top, true
		}
	}
	return "", false
}

// WantPaths returns a predicate for archive.Options.Want that accepts the entries whose
// device path matches one of patterns (device paths such as
// "private/var/mobile/Library/SMS/sms.db", '*' within a segment), whatever folder the
// archive puts the dump in and whether it starts at "/" or at "/private". SQLite
// companions (-wal, -shm, -journal) of a wanted file are wanted too.
func WantPaths(patterns []string) func(entryPath string) bool {
	byName := map[string][]string{}
	var wild []string
	for _, p := range patterns {
		p = strings.TrimPrefix(p, "/")
		if base := path.Base(p); acq.HasWildcard(base) {
			wild = append(wild, p)
		} else {
			byName[base] = append(byName[base], p)
		}
	}
	return func(entry string) bool {
		dev, ok := devicePath(entry)
		if !ok {
			return false
		}
		for _, c := range []string{dev, strings.TrimSuffix(dev, "-wal"), strings.TrimSuffix(dev, "-shm"), strings.TrimSuffix(dev, "-journal")} {
			for _, p := range byName[path.Base(c)] {
				if acq.MatchPattern(p, c) {
					return true
				}
			}
			for _, p := range wild {
				if acq.MatchPattern(p, c) {
					return true
				}
			}
		}
		return false
	}
}

// devicePath finds where the device's "/private/var" starts in an entry path.
func devicePath(entry string) (string, bool) {
	entry = strings.TrimPrefix(entry, "./")
	for i := 0; ; {
		rest := entry[i:]
		if strings.HasPrefix(rest, "private/var/") {
			return rest, true
		}
		if strings.HasPrefix(rest, "var/") {
			return "private/" + rest, true
		}
		j := strings.IndexByte(rest, '/')
		if j < 0 {
			return "", false
		}
		i += j + 1
	}
}
