package archive

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/vigil-project/vigil/internal/acq"
)

var (
	_ acq.Source = (*View)(nil)
	_ acq.Source = (*Archive)(nil)
)

// View is an acq.Source over the entries below one folder of the archive, shown as if that
// folder were another path. It is how a caller presents an archive in the spelling of the
// acquisition kind inside it:
//
//	a.View("sysdiagnose_2026.03.14_09-26-53+0100_iPhone-OS_iPhone_21E236", "") // strip a top folder
//	a.View("", "private")     // a dump of /private (top level "var/") as "private/var/..."
//	a.View("dump", "")        // "dump/private/var/..." as "private/var/...", like fsdump
//
// DumpView picks the right one for a filesystem dump.
type View struct {
	a         *Archive
	entryRoot string   // "" or a folder path of the archive
	devSegs   []string // deviceRoot split in segments; nil for ""
	root      int32    // entryRoot's entry, or -1 when the archive has no such folder
	names     acq.BaseNames
}

var _ acq.NameIndex = (*View)(nil)

// HasBaseName implements acq.NameIndex, so heuristics that look for a binary by name work
// on archives as they do on folders.
func (v *View) HasBaseName(name string) (bool, error) { return v.names.Has(v, name) }

// View returns the view of the entries below entryRoot as paths below deviceRoot. Both are
// slash-separated; "" means the top. The folders of deviceRoot itself are not listed, as
// fsdump does not list "private" for a dump of /private.
func (a *Archive) View(entryRoot, deviceRoot string) *View {
	entryRoot, deviceRoot = cleanPath(entryRoot), cleanPath(deviceRoot)
	v := &View{a: a, entryRoot: entryRoot, root: -1}
	if deviceRoot != "" {
		v.devSegs = strings.Split(deviceRoot, "/")
	}
	if i, ok := a.idx.lookup(entryRoot); ok && a.idx.entries[i].kind == kindDir {
		v.root = i
	}
	return v
}

// DumpView returns the view of a filesystem dump inside the archive in fsdump's device
// spelling ("private/var/..."), wherever the dump starts: at the top or in one top folder,
// and at "/" (holding "private/var/mobile") or at /private (holding "var/mobile").
func (a *Archive) DumpView() (*View, bool) {
	for _, top := range append([]string{""}, a.TopFolders()...) {
		pre := top
		if pre != "" {
			pre += "/"
		}
		switch {
		case a.isDir(pre + "private/var/mobile"):
			return a.View(top, ""), true
		case a.isDir(pre + "var/mobile"):
			return a.View(top, "private"), true
		}
	}
	return nil, false
}

func (a *Archive) isDir(p string) bool {
	i, ok := a.idx.lookup(p)
	return ok && a.idx.entries[i].kind == kindDir
}

func cleanPath(p string) string { return strings.TrimPrefix(path.Clean("/"+p), "/") }

// toDevice maps an entry path below entryRoot to the view's spelling.
func (v *View) toDevice(p string) string {
	if v.entryRoot != "" {
		p = p[len(v.entryRoot)+1:]
	}
	if v.devSegs != nil {
		p = strings.Join(v.devSegs, "/") + "/" + p
	}
	return p
}

// toEntry is toDevice's inverse; false for paths outside the view.
func (v *View) toEntry(p string) (int32, bool) {
	p = cleanPath(p)
	if v.devSegs != nil {
		rest, ok := strings.CutPrefix(p, strings.Join(v.devSegs, "/")+"/")
		if !ok {
			return 0, false
		}
		p = rest
	}
	if v.root < 0 || p == "" {
		return 0, false
	}
	if v.entryRoot != "" {
		p = v.entryRoot + "/" + p
	}
	i, ok := v.a.idx.byPath[p]
	return i, ok
}

// Find implements acq.Source: entries (folders included) whose view path matches
// pattern, segment by segment; the domain must be empty.
func (v *View) Find(domain, pattern string) ([]acq.File, error) {
	if domain != "" || v.root < 0 {
		return nil, nil
	}
	segs := strings.Split(cleanPath(pattern), "/")
	if len(segs) <= len(v.devSegs) {
		return nil, nil
	}
	for i, d := range v.devSegs {
		if !acq.MatchPattern(segs[i], d) {
			return nil, nil
		}
	}
	var hits []int32
	v.a.idx.glob(v.root, segs[len(v.devSegs):], &hits)
	out := make([]acq.File, len(hits))
	for k, i := range hits {
		out[k] = v.file(i)
	}
	slices.SortFunc(out, func(a, b acq.File) int { return strings.Compare(a.Path, b.Path) })
	return out, nil
}

// Walk implements acq.Source: every entry of the view, implied folders included, in path
// order.
func (v *View) Walk(fn func(acq.File) error) error {
	if v.root < 0 {
		return nil
	}
	x := v.a.idx
	order := x.order
	if v.entryRoot != "" {
		pre := v.entryRoot + "/"
		// Paths sharing a prefix are contiguous in path order.
		start := sort.Search(len(order), func(k int) bool { return x.entries[order[k]].path >= pre })
		end := start + sort.Search(len(order)-start, func(k int) bool {
			return !strings.HasPrefix(x.entries[order[start+k]].path, pre)
		})
		order = order[start:end]
	}
	for _, i := range order {
		if err := fn(v.file(i)); err != nil {
			return err
		}
	}
	return nil
}

// Open implements acq.Source for regular files. Links are never followed.
func (v *View) Open(f acq.File) (io.ReadCloser, error) {
	i, ok := v.toEntry(f.Path)
	if !ok {
		return nil, fmt.Errorf("archive: %q: %w", f.Path, fs.ErrNotExist)
	}
	e := &v.a.idx.entries[i]
	switch {
	case e.kind != kindFile:
		return nil, fmt.Errorf("archive: %q is a %s, not a regular file", f.Path, e.kind)
	case e.state == stateNotWanted:
		return nil, fmt.Errorf("archive: %q: %w", f.Path, ErrNotExtracted)
	case e.state == stateRefused:
		return nil, fmt.Errorf("archive: %q: %s: %w", f.Path, e.extra.reason, ErrRefused)
	case e.content == 0:
		return nil, fmt.Errorf("archive: %q: %w", f.Path, acq.ErrMissing)
	case v.a.zip != nil:
		return v.a.zip.openEntry(e)
	}
	r, err := os.Open(v.a.ext.path(e.content))
	if err != nil {
		return nil, fmt.Errorf("archive: %q: %w", f.Path, err)
	}
	return r, nil
}

// LocalPath implements acq.Source: the extracted copy of a tar entry; false for zip.
func (v *View) LocalPath(f acq.File) (string, bool) {
	i, ok := v.toEntry(f.Path)
	if !ok || v.a.ext == nil {
		return "", false
	}
	e := &v.a.idx.entries[i]
	if e.kind != kindFile || e.state != stateOK || e.content == 0 {
		return "", false
	}
	return v.a.ext.path(e.content), true
}

func (v *View) file(i int32) acq.File {
	e := &v.a.idx.entries[i]
	f := acq.File{Path: v.toDevice(e.path), Size: e.size, Mode: e.mode,
		ModeBits: posixBits(e.mode), UserID: e.uid, Flags: int(e.kind)}
	switch e.kind {
	case kindDir:
		f.Flags = 2
	case kindSymlink, kindHardlink:
		f.Flags = 4
	}
	if e.mnsec >= 0 {
		f.Modified = time.Unix(e.msec, int64(e.mnsec)).UTC()
	}
	if x := e.extra; x != nil {
		f.Target, f.Changed, f.Birth = x.target, x.changed, x.birth
	}
	return f
}

func posixBits(m fs.FileMode) uint32 {
	b := uint32(m.Perm())
	for _, s := range []struct {
		flag fs.FileMode
		bit  uint32
	}{{fs.ModeSetuid, 0o4000}, {fs.ModeSetgid, 0o2000}, {fs.ModeSticky, 0o1000}} {
		if m&s.flag != 0 {
			b |= s.bit
		}
	}
	return b
}

// Find implements acq.Source over the entry paths as stored (cleaned); see View.Find.
func (a *Archive) Find(domain, pattern string) ([]acq.File, error) {
	return a.all.Find(domain, pattern)
}

// Open implements acq.Source; see View.Open.
func (a *Archive) Open(f acq.File) (io.ReadCloser, error) { return a.all.Open(f) }

// LocalPath implements acq.Source; see View.LocalPath.
func (a *Archive) LocalPath(f acq.File) (string, bool) { return a.all.LocalPath(f) }

// Walk implements acq.Source; see View.Walk.
func (a *Archive) Walk(fn func(acq.File) error) error { return a.all.Walk(fn) }
