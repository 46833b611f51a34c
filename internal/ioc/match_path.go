package ioc

import (
	"path"
	"strings"
)

// matchProcess applies the process-name rules to a name or a path to an executable.
func (s *Set) matchProcess(v string, c *collector) {
	name := v[strings.LastIndexByte(v, '/')+1:]
	s.lookup(bucketProcess, name, RuleProcess, c)
	if len(name) == truncatedLen {
		for _, e := range s.procPrefix[name] {
			c.add(e, RuleProcessTruncated, false)
		}
	}
}

// matchProcessPath matches every '/'-separated component against process names, as MVT's
// check_file_path_process does for iOS paths.
func (s *Set) matchProcessPath(v string, c *collector) {
	for v != "" {
		comp, rest, _ := strings.Cut(v, "/")
		if comp != "" {
			s.lookup(bucketProcess, comp, RuleProcessComponent, c)
		}
		v = rest
	}
}

// matchFilePath applies the file-name and file-path rules. Absolute indicators are probed
// once per '/' in the observed path (each prefix that ends at a boundary); relative ones
// once per suffix, or per window of up to maxRelDepth components for directories.
func (s *Set) matchFilePath(v string, c *collector) {
	trimmed := strings.TrimRight(v, "/")
	s.lookup(bucketFileName, trimmed[strings.LastIndexByte(trimmed, '/')+1:], RuleFileName, c)

	var p string
	if strings.HasPrefix(v, "/") {
		p = canonicalPath(v)
		if len(s.strs[bucketFilePath]) > 0 {
			for i := 1; i <= min(len(p), s.maxLen[bucketFilePath]); i++ {
				if i == len(p) || p[i] == '/' {
					s.lookup(bucketFilePath, p[:i], RuleFilePath, c)
				}
			}
		}
	} else {
		p = path.Clean(v)
	}
	if s.maxRelDepth > 0 {
		s.matchRelative(p, c)
	}
}

// matchRelative finds relative path indicators in p at '/' boundaries: file indicators
// must end p; directory indicators (written with a trailing '/') may be any run of whole
// components, the directory itself or anything below it.
func (s *Set) matchRelative(p string, c *collector) {
	// starts holds the offset of every component, deepest last; p is clean, so there is
	// no "//" and no trailing '/'.
	var buf [32]int
	starts := buf[:0]
	if p != "" && p[0] != '/' {
		starts = append(starts, 0)
	}
	for i := 0; i+1 < len(p); i++ {
		if p[i] == '/' {
			starts = append(starts, i+1)
		}
	}
	files, dirs := s.strs[bucketRelFile], s.strs[bucketRelDir]
	for k := len(starts) - 1; k >= 0 && k >= len(starts)-s.maxRelDepth; k-- {
		if len(p)-starts[k] > s.maxLen[bucketRelFile] {
			break
		}
		if _, ok := files[p[starts[k]:]]; ok {
			s.lookup(bucketRelFile, p[starts[k]:], RuleFilePathSuffix, c)
		}
	}
	if len(dirs) == 0 {
		return
	}
	for k, from := range starts {
		// a window of components k..end-1; it ends before the next component or at the end.
		for end := k + 1; end <= len(starts) && end-k <= s.maxRelDepth; end++ {
			w := p[from:]
			if end < len(starts) {
				w = p[from : starts[end]-1]
			}
			if len(w) > s.maxLen[bucketRelDir] {
				break
			}
			if _, ok := dirs[w]; ok {
				s.lookup(bucketRelDir, w, RuleFilePathSuffix, c)
			}
		}
	}
}
