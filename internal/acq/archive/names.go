package archive

import (
	"fmt"
	"path"
	"strings"
)

// maxPathLen refuses names no device filesystem could hold (Darwin's PATH_MAX is 1024),
// which also bounds the folders one name can imply.
const maxPathLen = 4096

// entryName returns the cleaned, slash-separated path of a raw entry name ("" for the
// archive's own root), or why the name is refused. Nothing is ever written under these
// names; they are refused because a consumer that trusts them could be led outside the
// acquisition, or shown a path the device never had.
func entryName(raw string) (name, why string) {
	if strings.IndexByte(raw, 0) >= 0 {
		return "", "NUL byte in name"
	}
	if len(raw) > maxPathLen {
		return "", fmt.Sprintf("name longer than %d bytes", maxPathLen)
	}
	if strings.HasPrefix(raw, "/") {
		return "", "absolute path"
	}
	// Windows tools read a backslash as a separator: judge the name that way too.
	alt := strings.ReplaceAll(raw, `\`, "/")
	switch {
	case strings.HasPrefix(alt, "/"):
		return "", "absolute path written with backslashes"
	case len(alt) >= 2 && alt[1] == ':' && isLetter(alt[0]) && (len(alt) == 2 || alt[2] == '/'):
		return "", "Windows drive path"
	case escapes(alt):
		return "", "'..' leads outside the archive"
	case alt != raw && hasDotDot(alt):
		return "", "'..' hidden behind backslashes"
	}
	name = path.Clean(raw)
	if name == "." {
		return "", ""
	}
	return name, ""
}

func isLetter(b byte) bool { return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' }

func escapes(p string) bool {
	c := path.Clean(p)
	return c == ".." || strings.HasPrefix(c, "../")
}

func hasDotDot(p string) bool {
	return p == ".." || strings.HasPrefix(p, "../") || strings.HasSuffix(p, "/..") ||
		strings.Contains(p, "/../")
}

// maxProblems bounds the list: an archive of a million bad names must not cost a million
// lines of memory, and the first ones say what happened.
const maxProblems = 1000

// problems collects what was refused, skipped or replaced.
type problems struct {
	list []string
	more int
}

func (p *problems) add(format string, args ...any) {
	if len(p.list) >= maxProblems {
		p.more++
		return
	}
	p.list = append(p.list, fmt.Sprintf(format, args...))
}

func (p *problems) lines() []string {
	out := append([]string(nil), p.list...)
	if p.more > 0 {
		out = append(out, fmt.Sprintf("... and %d more problems", p.more))
	}
	return out
}
