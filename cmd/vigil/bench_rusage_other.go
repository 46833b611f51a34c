//go:build !(linux || darwin || freebsd || netbsd || openbsd)

package main

import "os"

// peakMemory is not measured where the platform reports no maximum resident set size.
func peakMemory(*os.ProcessState) string { return "not measured on this system" }
