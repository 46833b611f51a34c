package ios

import (
	"net/netip"
	"slices"
	"strings"

	"golang.org/x/net/publicsuffix"
)

// pathDomains returns the host names embedded in a file path, the way MVT finds them: the
// lower-cased path is split on '_' and each piece is read as a URL. WebKit and cache
// folders are named "<scheme>_<host>_<port>" (https_www.evil.com_0.localstorage), so a
// visited site survives as a folder name after its history is wiped.
//
// MVT accepts any piece whose last label is a known TLD. That also accepts bundle ids
// ("com.example.app") and media files ("img_0001.mov"), so a few shapes are refused here;
// an IP literal counts only right after a scheme piece, where WebKit put it.
func pathDomains(p string) []string {
	if !strings.Contains(p, ".") {
		return nil
	}
	pieces := strings.Split(strings.ToLower(p), "_")
	var out []string
	for i, piece := range pieces {
		afterScheme := i > 0 && (strings.HasSuffix(pieces[i-1], "http") || strings.HasSuffix(pieces[i-1], "https"))
		host := pieceHost(piece)
		if host == "" || !(isEmbeddedDomain(host, afterScheme) || afterScheme && isIPv4Host(host)) {
			continue
		}
		if !slices.Contains(out, host) {
			out = append(out, host)
		}
	}
	return out
}

// pieceHost returns the host part of a piece read as a URL with its scheme left out:
// what precedes the first '/', '?', '#' or '\', without user-info or port.
func pieceHost(piece string) string {
	if i := strings.IndexAny(piece, `/?#\`); i >= 0 {
		piece = piece[:i]
	}
	if i := strings.LastIndexByte(piece, '@'); i >= 0 {
		piece = piece[i+1:]
	}
	if i := strings.LastIndexByte(piece, ':'); i >= 0 && isDigitRun(piece[i+1:]) {
		piece = piece[:i]
	}
	return strings.TrimSuffix(piece, ".")
}

// reverseDNSRoots start bundle and group ids, never real host names.
var reverseDNSRoots = map[string]bool{
	"com": true, "org": true, "net": true, "edu": true, "gov": true, "io": true,
	"group": true, "systemgroup": true,
}

// fileExtensionTLDs are TLDs that are also common file extensions: "notes_v2.zip" names a
// file, not the host v2.zip, unless a scheme piece comes first.
var fileExtensionTLDs = map[string]bool{
	"zip": true, "mov": true, "app": true, "md": true, "sh": true, "py": true, "pl": true,
	"rs": true, "ps": true, "ai": true, "ms": true, "mp": true, "so": true,
}

// isEmbeddedDomain reports whether host is a plausible DNS name: letters, digits and
// hyphens; a last label that is an ICANN top-level domain; at least one label before its
// public suffix; not a bundle id or a file name.
func isEmbeddedDomain(host string, afterScheme bool) bool {
	labels := strings.Split(host, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if !isDNSLabel(l) {
			return false
		}
	}
	tld := labels[len(labels)-1]
	if _, icann := publicsuffix.PublicSuffix(tld); !icann {
		return false
	}
	if _, err := publicsuffix.EffectiveTLDPlusOne(host); err != nil {
		return false
	}
	if afterScheme {
		return true
	}
	if reverseDNSRoots[labels[0]] {
		return false
	}
	// Media and archives: "img_0001.mov", "notes_v2.zip".
	return len(labels) > 2 || !(isDigitRun(labels[0]) || fileExtensionTLDs[tld])
}

func isDNSLabel(l string) bool {
	if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
		return false
	}
	for i := 0; i < len(l); i++ {
		if c := l[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

func isIPv4Host(host string) bool {
	a, err := netip.ParseAddr(host)
	return err == nil && a.Is4()
}

func isDigitRun(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
