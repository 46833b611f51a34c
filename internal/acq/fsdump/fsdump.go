// Package fsdump reads a full iOS filesystem dump laid out as a folder. Paths are always
// given as the device sees them below "/", in the "private/var/..." spelling, whatever the
// dump's own root: dumps start at "/", at "private/", or hold "var/" without "private/".
package fsdump

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/vigil-project/vigil/internal/acq"
)

// Dump is an opened filesystem dump folder.
type Dump struct {
	dir  string   // the folder on disk that corresponds to the device's "/"
	root *os.Root // refuses every path, symlinks included, that leaves dir
	// varOnly is set for dumps of /private itself: their top level is "var", and device
	// paths "private/var/x" live at "var/x".
	varOnly bool
	names   acq.BaseNames // built on the first HasBaseName (names.go)
}

// Detect returns the device-root folder of a dump at dir, or "" when dir is not one.
func Detect(dir string) (root string, varOnly bool) {
	switch {
	case isDir(filepath.Join(dir, "private", "var", "mobile")):
		return dir, false
	case isDir(filepath.Join(dir, "var", "mobile")):
		return dir, true
	}
	return "", false
}

func isDir(p string) bool {
	st, err := os.Lstat(p)
	return err == nil && st.IsDir()
}

// Open opens the dump at dir (as returned by Detect).
func Open(dir string, varOnly bool) (*Dump, error) {
	r, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("filesystem dump: %w", err)
	}
	return &Dump{dir: dir, root: r, varOnly: varOnly}, nil
}

// Close releases the dump's root handle.
func (d *Dump) Close() error { return d.root.Close() }

// diskPath maps a device path ("private/var/mobile/x") to one relative to the dump folder.
func (d *Dump) diskPath(p string) (string, bool) {
	p = strings.TrimPrefix(path.Clean("/"+p), "/")
	if !d.varOnly {
		return p, true
	}
	rest, ok := strings.CutPrefix(p, "private/")
	if !ok {
		return "", false // outside /private: not in a dump of /private
	}
	return rest, true
}

// devicePath is the inverse of diskPath.
func (d *Dump) devicePath(rel string) string {
	rel = filepath.ToSlash(rel)
	if d.varOnly {
		return "private/" + rel
	}
	return rel
}

// Find implements acq.Source. Only files are listed; the domain must be empty.
func (d *Dump) Find(domain, pattern string) ([]acq.File, error) {
	if domain != "" {
		return nil, nil
	}
	rel, ok := d.diskPath(pattern)
	if !ok {
		return nil, nil
	}
	var out []acq.File
	err := d.glob(".", strings.Split(rel, "/"), &out)
	slices.SortFunc(out, func(a, b acq.File) int { return strings.Compare(a.Path, b.Path) })
	return out, err
}

// glob descends one pattern segment at a time, so a look-up never walks the whole dump.
func (d *Dump) glob(dir string, segs []string, out *[]acq.File) error {
	seg, rest := segs[0], segs[1:]
	var names []string
	if !acq.HasWildcard(seg) {
		names = []string{seg}
	} else {
		entries, err := fs.ReadDir(d.root.FS(), dir)
		if err != nil {
			return nil // an unreadable or absent folder holds no match
		}
		for _, e := range entries {
			if acq.MatchPattern(seg, e.Name()) {
				names = append(names, e.Name())
			}
		}
	}
	for _, n := range names {
		p := path.Join(dir, n)
		st, err := d.root.Lstat(p)
		if err != nil {
			continue
		}
		if len(rest) > 0 {
			if st.IsDir() {
				if err := d.glob(p, rest, out); err != nil {
					return err
				}
			}
			continue
		}
		*out = append(*out, d.file(p, st))
	}
	return nil
}

func (d *Dump) file(rel string, st fs.FileInfo) acq.File {
	f := acq.File{Path: d.devicePath(rel), Size: st.Size(), Mode: st.Mode(),
		ModeBits: uint32(st.Mode().Perm()), Modified: st.ModTime().UTC()}
	fillTimes(&f, st)
	switch {
	case st.IsDir():
		f.Flags, f.Size = 2, 0
	case st.Mode()&fs.ModeSymlink != 0:
		f.Flags = 4
		f.Target, _ = d.root.Readlink(rel)
	default:
		f.Flags = 1
	}
	return f
}

// Open implements acq.Source. Symlinks are not followed: their targets are device paths
// that mean something else on the analyst's machine.
func (d *Dump) Open(f acq.File) (io.ReadCloser, error) {
	rel, ok := d.diskPath(f.Path)
	if !ok {
		return nil, fmt.Errorf("filesystem dump: %s: %w", f.Path, fs.ErrNotExist)
	}
	st, err := d.root.Lstat(rel)
	if err != nil {
		return nil, fmt.Errorf("filesystem dump: %w", err)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("filesystem dump: %s is not a regular file", f.Path)
	}
	return d.root.Open(rel)
}

// LocalPath implements acq.Source.
func (d *Dump) LocalPath(f acq.File) (string, bool) {
	rel, ok := d.diskPath(f.Path)
	if !ok {
		return "", false
	}
	st, err := d.root.Lstat(rel)
	if err != nil || !st.Mode().IsRegular() {
		return "", false
	}
	return filepath.Join(d.dir, filepath.FromSlash(rel)), true
}

// Walk implements acq.Source: every entry below the root, in lexical order.
func (d *Dump) Walk(fn func(acq.File) error) error {
	return fs.WalkDir(d.root.FS(), ".", func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrPermission) {
				return nil
			}
			return err
		}
		if p == "." {
			return nil
		}
		st, err := e.Info()
		if err != nil {
			return nil // vanished while walking
		}
		return fn(d.file(p, st))
	})
}
