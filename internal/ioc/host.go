package ioc

import (
	"net/netip"
	"net/url"
	"strings"

	"golang.org/x/net/publicsuffix"
)

// parseHost finds the host of a URL, a bare host ("evil.com", "evil.com/path"), or a
// host:port, and normalises it with normalizeHost. An IP literal comes back as addr (valid)
// in canonical form (IPv4-mapped IPv6 unmapped, zone dropped). ok is false when the text
// has no parseable host: opaque URLs (mailto:, javascript:), empty hosts, garbage. Those
// go to the low-confidence substring rule.
func parseHost(raw string) (host string, addr netip.Addr, ok bool) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", netip.Addr{}, false
	}
	// A bare IPv6 literal would otherwise read as host "2001" with a bad port.
	if strings.Count(s, ":") >= 2 && !strings.ContainsAny(s, "/[") {
		if a, err := netip.ParseAddr(s); err == nil {
			return "", canonicalAddr(a), true
		}
	}
	start, prefix, ok := splitScheme(s)
	if !ok {
		return "", netip.Addr{}, false
	}
	h, ok := simpleHost(s[start:])
	if !ok {
		h, ok = urlHostname(prefix + s)
	}
	if !ok {
		return "", netip.Addr{}, false
	}
	if looksLikeIP(h) {
		if a, err := netip.ParseAddr(h); err == nil {
			return "", canonicalAddr(a), true
		}
	}
	host, ok = normalizeHost(h)
	return host, netip.Addr{}, ok
}

// urlHostname parses full with net/url and returns its host without port or user-info.
// When the whole URL does not parse (a bad escape or a space in the path), it retries with
// the authority alone: a broken path must not hide a perfectly readable host. Cutting at
// '\' also follows browsers, which read `https://evil.com\@good.com` as host evil.com.
func urlHostname(full string) (string, bool) {
	u, err := url.Parse(full)
	if err != nil {
		i := strings.Index(full, "://") + 3
		end := strings.IndexAny(full[i:], "/?#\\")
		if end < 0 {
			return "", false // the authority itself was what failed
		}
		if u, err = url.Parse(full[:i+end]); err != nil {
			return "", false
		}
	}
	h := u.Hostname()
	return h, h != ""
}

// splitScheme finds where the authority starts in s and the prefix that makes s a URL for
// net/url: "https://" when s has no scheme, as MVT assumes. It tells a host:port
// ("evil.com:8443/x") from an opaque URL ("mailto:a@b", "about:blank"), which has no host
// at all (ok false).
func splitScheme(s string) (start int, prefix string, ok bool) {
	if strings.HasPrefix(s, "//") {
		return 2, "https:", true
	}
	if i := strings.IndexByte(s, ':'); i > 0 && isScheme(s[:i]) {
		if strings.HasPrefix(s[i:], "://") {
			return i + 3, "", true
		}
		rest := s[i+1:]
		end := strings.IndexAny(rest, "/?#")
		if end < 0 {
			end = len(rest)
		}
		if end == 0 || !allDigits(rest[:end]) {
			return 0, "", false
		}
	}
	return 0, "https://", true
}

// simpleHost reads the host of an authority made only of host characters and an optional
// numeric port, the overwhelmingly common case, without allocating. Anything else
// (user-info, brackets, escapes) is left to net/url. For these inputs net/url yields the
// same host, so the shortcut changes speed, not results.
func simpleHost(rest string) (string, bool) {
	end := strings.IndexAny(rest, "/?#\\")
	if end < 0 {
		end = len(rest)
	}
	auth := rest[:end]
	host, port, hasPort := strings.Cut(auth, ":")
	if host == "" || (hasPort && !allDigits(port)) {
		return "", false
	}
	for i := 0; i < len(host); i++ {
		c := host[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_') {
			return "", false
		}
	}
	return host, true
}

// normalizeHost lower-cases a host name, drops trailing dots, checks its characters and
// removes exactly one leading "www." (only when a dot remains, so "www.com" stays whole).
// Indicators and observables go through the same function, so `www.example.org` on both
// sides still meets, and a host starting with 'w' keeps its letters (MVT's strip bug).
// International names are compared as lower-cased Unicode; IDNA conversion is not done
// because golang.org/x/text is not a dependency.
func normalizeHost(h string) (string, bool) {
	h = strings.TrimRight(h, ".")
	if h == "" {
		return "", false
	}
	h = strings.ToLower(h)
	for i := 0; i < len(h); i++ {
		if !isHostByte(h[i]) {
			return "", false
		}
	}
	if rest, ok := strings.CutPrefix(h, "www."); ok && strings.Contains(rest, ".") {
		h = rest
	}
	return h, true
}

// isHostByte accepts DNS letters, digits, '-', '.', '_' (seen in real C2 names) and any
// non-ASCII byte (international names).
func isHostByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c >= 0x80
}

// isPublicSuffix reports whether host is itself a public suffix ("com", "co.uk",
// "blogspot.com"); the subdomain walk never stops on one, so no indicator can swallow a TLD.
func isPublicSuffix(host string) bool {
	ps, _ := publicsuffix.PublicSuffix(host)
	return ps == host
}

// canonicalAddr gives the one form IPs are compared in.
func canonicalAddr(a netip.Addr) netip.Addr { return a.Unmap().WithZone("") }

// looksLikeIP is a cheap filter before netip.ParseAddr, whose errors allocate.
func looksLikeIP(h string) bool {
	if strings.IndexByte(h, ':') >= 0 {
		return true
	}
	for i := 0; i < len(h); i++ {
		if c := h[i]; c != '.' && (c < '0' || c > '9') {
			return false
		}
	}
	return h != ""
}

func isScheme(s string) bool {
	if s == "" || !(s[0] >= 'a' && s[0] <= 'z' || s[0] >= 'A' && s[0] <= 'Z') {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !(isWordByte(c) && c != '_' || c == '+' || c == '.') {
			return false
		}
	}
	return true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
