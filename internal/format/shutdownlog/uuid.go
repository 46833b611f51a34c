package shutdownlog

import "strings"

// SplitUUID splits a trailing "/<UUID>" component off a client path: launchd names
// clients by executable path plus an instance UUID, and indicators name the executable.
// A path without one is returned whole.
func SplitUUID(p string) (exe, uuid string) {
	i := strings.LastIndexByte(p, '/')
	if i < 0 || !isUUID(p[i+1:]) {
		return p, ""
	}
	return p[:i], p[i+1:]
}

// isUUID reports whether s is 8-4-4-4-12 hexadecimal digits, in either case.
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	return true
}
