// Package detect recognises what kind of acquisition a path is and opens it.
package detect

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/acq/fsdump"
	"github.com/vigil-project/vigil/internal/acq/iosbackup"
)

// ErrUnknownKind reports a path that is none of the acquisitions Vigil reads.
var ErrUnknownKind = errors.New("unknown acquisition kind")

// Open recognises the acquisition at path and opens it read-only. creds unlock an
// encrypted backup; nil when the user gave none (a filesystem dump needs none).
//
// Folders are tried in order: a backup (the folder or its only backup subfolder), then a
// filesystem dump. Files are where archives (.tar, .tar.gz, .zip) will be recognised.
func Open(path string, creds *iosbackup.Credentials) (*acq.Acquisition, error) {
	return OpenWith(path, Options{Creds: creds})
}

// Options tune how an acquisition is opened.
type Options struct {
	Creds *iosbackup.Credentials // unlock an encrypted backup
	// Want picks the archive entries worth extracting (see WantPaths); nil extracts every
	// file. Entries not extracted are still listed.
	Want func(entryPath string) bool
}

// OpenWith is Open with options.
func OpenWith(path string, o Options) (*acq.Acquisition, error) {
	creds := o.Creds
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	st, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", path, err)
	}
	if !st.IsDir() {
		return openArchive(abs, o.Want)
	}
	dir, err := backupFolder(abs)
	if err != nil {
		return nil, err
	}
	if dir != "" {
		return openBackup(dir, creds)
	}
	if root, varOnly := fsdump.Detect(abs); root != "" {
		return openFilesystem(abs, root, varOnly)
	}
	if root := sysdiagnoseFolder(abs); root != "" {
		return openSysdiagnoseFolder(abs, root)
	}
	return nil, unknown(path, "it has no Info.plist and Manifest.db, nor one subfolder that has them, "+
		"nor private/var/mobile or var/mobile, nor sysdiagnose.log")
}

func openBackup(dir string, creds *iosbackup.Credentials) (*acq.Acquisition, error) {
	b, err := iosbackup.Open(dir, creds)
	if err != nil {
		return nil, err
	}
	a := acq.New(acq.IOSBackup, dir, b, b.Facts(), b)
	a.Info = b.Info
	a.Warnings = b.Warnings
	return a, nil
}

// Locate returns the backup folder that path names (path itself, or its only backup
// subfolder), or an error that says what Vigil reads. It finds backups only: callers use
// it for what only backups have (a password, decryption).
func Locate(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	if st, err := os.Stat(abs); err != nil {
		return "", fmt.Errorf("cannot read %s: %w", path, err)
	} else if !st.IsDir() {
		return "", unknown(path, "it is a file")
	}
	dir, err := backupFolder(abs)
	if err == nil && dir == "" {
		err = unknown(path, "it has no Info.plist and Manifest.db, nor one subfolder that has them")
	}
	return dir, err
}

// backupFolder returns dir if it is a backup, else its only subfolder that is one (the
// usual mistake is pointing at the folder holding the UDID-named backup).
func backupFolder(dir string) (string, error) {
	if iosbackup.IsBackup(dir) {
		return dir, nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", err
	}
	var found []string
	for _, e := range entries {
		if sub := filepath.Join(dir, e.Name()); e.IsDir() && iosbackup.IsBackup(sub) {
			found = append(found, sub)
		}
	}
	switch len(found) {
	case 0:
		return "", nil
	case 1:
		return found[0], nil
	}
	sort.Strings(found)
	return "", fmt.Errorf("%s holds %d backups; give one of them:\n  %s",
		dir, len(found), strings.Join(found, "\n  "))
}

func unknown(path, why string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s is not an acquisition Vigil knows (%s). Vigil reads:", path, why)
	for _, k := range acq.KnownKinds {
		fmt.Fprintf(&b, "\n  %-16s %s", k.Kind, k.What)
	}
	return fmt.Errorf("%w: %s", ErrUnknownKind, b.String())
}
