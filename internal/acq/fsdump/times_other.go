//go:build !(linux || darwin || freebsd || netbsd || openbsd)

package fsdump

import (
	"io/fs"

	"github.com/vigil-project/vigil/internal/acq"
)

// fillTimes has nothing more to add where the platform's stat is not Unix-like.
func fillTimes(*acq.File, fs.FileInfo) {}
