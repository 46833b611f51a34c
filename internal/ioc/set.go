package ioc

import (
	"net/netip"
	"slices"
	"strings"
)

// Options change how a Set is built.
type Options struct {
	// SkipRevoked leaves out indicators marked revoked: true (they are counted in the
	// file's stats). MVT ignores the flag, so the default keeps them.
	SkipRevoked bool
}

// Set is the indicators of many bundles, indexed for matching. Build it with Load, or with
// NewSet and Add; after that it is read-only and safe for concurrent Match calls.
type Set struct {
	opt     Options
	entries []entry
	// next chains entries that share a key: every map below holds the latest entry for a
	// key, and next[e] the one before it (-1 ends). No per-key slices, no allocation.
	next        []int32
	strs        [numBuckets]map[string]int32
	ips         map[netip.Addr]int32
	cidrs       map[netip.Prefix]int32
	cidrBits    []int              // distinct prefix lengths in cidrs, ascending
	procPrefix  map[string][]int32 // first 16 bytes of process names longer than 16
	suffixHosts map[string]bool    // host indicators that are public suffixes: exact match only
	maxRelDepth int                // most components in a relative path indicator
	// maxLen is the longest normalised value per bucket. Walks over an observed path or
	// host skip probes longer than it, which keeps hostile inputs (a 1 MB "/a/a/a…")
	// linear instead of hashing every prefix.
	maxLen [numBuckets]int

	collections []Collection
	files       []FileStats
	bySHA       map[string]string // content digest → first path loaded
	duplicates  []DuplicateFile
	unsupported []Unsupported
}

// entry is one indexed indicator value.
type entry struct {
	value, key, pattern, id string
	coll                    int32
	bucket                  bucket
}

// truncatedLen is the length iOS truncates process names to (MAXCOMLEN + 1).
const truncatedLen = 16

// NewSet returns an empty Set.
func NewSet(opt Options) *Set {
	s := &Set{
		opt:         opt,
		ips:         make(map[netip.Addr]int32),
		cidrs:       make(map[netip.Prefix]int32),
		procPrefix:  make(map[string][]int32),
		suffixHosts: make(map[string]bool),
		bySHA:       make(map[string]string),
	}
	for i := range s.strs {
		s.strs[i] = make(map[string]int32)
	}
	return s
}

// Load reads the given bundle files, in order, into a new Set. The first file that cannot
// be loaded stops it with an error naming that file.
func Load(files []string) (*Set, error) { return LoadWith(files, Options{}) }

// LoadWith is Load with options.
func LoadWith(files []string, opt Options) (*Set, error) {
	s := NewSet(opt)
	for _, f := range files {
		b, err := LoadFile(f)
		if err != nil {
			return nil, err
		}
		s.Add(b)
	}
	return s, nil
}

// Add indexes a bundle's indicators after those already in the Set. A bundle whose
// content (SHA-256) was already added is skipped and listed as a duplicate file: giving
// the same file twice must not double every count, as it does in MVT. Within one
// collection a repeated value is kept once (as MVT); across collections every copy stays,
// so a match names each collection holding the value.
func (s *Set) Add(b *Bundle) (added bool) {
	if first, dup := s.bySHA[b.SHA256]; dup {
		s.duplicates = append(s.duplicates, DuplicateFile{Path: b.Path, SHA256: b.SHA256, SameAs: first})
		return false
	}
	s.bySHA[b.SHA256] = b.Path
	fs := FileStats{
		Path: b.Path, Name: b.Name, SHA256: b.SHA256, IndicatorObjects: b.IndicatorObjects,
		ByKey: map[string]int{}, ByCollection: map[string]int{},
		Unsupported: len(b.Unsupported), Notes: slices.Clone(b.Notes),
	}
	base := int32(len(s.collections))
	for _, c := range b.Collections {
		s.collections = append(s.collections, c)
		fs.ByCollection[c.Name] += 0
	}
	for _, ind := range b.Indicators {
		if ind.Revoked {
			fs.Revoked++
			if s.opt.SkipRevoked {
				fs.RevokedSkipped++
				continue
			}
		}
		coll := base + int32(ind.Collection)
		if s.inCollection(ind.normalized, coll) {
			fs.DuplicateValues++
			continue
		}
		s.index(ind, coll)
		s.collections[coll].Indicators++
		fs.Indicators++
		fs.ByKey[ind.Key]++
		fs.ByCollection[s.collections[coll].Name]++
	}
	s.files = append(s.files, fs)
	s.unsupported = append(s.unsupported, b.Unsupported...)
	return true
}

// index adds one value to the entry list and to its bucket's map.
func (s *Set) index(ind Indicator, coll int32) {
	e := int32(len(s.entries))
	s.entries = append(s.entries, entry{
		value: ind.Value, key: ind.Key, pattern: ind.Pattern, id: ind.ID, coll: coll, bucket: ind.bucket,
	})
	s.next = append(s.next, -1)
	switch ind.bucket {
	case bucketIP:
		s.next[e] = chainPut(s.ips, ind.addr, e)
	case bucketCIDR:
		s.next[e] = chainPut(s.cidrs, ind.prefix, e)
		if !slices.Contains(s.cidrBits, ind.prefix.Bits()) {
			s.cidrBits = append(s.cidrBits, ind.prefix.Bits())
			slices.Sort(s.cidrBits)
		}
	default:
		s.next[e] = chainPut(s.strs[ind.bucket], ind.norm, e)
		s.maxLen[ind.bucket] = max(s.maxLen[ind.bucket], len(ind.norm))
	}
	switch ind.bucket {
	case bucketHost:
		// Decided once here rather than per match: the PSL lookup allocates.
		if isPublicSuffix(ind.norm) {
			s.suffixHosts[ind.norm] = true
		}
	case bucketProcess:
		if len(ind.norm) > truncatedLen {
			p := ind.norm[:truncatedLen]
			s.procPrefix[p] = append(s.procPrefix[p], e)
		}
	case bucketRelFile, bucketRelDir:
		s.maxRelDepth = max(s.maxRelDepth, strings.Count(ind.norm, "/")+1)
	}
}

// chainPut makes e the head of k's chain and returns the previous head (or -1).
func chainPut[K comparable](m map[K]int32, k K, e int32) int32 {
	prev, ok := m[k]
	m[k] = e
	if !ok {
		return -1
	}
	return prev
}

// inCollection reports whether the value is already indexed for that collection.
func (s *Set) inCollection(n normalized, coll int32) bool {
	var head int32
	var ok bool
	switch n.bucket {
	case bucketIP:
		head, ok = s.ips[n.addr]
	case bucketCIDR:
		head, ok = s.cidrs[n.prefix]
	default:
		head, ok = s.strs[n.bucket][n.norm]
	}
	for e := head; ok && e >= 0; e = s.next[e] {
		if s.entries[e].coll == coll {
			return true
		}
	}
	return false
}

// Len returns the number of indexed indicator values.
func (s *Set) Len() int { return len(s.entries) }

// Collections returns the Set's collections in load order, with their value counts.
func (s *Set) Collections() []Collection { return slices.Clone(s.collections) }
