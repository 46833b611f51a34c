package nskeyed

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"howett.net/plist"

	"github.com/vigil-project/vigil/internal/format/plistsafe"
)

// Limits on what resolving one archive may cost, the same as plistsafe's on
// the plist underneath. Real archives stay far below them: MBFile blobs hold
// a dozen values, and nesting rarely passes five.
const (
	// maxDepth bounds nesting of containers and reference chains, so
	// recursion depth stays small whatever the input.
	maxDepth = plistsafe.MaxDepth
	// maxNodes bounds how many values a decode may produce.
	maxNodes = plistsafe.MaxNodes
)

// Errors that Decode and DecodeTop wrap, so callers can tell a file that is
// not an archive from one that is damaged or hostile.
var (
	// ErrNotArchive means the plist is not an NSKeyedArchiver archive.
	ErrNotArchive = errors.New("not an NSKeyedArchiver archive")
	// ErrMalformed means the archive breaks the format: a reference out of
	// range, a value of the wrong type, a missing class.
	ErrMalformed = errors.New("malformed archive")
	// ErrCycle means an object refers back to itself through its references.
	ErrCycle = errors.New("reference cycle")
	// ErrLimit means the archive is nested too deeply or expands into too many
	// values to decode safely.
	ErrLimit = errors.New("archive exceeds decoding limits")
)

// archive is an NSKeyedArchiver plist before its references are resolved.
type archive struct {
	top     map[string]any
	objects []any
}

// Decode parses an NSKeyedArchiver plist (binary, XML or text) and returns
// its root object as plain Go values, mapped as the package documentation
// describes. The root is the $top entry "root"; archives written with
// another top key (some frameworks use "$0" or a custom name) are accepted
// when $top holds exactly one entry, since there is then no ambiguity.
//
// The result may share sub-values (the archive is a graph and each object is
// decoded once), so treat it as read-only.
func Decode(data []byte) (any, error) {
	a, err := parseArchive(data)
	if err != nil {
		return nil, err
	}
	key, err := rootKey(a.top)
	if err != nil {
		return nil, err
	}
	v, err := newResolver(a.objects).value(a.top[key], 0)
	if err != nil {
		return nil, fmt.Errorf("nskeyed: $top %q: %w", key, err)
	}
	return v, nil
}

// DecodeTop parses an NSKeyedArchiver plist and returns every $top entry
// resolved, for archives that store several named roots.
func DecodeTop(data []byte) (map[string]any, error) {
	a, err := parseArchive(data)
	if err != nil {
		return nil, err
	}
	r := newResolver(a.objects)
	out := make(map[string]any, len(a.top))
	for _, key := range sortedKeys(a.top) {
		v, err := r.value(a.top[key], 0)
		if err != nil {
			return nil, fmt.Errorf("nskeyed: $top %q: %w", key, err)
		}
		out[key] = v
	}
	return out, nil
}

// Int64 returns v as an int64 when it is an integer that fits. Decoded
// integers are int64 or uint64 depending on how the plist stored them (binary
// plists keep small positive numbers unsigned), which callers should not have
// to care about.
func Int64(v any) (int64, bool) {
	switch n := v.(type) {
	case int64:
		return n, true
	case uint64:
		if n > math.MaxInt64 {
			return 0, false
		}
		return int64(n), true
	}
	return 0, false
}

// parseArchive decodes the plist and checks the keyed-archive envelope.
func parseArchive(data []byte) (*archive, error) {
	var raw any
	if err := plistsafe.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("nskeyed: %w", plistError(err))
	}
	doc, ok := raw.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("nskeyed: top level is %s, not a dictionary: %w", typeName(raw), ErrNotArchive)
	}
	// $archiver is checked for type only: NRKeyedArchiver and other clones
	// write their own names but the same layout.
	if name, ok := doc["$archiver"]; ok {
		if _, isString := name.(string); !isString {
			return nil, fmt.Errorf("nskeyed: $archiver is %s: %w", typeName(name), ErrNotArchive)
		}
	}
	top, ok := doc["$top"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("nskeyed: $top is %s: %w", typeName(doc["$top"]), ErrNotArchive)
	}
	objects, ok := doc["$objects"].([]any)
	if !ok {
		return nil, fmt.Errorf("nskeyed: $objects is %s: %w", typeName(doc["$objects"]), ErrNotArchive)
	}
	return &archive{top: top, objects: objects}, nil
}

// plistError files a plistsafe error under this package's errors as well, so
// that callers test one set whichever layer failed.
func plistError(err error) error {
	switch {
	case errors.Is(err, plistsafe.ErrLimit):
		return &classified{err, ErrLimit}
	case errors.Is(err, plistsafe.ErrCycle):
		return &classified{err, ErrCycle}
	case errors.Is(err, plistsafe.ErrMalformed):
		return &classified{err, ErrMalformed}
	}
	return fmt.Errorf("%w: %w", ErrNotArchive, err)
}

// classified is an error that also matches kind, without repeating kind's
// text in its message: "binary plist: nesting deeper than 256: plist exceeds
// decoding limits" says it already.
type classified struct{ err, kind error }

func (e *classified) Error() string   { return e.err.Error() }
func (e *classified) Unwrap() []error { return []error{e.err, e.kind} }

// rootKey picks the $top entry Decode returns.
func rootKey(top map[string]any) (string, error) {
	if _, ok := top["root"]; ok {
		return "root", nil
	}
	if len(top) == 1 {
		for k := range top {
			return k, nil
		}
	}
	return "", fmt.Errorf("nskeyed: $top has no \"root\" and %d keys [%s]: %w",
		len(top), strings.Join(sortedKeys(top), " "), ErrMalformed)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// typeName names a decoded plist value's type for error messages.
func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "missing"
	case plist.UID:
		return "a reference"
	case map[string]any:
		return "a dictionary"
	case []any:
		return "an array"
	case string:
		return "a string"
	case []byte:
		return "data"
	}
	return fmt.Sprintf("%T", v)
}
