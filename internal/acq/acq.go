// Package acq describes acquisitions: what kind a path is, and a read-only view of its files.
package acq

import (
	"errors"
	"io"
	"io/fs"
	"time"
)

// Kind names an acquisition format.
type Kind string

// The acquisition kinds Vigil knows.
const (
	IOSBackup     Kind = "ios-backup"
	IOSFilesystem Kind = "ios-fs"
	IOSSysdiag    Kind = "ios-sysdiagnose"
	AndroidQF     Kind = "androidqf"
	AndroidBugRep Kind = "android-bugreport"
	AndroidBackup Kind = "android-backup"
)

// KnownKinds describes every kind for messages that list what Vigil can read.
var KnownKinds = []struct {
	Kind Kind
	What string
}{
	{IOSBackup, "iTunes/Finder/idevicebackup2 backup folder (Info.plist + Manifest.db)"},
	{IOSSysdiag, "iOS sysdiagnose: the sysdiagnose_....tar.gz the phone exports, or its extracted folder (sysdiagnose.log)"},
	{IOSFilesystem, "full filesystem dump: a folder, .zip, .tar or .tar.gz holding private/var/mobile (or var/mobile for a dump of /private)"},
}

// File is one entry of an acquisition, as the device saw it.
type File struct {
	Domain   string      `json:"domain,omitempty"`  // backup domain such as "HomeDomain"; empty for filesystem kinds
	Path     string      `json:"path"`              // slash-separated, relative to the domain (backup) or the root
	ID       string      `json:"file_id,omitempty"` // backup file id: sha1(domain-path)
	Flags    int         `json:"flags,omitempty"`   // backup flags: 1 file, 2 directory, 4 symlink
	Size     int64       `json:"size"`
	Mode     fs.FileMode `json:"-"`
	ModeBits uint32      `json:"mode,omitempty"` // POSIX mode as stored by the device
	UserID   int64       `json:"user_id,omitempty"`
	Birth    time.Time   `json:"birth,omitzero"`
	Modified time.Time   `json:"modified,omitzero"`
	Changed  time.Time   `json:"changed,omitzero"` // inode status change
	Target   string      `json:"target,omitempty"` // symlink target
}

// IsDir reports whether the entry is a directory.
func (f File) IsDir() bool { return f.Flags == 2 || f.Mode.IsDir() }

// Source is the read-only view of an acquisition's files that modules use.
// It never writes anything inside the evidence.
type Source interface {
	// Find returns the entries whose domain equals domain ("" means any domain) and whose
	// path matches pattern, where '*' matches any run of characters except '/'.
	// The result is sorted by domain, then path.
	Find(domain, pattern string) ([]File, error)
	// Open returns the plain content of a regular file.
	Open(f File) (io.ReadCloser, error)
	// LocalPath returns a path on disk that holds f's plain bytes, when one exists
	// (it does not for encrypted backups or archives).
	LocalPath(f File) (string, bool)
	// Walk calls fn for every entry, in a stable order.
	Walk(fn func(File) error) error
}

// ErrMissing is returned by Source.Open when an entry is listed but its content is absent.
var ErrMissing = errors.New("file listed in the acquisition but its content is missing")

// Facts are what the acquisition says about the device. Identifiers are kept out on purpose:
// results are shared with helplines and must not carry phone numbers or serials.
type Facts struct {
	DeviceName     string    `json:"device_name,omitempty"`
	ProductType    string    `json:"product_type,omitempty"`
	ProductVersion string    `json:"product_version,omitempty"`
	BuildVersion   string    `json:"build_version,omitempty"`
	Encrypted      bool      `json:"encrypted"`
	AcquiredAt     time.Time `json:"acquired_at,omitzero"`
	// UTCOffset is the device's offset from UTC in seconds, when the acquisition says
	// (a sysdiagnose's name does); zone-less text logs are read with it.
	UTCOffset *int `json:"utc_offset_seconds,omitempty"`
}

// Acquisition is an opened acquisition: its kind, its files and what it says about the device.
type Acquisition struct {
	Kind   Kind
	Path   string // what the user gave, made absolute
	Source Source
	Facts  Facts
	// Info is the acquisition's own description, as decoded (Info.plist for a backup).
	Info map[string]any
	// Warnings are things the user should hear that did not stop the opening.
	Warnings []string
	closer   io.Closer
}

// New assembles an Acquisition; closer (may be nil) releases what the Source holds open.
func New(kind Kind, path string, src Source, facts Facts, closer io.Closer) *Acquisition {
	return &Acquisition{Kind: kind, Path: path, Source: src, Facts: facts, closer: closer}
}

// Close releases the acquisition's resources.
func (a *Acquisition) Close() error {
	if a.closer == nil {
		return nil
	}
	return a.closer.Close()
}
