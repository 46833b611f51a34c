package ioc

import (
	"crypto/sha1"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// BundleSpec describes a one-malware bundle for WriteBundle.
type BundleSpec struct {
	Malware     string          // malware name: the collection name
	Description string          // optional
	Indicators  []IndicatorSpec // in output order
}

// IndicatorSpec is one `[key = 'value']` indicator.
type IndicatorSpec struct {
	Key   string // pattern key as written, e.g. "domain-name:value" or "file:hashes.'SHA-256'"
	Value string // escaped for the pattern by WriteBundle
}

// bundleTime is the fixed timestamp of generated objects, so output is reproducible.
const bundleTime = "2024-01-01T00:00:00.000Z"

// WriteBundle writes a valid STIX 2.1 bundle shaped like the public ones: one malware, one
// indicator per spec entry and an "indicates" relationship from each to the malware. Ids
// are derived from the names and values (name-based UUIDs over SHA-1) and timestamps are
// fixed, so the same spec always gives the same bytes. Tests, fixtures and the demo use
// it; it is not meant for publishing indicators.
func WriteBundle(w io.Writer, b BundleSpec) error {
	if b.Malware == "" {
		return errors.New("write bundle: empty malware name")
	}
	malwareID := "malware--" + stableUUID("malware", b.Malware)
	objs := []any{stixMalware{
		Type: "malware", SpecVersion: "2.1", ID: malwareID, Created: bundleTime, Modified: bundleTime,
		Name: b.Malware, Description: b.Description, IsFamily: false,
	}}
	for i, in := range b.Indicators {
		if in.Key == "" {
			return fmt.Errorf("write bundle: indicator %d has no key", i)
		}
		// The index keeps ids unique even if a value is listed twice.
		id := "indicator--" + stableUUID("indicator", b.Malware, strconv.Itoa(i), in.Key, in.Value)
		objs = append(objs, stixIndicator{
			Type: "indicator", SpecVersion: "2.1", ID: id, Created: bundleTime, Modified: bundleTime,
			IndicatorTypes: []string{"malicious-activity"},
			Pattern:        "[" + in.Key + "='" + escapePatternString(in.Value) + "']",
			PatternType:    "stix", PatternVersion: "2.1", ValidFrom: bundleTime,
		}, stixRelationship{
			Type: "relationship", SpecVersion: "2.1", ID: "relationship--" + stableUUID("relationship", id),
			Created: bundleTime, Modified: bundleTime, RelationshipType: "indicates",
			SourceRef: id, TargetRef: malwareID,
		})
	}
	out := struct {
		Type    string `json:"type"`
		ID      string `json:"id"`
		Objects []any  `json:"objects"`
	}{"bundle", "bundle--" + stableUUID("bundle", b.Malware), objs}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("write bundle: %w", err)
	}
	return nil
}

// escapePatternString applies the two escapes STIX string literals have.
func escapePatternString(s string) string {
	return strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s)
}

// stableUUID formats a SHA-1 of the parts as a version-5-style UUID. Parts are joined with
// NUL so ("ab","c") and ("a","bc") differ.
func stableUUID(parts ...string) string {
	h := sha1.Sum([]byte("vigil\x00" + strings.Join(parts, "\x00")))
	h[6] = h[6]&0x0f | 0x50
	h[8] = h[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

type stixMalware struct {
	Type        string `json:"type"`
	SpecVersion string `json:"spec_version"`
	ID          string `json:"id"`
	Created     string `json:"created"`
	Modified    string `json:"modified"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	IsFamily    bool   `json:"is_family"`
}

type stixIndicator struct {
	Type           string   `json:"type"`
	SpecVersion    string   `json:"spec_version"`
	ID             string   `json:"id"`
	Created        string   `json:"created"`
	Modified       string   `json:"modified"`
	IndicatorTypes []string `json:"indicator_types"`
	Pattern        string   `json:"pattern"`
	PatternType    string   `json:"pattern_type"`
	PatternVersion string   `json:"pattern_version"`
	ValidFrom      string   `json:"valid_from"`
}

type stixRelationship struct {
	Type             string `json:"type"`
	SpecVersion      string `json:"spec_version"`
	ID               string `json:"id"`
	Created          string `json:"created"`
	Modified         string `json:"modified"`
	RelationshipType string `json:"relationship_type"`
	SourceRef        string `json:"source_ref"`
	TargetRef        string `json:"target_ref"`
}
