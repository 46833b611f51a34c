//go:build linux || darwin || freebsd || netbsd || openbsd

package fsdump

import (
	"io/fs"
	"syscall"
	"time"

	"github.com/vigil-project/vigil/internal/acq"
)

// fillTimes adds the inode change time, which the tar or copy that made the dump may
// have kept; birth time is not portable and stays unknown.
func fillTimes(f *acq.File, st fs.FileInfo) {
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		f.Changed = time.Unix(ctime(s)).UTC()
		f.UserID = int64(s.Uid)
	}
}
