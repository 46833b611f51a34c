package pstxt

import (
	"path"
	"strings"
)

// SplitCommand splits a ps COMMAND value into the executable and its arguments.
//
// ps prints argv joined by single spaces, so a space may sit inside the executable's
// path or separate it from an argument; only a file system can tell for sure. When
// exists is not nil, the executable is the shortest prefix of the command that ends
// at a space (or at the end) and for which exists reports true — the first space that
// ends an existing path. Callers pass a lookup into whatever listing of the device
// they hold (a file-system dump, UUIDToBinaryLocations ...).
//
// Without exists, or when no prefix exists, this rule applies:
//   - a command that does not start with "/" ("-zsh", "(launchd)") ends at its first
//     space;
//   - otherwise the path ends at the first space, except that it runs across a space
//     (1) that sits in a directory name ending in .app, .appex, .framework, .bundle or
//     .xpc, up to the "/" after it, when the word after the space does not start with
//     "-" ("/…/Microsoft Outlook.app/…"); and (2) that lets the last path element,
//     inside a "<N>.app" or "<N>.appex" directory, spell N out in full, as app
//     executables named after their bundle do ("/…/My App.app/My App --flag").
//
// Other spaces in paths (say "Application Support/x") end the executable early; a
// module that must catch them passes exists.
func SplitCommand(cmd string, exists func(path string) bool) (exe, args string) {
	cmd = strings.Trim(cmd, " \t")
	if exists != nil {
		for end := 0; end <= len(cmd); end++ {
			if (end == len(cmd) || cmd[end] == ' ') && end > 0 && exists(cmd[:end]) {
				return cmd[:end], strings.TrimLeft(cmd[end:], " \t")
			}
		}
	}
	end := strings.IndexByte(cmd, ' ')
	if end < 0 {
		return cmd, ""
	}
	if cmd[0] == '/' {
		end = pathEnd(cmd, end)
	}
	return cmd[:end], strings.TrimLeft(cmd[end:], " \t")
}

// pathEnd extends the executable from the space at end by the two rules above.
func pathEnd(cmd string, end int) int {
	for end < len(cmd) {
		compStart := strings.LastIndexByte(cmd[:end], '/') + 1
		// Rule 1: the space is inside a bundle directory's name.
		if slash := strings.IndexByte(cmd[end:], '/'); slash > 0 && cmd[end+1] != '-' {
			if dir := cmd[compStart : end+slash]; hasBundleExt(dir) {
				next := strings.IndexByte(cmd[end+slash:], ' ')
				if next < 0 {
					return len(cmd)
				}
				end += slash + next
				continue
			}
		}
		// Rule 2: the last element spells out its app bundle's name.
		bundle := path.Base(cmd[:max(compStart-1, 0)])
		name, ok := strings.CutSuffix(bundle, ".app")
		if !ok {
			name, ok = strings.CutSuffix(bundle, ".appex")
		}
		if ok && compStart > 0 && len(name) > end-compStart && strings.HasPrefix(cmd[compStart:], name) {
			if stop := compStart + len(name); stop == len(cmd) || cmd[stop] == ' ' {
				return stop
			}
		}
		break
	}
	return end
}

func hasBundleExt(dir string) bool {
	for _, ext := range []string{".app", ".appex", ".framework", ".bundle", ".xpc"} {
		if strings.HasSuffix(dir, ext) {
			return true
		}
	}
	return false
}
