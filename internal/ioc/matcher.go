package ioc

import (
	"slices"
	"strings"
)

// Rule names, as found in Match.Rule. Each observable type has its rules; see Set.Match.
const (
	RuleURL              = "url"               // URL string equals a url:value
	RuleIP               = "ip"                // IP host equals an IP indicator (canonical form)
	RuleIPRange          = "ip-range"          // IP host inside an ipv4-addr CIDR range
	RuleExactHost        = "exact-host"        // host equals a domain indicator
	RuleSubdomain        = "subdomain"         // host is below a domain indicator, at a label boundary
	RuleSubstring        = "substring"         // unparseable text holds a domain/IP at a boundary (low confidence)
	RuleProcess          = "process"           // process base name equals process:name
	RuleProcessTruncated = "process-truncated" // 16-byte name is the start of a longer process:name
	RuleProcessComponent = "process-component" // a path component equals process:name
	RuleEmail            = "email"             // case-insensitive address equality
	RuleFileName         = "file-name"         // base name equals file:name
	RuleFilePath         = "file-path"         // path equals, or is under, an absolute file:path
	RuleFilePathSuffix   = "file-path-suffix"  // relative file:path found at a '/' boundary
	RuleFileHash         = "file-hash"         // hash equals file:hashes.* of its length's algorithm
	RuleAppCert          = "app-cert"          // certificate digest in the pooled app:cert.* values
	RuleAppID            = "app-id"            // case-insensitive app:id equality
	RuleAndroidProperty  = "android-property"  // case-insensitive android-property:name equality
	RuleProfileID        = "profile-id"        // case-insensitive configuration-profile:id equality
)

// Match returns every distinct indicator the observable matches, in load order: the
// first is the primary match, the rest name other files and collections holding the same
// evidence. It returns nil when nothing matches. Lookups are hash-map probes, never scans
// over indicators. Rules per type (the spec's "Rec." semantics):
//
//   - URL: exact url:value equality, then the Domain rules on its host.
//   - Domain (and URL host): lower-cased, no port, user-info or trailing dot, one leading
//     "www." removed on both sides. An IP literal compares with IP indicators (and CIDR
//     ranges) only. A host name matches an equal domain indicator, or one of its parent
//     domains at a label boundary (x.cdn.example.net → cdn.example.net) that is not a public
//     suffix. Text with no parseable host falls back to RuleSubstring (LowConfidence):
//     a domain or IP indicator that is a whole run of [A-Za-z0-9.-] in the text.
//   - Process: the base name equals process:name (case-sensitive); a base name of exactly
//     16 bytes also matches longer names it starts (iOS truncation). As in MVT, that rule is
//     not marked low confidence.
//   - ProcessPath: any '/'-separated component equals process:name.
//   - FilePath: base name equals file:name; path equals or is below an absolute file:path
//     ('/' boundary; /private/var ≡ /var); a relative file:path ends the path at a '/'
//     boundary (or, ending in '/', appears as directories anywhere in it). All that apply
//     are returned, not just the first.
//   - FileName: equals file:name. FileHash: lower-case equality in the bucket chosen by
//     length (32 md5, 40 sha1, 128 sha512, else sha256). AppCertHash: lower-case, ':'
//     removed, in the md5/sha1/sha256 pool. AppID, AndroidProperty, ProfileID, Email:
//     case-insensitive equality (Email also drops "mailto:" and quotes).
func (s *Set) Match(o Observable) []Match {
	if s == nil || len(s.entries) == 0 {
		return nil
	}
	var c collector
	v := strings.TrimSpace(o.Value)
	if v == "" {
		return nil
	}
	switch o.Type {
	case URL:
		s.lookup(bucketURL, v, RuleURL, &c)
		s.matchDomain(v, &c)
	case Domain:
		s.matchDomain(v, &c)
	case Process:
		s.matchProcess(v, &c)
	case ProcessPath:
		s.matchProcessPath(v, &c)
	case Email:
		s.lookup(bucketEmail, normalizeEmail(v), RuleEmail, &c)
	case FilePath:
		s.matchFilePath(v, &c)
	case FileName:
		s.lookup(bucketFileName, v, RuleFileName, &c)
	case FileHash:
		s.lookup(hashBucket(len(v)), strings.ToLower(v), RuleFileHash, &c)
	case AppCertHash:
		s.lookup(bucketCert, normalizeCert(v), RuleAppCert, &c)
	case AppID:
		s.lookup(bucketAppID, strings.ToLower(v), RuleAppID, &c)
	case AndroidProperty:
		s.lookup(bucketProperty, strings.ToLower(v), RuleAndroidProperty, &c)
	case ProfileID:
		s.lookup(bucketProfile, strings.ToLower(v), RuleProfileID, &c)
	}
	return c.matches(s, o)
}

// hashBucket chooses the hash bucket by hex length, as MVT does.
func hashBucket(n int) bucket {
	switch n {
	case 32:
		return bucketMD5
	case 40:
		return bucketSHA1
	case 128:
		return bucketSHA512
	}
	return bucketSHA256
}

// hit is one matching entry and the rule that found it.
type hit struct {
	e    int32
	rule string
	low  bool
}

// collector gathers hits. The first few live in a fixed array indexed by n rather than in
// a slice of it: a slice pointing into its own struct sends the struct to the heap, and
// Match runs once per observable.
type collector struct {
	n    int
	buf  [6]hit
	more []hit // overflow, rare
}

// add records a hit unless the entry was already found by an earlier (stronger) rule.
func (c *collector) add(e int32, rule string, low bool) {
	for i := range min(c.n, len(c.buf)) {
		if c.buf[i].e == e {
			return
		}
	}
	for _, h := range c.more {
		if h.e == e {
			return
		}
	}
	h := hit{e: e, rule: rule, low: low}
	if c.n < len(c.buf) {
		c.buf[c.n] = h
		c.n++
		return
	}
	c.more = append(c.more, h)
}

// matches turns the hits into Matches in load order.
func (c *collector) matches(s *Set, o Observable) []Match {
	if c.n == 0 {
		return nil
	}
	hits := c.buf[:c.n]
	if c.more != nil {
		hits = append(c.more, hits...)
	}
	slices.SortFunc(hits, func(a, b hit) int { return int(a.e - b.e) })
	out := make([]Match, len(hits))
	for i, h := range hits {
		en := &s.entries[h.e]
		coll := &s.collections[en.coll]
		out[i] = Match{
			Observable: o, Indicator: en.value, Key: en.key, Pattern: en.pattern, IndicatorID: en.id,
			Collection: coll.Name, CollectionID: coll.ID, SourceFile: coll.SourceFile,
			Rule: h.rule, LowConfidence: h.low,
		}
	}
	return out
}

// lookup adds every entry whose normalised value in bucket b equals k.
func (s *Set) lookup(b bucket, k, rule string, c *collector) {
	e, ok := s.strs[b][k]
	for ; ok && e >= 0; e = s.next[e] {
		c.add(e, rule, false)
	}
}
