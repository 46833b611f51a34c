//go:build linux || darwin || freebsd || netbsd || openbsd

package main

import (
	"fmt"
	"os"
	"runtime"
	"syscall"
)

// peakMemory is the child's maximum resident set size (kilobytes on Linux and the BSDs,
// bytes on macOS).
func peakMemory(ps *os.ProcessState) string {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return "unknown"
	}
	bytes := ru.Maxrss * 1024
	if runtime.GOOS == "darwin" {
		bytes = ru.Maxrss
	}
	return fmt.Sprintf("%.1f MB", float64(bytes)/1e6)
}
