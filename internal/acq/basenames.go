package acq

import (
	"path"
	"strings"
	"sync"
)

// BaseNames answers NameIndex for any Source through one Walk, made on first use and
// shared by every module of the run. It holds names only, never paths: a dump of 300,000
// entries has far fewer distinct names, and each name is copied out of its path so that
// the walk's path strings can be freed. Folders do not count: a binary is a file (or a
// symlink to one), and a folder that shares a daemon's name says nothing about it.
type BaseNames struct {
	once  sync.Once
	names map[string]struct{}
	err   error
}

// Has reports whether src holds a non-folder entry named name.
func (b *BaseNames) Has(src Source, name string) (bool, error) {
	b.once.Do(func() {
		names := map[string]struct{}{}
		b.err = src.Walk(func(f File) error {
			if f.IsDir() {
				return nil
			}
			base := path.Base(f.Path)
			if _, ok := names[base]; !ok {
				names[strings.Clone(base)] = struct{}{}
			}
			return nil
		})
		b.names = names
	})
	if b.err != nil {
		return false, b.err
	}
	_, ok := b.names[name]
	return ok, nil
}
