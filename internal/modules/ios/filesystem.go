package ios

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/timeline"
)

// Filesystem lists every entry of a filesystem dump, so that path indicators (Predator's
// /private/var/tmp files, QuaDream's staging folder) are checked against the whole device
// and every modification time reaches the timeline.
type Filesystem struct{ about }

// NewFilesystem returns the filesystem module.
func NewFilesystem() *Filesystem {
	return &Filesystem{about{
		name:      "ios/filesystem",
		desc:      "Every file and folder of the dump, with its times; paths are checked against indicators",
		kinds:     fsOnlyKinds,
		artifacts: []string{string(acq.IOSFilesystem) + ": every entry"},
	}}
}

// FilesystemEntry is one file, folder or symlink.
type FilesystemEntry struct {
	Path     string    `json:"path"` // device path, "private/var/..."
	Type     string    `json:"type"` // file, dir, symlink or other
	Size     int64     `json:"size"`
	Mode     string    `json:"mode"` // "-rw-r--r--"
	Modified time.Time `json:"modified,omitzero"`
	// Changed is the inode change time where the acquisition kept the device's (archives
	// that record it); a folder dump only knows when it was itself written, so it is left out.
	Changed time.Time `json:"changed,omitzero"`
	Target  string    `json:"target,omitempty"` // symlink target
}

// Events implements module.Record: MVT's entry_modified, and entry_changed when the
// change time is known and differs (metadata or content changed without the mtime, as a
// touch -m that hides a write leaves it). Folders are included, as in MVT.
func (e FilesystemEntry) Events() []timeline.Event {
	var out []timeline.Event
	if !e.Modified.IsZero() {
		out = append(out, timeline.Event{Time: e.Modified, Event: "entry_modified", Description: "/" + e.Path})
	}
	if !e.Changed.IsZero() && !e.Changed.Equal(e.Modified) {
		out = append(out, timeline.Event{Time: e.Changed, Event: "entry_changed", Description: "/" + e.Path})
	}
	return out
}

// Observables implements module.Record: the absolute path for file-path and file-name
// indicators, and its components for process names, as MVT checks both.
func (e FilesystemEntry) Observables() []ioc.Observable {
	p := "/" + e.Path
	return []ioc.Observable{{Type: ioc.FilePath, Value: p}, {Type: ioc.ProcessPath, Value: p}}
}

// Run implements module.Module. It streams: one record per entry as the walk meets it,
// nothing kept, so a dump of any size costs the same memory.
func (m *Filesystem) Run(ctx context.Context, in *module.Input, emit module.Emitter) error {
	src := in.Source()
	keepChanged := !servesLocalFiles(src)
	n := 0
	err := src.Walk(func(f acq.File) error {
		if n++; n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		emit.Record(newFilesystemEntry(f, keepChanged))
		return nil
	})
	if err != nil {
		return fmt.Errorf("walking the dump: %w", err)
	}
	if n == 0 {
		return module.ErrNoData
	}
	return nil
}

func newFilesystemEntry(f acq.File, keepChanged bool) FilesystemEntry {
	e := FilesystemEntry{Path: f.Path, Size: f.Size, Mode: f.Mode.String(), Modified: f.Modified, Target: f.Target}
	switch {
	case f.IsDir():
		e.Type = "dir"
	case f.Flags == 4 || f.Mode&fs.ModeSymlink != 0:
		e.Type = "symlink"
	case f.Flags == 1 || f.Mode.IsRegular():
		e.Type = "file"
	default:
		e.Type = "other"
	}
	if keepChanged {
		e.Changed = f.Changed
	}
	return e
}

// errFoundFile stops the probe walk.
var errFoundFile = errors.New("found a regular file")

// servesLocalFiles reports whether src reads its entries from files on the analyst's disk
// (a dump folder): their inode change times are when the dump was copied there, never the
// device's, and would fill the timeline with the copy's date. It looks at the first
// regular file only.
func servesLocalFiles(src acq.Source) bool {
	local := false
	_ = src.Walk(func(f acq.File) error {
		if f.IsDir() || f.Flags == 4 {
			return nil
		}
		_, local = src.LocalPath(f)
		return errFoundFile
	})
	return local
}
