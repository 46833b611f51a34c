// Package archive is a read-only acq.Source over an archive of a filesystem dump or a
// sysdiagnose: .zip, .tar, .tar.gz. The bytes are attacker-influenced (a phone under
// suspicion produced them), so every entry name is checked, links are listed but never
// followed, and sizes are capped; what is refused is reported through Problems, never
// silently dropped.
//
// Tar streams are read once, front to back: entries are indexed and the wanted regular
// files copied into a private folder, because a gzip stream cannot be sought and reading a
// 100 GB dump twice is not an option. Zip entries are read on demand from the central
// directory, so nothing is extracted.
//
// Paths are the entry names cleaned: slash-separated, without "./" or a trailing "/".
// Folders that names only imply are listed too (Flags 2, no times), so that a pattern can
// descend them. Symlinks and hard links are listed with Flags 4 and Target as stored (hard
// links also carry fs.ModeIrregular); nothing is ever resolved through them. The index
// costs about 220 bytes per entry on top of the path, whatever the content's size.
package archive

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
)

// Options tune how an archive is opened. The zero value is usable.
type Options struct {
	// TempDir is the private (0700) folder to extract tar entries into; the archive makes
	// its own subfolder there, only when something is extracted, and removes it on Close.
	// Empty means os.TempDir().
	TempDir string
	// Want selects the regular files of a tar to extract, by entry path (as Find shows it,
	// top folder included). Nil means all. Entries not wanted are still listed, but Open
	// on them returns ErrNotExtracted. Zip entries are always readable.
	Want func(entryPath string) bool
	// MaxEntryBytes caps one entry's content (default 8 GiB).
	MaxEntryBytes int64
	// MaxTotalBytes caps what a tar extracts in all (default 64 GiB); going over is an error.
	MaxTotalBytes int64
	// MaxEntries caps the index, implied folders included (default 5,000,000).
	MaxEntries int
	// Progress, when set, is told how many bytes of the archive file have been consumed
	// (compressed bytes for .tar.gz), so it can be compared with the file's size.
	Progress func(bytesRead int64)
}

// Defaults for the zero Options.
const (
	DefaultMaxEntryBytes = 8 << 30
	DefaultMaxTotalBytes = 64 << 30
	DefaultMaxEntries    = 5_000_000
)

func (o Options) withDefaults() Options {
	if o.MaxEntryBytes <= 0 {
		o.MaxEntryBytes = DefaultMaxEntryBytes
	}
	if o.MaxTotalBytes <= 0 {
		o.MaxTotalBytes = DefaultMaxTotalBytes
	}
	if o.MaxEntries <= 0 {
		o.MaxEntries = DefaultMaxEntries
	}
	// Entry numbers are int32 to keep the index small.
	o.MaxEntries = min(o.MaxEntries, 1<<31-2)
	if o.TempDir == "" {
		o.TempDir = os.TempDir()
	}
	return o
}

var (
	// ErrNotExtracted is returned by Open for a tar entry that Options.Want did not select.
	ErrNotExtracted = errors.New("entry listed but not extracted")
	// ErrRefused is returned by Open for an entry whose content was refused (size caps,
	// compression ratio); Problems says why.
	ErrRefused = errors.New("entry content refused")
	// ErrLimit reports an archive over MaxEntries or MaxTotalBytes.
	ErrLimit = errors.New("archive over a configured limit")
	// ErrFormat reports bytes that are not a zip, tar or gzip-compressed tar.
	ErrFormat = errors.New("not a zip, tar or tar.gz archive")
	// ErrIncomplete reports a stream that broke off (truncated download, corrupt gzip).
	// Open then returns the Archive of the entries read before the break, with the error.
	ErrIncomplete = errors.New("archive stream broke off")
)

// Archive is an opened archive. Its methods are safe for concurrent use; the identity view
// (entry paths as they are, cleaned) is what its acq.Source methods show.
type Archive struct {
	opts   Options
	format string
	idx    *index
	all    *View
	ext    *extraction // tar only; nil when nothing was extracted
	zip    *zipContent // zip only
	closer sync.Once
	errC   error
}

// Open opens the archive at path, recognised by its first bytes whatever its name.
//
// A tar whose stream breaks off returns a usable Archive together with an error that wraps
// ErrIncomplete: the caller decides whether a partial acquisition is worth reading, and
// must Close it either way. Every other error returns a nil Archive.
func Open(path string, opts Options) (*Archive, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("archive: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("archive: %w", err)
	}
	var head [sniffLen]byte
	n, err := f.ReadAt(head[:], 0)
	if err != nil && err != io.EOF {
		f.Close()
		return nil, fmt.Errorf("archive: %s: %w", path, err)
	}
	if sniff(head[:n]) == formatZip {
		a, err := openZip(f, st.Size(), opts.withDefaults())
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("archive: %s: %w", path, err)
		}
		return a, nil
	}
	// The bytes read to sniff are read again here, but a file is not a stream: the single
	// pass that matters is over the gzip and tar data below.
	defer f.Close()
	a, err := readStream(newFileSource(f), opts.withDefaults())
	if err != nil {
		return a, fmt.Errorf("archive: %s: %w", path, err)
	}
	return a, nil
}

// OpenReader reads a tar or tar.gz from a stream, in a single pass and without seeking.
// Zip needs random access: use Open. Errors are as for Open.
func OpenReader(r io.Reader, opts Options) (*Archive, error) {
	a, err := readStream(newStreamSource(r), opts.withDefaults())
	if err != nil {
		return a, fmt.Errorf("archive: %w", err)
	}
	return a, nil
}

func newArchive(format string, opts Options) *Archive {
	a := &Archive{opts: opts, format: format, idx: newIndex(opts.MaxEntries)}
	a.all = &View{a: a}
	return a
}

// Close removes the extraction folder and releases the archive file.
func (a *Archive) Close() error {
	a.closer.Do(func() {
		if a.ext != nil {
			a.errC = errors.Join(a.errC, a.ext.remove())
		}
		if a.zip != nil {
			a.errC = errors.Join(a.errC, a.zip.f.Close())
		}
	})
	return a.errC
}

// Format is "zip", "tar" or "tar.gz", as recognised from the bytes.
func (a *Archive) Format() string { return a.format }

// Problems lists what was refused, skipped or replaced while indexing, one line each.
func (a *Archive) Problems() []string { return a.idx.probs.lines() }

// TopFolders lists the folders at the top of the archive, sorted, so that callers can tell
// a sysdiagnose ("sysdiagnose_<date>_iPhone-OS_.../") from a dump ("private/", "var/").
func (a *Archive) TopFolders() []string { return a.idx.topFolders() }

// ExtractedBytes is how much the archive copied into its extraction folder.
func (a *Archive) ExtractedBytes() int64 {
	if a.ext == nil {
		return 0
	}
	return a.ext.total
}
