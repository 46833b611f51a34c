package ios

import (
	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/module"
)

// places says where an artifact lives in each kind of acquisition: backup locations are a
// domain and a relative path, filesystem locations a path below the dump root
// ("private/var/mobile/..."). A module declares both once and reads whichever applies.
type places map[acq.Kind][]location

// find returns the artifact's files in the acquisition at hand, or module.ErrNoData.
func (p places) find(in *module.Input) ([]acq.File, error) {
	return findFiles(in, p[in.Acq.Kind]...)
}

// artifacts lists every location of every kind, for `vigil modules`.
func (p places) artifacts() []string {
	var out []string
	for _, k := range []acq.Kind{acq.IOSBackup, acq.IOSFilesystem, acq.IOSSysdiag} {
		for _, l := range p[k] {
			where := l.String()
			if k != acq.IOSBackup {
				where = l.path // paths below the root: no domains to name
			}
			out = append(out, string(k)+": "+where)
		}
	}
	return out
}
