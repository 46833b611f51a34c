package ios

import (
	"slices"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/module"
)

// dropEmpty leaves out empty files, which sysdiagnoses hold for state that was never
// written (SAF skips them too): they are absent data, not damaged plists. Without any
// file left it returns module.ErrNoData.
func dropEmpty(files []acq.File) ([]acq.File, error) {
	files = slices.DeleteFunc(files, func(f acq.File) bool { return f.Size == 0 })
	if len(files) == 0 {
		return nil, module.ErrNoData
	}
	return files, nil
}
