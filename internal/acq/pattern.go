package acq

import "strings"

// MatchPattern reports whether name matches pattern, where '*' stands for any run of
// characters other than '/'. No other character is special, because device paths
// contain brackets and question marks that path.Match would misread.
func MatchPattern(pattern, name string) bool {
	star := strings.IndexByte(pattern, '*')
	if star < 0 {
		return pattern == name
	}
	if !strings.HasPrefix(name, pattern[:star]) {
		return false
	}
	rest, name := pattern[star+1:], name[star:]
	for i := 0; i <= len(name); i++ {
		if MatchPattern(rest, name[i:]) {
			return true
		}
		if i < len(name) && name[i] == '/' {
			return false
		}
	}
	return false
}

// HasWildcard reports whether pattern needs MatchPattern rather than plain equality.
func HasWildcard(pattern string) bool { return strings.IndexByte(pattern, '*') >= 0 }
