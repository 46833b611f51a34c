package ioc

import (
	"net/netip"
	"path"
	"strings"
)

// normalized is an indicator value ready for indexing: the bucket it goes to and the form
// it is compared in.
type normalized struct {
	bucket bucket
	norm   string       // string buckets
	addr   netip.Addr   // bucketIP
	prefix netip.Prefix // bucketCIDR
	note   string       // an irregularity worth recording in provenance ("" if none)
}

// normalizeValue prepares an indicator value of a supported key for matching. The same
// rules are applied to observables at match time, so both sides meet in one form. A value
// that cannot be matched at all returns a reason instead.
func normalizeValue(b bucket, v string) (normalized, string) {
	v = strings.TrimSpace(v)
	if v == "" {
		return normalized{}, "empty value"
	}
	switch b {
	case bucketHost, bucketIP:
		return normalizeHostValue(b, v)
	case bucketFilePath:
		return normalizePathValue(v)
	case bucketEmail:
		return normalized{bucket: b, norm: normalizeEmail(v)}, ""
	case bucketMD5, bucketSHA1, bucketSHA256, bucketSHA512:
		return normalized{bucket: b, norm: strings.ToLower(v)}, ""
	case bucketCert:
		return normalized{bucket: b, norm: normalizeCert(v)}, ""
	case bucketAppID, bucketProfile, bucketProperty:
		return normalized{bucket: b, norm: strings.ToLower(v)}, ""
	}
	// url, process and file names compare exactly, as written.
	return normalized{bucket: b, norm: v}, ""
}

// normalizeHostValue handles domain-name and ipv4-addr values, which real bundles mix up:
// IPs in domain-name, hosts with a path ("host.tld/x"), "www." prefixes. ipv4-addr may
// also be a CIDR range.
func normalizeHostValue(b bucket, v string) (normalized, string) {
	var note string
	if b == bucketIP && strings.Contains(v, "/") {
		if p, err := netip.ParsePrefix(v); err == nil {
			p = p.Masked()
			a := canonicalAddr(p.Addr())
			if p.Bits() == p.Addr().BitLen() {
				return normalized{bucket: bucketIP, addr: a}, ""
			}
			if a.Is4() && p.Addr().Is6() { // ::ffff:a.b.c.d/n
				if p.Bits() < 96 {
					return normalized{}, "IPv4-mapped range wider than IPv4"
				}
				p = netip.PrefixFrom(a, p.Bits()-96)
			}
			return normalized{bucket: bucketCIDR, prefix: p}, ""
		}
	}
	if rest, ok := strings.CutPrefix(v, "*."); ok {
		v, note = rest, "wildcard '*.' removed: the subdomain rule covers it"
	}
	host, addr, ok := parseHost(v)
	if !ok {
		return normalized{}, "not a host name or IP address"
	}
	if strings.ContainsAny(v, "/?#") && note == "" {
		note = "value has more than a host; matched on host " + hostOrAddr(host, addr)
	}
	if addr.IsValid() {
		if b == bucketHost && note == "" {
			note = "IP address in a domain-name value; matched as an IP"
		}
		return normalized{bucket: bucketIP, addr: addr, note: note}, ""
	}
	if b == bucketIP && note == "" {
		note = "ipv4-addr value is not an IP address; matched as a host"
	}
	return normalized{bucket: bucketHost, norm: host, note: note}, ""
}

func hostOrAddr(host string, addr netip.Addr) string {
	if addr.IsValid() {
		return addr.String()
	}
	return host
}

// normalizePathValue splits file:path indicators into absolute paths (prefix rule with a
// '/' boundary) and relative ones such as iOS "Library/Preferences/x.plist" (suffix rule).
func normalizePathValue(v string) (normalized, string) {
	dir := strings.HasSuffix(v, "/")
	if strings.HasPrefix(v, "/") {
		p := canonicalPath(v)
		if p == "/" {
			return normalized{}, "path \"/\" would match every file"
		}
		return normalized{bucket: bucketFilePath, norm: p}, ""
	}
	p := path.Clean(strings.TrimPrefix(v, "./"))
	if p == "." || p == ".." || strings.HasPrefix(p, "../") {
		return normalized{}, "relative path leaves its base"
	}
	if dir {
		return normalized{bucket: bucketRelDir, norm: p, note: "relative directory: matches at a '/' boundary anywhere in a path"}, ""
	}
	return normalized{bucket: bucketRelFile, norm: p, note: "relative path: matches as a path suffix at a '/' boundary"}, ""
}

// canonicalPath cleans an absolute device path (no trailing '/', no "//" or "..") and folds
// the iOS "/private/var" alias to "/var" so that either spelling meets the other. Folding
// toward the shorter form keeps it allocation-free (a substring).
func canonicalPath(p string) string {
	p = path.Clean(p)
	if p == "/private/var" || strings.HasPrefix(p, "/private/var/") {
		return p[len("/private"):]
	}
	return p
}

// normalizeEmail lower-cases an address and strips "mailto:", quotes, angle brackets and
// white space around it.
func normalizeEmail(v string) string {
	v = strings.TrimSpace(v)
	if len(v) >= 7 && strings.EqualFold(v[:7], "mailto:") {
		v = v[7:]
	}
	return strings.ToLower(strings.Trim(v, " \t\r\n\"'<>"))
}

// normalizeCert lower-cases a certificate digest and drops the ':' separators that
// keytool and openssl print, so "AB:CD:…" meets "abcd…".
func normalizeCert(v string) string {
	v = strings.ToLower(strings.TrimSpace(v))
	if strings.IndexByte(v, ':') >= 0 {
		v = strings.ReplaceAll(v, ":", "")
	}
	return v
}
