package archive

import (
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/vigil-project/vigil/internal/acq"
)

type kind uint8

const (
	kindDir kind = iota
	kindFile
	kindSymlink
	kindHardlink
)

func (k kind) String() string {
	return [...]string{"folder", "file", "symlink", "hard link"}[k]
}

type state uint8

const (
	stateOK        state = iota
	stateNotWanted       // a tar file that Options.Want left out
	stateRefused         // content refused; extra.reason says why
)

// irregular marks hard links in File.Mode: they are neither files nor symlinks to us,
// since their content is never looked up.
const irregular = fs.ModeIrregular

// entry is one indexed path. It is kept small, since dumps list millions; fields that few
// entries have live in extra.
type entry struct {
	path    string
	size    int64
	msec    int64
	mnsec   int32 // -1: no modification time (implied folders)
	mode    fs.FileMode
	uid     int64
	content int32 // extraction number (tar) or zip file number + 1; 0: none
	first   int32 // first child, in name order (set by finish)
	next    int32 // next sibling
	kind    kind
	state   state
	implied bool // a folder that only its entries' paths imply
	extra   *extra
}

type extra struct {
	target         string // symlink target as stored; hard link: the archive path linked to
	changed, birth time.Time
	reason         string // why content was refused
}

func (e *entry) more() *extra {
	if e.extra == nil {
		e.extra = &extra{}
	}
	return e.extra
}

func (e *entry) setModified(t time.Time) {
	if t.IsZero() {
		e.mnsec = -1
		return
	}
	e.msec, e.mnsec = t.Unix(), int32(t.Nanosecond())
}

// index holds every entry with a path map, for O(1) exact look-ups, and child lists, so
// that a pattern only visits the folders its segments name.
type index struct {
	entries  []entry // entries[0] is the root folder
	byPath   map[string]int32
	order    []int32 // every entry but the root, in path order; set by finish
	max      int
	explicit int // entries the archive itself listed, for messages
	probs    problems
}

func newIndex(max int) *index {
	return &index{
		entries: []entry{{kind: kindDir, implied: true, mnsec: -1, mode: fs.ModeDir}},
		byPath:  map[string]int32{},
		max:     max,
	}
}

func (x *index) lookup(p string) (int32, bool) {
	if p == "" {
		return 0, true
	}
	i, ok := x.byPath[p]
	return i, ok
}

// add indexes e. It returns e's number, or -1 when e was refused (and reported), and the
// entry it replaced, whose content the caller must release.
func (x *index) add(e entry) (int32, entry, error) {
	x.explicit++
	if i, ok := x.byPath[e.path]; ok {
		return x.replace(i, e)
	}
	ok, err := x.makeParents(e.path)
	if !ok || err != nil {
		return -1, entry{}, err
	}
	i, err := x.insert(e)
	return i, entry{}, err
}

// replace applies "the last entry wins", except that nothing replaces a folder: its
// entries would be left under a file or a link.
func (x *index) replace(i int32, e entry) (int32, entry, error) {
	cur := &x.entries[i]
	switch {
	case cur.kind == kindDir && e.kind == kindDir:
		*cur = e // an explicit folder entry after its contents, or listed twice: harmless
		return i, entry{}, nil
	case cur.kind == kindDir:
		x.probs.add("%q: a %s where a folder was listed before: refused", e.path, e.kind)
		return -1, entry{}, nil
	}
	x.probs.add("%q: listed again (%s, then %s); the last entry wins", e.path, cur.kind, e.kind)
	old := *cur
	*cur = e
	return i, old, nil
}

// makeParents indexes the folders p implies, refusing p when one of them is a file or a
// link: "link/x" after "link -> /etc" is the classic way out of an extraction folder.
func (x *index) makeParents(p string) (bool, error) {
	var missing []string
	var anc int32
	for dir := p; ; {
		j := strings.LastIndexByte(dir, '/')
		if j < 0 {
			break
		}
		dir = dir[:j]
		if i, ok := x.byPath[dir]; ok {
			anc = i
			break
		}
		missing = append(missing, dir)
	}
	if a := x.entries[anc]; a.kind != kindDir {
		x.probs.add("%q: inside %q, a %s, not a folder: refused (links are never followed)", p, a.path, a.kind)
		return false, nil
	}
	for k := len(missing) - 1; k >= 0; k-- {
		d := entry{path: missing[k], kind: kindDir, implied: true, mnsec: -1, mode: fs.ModeDir}
		if _, err := x.insert(d); err != nil {
			return false, err
		}
	}
	return true, nil
}

func (x *index) insert(e entry) (int32, error) {
	if len(x.entries) > x.max {
		return -1, fmt.Errorf("more than %d entries: %w", x.max, ErrLimit)
	}
	i := int32(len(x.entries))
	x.entries = append(x.entries, e)
	x.byPath[e.path] = i
	return i, nil
}

func (x *index) refuse(i int32, why string) {
	e := &x.entries[i]
	e.state = stateRefused
	e.more().reason = why
	x.probs.add("%q: %s; content not available", e.path, why)
}

// finish sorts the entries and links each folder to its children, in name order.
func (x *index) finish() {
	n := len(x.entries)
	x.order = make([]int32, n-1)
	for i := range x.order {
		x.order[i] = int32(i + 1)
	}
	slices.SortFunc(x.order, func(a, b int32) int {
		return strings.Compare(x.entries[a].path, x.entries[b].path)
	})
	// Sorted by full path, a folder's children come in name order: they share its prefix.
	last := make([]int32, n)
	for _, i := range x.order {
		p := x.parent(i)
		if last[p] == 0 {
			x.entries[p].first = i
		} else {
			x.entries[last[p]].next = i
		}
		last[p] = i
	}
}

func (x *index) parent(i int32) int32 {
	p := x.entries[i].path
	j := strings.LastIndexByte(p, '/')
	if j < 0 {
		return 0
	}
	return x.byPath[p[:j]]
}

func (x *index) topFolders() []string {
	var out []string
	for c := x.entries[0].first; c != 0; c = x.entries[c].next {
		if x.entries[c].kind == kindDir {
			out = append(out, x.entries[c].path)
		}
	}
	return out
}

// glob collects the entries below folder node that match segs, one segment at a time.
func (x *index) glob(node int32, segs []string, out *[]int32) {
	seg, rest := segs[0], segs[1:]
	visit := func(c int32) {
		switch {
		case len(rest) == 0:
			*out = append(*out, c)
		case x.entries[c].kind == kindDir:
			x.glob(c, rest, out)
		}
	}
	if !acq.HasWildcard(seg) {
		p := seg
		if node != 0 {
			p = x.entries[node].path + "/" + seg
		}
		if c, ok := x.byPath[p]; ok {
			visit(c)
		}
		return
	}
	for c := x.entries[node].first; c != 0; c = x.entries[c].next {
		name := x.entries[c].path
		if node != 0 {
			name = name[len(x.entries[node].path)+1:]
		}
		if acq.MatchPattern(seg, name) {
			visit(c)
		}
	}
}
