package ioc

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Bundle is one parsed STIX 2.1 file: its collections, the indicator values Vigil can match,
// and what it had to leave out. It is the unit a Set is built from.
type Bundle struct {
	Path             string        // as given to LoadFile
	Name             string        // base name, used in matches
	SHA256           string        // hex digest of the file's bytes
	IndicatorObjects int           // STIX indicator objects in the file
	Collections      []Collection  // malware first, then reports, then "Default collection" if used
	Indicators       []Indicator   // one per accepted comparison, in file order
	Unsupported      []Unsupported // indicators (or parts) that cannot be matched, with why
	Notes            []Note        // irregularities tolerated while loading
}

// Collection is a named group of indicators: one per malware object, one per report, and a
// per-file "Default collection" for indicators nothing claims.
type Collection struct {
	ID          string `json:"id,omitempty"` // STIX id of the malware or report ("" for the default)
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	SourceFile  string `json:"source_file"` // base name of the bundle
	SourcePath  string `json:"source_path"`
	Indicators  int    `json:"indicators"` // values indexed in a Set (0 in a bare Bundle)
}

// DefaultCollection names the per-file collection of indicators no malware or report claims.
const DefaultCollection = "Default collection"

// Indicator is one matchable value: a single `=` comparison of a STIX indicator pattern.
type Indicator struct {
	ID         string // STIX id of the indicator object
	Key        string // normalised key, e.g. "file:hashes.sha256"
	Value      string // the value as written in the pattern, unescaped
	Pattern    string // the raw pattern
	Collection int    // index into Bundle.Collections
	Revoked    bool   // the object says revoked: true
	normalized
}

// Unsupported is an indicator Vigil loads but cannot match, listed in the run's provenance
// so that nobody mistakes "not checked" for "not found".
type Unsupported struct {
	File        string `json:"file"` // base name of the bundle
	IndicatorID string `json:"indicator_id,omitempty"`
	Pattern     string `json:"pattern"`
	PatternType string `json:"pattern_type,omitempty"`
	Reason      string `json:"reason"`
}

// Note records an irregularity that loading tolerated (a domain value with a path, a
// relationship to a missing indicator, ...), for provenance.
type Note struct {
	ObjectID string `json:"object_id,omitempty"`
	Value    string `json:"value,omitempty"`
	Note     string `json:"note"`
}

// maxBundleSize refuses files that cannot be indicator bundles before reading them whole.
const maxBundleSize = 512 << 20

// LoadFile reads and parses one bundle. Errors name the path: the caller stops the run,
// because a bundle that cannot be read must never look like a clean result.
func LoadFile(path string) (*Bundle, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("indicators %s: %w", path, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxBundleSize+1))
	if err != nil {
		return nil, fmt.Errorf("indicators %s: read: %w", path, err)
	}
	if len(data) > maxBundleSize {
		return nil, fmt.Errorf("indicators %s: larger than %d MiB", path, maxBundleSize>>20)
	}
	return ParseBundle(data, path)
}

// ParseBundle parses a STIX 2.1 bundle held in memory; path is used for names and errors.
// Input that is not JSON, not a bundle, or has no objects array is an error. Anything
// odd inside a valid bundle is tolerated and recorded (Unsupported, Notes) instead.
func ParseBundle(data []byte, path string) (*Bundle, error) {
	sum := sha256.Sum256(data)
	objs, err := decodeObjects(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
	if err != nil {
		return nil, fmt.Errorf("indicators %s: %w", path, err)
	}
	b := &Bundle{Path: path, Name: filepath.Base(path), SHA256: hex.EncodeToString(sum[:])}
	b.assemble(objs)
	return b, nil
}

// stixObject holds the properties Vigil reads from any STIX object; others are ignored.
type stixObject struct {
	Type        string   `json:"type"`
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Pattern     string   `json:"pattern"`
	PatternType string   `json:"pattern_type"`
	Revoked     bool     `json:"revoked"`
	ObjectRefs  []string `json:"object_refs"`
	SourceRef   string   `json:"source_ref"`
	TargetRef   string   `json:"target_ref"`
	bad         string   // set when the object itself could not be decoded
}

// decodeObjects decodes the bundle in one pass. Only when an object has a property of the
// wrong JSON type does it decode object by object, so that one bad object is reported
// instead of rejecting the whole file.
func decodeObjects(data []byte) ([]stixObject, error) {
	var fast struct {
		Type    string        `json:"type"`
		Objects *[]stixObject `json:"objects"`
	}
	err := json.Unmarshal(data, &fast)
	var typeErr *json.UnmarshalTypeError
	if err == nil {
		if err := checkBundle(fast.Type, fast.Objects != nil); err != nil {
			return nil, err
		}
		return *fast.Objects, nil
	}
	if !errors.As(err, &typeErr) {
		return nil, fmt.Errorf("not valid JSON: %w", err)
	}
	var slow struct {
		Type    string             `json:"type"`
		Objects *[]json.RawMessage `json:"objects"`
	}
	if err := json.Unmarshal(data, &slow); err != nil {
		return nil, fmt.Errorf("not a STIX bundle: %w", err)
	}
	if err := checkBundle(slow.Type, slow.Objects != nil); err != nil {
		return nil, err
	}
	objs := make([]stixObject, len(*slow.Objects))
	for i, raw := range *slow.Objects {
		if err := json.Unmarshal(raw, &objs[i]); err != nil {
			var peek struct {
				Type string `json:"type"`
				ID   string `json:"id"`
			}
			_ = json.Unmarshal(raw, &peek) // best effort: only to name the object
			objs[i] = stixObject{Type: peek.Type, ID: peek.ID, bad: err.Error()}
		}
	}
	return objs, nil
}

func checkBundle(typ string, hasObjects bool) error {
	if typ != "bundle" {
		return fmt.Errorf("not a STIX bundle: type is %q, want \"bundle\"", typ)
	}
	if !hasObjects {
		return errors.New("not a STIX bundle: no \"objects\" array")
	}
	return nil
}
