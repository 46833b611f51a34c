// Package ios holds the modules that read iOS acquisitions, one file per module.
package ios

import (
	"fmt"
	"io"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/format/plistsafe"
	"github.com/vigil-project/vigil/internal/module"
)

// about carries the descriptive half of a module, so each module file holds only its logic.
type about struct {
	name, desc string
	kinds      []acq.Kind
	artifacts  []string
}

func (a about) Name() string        { return a.name }
func (a about) Kinds() []acq.Kind   { return a.kinds }
func (a about) Description() string { return a.desc }
func (a about) Artifacts() []string { return a.artifacts }

var backupOnly = []acq.Kind{acq.IOSBackup}

// backupAndFS marks a module that reads its artifact from backups and filesystem dumps
// alike, through the locations its places declare for each.
var backupAndFS = []acq.Kind{acq.IOSBackup, acq.IOSFilesystem}

// location is where an artifact lives in a backup: a domain ("" for any) and a path pattern.
type location struct{ domain, path string }

func (l location) String() string {
	if l.domain == "" {
		return "*/" + l.path
	}
	return l.domain + "/" + l.path
}

// findFiles returns the regular files at any of locs, or module.ErrNoData when there are none.
func findFiles(in *module.Input, locs ...location) ([]acq.File, error) {
	var out []acq.File
	for _, l := range locs {
		found, err := in.Source().Find(l.domain, l.path)
		if err != nil {
			return nil, err
		}
		for _, f := range found {
			if !f.IsDir() {
				out = append(out, f)
			}
		}
	}
	if len(out) == 0 {
		return nil, module.ErrNoData
	}
	return out, nil
}

// maxPlistSize bounds what a module reads into memory from one plist; real ones are far smaller.
const maxPlistSize = 64 << 20

// readPlist decodes a plist file of the acquisition into v, through plistsafe: the file
// is evidence, and a crafted one must end in an error, never in a crash or a runaway
// allocation.
func readPlist(in *module.Input, f acq.File, v any) error {
	r, err := in.Source().Open(f)
	if err != nil {
		return err
	}
	defer r.Close()
	data, err := io.ReadAll(io.LimitReader(r, maxPlistSize+1))
	if err != nil {
		return fmt.Errorf("%s: %w", f.Path, err)
	}
	if len(data) > maxPlistSize {
		return fmt.Errorf("%s: larger than %d MiB, not read", f.Path, maxPlistSize>>20)
	}
	if err := plistsafe.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: not a readable plist: %w", f.Path, err)
	}
	return nil
}
