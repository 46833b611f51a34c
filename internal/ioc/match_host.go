package ioc

import (
	"net/netip"
	"strings"
)

// matchDomain applies the host rules to a URL, bare host or IP, falling back to the
// boundary-aware substring rule when no host can be parsed.
func (s *Set) matchDomain(v string, c *collector) {
	if len(s.strs[bucketHost]) == 0 && len(s.ips) == 0 && len(s.cidrs) == 0 {
		return
	}
	host, addr, ok := parseHost(v)
	switch {
	case !ok:
		s.matchRuns(v, c)
	case addr.IsValid():
		s.matchIP(addr, RuleIP, false, c)
	default:
		s.matchHost(host, c)
	}
}

// matchHost tries the host, then each parent domain at a label boundary: a.b.evil.com,
// b.evil.com, evil.com. A parent that is a public suffix ("com", "co.uk") is skipped, so
// an indicator can never claim a whole TLD; which indicators are public suffixes is
// decided at load.
func (s *Set) matchHost(host string, c *collector) {
	hosts, longest := s.strs[bucketHost], s.maxLen[bucketHost]
	s.lookup(bucketHost, host, RuleExactHost, c)
	for i := max(0, len(host)-longest-1); i < len(host); i++ {
		if host[i] != '.' {
			continue
		}
		parent := host[i+1:]
		if _, ok := hosts[parent]; ok && !s.suffixHosts[parent] {
			s.lookup(bucketHost, parent, RuleSubdomain, c)
		}
	}
}

// matchIP compares an IP exactly with IP indicators, then with CIDR ranges, one map probe
// per distinct prefix length.
func (s *Set) matchIP(a netip.Addr, rule string, low bool, c *collector) {
	e, ok := s.ips[a]
	for ; ok && e >= 0; e = s.next[e] {
		c.add(e, rule, low)
	}
	for _, bits := range s.cidrBits {
		p, err := a.Prefix(bits)
		if err != nil {
			continue // an IPv6 range length longer than this IPv4 address
		}
		e, ok := s.cidrs[p]
		for ; ok && e >= 0; e = s.next[e] {
			r := RuleIPRange
			if low {
				r = rule
			}
			c.add(e, r, low)
		}
	}
}

// matchRuns is the low-confidence fallback for text with no parseable host. MVT reports
// any domain indicator found anywhere in the text, so 192.0.2.1 "matches" 192.0.2.10.
// Here an indicator must be a whole run of [A-Za-z0-9.-] (trailing dots dropped): it may
// not be preceded or followed by a letter, digit, '.' or '-'. Because a hit is always a
// whole run, each run is one map probe instead of a scan over all indicators.
func (s *Set) matchRuns(text string, c *collector) {
	for i := 0; i < len(text); {
		if !isRunByte(text[i]) {
			i++
			continue
		}
		j := i + 1
		for j < len(text) && isRunByte(text[j]) {
			j++
		}
		run := strings.TrimRight(text[i:j], ".")
		i = j
		if run == "" {
			continue
		}
		if looksLikeIP(run) {
			if a, err := netip.ParseAddr(run); err == nil {
				s.matchIP(canonicalAddr(a), RuleSubstring, true, c)
			}
			continue
		}
		if h, ok := normalizeHost(run); ok {
			e, ok := s.strs[bucketHost][h]
			for ; ok && e >= 0; e = s.next[e] {
				c.add(e, RuleSubstring, true)
			}
		}
	}
}

func isRunByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-'
}
